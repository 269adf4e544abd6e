"""Decide, from a file's bytes alone, whether a newly gathered document goes to the development part
`dev3/` or the held-back part `heldback3/` (issue 32): a document whose sha256, read as a number, is
divisible by 3 is held back. The rule needs no seed, no list and no look at the document, and adding a
document later never moves another. `python3 split_by_hash.py FILE...` prints each file's part."""
import hashlib
import sys
from pathlib import Path


def part(data: bytes) -> str:
    return "heldback3" if int(hashlib.sha256(data).hexdigest(), 16) % 3 == 0 else "dev3"


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(f"{part(Path(name).read_bytes())}\t{name}")
