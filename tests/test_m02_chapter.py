"""The Module 2 chapter's formulas (book/m02_external_validation/_helpers.py) against independent references.

scikit-learn (binned curve, Brier, AUC), statsmodels (intercept and slope), dcurves (net benefit),
simulations with a known answer (slope, intercept) and small hand-worked tables (O/E, scaled Brier).
Then the figures the pages state, recomputed here: the directions the prose describes must hold.
"""

from __future__ import annotations

import importlib.util
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy.special import expit, logit
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss, roc_auc_score

from tests.repo import REPO

HELPERS = REPO / "book" / "m02_external_validation" / "_helpers.py"


def _load():
    name = "m02_external_validation_helpers"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HELPERS)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


h = _load()


@pytest.fixture(scope="module")
def sets():
    return h.validation_sets(h.fit())


def _simulated(n=20_000, seed=1):
    """Outcomes drawn from a known true linear predictor."""
    rng = np.random.default_rng(seed)
    true_lp = rng.normal(-0.5, 1.5, n)
    y = (rng.random(n) < expit(true_lp)).astype(int)
    return y, true_lp


# ---- independent references -------------------------------------------------------------------

def test_module_1_model_is_reused_not_copied():
    m01 = h.m01
    assert Path(m01.__file__).resolve() == REPO / "book" / "m01_diagnostic_models" / "_helpers.py"
    assert h.fit is m01.fit


@pytest.mark.parametrize("n_bins", [3, 5, 10])
def test_binned_curve_matches_sklearn(n_bins):
    rng = np.random.default_rng(n_bins)
    p = rng.beta(2, 3, 300)
    y = (rng.random(300) < p ** 1.3).astype(int)
    mean_p, obs, n = h.binned_curve(y, p, n_bins)
    sk_obs, sk_mean = calibration_curve(y, p, n_bins=n_bins, strategy="quantile")
    np.testing.assert_allclose(mean_p, sk_mean)
    np.testing.assert_allclose(obs, sk_obs)
    assert n.sum() == 300


def test_brier_matches_sklearn():
    rng = np.random.default_rng(2)
    p = rng.random(500)
    y = rng.random(500) < 0.3
    assert h.brier(y, p) == pytest.approx(brier_score_loss(y, p))


def test_auc_matches_sklearn_with_ties():
    rng = np.random.default_rng(3)
    p = np.round(rng.random(400), 1)                  # many ties
    y = rng.random(400) < p
    assert h.auc(y, p) == pytest.approx(roc_auc_score(y, p))


def test_oe_citl_and_scaled_brier_on_hand_worked_tables():
    # Four patients, every risk 50%, three have the disease: O = 3, E = 2.
    y, p = [1, 1, 1, 0], [0.5, 0.5, 0.5, 0.5]
    assert h.observed_expected(y, p) == pytest.approx(1.5)
    assert h.calibration_in_the_large(y, p) == pytest.approx(0.25)
    # Brier 0.25; reference 0.75 × 0.25 = 0.1875; scaled 1 − 0.25/0.1875 = −1/3.
    assert h.brier(y, p) == pytest.approx(0.25)
    assert h.scaled_brier(y, p) == pytest.approx(-1 / 3)
    # Squared errors 0.01, 0.01, 0.16, 0.04: Brier 0.055; reference 0.25; scaled 0.78. O/E = 2/1.8.
    y, p = [1, 0, 1, 0], [0.9, 0.1, 0.6, 0.2]
    assert h.brier(y, p) == pytest.approx(0.055)
    assert h.scaled_brier(y, p) == pytest.approx(0.78)
    assert h.observed_expected(y, p) == pytest.approx(2 / 1.8)


def test_intercept_and_slope_match_a_direct_statsmodels_fit():
    rng = np.random.default_rng(4)
    p = rng.beta(2, 2, 400)
    y = (rng.random(400) < expit(0.3 + 0.8 * logit(p))).astype(int)
    lp = logit(p)
    direct = sm.Logit(y, sm.add_constant(lp)).fit(disp=0).params
    a, b = h.calibration_slope(y, p)
    assert (a, b) == pytest.approx(tuple(direct), abs=1e-6)
    offset_fit = sm.GLM(y, np.ones(len(y)), family=sm.families.Binomial(), offset=lp).fit()
    assert h.calibration_intercept(y, p) == pytest.approx(offset_fit.params[0], abs=1e-8)
    # Hand check: with LP as an offset, the fitted intercept makes predicted events equal observed.
    a0 = h.calibration_intercept(y, p)
    assert expit(a0 + lp).sum() == pytest.approx(y.sum(), rel=1e-6)


def test_slope_recovers_a_simulated_overfit_model():
    y, true_lp = _simulated()
    p = expit(true_lp / 0.7)                           # predictions too extreme: true slope 0.7
    a, b = h.calibration_slope(y, p)
    assert b == pytest.approx(0.7, abs=0.05)
    assert a == pytest.approx(0, abs=0.05)


def test_intercept_recovers_a_known_logit_shift():
    y, true_lp = _simulated(seed=5)
    p = expit(true_lp - 0.8)                           # every risk too low by 0.8 on the log-odds scale
    assert h.calibration_intercept(y, p) == pytest.approx(0.8, abs=0.05)
    assert h.observed_expected(y, p) > 1
    p = expit(true_lp + 0.6)                           # too high: intercept −0.6, O/E < 1
    assert h.calibration_intercept(y, p) == pytest.approx(-0.6, abs=0.05)
    assert h.observed_expected(y, p) < 1
    assert h.calibration_slope(y, p)[1] == pytest.approx(1, abs=0.05)


def test_smoothed_curve_follows_the_diagonal_for_a_calibrated_model():
    y, true_lp = _simulated(n=5_000, seed=6)
    grid = np.array([0.2, 0.4, 0.6])
    np.testing.assert_allclose(h.smoothed_curve(y, expit(true_lp), grid), grid, atol=0.05)


def test_net_benefit_and_interventions_avoided_match_dcurves():
    dcurves = pytest.importorskip("dcurves")
    rng = np.random.default_rng(7)
    p = rng.random(300)
    y = (rng.random(300) < p).astype(int)
    thresholds = np.round(np.arange(0.05, 0.80, 0.05), 2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = dcurves.dca(data=pd.DataFrame({"y": y, "model": p}), outcome="y",
                          modelnames=["model"], thresholds=thresholds)
    by = {m: g.sort_values("threshold") for m, g in ref.groupby("model")}
    np.testing.assert_allclose(h.net_benefit(y, p, thresholds), by["model"]["net_benefit"], atol=1e-6)
    np.testing.assert_allclose(h.net_benefit_all(y, thresholds), by["all"]["net_benefit"], atol=1e-6)
    np.testing.assert_allclose(h.interventions_avoided(y, p, thresholds, per=1),
                               by["model"]["net_intervention_avoided"], atol=1e-6)


def test_net_benefit_matches_module_1():
    rng = np.random.default_rng(8)
    p = rng.random(200)
    y = rng.random(200) < p
    for t in (0.1, 0.2, 0.5):
        assert h.net_benefit(y, p, t)[0] == pytest.approx(h.m01.net_benefit(y, p, t))


def test_vectorised_slope_matches_statsmodels_per_row():
    rng = np.random.default_rng(9)
    P = rng.beta(2, 2, (20, 150))
    Y = rng.random((20, 150)) < expit(0.2 + 0.7 * logit(P))
    expected = [h.calibration_slope(Y[i], P[i])[1] for i in range(20)]
    np.testing.assert_allclose(h.slope_many(Y, P), expected, atol=1e-6)


def test_vectorised_bootstrap_equals_a_loop():
    rng = np.random.default_rng(10)
    p = rng.beta(2, 2, 60)
    y = rng.random(60) < p
    got = h.bootstrap_metrics(y, p, 0.3, n_boot=25, seed=11)
    loop_rng = np.random.default_rng(11)
    idx = loop_rng.integers(0, 60, size=(25, 60))
    for k in range(25):
        yk, pk = y[idx[k]], p[idx[k]]
        c = h.counts(yk, pk, 0.3)
        assert got.loc[k, "AUC"] == pytest.approx(roc_auc_score(yk, pk))
        assert got.loc[k, "slope"] == pytest.approx(h.calibration_slope(yk, pk)[1], abs=1e-6)
        assert got.loc[k, "sensitivity"] == pytest.approx(c["TP"] / (c["TP"] + c["FN"]))
        assert got.loc[k, "net benefit"] == pytest.approx(h.m01.net_benefit(yk, pk, 0.3))
    # seeded: the same seed gives the same resamples
    pd.testing.assert_frame_equal(got, h.bootstrap_metrics(y, p, 0.3, n_boot=25, seed=11))


# ---- the chapter's own data --------------------------------------------------------------------

@pytest.mark.parametrize("site", ["Hungary", "VA Long Beach", "Switzerland"])
def test_recalibration_keeps_auc_and_restores_calibration_on_update_data(sets, site):
    x = sets[site]
    y, p = x["cad"].to_numpy(), x["p"].to_numpy()
    q_int = h.update_intercept(y, p)(p)
    q_log = h.update_logistic(y, p)(p)
    assert h.auc(y, q_int) == pytest.approx(h.auc(y, p), abs=1e-12)
    assert h.auc(y, q_log) == pytest.approx(h.auc(y, p), abs=1e-12)
    assert h.observed_expected(y, q_int) == pytest.approx(1, abs=1e-6)
    assert h.calibration_slope(y, q_log)[1] == pytest.approx(1, abs=1e-6)
    assert h.calibration_intercept(y, q_int) == pytest.approx(0, abs=1e-6)


def test_site_figures_are_in_the_range_the_pages_describe(sets):
    s = {site: h.summary(x["cad"], x["p"]) for site, x in sets.items()}
    # Cleveland held-out third: 101 patients, calibration close to right (internal validation)
    assert s["Cleveland"]["n"] == 101 and 0.85 < s["Cleveland"]["AUC"] < 0.95
    # Budapest: "over-predicts mildly": O/E < 1, intercept < 0, slope near 1, AUC close to Cleveland's
    assert 0.8 < s["Hungary"]["O/E"] < 1 and s["Hungary"]["intercept"] < 0
    assert 0.9 < s["Hungary"]["slope"] < 1.3 and s["Hungary"]["AUC"] > 0.85
    # VA: "too extreme": slope about 0.67; O/E "almost fine" (slightly above 1); AUC lower
    assert s["VA Long Beach"]["slope"] == pytest.approx(0.665, abs=0.01)
    assert 1 < s["VA Long Beach"]["O/E"] < 1.15 and s["VA Long Beach"]["AUC"] < 0.8
    # Switzerland: "every risk much too low": intercept about +2.5, O/E well above 1, scaled Brier < 0
    assert s["Switzerland"]["intercept"] == pytest.approx(2.54, abs=0.02)
    assert s["Switzerland"]["O/E"] > 1.3 and s["Switzerland"]["scaled Brier"] < 0
    # the VA's slope interval "only just reaches 1" (04_uncertainty): near 1, not far below or above
    x = sets["VA Long Beach"]
    b = h.bootstrap_metrics(x["cad"], x["p"], 0.2, n_boot=1000, seed=h.SEED)
    assert 0.9 < h.percentile_ci(b["slope"])[1] < 1.1
    # Switzerland's AUC "barely estimable" from 8 patients without CAD (02_external_validation)
    x = sets["Switzerland"]
    b = h.bootstrap_metrics(x["cad"], x["p"], 0.2, n_boot=1000, seed=h.SEED)
    lo, hi = h.percentile_ci(b["AUC"])
    assert int((~x["cad"]).sum()) == 8 and hi - lo > 0.3


def test_validation_table_has_every_value(sets):
    """The external-validation page's table: one full row per site, no NaN from a realigned index."""
    results = pd.DataFrame({site: h.summary(x["cad"], x["p"]) for site, x in sets.items()}).T
    table = h.validation_table(results)
    assert table.notna().all().all()
    assert table.shape == (4, 8)
    assert list(table.index) == ["Cleveland (internal: held-out third)", "Hungary (external)",
                                 "VA Long Beach (external)", "Switzerland (external)"]
    # the cells say what an independent computation says: AUC from scikit-learn, prevalence by hand
    for site, row in zip(sets, table.itertuples(index=False)):
        x = sets[site]
        assert row.AUC == f"{roc_auc_score(x['cad'], x['p']):.2f}"
        assert row[0] == f"{len(x)} ({int(x['cad'].sum())})"
        assert row[1] == f"{x['cad'].mean():.0%}"


def test_vignette_patient_is_below_the_threshold_but_not_at_the_va(sets):
    fitted = h.fit()
    patient = pd.DataFrame([dict(age=56, sex="Male", cp="atypical angina", thalach=165, exang="no",
                                 oldpeak=0.0)])
    p = fitted.model.predict_proba(patient[h.FEATURES])[0, 1]
    va = sets["VA Long Beach"]
    assert p < 0.2
    assert h.smoothed_curve(va["cad"], va["p"], [p])[0] > 0.3
    assert h.update_logistic(va["cad"], va["p"])(p) > 0.2


def test_optimism_correction_follows_harrell_by_hand():
    fitted = h.fit()
    df = fitted.train
    got = h.optimism_corrected_auc(df, h.FEATURES, "cad", n_boot=4, seed=3)
    X, y = df[h.FEATURES], df["cad"].to_numpy(dtype=bool)
    apparent = roc_auc_score(y, h.make_model().fit(X, y).predict_proba(X)[:, 1])
    diffs = []
    for i in np.random.default_rng(3).integers(0, len(y), size=(4, len(y))):
        m = h.make_model().fit(X.iloc[i], y[i])
        diffs.append(roc_auc_score(y[i], m.predict_proba(X.iloc[i])[:, 1])
                     - roc_auc_score(y, m.predict_proba(X)[:, 1]))
    assert got["apparent"] == pytest.approx(apparent)
    assert got["optimism"] == pytest.approx(np.mean(diffs))
    assert got["corrected"] == pytest.approx(apparent - np.mean(diffs))
