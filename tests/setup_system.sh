#!/usr/bin/env bash
# System packages the tests need beyond Python (installed when missing; needs root).
# Usage: bash tests/setup_system.sh [package ...]
# With no argument: the packages the test suite uses, in one apt-get run: chromium for
# tests/test_browser.py (driven by the playwright Python package; no `playwright install`
# download), slurm-wlm and munge for tests/test_slurm.py's single-node cluster.
set -euo pipefail
pkgs=("$@")
if [ ${#pkgs[@]} -eq 0 ]; then
    pkgs=(chromium slurm-wlm munge)
fi
need=()
for pkg in "${pkgs[@]}"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
