"""Shared code for the Module 5 chapter pages (book/m05_appraisal_deployment/*.md).

* The sepsis-model case: the counts reported by Wong et al. (JAMA Intern Med 2021) and the 2×2 table
  that follows from them.
* The COVID "likely positive" model: a logistic regression of a positive SARS-CoV-2 PCR result on what is
  known when the test is ordered (CHOP testing data, ``clinical_data.load("covid_testing")``), developed on
  days 4-60 and run silently on days 61-107, where it is judged by its alert burden.
* Readers for the synthetic generative-AI corpus, and the checks a careful reader makes.

Pages import it with ``from _helpers import ...`` (a page runs in its own folder).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import binomtest
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # book/, for the figure style shared by all modules
from _figures import BLUE, GREEN, GREY, ORANGE, PURPLE, SKY, VERMILION, pct, style  # noqa: E402,F401 (for the pages)

# --- The sepsis-model case (Wong et al. 2021; figures as reported in the paper's abstract) -------------
WONG = {
    "patients": 27_697,
    "hospitalisations": 38_455,
    "sepsis": 2_552,            # hospitalisations with sepsis (7%)
    "auc": 0.63, "auc_low": 0.62, "auc_high": 0.64,   # hospitalisation-level AUC (95% CI)
    "alerted": 6_971,           # hospitalisations with an alert at a score of 6 or more
    "missed": 1_709,            # sepsis hospitalisations not identified (no alert before sepsis onset)
}


def wong_table() -> dict:
    """The 2×2 table at the score threshold 6, from the reported counts.

    Sepsis hospitalisations were scored only up to sepsis onset, so FN counts those not alerted in time, and
    FP (alerted hospitalisations minus TP) may include some patients with sepsis alerted only after onset.
    """
    tp = WONG["sepsis"] - WONG["missed"]
    fp = WONG["alerted"] - tp
    fn = WONG["missed"]
    tn = WONG["hospitalisations"] - WONG["sepsis"] - fp
    return {"TP": tp, "FP": fp, "FN": fn, "TN": tn}


# --- The COVID "likely positive" model -----------------------------------------------------------------
LAST_DEVELOPMENT_DAY = 60
NUMERIC = ["age"]
CATEGORICAL = ["gender", "demo_group", "patient_class", "drive_thru_ind", "orderset"]
FEATURES = NUMERIC + CATEGORICAL
THRESHOLDS = [0.04, 0.06, 0.08, 0.10, 0.12]


def load_covid() -> pd.DataFrame:
    """Valid PCR results (positive or negative), one row per test, with `positive` (bool)."""
    from clinical_data import load

    df = load("covid_testing")
    df = df[df["result"].isin(["positive", "negative"])].copy()
    df["positive"] = df["result"] == "positive"
    df.loc[df["age"] >= 100, "age"] = np.nan                # implausible ages (see the data card)
    df["patient_class"] = df["patient_class"].fillna("not recorded")
    for col in ["drive_thru_ind", "orderset"]:
        df[col] = df[col].map({1: "yes", 0: "no"})
    return df


@dataclass
class Covid:
    development: pd.DataFrame   # days 4-60, what the model learned from
    silent: pd.DataFrame        # days 61-107, with column `risk`: the model's output, shown to no one
    model: object
    days: int                   # calendar days in the silent period


def fit_covid() -> Covid:
    df = load_covid()
    prep = ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), NUMERIC),
        ("cat", OneHotEncoder(handle_unknown="ignore"), CATEGORICAL),
    ])
    model = make_pipeline(prep, LogisticRegression(max_iter=1000))
    dev = df[df["pan_day"] <= LAST_DEVELOPMENT_DAY].copy()
    silent = df[df["pan_day"] > LAST_DEVELOPMENT_DAY].copy()
    model.fit(dev[FEATURES], dev["positive"])
    dev["risk"] = model.predict_proba(dev[FEATURES])[:, 1]
    silent["risk"] = model.predict_proba(silent[FEATURES])[:, 1]
    days = int(silent["pan_day"].max() - LAST_DEVELOPMENT_DAY)
    return Covid(dev, silent, model, days)


def alert_burden(positive, risk, threshold: float, days: int) -> dict:
    """What a threshold costs and buys: alerts per day, true cases per day, and per alert."""
    y = np.asarray(positive, dtype=bool)
    alert = np.asarray(risk) >= threshold
    tp = int(np.sum(alert & y))
    n_alerts = int(alert.sum())
    return {
        "threshold": threshold,
        "alerts": n_alerts,
        "alerts per day": n_alerts / days,
        "true positives per day": tp / days,
        "sensitivity": tp / int(y.sum()),
        "PPV": tp / n_alerts if n_alerts else float("nan"),
        "alerts per true positive": n_alerts / tp if tp else float("inf"),
    }


def auc_ci_by_person(positive, risk, person, n_boot: int = 500, seed: int = 0) -> tuple[float, float]:
    """Bootstrap 95% interval for the AUC, resampling people (not tests): a person tested twice counts once."""
    from sklearn.metrics import roc_auc_score

    y, r = np.asarray(positive, dtype=bool), np.asarray(risk)
    codes, people = pd.factorize(np.asarray(person))
    rng = np.random.default_rng(seed)
    aucs = []
    for _ in range(n_boot):
        weight = np.bincount(rng.integers(0, len(people), len(people)), minlength=len(people))[codes]
        aucs.append(roc_auc_score(y, r, sample_weight=weight))
    low, high = np.percentile(aucs, [2.5, 97.5])
    return float(low), float(high)


def o_e(positive, risk) -> tuple[float, float, float]:
    """Observed/expected positives with an exact (Poisson) 95% interval, the expected count taken as fixed."""
    from statsmodels.stats.rates import confint_poisson

    observed, expected = int(np.sum(positive)), float(np.sum(risk))
    low, high = confint_poisson(observed, expected, method="exact-c")
    return observed / expected, float(low), float(high)


def o_e_ratio(pos1, risk1, pos2, risk2) -> tuple[float, float, float]:
    """Ratio of two groups' observed/expected, with a score 95% interval (statsmodels)."""
    from statsmodels.stats.rates import confint_poisson_2indep

    o1, e1, o2, e2 = int(np.sum(pos1)), float(np.sum(risk1)), int(np.sum(pos2)), float(np.sum(risk2))
    low, high = confint_poisson_2indep(o1, e1, o2, e2, method="score", compare="ratio")
    return (o1 / e1) / (o2 / e2), float(low), float(high)


def calibration_line(positive, risk) -> dict:
    """Calibration intercept (slope fixed at 1) and slope on the logit scale, with 95% intervals (statsmodels)."""
    import statsmodels.api as sm

    y = np.asarray(positive, dtype=float)
    lp = np.log(np.asarray(risk) / (1 - np.asarray(risk)))
    fam = sm.families.Binomial()
    slope = sm.GLM(y, sm.add_constant(lp), family=fam).fit()
    intercept = sm.GLM(y, np.ones_like(lp), family=fam, offset=lp).fit()
    return {"slope": float(slope.params[1]), "slope_ci": tuple(float(v) for v in slope.conf_int()[1]),
            "intercept": float(intercept.params[0]), "intercept_ci": tuple(float(v) for v in intercept.conf_int()[0])}


def wilson(k: int, n: int) -> tuple[float, float]:
    """Wilson 95% confidence interval for k of n."""
    ci = binomtest(int(k), int(n)).proportion_ci(method="wilson")
    return float(ci.low), float(ci.high)


# --- The synthetic generative-AI corpus ----------------------------------------------------------------
ERROR_TYPES = ["omitted_allergy", "wrong_dose_unit", "laterality_swap", "invented_follow_up"]
ERROR_NAMES = {"omitted_allergy": "omitted allergy", "wrong_dose_unit": "wrong dose unit",
               "laterality_swap": "laterality swap", "invented_follow_up": "invented follow-up"}


def load_corpus(name: str) -> pd.DataFrame:
    """One table of the corpus; the word "none" stays a word (no allergy, no follow-up)."""
    from clinical_data import path

    return pd.read_csv(path(name), keep_default_na=False)


def check_summary(row) -> dict:
    """The four checks a careful reader makes, reading the summary against its source record."""
    text = row["summary"]
    sides = set(re.findall(r"\b(left|right)\b", text))
    follow_up = re.search(r"Follow-up: (.*)\.$", text).group(1)
    return {
        "omitted_allergy": row["allergy"] != "none" and row["allergy"] not in text,
        "wrong_dose_unit": f"{row['medication']} {row['dose']} {row['dose_unit']} " not in text,
        "laterality_swap": sides != {row["side"]},
        "invented_follow_up": row["follow_up"] == "none" and follow_up != "none arranged",
    }
