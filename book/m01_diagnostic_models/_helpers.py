"""Shared code for the Module 1 chapter pages (book/m01_diagnostic_models/*.md).

One model, fitted once the same way on every page, so that every number in the chapter
comes from the same patients and the same predictions:

* data: UCI Heart Disease, four hospitals (``clinical_data.load("heart_disease")``);
  outcome: coronary artery disease (CAD) at angiography, ``num > 0``;
* inputs: what is known after a history and an exercise ECG (see ``FEATURES``);
* model: logistic regression, fitted on two thirds of the Cleveland patients (seeded);
  the other third of Cleveland is the held-out test set used on the pages.

Pages import it with ``from _helpers import ...`` (a page runs in its own folder).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # book/, for the figure style shared by all modules
from _figures import BLUE, GREEN, GREY, ORANGE, PURPLE, SKY, VERMILION, pct, style  # noqa: E402,F401 (for the pages)

SEED = 0
SITES = ["Cleveland", "Hungary", "VA Long Beach", "Switzerland"]

# Inputs a clinician has after the history and a treadmill exercise ECG.
NUMERIC = ["age", "thalach", "oldpeak"]           # years, beats/min, mm of ST depression
CATEGORICAL = ["sex", "cp", "exang"]               # sex, chest-pain type, exercise angina
FEATURES = NUMERIC + CATEGORICAL
LABELS = {
    "age": "age (years)",
    "sex": "sex",
    "cp": "type of chest pain",
    "thalach": "highest heart rate on the treadmill (beats/min)",
    "exang": "angina brought on by exercise (yes/no)",
    "oldpeak": "ST depression on exercise (mm)",
}


def load_heart() -> pd.DataFrame:
    """The four-hospital table with a boolean `cad` column (CAD at angiography)."""
    from clinical_data import load

    df = load("heart_disease")
    df["cad"] = df["num"] > 0
    # Categorical inputs as strings (True/False and missing values alike).
    for col in ["exang"]:
        df[col] = df[col].map({True: "yes", False: "no", "True": "yes", "False": "no"})
    return df


def make_model():
    """Impute (median / most frequent), scale, one-hot encode, logistic regression."""
    numeric = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    categorical = make_pipeline(
        SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")
    )
    prep = ColumnTransformer([("num", numeric, NUMERIC), ("cat", categorical, CATEGORICAL)])
    return make_pipeline(prep, LogisticRegression(max_iter=1000))


@dataclass
class Fitted:
    """What every page needs: the data, the split and the model's predicted probabilities."""

    data: pd.DataFrame        # all four hospitals, with column `p` = predicted probability of CAD
    train: pd.DataFrame       # Cleveland patients the model learned from
    test: pd.DataFrame        # Cleveland patients held out (never seen by the model)
    model: object


def fit() -> Fitted:
    """Fit the chapter's model on a seeded Cleveland split; predict for every patient."""
    df = load_heart()
    cleveland = df[df["site"] == "Cleveland"]
    train_idx, test_idx = train_test_split(
        cleveland.index, test_size=1 / 3, stratify=cleveland["cad"], random_state=SEED
    )
    model = make_model().fit(df.loc[train_idx, FEATURES], df.loc[train_idx, "cad"])
    df["p"] = model.predict_proba(df[FEATURES])[:, 1]
    df["split"] = "other hospital"
    df.loc[train_idx, "split"] = "Cleveland training"
    df.loc[test_idx, "split"] = "Cleveland test"
    return Fitted(df, df.loc[train_idx], df.loc[test_idx], model)


def counts(y, p, threshold: float) -> dict:
    """The 2×2 table when 'positive' means predicted probability >= threshold."""
    y = np.asarray(y, dtype=bool)
    pos = np.asarray(p) >= threshold
    return {
        "TP": int(np.sum(pos & y)),
        "FP": int(np.sum(pos & ~y)),
        "FN": int(np.sum(~pos & y)),
        "TN": int(np.sum(~pos & ~y)),
    }


def metrics(c: dict) -> dict:
    """Sensitivity, specificity, PPV, NPV, LR+, LR− from a 2×2 table (clinical definitions)."""
    tp, fp, fn, tn = c["TP"], c["FP"], c["FN"], c["TN"]
    sens = tp / (tp + fn)
    spec = tn / (tn + fp)
    return {
        "n": tp + fp + fn + tn,
        "prevalence": (tp + fn) / (tp + fp + fn + tn),
        "sensitivity": sens,
        "specificity": spec,
        "PPV": tp / (tp + fp) if tp + fp else float("nan"),
        "NPV": tn / (tn + fn) if tn + fn else float("nan"),
        "LR+": sens / (1 - spec) if spec < 1 else float("inf"),
        "LR-": (1 - sens) / spec if spec > 0 else float("inf"),
    }


def ppv_npv(sens: float, spec: float, prevalence):
    """Bayes' theorem: PPV and NPV of a test with this sensitivity/specificity at a prevalence."""
    prev = np.asarray(prevalence, dtype=float)
    ppv = sens * prev / (sens * prev + (1 - spec) * (1 - prev))
    npv = spec * (1 - prev) / (spec * (1 - prev) + (1 - sens) * prev)
    return ppv, npv


def net_benefit(y, p, pt: float) -> float:
    """Net benefit of acting when p >= pt: TP/n − FP/n × pt/(1 − pt) (Vickers & Elkin 2006)."""
    c = counts(y, p, pt)
    n = len(np.asarray(y))
    return c["TP"] / n - c["FP"] / n * pt / (1 - pt)
