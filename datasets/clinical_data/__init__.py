"""Datasets for the clinical AI course kit, readable with pandas alone.

    from clinical_data import load, names, make_cohort

    heart = load("heart_disease")          # a pandas DataFrame
    names()                                # every dataset you can load
    seen, truth = make_cohort(20_000, seed=0, spo2_bias=True)

The package is the folder `datasets/clinical_data/`, installed under this one
name (`clinical_data`) by the course's editable install (`make`); `datasets/`
itself is not a package, so it never shadows another package of that name. It
reads the CSVs of the checkout it lives in (the folder above it).

`load(name)` is exactly `pandas.read_csv` on the committed file in `datasets/`,
so a notebook that cannot import this package (for example a released
assignment folder copied elsewhere with its CSV) gets the same table from
`pd.read_csv("heart_disease.csv")`. Each dataset has a data card in
`datasets/cards/<name>.md`: source, licence, column dictionary, known problems.
No function here ever downloads anything.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .cohort import make_cohort

__all__ = ["load", "names", "path", "make_cohort"]

_HERE = Path(__file__).resolve().parent.parent  # datasets/: the CSVs and their cards


def names() -> list[str]:
    """The names `load` accepts, sorted: one per committed CSV."""
    return sorted(p.stem for p in _HERE.glob("*.csv"))


def path(name: str) -> Path:
    """The committed CSV file for `name` (for copying it next to a notebook)."""
    valid = names()
    if name not in valid:
        # One line, listing what exists, so a typo is fixed at a glance.
        raise ValueError(f"unknown dataset {name!r}; choose one of: {', '.join(valid)}")
    return _HERE / f"{name}.csv"


def load(name: str) -> pd.DataFrame:
    """Return the dataset `name` as a DataFrame (see `names()` for the choices).

    Missing values are NaN, as in the CSV (an empty field). Read the data card
    before modelling: some zeros mean "not recorded" (heart_disease `chol`).
    """
    return pd.read_csv(path(name))
