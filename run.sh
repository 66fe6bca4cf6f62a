#!/usr/bin/env bash
# The two set-up commands of the README:
#   ./run.sh demo   - run the workflow on the bundled demo cohort (results/ in the repository)
#   ./run.sh test   - run the whole test suite
# Each creates .venv from the pinned requirements first (once; again when they change).
# Extra arguments go to snakemake (demo) or pytest (test).
set -euo pipefail
cd "$(dirname "$0")"

usage() { sed -n '2,6p' "$0" | sed 's/^# \{0,1\}//'; }

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
    -h|--help|help|"")
        usage
        ;;
    *)
        echo "unknown command: $1" >&2
        usage >&2
        exit 2
        ;;
esac
