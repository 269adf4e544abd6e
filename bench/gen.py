#!/usr/bin/env python3
"""Deterministic benchmark data. `gen.py licenses N` prints a license CSV (seeded, so every run is the same)."""
import random
import sys

VENDORS = ["slack", "zoom", "figma", "notion", "github", "gitlab", "atlassian", "miro", "asana", "dropbox", "1password",
           "datadog", "sentry", "hubspot", "zendesk", "canva", "adobe", "m365", "jetbrains", "docker"]
PERIODS = ["monthly", "yearly", "quarterly", "24m", "weekly", "3y"]


def licenses(n, users):
    rng = random.Random(42)
    out = ["name,vendor,seats,cost,currency,period,renews_on,owner,assigned,notes"]
    for i in range(n):
        seats = rng.randint(1, 50)
        holders = ";".join(sorted({f"user{rng.randrange(users)}" for _ in range(rng.randint(0, min(3, seats)))}))
        renews = f"20{rng.randint(27, 29)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        out.append(f"License {i:06d},{rng.choice(VENDORS)},{seats},{rng.randint(100, 999999) / 100:.2f},EUR,"
                   f"{rng.choice(PERIODS)},{renews},,{holders},\"note {i}, generated\"")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    kind, n = sys.argv[1], int(sys.argv[2])
    if kind == "licenses":
        sys.stdout.write(licenses(n, int(sys.argv[3]) if len(sys.argv) > 3 else 50))
    else:
        sys.exit(f"unknown kind {kind}")
