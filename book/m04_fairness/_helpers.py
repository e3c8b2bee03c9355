"""Shared code for the Module 4 chapter pages (book/m04_fairness/*.md).

Two sources of patients, fitted the same way on every page so that every number in the chapter agrees:

* **real**: UCI Heart Disease, four hospitals (``clinical_data.load("heart_disease")``). A logistic
  regression for coronary artery disease (CAD, ``num > 0``) from what is known after an exercise ECG,
  trained on half of the 920 patients (split stratified by hospital, sex and disease; seeded) and audited
  on the other half. Referral straight to invasive angiography when the predicted probability is at least
  ``THRESHOLD``; below it, a non-invasive test first. A post-processing fix is fitted on one half of the
  held-out patients (``tune_eval``) and judged on the other.
* **synthetic**: the course cohort (``clinical_data.make_cohort``; committed snapshots ``cohort_*.csv``),
  the same 10,000 patients with one bias mechanism switched on per file, plus the oracle truth.

Pages import it with ``from _helpers import ...`` (a page runs in its own folder).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.api as sm
from fairlearn.metrics import MetricFrame, count, false_negative_rate, false_positive_rate, selection_rate
from scipy.stats import binomtest
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # book/, for the figure style shared by all modules
from _figures import BLUE, GREEN, GREY, ORANGE, PURPLE, SKY, VERMILION, pct, style  # noqa: E402,F401 (for the pages)

SEED = 0
THRESHOLD = 0.5
NUMERIC = ["age", "trestbps", "thalach", "oldpeak"]   # years, mmHg, beats/min, mm of ST depression
CATEGORICAL = ["sex", "cp", "exang"]                  # sex, chest-pain type, exercise angina
FEATURES = NUMERIC + CATEGORICAL

SEX_COLOUR = {"Female": ORANGE, "Male": BLUE}
SEX_WORD = {"Female": "women", "Male": "men"}

METRICS = {
    "patients": count,
    "FNR (missed CAD)": false_negative_rate,
    "FPR (unneeded angiogram)": false_positive_rate,
    "referred": selection_rate,
}


def preprocessor() -> ColumnTransformer:
    """Impute (median / most frequent), scale, one-hot encode (dense, so every estimator accepts it)."""
    numeric = make_pipeline(SimpleImputer(strategy="median"), StandardScaler())
    categorical = make_pipeline(
        SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore", sparse_output=False)
    )
    return ColumnTransformer([("num", numeric, NUMERIC), ("cat", categorical, CATEGORICAL)])


@dataclass
class Heart:
    """The chest-pain model and the patients it learned from and is audited on."""

    train: pd.DataFrame   # with columns `cad` (truth), `p` (predicted probability), `referred`
    test: pd.DataFrame
    model: object


def fit_heart(with_sex: bool = True) -> Heart:
    """Fit the chapter's chest-pain model on a seeded, stratified half of the four hospitals.

    ``with_sex=False`` refits it on the same patients without sex among its inputs (sex stays in the
    frames, for the audit).
    """
    from clinical_data import load

    df = load("heart_disease")
    df["cad"] = (df["num"] > 0).astype(int)
    strata = df["site"] + df["sex"] + df["cad"].astype(str)
    train, test = train_test_split(df, test_size=0.5, stratify=strata, random_state=SEED)
    categorical = CATEGORICAL if with_sex else [c for c in CATEGORICAL if c != "sex"]
    columns = ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), NUMERIC),
        ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"),
                              OneHotEncoder(handle_unknown="ignore", sparse_output=False)), categorical),
    ])
    model = make_pipeline(columns, LogisticRegression(max_iter=1000))
    model.fit(train[NUMERIC + categorical], train["cad"])
    train, test = train.copy(), test.copy()
    for part in (train, test):
        part["p"] = model.predict_proba(part[NUMERIC + categorical])[:, 1]
        part["referred"] = (part["p"] >= THRESHOLD).astype(int)
    return Heart(train, test, model)


def tune_eval(test: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split the held-out patients in two (stratified by sex and disease; seeded): one half to fit a
    post-processing fix on, the other to judge it on."""
    return train_test_split(test, test_size=0.5, stratify=test["sex"] + test["cad"].astype(str),
                            random_state=SEED)


def calibration_intercept_slope(y_true, p) -> tuple[float, float]:
    """Calibration intercept and slope of predicted probabilities `p` against outcomes `y_true`.

    Intercept: logistic regression of the outcome on a constant with the linear predictor logit(p) as an
    offset (0 when the predictions are right on average, once their spread is taken as given). Slope: the
    coefficient of logit(p) as a covariate (1 when the predictions spread as much as the outcomes do;
    below 1, too extreme; above 1, too timid).
    """
    y = np.asarray(y_true, dtype=float)
    lp = np.log(np.asarray(p, dtype=float) / (1 - np.asarray(p, dtype=float)))
    binomial = sm.families.Binomial()
    intercept = sm.GLM(y, np.ones_like(lp), family=binomial, offset=lp).fit().params[0]
    slope = sm.GLM(y, sm.add_constant(lp), family=binomial).fit().params[1]
    return float(intercept), float(slope)


def by_group(y_true, y_pred, groups) -> pd.DataFrame:
    """Patients, FNR, FPR and share referred per group (fairlearn MetricFrame)."""
    return MetricFrame(metrics=METRICS, y_true=y_true, y_pred=y_pred, sensitive_features=groups).by_group.astype({"patients": int})


def rates(y_true, y_pred) -> tuple[float, float]:
    """(FNR, FPR) from the 2x2 counts: FN/(FN+TP) and FP/(FP+TN)."""
    t = np.asarray(y_true).astype(int)
    p = np.asarray(y_pred).astype(int)
    tp, fn = np.sum((t == 1) & (p == 1)), np.sum((t == 1) & (p == 0))
    fp, tn = np.sum((t == 0) & (p == 1)), np.sum((t == 0) & (p == 0))
    return float(fn / (fn + tp)), float(fp / (fp + tn))


def wilson(errors: int, total: int) -> tuple[float, float]:
    """95% Wilson confidence interval of a proportion."""
    ci = binomtest(int(errors), int(total)).proportion_ci(method="wilson")
    return float(ci.low), float(ci.high)


def cohort(name: str) -> pd.DataFrame:
    """A committed cohort snapshot joined with the oracle truth (the same patients in every file)."""
    from clinical_data import load

    truth_name = "cohort_shift_truth" if name == "shift" else "cohort_baseline_truth"
    return load(f"cohort_{name}").merge(load(truth_name), on="patient_id")


def care_inputs(d: pd.DataFrame) -> pd.DataFrame:
    """The care-management model's inputs: age, sex, this year's chronic conditions and cost."""
    return pd.DataFrame({"age": d["age"], "female": (d["sex"] == "F").astype(int),
                         "conditions_prior": d["conditions_prior"], "log_cost_prior": np.log1p(d["cost_prior"])})


def care_programme(data: pd.DataFrame, places: float = 0.2) -> pd.DataFrame:
    """Rank the test patients by predicted label (learned on the training patients); enrol the top `places`.

    Adds `score`, `enrolled`, `high_need` (true need in the top `places`: whom the programme is for) and
    `recorded_high` (next year's recorded label in the top `places`: what an auditor can see).
    """
    train, test = data[data["split"] == "train"], data[data["split"] == "test"].copy()
    ranker = make_pipeline(StandardScaler(), LinearRegression())
    ranker.fit(care_inputs(train), np.log1p(train["care_label"]))
    test["score"] = ranker.predict(care_inputs(test))
    test["enrolled"] = (test["score"] >= test["score"].quantile(1 - places)).astype(int)
    test["high_need"] = (test["need"] >= test["need"].quantile(1 - places)).astype(int)
    test["recorded_high"] = (test["care_label"] >= test["care_label"].quantile(1 - places)).astype(int)
    return test


def implied_fpr(prevalence, ppv, fnr):
    """The FPR forced by a group's prevalence, PPV and FNR (Chouldechova 2017, eq. 2.6)."""
    prevalence = np.asarray(prevalence, dtype=float)
    return prevalence / (1 - prevalence) * (1 - ppv) / ppv * (1 - fnr)
