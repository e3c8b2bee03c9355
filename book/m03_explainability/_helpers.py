"""Shared code for the Module 3 chapter pages (book/m03_explainability/*.md).

Every page explains the same two models, fitted the same way, so that every number in the chapter
comes from the same patients:

* data: the 303 Cleveland patients of the UCI Heart Disease data (``clinical_data.load("heart_disease")``);
  outcome: coronary artery disease (CAD) at angiography, ``num > 0``;
* inputs: what is known before the angiogram, from the history, a blood test and an exercise ECG
  (``FEATURES``), coded as numbers a tree model can use (yes/no as 1/0; chest pain as three yes/no
  columns, typical angina being the reference);
* models: a logistic regression (odds ratios) and a random forest (SHAP), both fitted on the same
  two thirds of the patients (seeded); the other third is the held-out test set used on the pages.

Pages import it with ``from _helpers import ...`` (a page runs in its own folder).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # book/, for the figure style shared by all modules
from _figures import BLUE, GREEN, GREY, ORANGE, PURPLE, SKY, VERMILION, pct, style  # noqa: E402,F401 (for the pages)

SEED = 0

# Column name -> what a clinician would call it (used on every figure).
LABELS = {
    "age": "age (years)",
    "male": "male sex",
    "atypical_angina": "atypical angina",
    "non_anginal_pain": "non-anginal chest pain",
    "no_chest_pain": "no chest pain (asymptomatic)",
    "resting_bp": "resting systolic BP (mmHg)",
    "cholesterol": "cholesterol (mg/dL)",
    "high_fasting_sugar": "fasting glucose > 120 mg/dL",
    "max_heart_rate": "peak heart rate on treadmill (beats/min)",
    "exercise_angina": "angina on the treadmill",
    "st_depression": "ST depression on exercise (mm)",
    "angiography_grade": "angiography grade (0–4)",
}
FEATURES = [name for name in LABELS if name != "angiography_grade"]
LEAK = "angiography_grade"


def encode(df: pd.DataFrame) -> pd.DataFrame:
    """The heart-disease columns as the numbers the models use (see LABELS), one row per patient."""
    yes = {"True": 1, "False": 0, True: 1, False: 0}
    return pd.DataFrame(
        {
            "age": df["age"].astype(float),
            "male": (df["sex"] == "Male").astype(int),
            "atypical_angina": (df["cp"] == "atypical angina").astype(int),
            "non_anginal_pain": (df["cp"] == "non-anginal").astype(int),
            "no_chest_pain": (df["cp"] == "asymptomatic").astype(int),
            "resting_bp": df["trestbps"].astype(float),
            "cholesterol": df["chol"].astype(float),
            "high_fasting_sugar": df["fbs"].map(yes).astype(int),
            "max_heart_rate": df["thalach"].astype(float),
            "exercise_angina": df["exang"].map(yes).astype(int),
            "st_depression": df["oldpeak"].astype(float),
        },
        index=df.index,
    )


def load_cleveland() -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """(inputs, CAD yes/no, angiography grade `num`) for the 303 Cleveland patients."""
    from clinical_data import load

    df = load("heart_disease")
    cleveland = df[df["site"] == "Cleveland"].reset_index(drop=True)
    return encode(cleveland), (cleveland["num"] > 0).astype(int), cleveland["num"]


def make_forest(seed: int = SEED) -> RandomForestClassifier:
    return RandomForestClassifier(n_estimators=200, min_samples_leaf=5, random_state=seed)


def make_logistic() -> LogisticRegression:
    """Plain (unpenalised) logistic regression, as clinical risk scores are usually fitted."""
    return LogisticRegression(C=np.inf, solver="newton-cholesky")


@dataclass
class Fitted:
    X_train: pd.DataFrame
    X_test: pd.DataFrame
    y_train: pd.Series
    y_test: pd.Series
    grade: pd.Series          # angiography grade (num) of every patient: the leak of 04_pitfalls
    forest: RandomForestClassifier
    logistic: LogisticRegression


def fit() -> Fitted:
    """Both models on the same seeded two-thirds split of Cleveland."""
    X, y, grade = load_cleveland()
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=1 / 3, stratify=y, random_state=SEED
    )
    forest = make_forest().fit(X_train, y_train)
    logistic = make_logistic().fit(X_train, y_train)
    return Fitted(X_train, X_test, y_train, y_test, grade, forest, logistic)


def odds_ratios(logistic: LogisticRegression, columns, per: dict | None = None) -> pd.Series:
    """Odds ratio of each input, per `per[column]` units (default 1 unit, or yes vs no)."""
    per = per or {}
    steps = np.array([per.get(c, 1) for c in columns], dtype=float)
    return pd.Series(np.exp(logistic.coef_[0] * steps), index=list(columns))


def tree_shap(forest, X: pd.DataFrame):
    """SHAP values of the forest's probability of CAD (TreeExplainer), as a shap.Explanation.

    Checks additivity: base value + sum of a patient's SHAP values = the model's probability.
    """
    import shap

    explanation = shap.TreeExplainer(forest)(X)[:, :, 1]
    p = forest.predict_proba(X)[:, 1]
    assert np.allclose(explanation.base_values + explanation.values.sum(axis=1), p)
    explanation.feature_names = [LABELS.get(c, c) for c in X.columns]
    return explanation


def load_breast() -> tuple[pd.DataFrame, pd.Series]:
    """Wisconsin breast-cancer inputs used on the pitfalls page, and malignant yes/no."""
    from clinical_data import load

    df = load("breast_cancer")
    return df.drop(columns="diagnosis"), (df["diagnosis"] == "malignant").astype(int)


def points(x: float) -> str:
    """A change in probability as signed percentage points: 0.083 -> '+8 points'."""
    return f"{100 * x:+.0f} points"


def calibration_by_fifths(p, y) -> pd.DataFrame:
    """Held-out patients in five equal groups by the model's score: how many, mean score, share with CAD.

    Ties are broken by order (``rank(method="first")``) so that the groups have equal sizes.
    """
    p, y = np.asarray(p, dtype=float), np.asarray(y, dtype=int)
    fifth = pd.qcut(pd.Series(p).rank(method="first"), 5, labels=False).to_numpy()
    table = pd.DataFrame({"score": p, "cad": y, "fifth": fifth + 1}).groupby("fifth").agg(
        patients=("cad", "size"), with_cad=("cad", "sum"), mean_score=("score", "mean"),
        observed=("cad", "mean"), lowest=("score", "min"), highest=("score", "max"))
    return table


def calibration_slope(p, y) -> tuple[float, float, float]:
    """(slope, 95% CI low, high): logistic regression of the outcome on the logit of the score.

    1 is ideal; above 1 the scores are too timid (too close to the middle), below 1 too extreme.
    """
    import statsmodels.api as sm

    p = np.clip(np.asarray(p, dtype=float), 1e-6, 1 - 1e-6)
    fit_ = sm.GLM(np.asarray(y, dtype=int), sm.add_constant(np.log(p / (1 - p))),
                  family=sm.families.Binomial()).fit()
    low, high = fit_.conf_int()[1]
    return float(fit_.params[1]), float(low), float(high)


def rounded_parts(parts: pd.Series, total: int) -> pd.Series:
    """Round parts (in points) to whole numbers that add up to `total` (largest-remainder rounding)."""
    floors = np.floor(parts.to_numpy(dtype=float))
    rest = int(round(total - floors.sum()))
    order = np.argsort(-(parts.to_numpy(dtype=float) - floors), kind="stable")
    floors[order[:rest]] += 1 if rest > 0 else 0
    if rest < 0:
        floors[order[::-1][: -rest]] -= 1
    return pd.Series(floors.astype(int), index=parts.index)
