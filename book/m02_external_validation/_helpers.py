"""Shared code for the Module 2 chapter pages (book/m02_external_validation/*.md).

The model taken to other hospitals is Module 1's chapter model, unchanged: it is loaded from
``book/m01_diagnostic_models/_helpers.py`` (not copied), so both chapters speak of the same
patients and the same predictions. This file adds the tools of calibration, updating,
uncertainty and decision curves.

Notation: ``y`` the 0/1 outcome, ``p`` the predicted risk, ``lp = logit(p)`` the linear predictor.

Pages import it with ``from _helpers import ...`` (a page runs in its own folder).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy.special import expit, logit
from scipy.stats import rankdata

_M01_PATH = Path(__file__).resolve().parent.parent / "m01_diagnostic_models" / "_helpers.py"


def _load_m01():
    """Module 1's _helpers.py, loaded by path under its own name (both files are called _helpers)."""
    name = "m01_diagnostic_models_helpers"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, _M01_PATH)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


m01 = _load_m01()
# Re-exported for the pages: the model, its data and Module 1's 2×2-table tools and figure style.
fit = m01.fit
make_model = m01.make_model
counts, metrics = m01.counts, m01.metrics
FEATURES, NUMERIC, CATEGORICAL, LABELS = m01.FEATURES, m01.NUMERIC, m01.CATEGORICAL, m01.LABELS
SEED, SITES = m01.SEED, m01.SITES
BLUE, GREEN, GREY, ORANGE, PURPLE, SKY, VERMILION = (
    m01.BLUE, m01.GREEN, m01.GREY, m01.ORANGE, m01.PURPLE, m01.SKY, m01.VERMILION)
pct, style = m01.pct, m01.style

SITE_KEY = {"Cleveland": "cle", "Hungary": "hun", "VA Long Beach": "va", "Switzerland": "swi"}
SITE_COLOUR = {"Cleveland": BLUE, "Hungary": GREEN, "VA Long Beach": ORANGE, "Switzerland": VERMILION}


def validation_sets(fitted) -> dict[str, pd.DataFrame]:
    """Where the model is validated: Cleveland's held-out third (internal), the other three sites (external)."""
    d = fitted.data
    return {site: (fitted.test if site == "Cleveland" else d[d["site"] == site]) for site in SITES}


def _arrays(y, p):
    y = np.asarray(y, dtype=float)
    p = np.clip(np.asarray(p, dtype=float), 1e-12, 1 - 1e-12)
    return y, p


# ---- mean calibration, intercept and slope --------------------------------------------------

def observed_expected(y, p) -> float:
    """O/E = Σy / Σp̂: 1 is right; below 1 the model over-predicts, above 1 it under-predicts."""
    y, p = _arrays(y, p)
    return float(y.sum() / p.sum())


def calibration_in_the_large(y, p) -> float:
    """Observed minus mean predicted risk, ȳ − mean(p̂) (negative: risks too high on average)."""
    y, p = _arrays(y, p)
    return float(y.mean() - p.mean())


def calibration_intercept(y, p) -> float:
    """a in logit P(y=1) = a + 1·LP, LP = logit(p̂) as an offset. 0 is right; a < 0: risks too high."""
    y, p = _arrays(y, p)
    glm = sm.GLM(y, np.ones((len(y), 1)), family=sm.families.Binomial(), offset=logit(p))
    return float(glm.fit().params[0])


def calibration_slope(y, p) -> tuple[float, float]:
    """(a, b) in logit P(y=1) = a + b·LP. b = 1 is right; b < 1: predictions too extreme."""
    y, p = _arrays(y, p)
    X = sm.add_constant(logit(p), has_constant="add")
    a, b = sm.GLM(y, X, family=sm.families.Binomial()).fit().params
    return float(a), float(b)


def brier(y, p) -> float:
    """Brier score: mean squared difference between predicted risk and outcome (0 is perfect)."""
    y, p = _arrays(y, p)
    return float(np.mean((p - y) ** 2))


def scaled_brier(y, p) -> float:
    """1 − Brier / [ȳ(1 − ȳ)]: share of the Brier score of a constant prediction at the prevalence removed."""
    y, p = _arrays(y, p)
    ybar = y.mean()
    return float(1 - brier(y, p) / (ybar * (1 - ybar)))


def auc(y, p) -> float:
    """AUC as the Mann–Whitney statistic (the chance a random case ranks above a random non-case)."""
    return float(auc_many(np.asarray(y, dtype=bool)[None, :], np.asarray(p, dtype=float)[None, :])[0])


def auc_many(Y, P) -> np.ndarray:
    """AUC of each row of (Y, P), vectorised with mid-ranks (ties count one half)."""
    Y = np.asarray(Y, dtype=bool)
    ranks = rankdata(np.asarray(P, dtype=float), axis=1)
    n1 = Y.sum(axis=1)
    n0 = Y.shape[1] - n1
    return ((ranks * Y).sum(axis=1) - n1 * (n1 + 1) / 2) / (n1 * n0)


def summary(y, p) -> dict:
    """Discrimination and calibration of one set of predictions, in one row."""
    a, b = calibration_slope(y, p)
    return {
        "n": int(len(np.asarray(y))),
        "events": int(np.sum(y)),
        "prevalence": float(np.mean(y)),
        "mean predicted": float(np.mean(p)),
        "AUC": auc(y, p),
        "O/E": observed_expected(y, p),
        "intercept": calibration_intercept(y, p),
        "slope": b,
        "Brier": brier(y, p),
        "scaled Brier": scaled_brier(y, p),
    }


def validation_table(results: pd.DataFrame) -> pd.DataFrame:
    """The external-validation page's table: one row of `summary` per site, formatted for reading.

    The columns are built on `results`' own index (the site names) and only then relabelled, so that
    pandas cannot realign them against a different index.
    """
    table = pd.DataFrame({
        "patients (with CAD)": [f"{int(r['n'])} ({int(r['events'])})" for _, r in results.iterrows()],
        "with CAD": results["prevalence"].map(lambda v: f"{v:.0%}"),
        "mean predicted": results["mean predicted"].map(lambda v: f"{v:.0%}"),
        "AUC": results["AUC"].map(lambda v: f"{v:.2f}"),
        "O/E": results["O/E"].map(lambda v: f"{v:.2f}"),
        "intercept": results["intercept"].map(lambda v: f"{v:+.2f}"),
        "slope": results["slope"].map(lambda v: f"{v:.2f}"),
        "scaled Brier": results["scaled Brier"].map(lambda v: f"{v:.2f}"),
    }, index=results.index)
    table.index = [f"{s} (internal: held-out third)" if s == "Cleveland" else f"{s} (external)"
                   for s in results.index]
    return table


# ---- calibration curves ---------------------------------------------------------------------

def binned_curve(y, p, n_bins: int = 5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Quantile bins (equal numbers of patients): (mean predicted, observed proportion, n) per bin.

    Bin edges and assignment follow scikit-learn's ``calibration_curve(strategy="quantile")``.
    """
    y, p = _arrays(y, p)
    edges = np.percentile(p, np.linspace(0, 100, n_bins + 1))
    ids = np.searchsorted(edges[1:-1], p)
    n = np.bincount(ids, minlength=len(edges) - 1)
    keep = n > 0
    mean_p = np.bincount(ids, weights=p, minlength=len(n))[keep] / n[keep]
    obs = np.bincount(ids, weights=y, minlength=len(n))[keep] / n[keep]
    return mean_p, obs, n[keep]


def smoothed_curve(y, p, grid, frac: float = 0.75) -> np.ndarray:
    """Observed risk as a smooth function of predicted risk (lowess), evaluated on `grid`.

    Evaluate it only inside the range of the predictions: beyond it, lowess extrapolates.
    """
    from statsmodels.nonparametric.smoothers_lowess import lowess

    y, p = _arrays(y, p)
    curve = lowess(y, p, frac=frac, it=0, xvals=np.asarray(grid, dtype=float))
    return np.clip(curve, 0, 1)          # a proportion: local-linear fits can overshoot at the edges


def smoothed_band(y, p, grid, n_boot: int = 200, seed: int = SEED, frac: float = 0.75):
    """Pointwise 95% bootstrap band of the lowess curve (resampling patients)."""
    y, p = _arrays(y, p)
    idx = bootstrap_indices(len(y), n_boot, seed)
    curves = np.array([smoothed_curve(y[i], p[i], grid, frac) for i in idx])
    return np.nanpercentile(curves, 2.5, axis=0), np.nanpercentile(curves, 97.5, axis=0)


# ---- updating ---------------------------------------------------------------------------------

def update_intercept(y, p):
    """Intercept-only update ('recalibration in the large'): a function new_p(p) = expit(a + logit p)."""
    a = calibration_intercept(y, p)
    return lambda q: expit(a + logit(np.clip(np.asarray(q, dtype=float), 1e-12, 1 - 1e-12)))


def update_logistic(y, p):
    """Logistic recalibration: new_p(p) = expit(a + b·logit p), a and b estimated on the new site."""
    a, b = calibration_slope(y, p)
    return lambda q: expit(a + b * logit(np.clip(np.asarray(q, dtype=float), 1e-12, 1 - 1e-12)))


# ---- decision curves --------------------------------------------------------------------------

def net_benefit(y, p, thresholds) -> np.ndarray:
    """NB(pt) = TP/n − FP/n × pt/(1 − pt) when acting if p ≥ pt (Vickers & Elkin 2006)."""
    y = np.asarray(y, dtype=bool)
    p = np.asarray(p, dtype=float)
    pt = np.atleast_1d(np.asarray(thresholds, dtype=float))
    act = p[None, :] >= pt[:, None]
    n = len(y)
    tp = (act & y).sum(axis=1) / n
    fp = (act & ~y).sum(axis=1) / n
    return tp - fp * pt / (1 - pt)


def net_benefit_all(y, thresholds) -> np.ndarray:
    """Treat everyone: NB = π − (1 − π) × pt/(1 − pt), with π the prevalence."""
    prev = float(np.mean(np.asarray(y, dtype=float)))
    pt = np.atleast_1d(np.asarray(thresholds, dtype=float))
    return prev - (1 - prev) * pt / (1 - pt)


def interventions_avoided(y, p, thresholds, per: int = 1000) -> np.ndarray:
    """Net interventions avoided per `per` patients against treating everyone: (NB − NB_all)/(pt/(1−pt))."""
    pt = np.atleast_1d(np.asarray(thresholds, dtype=float))
    return (net_benefit(y, p, pt) - net_benefit_all(y, pt)) / (pt / (1 - pt)) * per


# ---- bootstrap --------------------------------------------------------------------------------

def bootstrap_indices(n: int, n_boot: int, seed: int = SEED) -> np.ndarray:
    """All resamples at once: an (n_boot, n) array of patient indices drawn with replacement."""
    return np.random.default_rng(seed).integers(0, n, size=(n_boot, n))


def slope_many(Y, P, n_iter: int = 30) -> np.ndarray:
    """Calibration slope of each row of (Y, P) at once: Newton–Raphson for logit P(y) = a + b·LP.

    The same maximum-likelihood fit as ``calibration_slope``, vectorised over rows; rows where the
    fit does not converge (e.g. perfect separation in a tiny resample) give NaN.
    """
    Y = np.asarray(Y, dtype=float)
    lp = logit(np.clip(np.asarray(P, dtype=float), 1e-12, 1 - 1e-12))
    a = np.zeros(len(Y))
    b = np.ones(len(Y))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for _ in range(n_iter):
            mu = expit(a[:, None] + b[:, None] * lp)
            w = mu * (1 - mu)
            r = Y - mu
            g_a, g_b = r.sum(axis=1), (r * lp).sum(axis=1)                 # score
            h_aa, h_ab, h_bb = w.sum(axis=1), (w * lp).sum(axis=1), (w * lp**2).sum(axis=1)
            det = h_aa * h_bb - h_ab**2                                     # information, 2×2
            step_a, step_b = (h_bb * g_a - h_ab * g_b) / det, (h_aa * g_b - h_ab * g_a) / det
            a, b = a + step_a, b + step_b
        converged = (np.abs(step_a) < 1e-8) & (np.abs(step_b) < 1e-8)
    return np.where(converged & np.isfinite(b), b, np.nan)


def bootstrap_metrics(y, p, threshold: float, n_boot: int = 1000, seed: int = SEED) -> pd.DataFrame:
    """One row per resample: AUC, calibration slope, sensitivity at `threshold`, net benefit at it."""
    y = np.asarray(y, dtype=bool)
    p = np.asarray(p, dtype=float)
    idx = bootstrap_indices(len(y), n_boot, seed)
    Y, P = y[idx], p[idx]                       # (n_boot, n) each: every resample at once
    act = P >= threshold
    n = Y.shape[1]
    tp, fp = (act & Y).sum(axis=1), (act & ~Y).sum(axis=1)
    return pd.DataFrame({
        "AUC": auc_many(Y, P),
        "sensitivity": tp / Y.sum(axis=1),
        "net benefit": tp / n - fp / n * threshold / (1 - threshold),
        "slope": slope_many(Y, P),
    })


def percentile_ci(values, level: float = 0.95) -> tuple[float, float]:
    """The percentile interval of bootstrap values."""
    lo, hi = np.nanpercentile(values, [50 * (1 - level), 50 * (1 + level)])
    return float(lo), float(hi)


def optimism_corrected_auc(df: pd.DataFrame, features, outcome: str, n_boot: int = 100,
                           seed: int = SEED) -> dict:
    """Harrell's bootstrap optimism correction of the AUC for the whole modelling process.

    For each resample: refit on the resample, then AUC on the resample (apparent) minus AUC on
    the original data (test); the mean difference is the optimism, subtracted from the apparent AUC.

    The refits repeat ``make_model`` (scale the numeric inputs on the resample, one-hot encode the
    categories, L2-penalised logistic regression) on a design matrix built once, which is the same
    model several times faster; it needs data without missing values (imputation would be a no-op).
    """
    from sklearn.linear_model import LogisticRegression

    X, y = df[features], df[outcome].to_numpy(dtype=bool)
    if X.isna().any().any():
        raise ValueError("optimism_corrected_auc needs data without missing inputs")
    apparent = auc(y, make_model().fit(X, y).predict_proba(X)[:, 1])
    num = X[NUMERIC].to_numpy(dtype=float)
    cat = pd.get_dummies(X[CATEGORICAL].astype(str)).to_numpy(dtype=float)
    optimism = []
    for i in bootstrap_indices(len(y), n_boot, seed):
        mean, sd = num[i].mean(axis=0), num[i].std(axis=0)
        design = np.hstack([(num - mean) / np.where(sd > 0, sd, 1), cat])
        m = LogisticRegression(max_iter=1000).fit(design[i], y[i])
        score = design @ m.coef_[0]                      # ranks only: the intercept does not matter
        optimism.append(auc(y[i], score[i]) - auc(y, score))
    optimism = float(np.mean(optimism))
    return {"apparent": apparent, "optimism": optimism, "corrected": apparent - optimism}
