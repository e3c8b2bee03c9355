"""Regenerate the committed synthetic-cohort snapshots and datasets/checksums.json.

    .venv/bin/python datasets/extract/build_cohorts.py

Run with the main venv (numpy and pandas only); `bash datasets/rebuild.sh`
calls it after the real datasets. Each snapshot is a pair of CSVs from
`make_cohort`: `cohort_<name>.csv` (what a student sees) and
`cohort_<name>_truth.csv` (the oracle). tests/test_cohort.py regenerates them
in memory and checks they are unchanged, so the generator and the committed
files cannot drift apart.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATASETS = HERE.parent
# Import the generator from this checkout even when clinical_data is not installed.
sys.path.insert(0, str(DATASETS))

from clinical_data.cohort import make_cohort  # noqa: E402

# The cohorts the modules use: the same 10,000 patients (seed 0) with no
# bias, then with one mechanism switched on at a time, so an exercise can
# compare them row by row. 10,000 rows keeps each pair near 1 MB.
SNAPSHOT_ROWS = 10_000
SNAPSHOT_SEED = 0
SNAPSHOTS = {
    "baseline": {},
    "label_cost": {"label_proxy": "cost"},
    "underrep": {"g1_train_share": 0.05},
    "spo2_bias": {"spo2_bias": True},
    "missing": {"missing_by_group": True},
    "shift": {"shift": True},
}


def snapshot_csvs(name: str) -> dict[str, str]:
    """The CSV text of snapshot `name`: {file name: text}."""
    seen, truth = make_cohort(SNAPSHOT_ROWS, SNAPSHOT_SEED, **SNAPSHOTS[name])
    return {
        f"cohort_{name}.csv": seen.to_csv(index=False, lineterminator="\n"),
        f"cohort_{name}_truth.csv": truth.to_csv(index=False, lineterminator="\n"),
    }


def write_checksums() -> None:
    """Record the SHA-256 of every CSV in datasets/, from what is on disk."""
    sums = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(DATASETS.glob("*.csv"))
    }
    out = DATASETS / "checksums.json"
    out.write_text(json.dumps(sums, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {out.name}: {len(sums)} files")


def main() -> int:
    for name in SNAPSHOTS:
        for file_name, text in snapshot_csvs(name).items():
            (DATASETS / file_name).write_text(text, encoding="utf-8", newline="")
            print(f"wrote {file_name}")
    write_checksums()
    return 0


if __name__ == "__main__":
    sys.exit(main())
