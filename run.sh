#!/usr/bin/env bash
# The two set-up commands of the README:
#   ./run.sh demo   - run the workflow on the bundled demo cohort (results/ in the repository)
#   ./run.sh test   - run the whole test suite
#   ./run.sh bench  - run the benchmark suite (README "Performance"; installs bcftools if missing)
# Each creates .venv from the pinned requirements first (once; again when they change).
# Extra arguments go to snakemake (demo), pytest (test) or the benchmark runner (bench).
set -euo pipefail
cd "$(dirname "$0")"

usage() { sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; }

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
VENV=.venv

ensure_venv() {
    local stamp="$VENV/.requirements.sha256"
    local want
    want=$(cat requirements.txt constraints.txt | sha256sum | cut -d' ' -f1)
    if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
        echo "[run.sh] creating $VENV from requirements.txt (pinned by constraints.txt) ..." >&2
        "$PY" -m venv "$VENV"
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
        echo "$want" > "$stamp"
    fi
}

case "${1:-}" in
    demo)
        shift
        ensure_venv
        exec "$VENV/bin/snakemake" --cores "${CORES:-2}" --keep-going "$@"
        ;;
    test)
        shift
        ensure_venv
        bash tests/setup_system.sh
        exec "$VENV/bin/python" -m pytest "$@"
        ;;
    bench)
        shift
        ensure_venv
        if ! command -v bcftools >/dev/null 2>&1; then
            if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
                echo "[run.sh] installing bcftools (the reference tool of the benchmark) ..." >&2
                apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bcftools tabix >/dev/null
            else
                echo "[run.sh] bcftools not found: the streaming ratio will be left out (install bcftools)" >&2
            fi
        fi
        exec "$VENV/bin/python" tests/benchmarks/run_benchmarks.py "$@"
        ;;
    -h|--help|help|"")
        usage
        ;;
    *)
        echo "unknown command: $1" >&2
        usage >&2
        exit 2
        ;;
esac
