#!/usr/bin/env bash
# Runs every benchmark against the release build; prints ratios, not absolute claims.
set -euo pipefail
cd "$(dirname "$0")"
python3 bench.py "$@"
