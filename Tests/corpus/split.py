"""Split newly gathered documents into a development part and a held-back third, at random
with a fixed seed, BEFORE anyone labels or reads them (issue 32): `python3 split.py CANDIDATES`
moves each file of the folder CANDIDATES into Tests/corpus/dev or Tests/corpus/heldback."""
import random
import shutil
import sys
from pathlib import Path

SEED = 32
HERE = Path(__file__).resolve().parent


def main(candidates):
    files = sorted(p.name for p in Path(candidates).iterdir() if p.is_file())
    held = set(random.Random(SEED).sample(files, len(files) // 3))
    for name in files:
        shutil.copyfile(Path(candidates) / name, HERE / ("heldback" if name in held else "dev") / name)
    print(f"{len(files)} documents: {len(files) - len(held)} for development, {len(held)} held back")


if __name__ == "__main__":
    main(sys.argv[1])
