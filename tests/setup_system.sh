#!/usr/bin/env bash
# System packages the tests need beyond Python (installed when missing; needs root).
# Nothing is needed yet beyond the Python environment; later tests add
# Debian's chromium, slurm-wlm and bcftools/tabix here.
set -euo pipefail
need=()
for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
