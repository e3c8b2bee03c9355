"""The Module 2 lab as a student meets it.

The checks every lab passes are in ``labs.py``. This file gives the Module 2 answers, computed with other
tools than the lab's own (scikit-learn instead of statsmodels for the slope, a variance for the Brier
scaling), and checks that what the lab computes agrees with independent references: O/E, the calibration
intercept (Newton's method written here) and slope (scikit-learn), the binned calibration curve, the
scaled Brier score, the updates (O/E exactly 1 where the intercept was fitted, AUC unchanged), the seeded
bootstrap, net benefit against ``dcurves.dca`` at every threshold of every decision curve, and the
monitoring data (twelve months, the change from month 7).

The lab runs once (about 30 s), in the same kernel as the probe cells appended to it.
"""

from __future__ import annotations

import pytest

from tests import labs
from tests.repo import REPO

pytestmark = pytest.mark.e2e  # runs the lab in a kernel

LAB_DIR = REPO / "notebooks" / "m02_external_validation"

REFERENCES = """\
import numpy as _np
from sklearn.linear_model import LogisticRegression as _LR
from sklearn.metrics import brier_score_loss as _bs, roc_auc_score as _auc
_y_va, _p_va = va["cad"].to_numpy(), va["risk"].to_numpy()
_lp_va = _np.log(_p_va / (1 - _p_va))
_after = live[live["month"] >= 7]
_hu = groups["Hungary"]
_y_hu, _p_hu = _hu["cad"].to_numpy(), _hu["risk"].to_numpy()
_lp_hu = _np.log(_p_hu / (1 - _p_hu))
_slope_hu = _LR(penalty=None, max_iter=1000, tol=1e-10).fit(_lp_hu[:, None], _y_hu).coef_[0, 0]
_lp_upd = _np.log(va_update["risk"].to_numpy() / (1 - va_update["risk"].to_numpy()))
_rows = _np.random.default_rng(42).integers(0, len(_y_va), size=(1000, len(_y_va)))
_oe_r = _y_va[_rows].sum(axis=1) / _p_va[_rows].sum(axis=1)  # O/E in each resample, without a loop
_tp_hu, _fp_hu = _np.sum((_p_hu >= 0.2) & (_y_hu == 1)), _np.sum((_p_hu >= 0.2) & (_y_hu == 0))


def _newton_intercept(y, lp):
    # Calibration intercept: the a that solves sum(y) = sum(expit(a + lp)) (slope fixed at 1)
    a = 0.0
    for _ in range(50):
        p = 1 / (1 + _np.exp(-(a + lp)))
        a += (y.sum() - p.sum()) / (p * (1 - p)).sum()
    return a
"""

# Right answers to the "Your turn" exercises. Keys are the answer variables.
RIGHT_ANSWERS = {
    "my_oe_va": "_y_va.mean() / _p_va.mean()",
    "my_oe_by_site": "{s: groups[s]['cad'].mean() / groups[s]['risk'].mean() for s in ['Hungary', 'VA Long Beach', 'Switzerland']}",
    "my_slope_va": "_LR(penalty=None, max_iter=1000, tol=1e-10).fit(_lp_va[:, None], _y_va).coef_[0, 0]",
    "my_scaled_brier_va": "1 - _bs(_y_va, _p_va) / _np.var(_y_va)",
    "my_auc_recalibrated": "_auc(va_check['cad'], va_check['risk'])",  # recalibration keeps the ranking
    "my_nb_va": "(_np.sum((_p_va >= 0.2) & (_y_va == 1)) - _np.sum((_p_va >= 0.2) & (_y_va == 0)) * 0.2 / 0.8) / len(_y_va)",
    "my_oe_recorded_after": "_after['sepsis_recorded'].mean() / _after['risk'].mean()",
    "my_calibration_hungary": "{'intercept': _newton_intercept(_y_hu, _lp_hu), 'slope': _slope_hu}",
    "my_risk_15_updated": "1 / (1 + _np.exp(-(_np.log(0.15 / 0.85) + _newton_intercept(va_update['cad'].to_numpy(), _lp_upd))))",
    "my_oe_interval": "_np.percentile(_oe_r, [2.5, 97.5])",
    "my_nb_hungary": "(_tp_hu - _fp_hu * 0.2 / 0.8) / len(_y_hu)",
}
# Mistakes students make, written in terms of the right answer `_right` and the lab's variables.
WRONG_ANSWERS = {
    "my_oe_va": ["1 / _right", "100 * _right", "oe_cleveland", "_right + 0.2"],
    "my_oe_by_site": [
        "{k: 1 / v for k, v in _right.items()}", "{k: 100 * v for k, v in _right.items()}",
        "{'Hungary': _right['Hungary']}", "dict(_right, Hungary=1.0)", "0.9",
    ],
    "my_slope_va": [
        "calibration_intercept_slope(va['cad'], va['risk'])['intercept']", "1 / _right",
        "cal_cleveland['slope']", "1.0",
    ],
    "my_scaled_brier_va": ["1 - brier_va", "brier_va", "100 * _right", "0.5"],
    "my_auc_recalibrated": ["_auc(va_check['cad'], (versions['recalibrated'] >= 0.5).astype(int))", "1 - _right", "0.9"],
    "my_nb_va": [
        "tp / n - fp / n", "tp - fp * PT / (1 - PT)", "100 * _right", "tp / n - fp / n * PT",
        "net_benefit_all(va['cad'], np.array([PT]))[0]",
    ],
    "my_oe_recorded_after": [
        "1 / _right", "_after['sepsis'].sum() / _after['risk'].sum()",
        "live['sepsis_recorded'].sum() / live['risk'].sum()", "0.9",
    ],
    "my_calibration_hungary": [
        "{'intercept': _right['slope'], 'slope': _right['intercept']}",  # swapped
        "dict(_right, intercept=_np.log(_y_hu.mean() / (1 - _y_hu.mean())))",  # no offset: log-odds of the prevalence
        "dict(_right, intercept=_LR(penalty=None, max_iter=1000, tol=1e-10).fit(_lp_hu[:, None], _y_hu).intercept_[0])",
        "dict(_right, slope=_LR(penalty=None, max_iter=1000, tol=1e-10).fit(_lp_hu[:, None], _y_hu).intercept_[0])",
        "dict(_right, slope=1.0)", "{'intercept': _right['intercept']}", "_right['intercept']",
    ],
    "my_risk_15_updated": [
        "_np.log(0.15 / 0.85) + intercept_update", "0.15 + intercept_update", "100 * _right",
        "1 / (1 + _np.exp(-(a + b * _np.log(0.15 / 0.85))))", "0.15",
    ],
    "my_oe_interval": [
        "_np.percentile(_oe_r, [0.025, 0.975])", "_np.percentile(_oe_r, [5, 95])",
        "_np.percentile(1 / _oe_r, [2.5, 97.5])", "_right[::-1]", "_right[1]", "_right + 0.1",
    ],
    "my_nb_hungary": [
        "(_tp_hu - _fp_hu) / len(_y_hu)", "(_tp_hu - _fp_hu * 0.2) / len(_y_hu)",
        "_y_hu.mean() - (1 - _y_hu.mean()) * 0.25", "tp / n - fp / n * PT / (1 - PT)", "100 * _right",
        # last, as it redefines nb_at: a function written with Your turn 9's VA counts instead of its own
        "(globals().update(nb_at=lambda y, risk, pt: tp / n - fp / n * PT / (1 - PT)), nb_at(_hu['cad'], _hu['risk'], 0.2))[1]",
    ],
}

METRICS_PROBE = REFERENCES + """\
import warnings as _w
import pandas as _pd
from dcurves import dca as _dca


for _name, _g in groups.items():
    _y, _p = _g["cad"].to_numpy(), _g["risk"].to_numpy()
    _lp = _np.log(_p / (1 - _p))
    _row = validation.loc[_name]
    assert abs(_row["O/E"] - _y.sum() / _p.sum()) < 1e-12, f"O/E {_name}"
    assert abs(_row["AUC"] - _auc(_y, _p)) < 1e-12, f"AUC {_name}"
    assert abs(_row["intercept"] - _newton_intercept(_y, _lp)) < 1e-6, f"calibration intercept {_name}"
    assert abs(_row["slope"] - _LR(penalty=None, max_iter=1000, tol=1e-10).fit(_lp[:, None], _y).coef_[0, 0]) < 1e-4, f"slope {_name}"
    assert abs(_row["scaled Brier"] - (1 - _np.mean((_p - _y) ** 2) / _np.var(_y))) < 1e-12, f"scaled Brier {_name}"
    # The binned calibration curve: five groups of equal size, observed share against mean risk
    _bins = _pd.qcut(_p, 5, labels=False)
    _obs, _pred = calibration_curve(_y, _p, n_bins=5, strategy="quantile")
    assert _np.allclose(_obs, _pd.Series(_y).groupby(_bins).mean()), f"binned curve {_name}"
    assert _np.allclose(_pred, _pd.Series(_p).groupby(_bins).mean()), f"binned curve {_name}"
    # Net benefit of the model and of referring everyone, against dcurves, at every threshold drawn
    with _w.catch_warnings():
        _w.simplefilter("ignore")
        _ref = _dca(data=_pd.DataFrame({"y": _y, "p": _p}), outcome="y", modelnames=["p"], thresholds=thresholds)
    _nb = _ref.set_index(["model", "threshold"])["net_benefit"]
    assert _np.allclose(net_benefit(_y, _p, thresholds), _nb.loc["p"].to_numpy(), atol=1e-9), f"net benefit {_name}"
    assert _np.allclose(net_benefit_all(_y, thresholds), _nb.loc["all"].to_numpy(), atol=1e-9), f"treat all {_name}"

# Your turn 4 says the Hungarian calibration intercept is below 0 (risks too high on average)
assert _newton_intercept(_y_hu, _lp_hu) < 0
# Your turn 6 says the intercept update raises a VA patient's risk (the model under-predicts at the VA)
assert intercept_update > 0

# The same model as the chapter: two thirds of Cleveland for training, the rest held out
assert len(train_idx) == 202 and len(test_idx) == 101 and set(train_idx).isdisjoint(test_idx)

# Updating: the intercept update gives O/E = 1 exactly on the patients it was fitted on; the AUC never moves
assert abs(va_update["cad"].sum() / risk_update_after.sum() - 1) < 1e-6, "intercept update"
assert abs(intercept_update - _newton_intercept(va_update["cad"].to_numpy(), lp_update)) < 1e-6, "intercept update"
assert abs(b - _LR(penalty=None, max_iter=1000, tol=1e-10).fit(lp_update[:, None], va_update["cad"]).coef_[0, 0]) < 1e-4
assert len(set(check_table["AUC"].round(12))) == 1, "recalibration changed the AUC"
for _version, _risk in versions.items():
    with _w.catch_warnings():
        _w.simplefilter("ignore")
        _ref = _dca(data=_pd.DataFrame({"y": va_check["cad"].to_numpy(), "p": _risk}), outcome="y", modelnames=["p"],
                    thresholds=thresholds)
    assert _np.allclose(net_benefit(va_check["cad"], _risk, thresholds),
                        _ref.loc[_ref["model"] == "p", "net_benefit"].to_numpy(), atol=1e-9), f"net benefit {_version}"

# The check half's difference in whole patients: the counts behind the net-benefit difference
_yc, _rc = va_check["cad"].to_numpy(), va_check["risk"].to_numpy()
assert missed == int(((_rc < 0.2) & (_yc == 1)).sum()) and spared == int(((_rc < 0.2) & (_yc == 0)).sum())
assert abs((at_pt["original model"] - at_pt["refer everyone"]) * len(_yc) - (spared * 0.25 - missed)) < 1e-9

# The bootstrap: seeded (same interval twice), all resamples drawn at once, the estimate inside its interval
_again = bootstrap_ci(va["cad"], va["risk"], roc_auc_score)
assert _np.array_equal(_again, auc_ci), "the bootstrap is not reproducible"
_rows = _np.random.default_rng(SEED).integers(0, len(va), size=(1000, len(va)))
_aucs = [_auc(_y_va[i], _p_va[i]) for i in _rows]
assert _np.allclose(_np.percentile(_aucs, [2.5, 97.5]), auc_ci), "bootstrap AUC interval"
assert auc_ci[0] < validation.loc["VA Long Beach", "AUC"] < auc_ci[1]
assert slope_ci[0] < validation.loc["VA Long Beach", "slope"] < slope_ci[1]

# Monitoring: 12 months at hospital B, each patient once; months 1-6 unchanged, 7-12 after the change
assert live["patient_id"].is_unique and sorted(live["month"].unique()) == list(range(1, 13))
assert (live["site"] == "B").all() and len(live) == (baseline["site"] == "B").sum()
_before = live[live["month"] <= 6]
assert (_before["sepsis"] == _before["sepsis_recorded"]).all(), "before the change every sepsis is recorded"
assert (_after["sepsis_recorded"] <= _after["sepsis"]).all() and _after["sepsis_recorded"].sum() < _after["sepsis"].sum()
assert _after["lactate"].mean() > _before["lactate"].mean() + 0.3, "the lactate offset is visible"
assert _after["sepsis_recorded"].sum() / _after["risk"].sum() < 0.8 < _after["sepsis"].sum() / _after["risk"].sum()
print("METRICS OK")
"""


class TestLab(labs.LabTests):
    lab = labs.Lab(
        source=LAB_DIR / "lab02_external_validation.py",
        references=REFERENCES,
        right_answers=RIGHT_ANSWERS,
        wrong_answers=WRONG_ANSWERS,
        metrics_probe=METRICS_PROBE,
        min_figures=4,
        figures="calibration plots, decision curves per hospital, before/after recalibration, monitoring",
    )

    def test_metrics_agree_with_independent_references(self, run):
        labs.assert_metrics_ok(run, "a metric the lab teaches is wrong")

    def test_nb_at_written_with_the_va_counts_is_diagnosed(self, run):
        """An nb_at that uses Your turn 9's tp, fp, n and PT is told so, not sent to pass other patients."""
        [out] = [labs.text(run.nb.cells[i]) for i, variable, wrong in run.wrong
                 if variable == "my_nb_hungary" and "globals()" in wrong]
        assert "instead of its own counts" in out, out
