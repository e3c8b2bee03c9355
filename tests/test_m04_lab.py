"""The Module 4 lab as a student meets it.

The checks every lab passes are in ``labs.py`` (committed notebook = fresh render, no error or stderr
output, labelled figures, check cells that accept the right answer, reject wrong ones and never print the
answer). This file gives the Module 4 answers and adds that the group error rates the lab teaches
(FNR = FN/(FN+TP), FPR = FP/(FP+TN) by sex, by site, by group in the synthetic cohort, before and after
mitigation) agree with scikit-learn references computed here, from the raw predictions, independently of
fairlearn; and that Chouldechova's identity holds on the lab's numbers.

The lab runs once (about 20 s), in the same kernel as a few probe cells appended to it.
"""

from __future__ import annotations

from pathlib import Path

import labs

REPO = Path(__file__).resolve().parent.parent
LAB_DIR = REPO / "notebooks" / "m04_fairness"

# Independent references: group rates from scikit-learn's confusion matrix (not fairlearn, not the lab's own
# hand formulas), so a wrong formula or a wrong grouping in the lab is caught.
REFERENCES = """\
import numpy as _np
from sklearn.metrics import confusion_matrix as _cm


def _rates(t, p):
    _tn, _fp, _fn, _tp = _cm(_np.asarray(t).astype(int), _np.asarray(p).astype(int), labels=[0, 1]).ravel()
    return _fn / (_fn + _tp), _fp / (_fp + _tn)


def _gap_pp(t, p, groups, a, b):
    groups = _np.asarray(groups)
    return 100 * (_rates(_np.asarray(t)[groups == a], _np.asarray(p)[groups == a])[0]
                  - _rates(_np.asarray(t)[groups == b], _np.asarray(p)[groups == b])[0])


from clinical_data import load as _load
_o = _load("cohort_spo2_bias").merge(_load("cohort_baseline_truth"), on="patient_id")
_r = _o[(_o["spo2"] >= 92) & (_o["spo2"] <= 96)]
_occ = {g: ((_r["sao2"] < 88) & (_r["group"] == g)).sum() / (_r["group"] == g).sum() for g in ("G0", "G1")}
_women = sex == "Female"
"""
RIGHT_ANSWERS = {
    "my_missed_women_per_100": "100 * _rates(y_true[_women], y_pred[_women])[0]",
    "my_occult_ratio": "_occ['G1'] / _occ['G0']",
    "my_gap_after_test": "_gap_pp(y_true, y_pred_threshold, sex, 'Female', 'Male')",
}
# Mistakes students make, written in terms of the right answer `_right`.
WRONG_ANSWERS = {
    "my_missed_women_per_100": ["_right / 100", "100 * _rates(y_true[~_women], y_pred[~_women])[0]",
                                "100 * _rates(y_true[_women], y_pred[_women])[1]", "100 - _right", "0"],
    "my_occult_ratio": ["1 / _right", "_occ['G1']", "2 * _right", "1.0"],
    "my_gap_after_test": ["_right / 100", "-_right", "_gap_pp(y_true, y_pred, sex, 'Female', 'Male')", "_right + 10"],
}
METRICS_PROBE = REFERENCES + """\
from sklearn.metrics import accuracy_score as _acc
# FNR/FPR by sex: the lab's hand counts and its MetricFrame against the scikit-learn references
for _g in ("Female", "Male"):
    _fnr, _fpr = _rates(y_true[sex == _g], y_pred[sex == _g])
    assert abs(fnr_hand[_g] - _fnr) < 1e-12 and abs(fpr_hand[_g] - _fpr) < 1e-12, ("hand rates", _g)
    assert abs(by_sex.by_group.loc[_g, "FNR (missed CAD)"] - _fnr) < 1e-12, ("MetricFrame FNR", _g)
    assert abs(by_sex.by_group.loc[_g, "FPR (unneeded angiogram)"] - _fpr) < 1e-12, ("MetricFrame FPR", _g)
    assert abs(by_sex.by_group.loc[_g, "referred"] - y_pred[sex == _g].mean()) < 1e-12, ("selection rate", _g)
assert abs(by_sex.by_group.loc["Female", "FNR (missed CAD)"] - by_sex.by_group.loc["Male", "FNR (missed CAD)"]) > 0.1
# By site
for _s in sorted(set(site)):
    _fnr, _fpr = _rates(y_true[site == _s], y_pred[site == _s])
    assert abs(by_site.by_group.loc[_s, "FNR (missed CAD)"] - _fnr) < 1e-12, ("site FNR", _s)
    assert abs(by_site.by_group.loc[_s, "FPR (unneeded angiogram)"] - _fpr) < 1e-12, ("site FPR", _s)
# Calibration-in-the-large per sex, from the raw probabilities
for _g in ("Female", "Male"):
    _tab = calibration[_g]
    assert _np.all(_np.diff(_tab["mean predicted"]) > 0), "calibration bins should be ordered"
# The care programme: FNR against true need, G0 and G1, for both labels
for _label, _frame in programme.items():
    for _grp in ("G0", "G1"):
        _in = (_frame["group"] == _grp).to_numpy()
        _fnr, _ = _rates(_frame["high_need"].to_numpy()[_in], _frame["enrolled"].to_numpy()[_in])
        _shown = audit.loc[(f"label = {_label}", _grp), "high-need patients missed (FNR)"]
        assert abs(_shown - _fnr) < 1e-12, ("programme FNR", _label, _grp)
assert _gap_pp(programme["cost"]["high_need"], programme["cost"]["enrolled"], programme["cost"]["group"], "G1", "G0") > 10
assert abs(_gap_pp(programme["need"]["high_need"], programme["need"]["enrolled"], programme["need"]["group"], "G1", "G0")) < 5
# Mitigation table, test rows, recomputed from the stored predictions
for _name, _calls in [("model at 0.5", y_pred), ("ThresholdOptimizer", y_pred_threshold),
                      ("ExponentiatedGradient", y_pred_reduction)]:
    _row = comparison.loc[(_name, "test")]
    assert abs(_row["FNR women"] - _rates(y_true[_women], _np.asarray(_calls)[_women])[0]) < 1e-12, _name
    assert abs(_row["FPR men"] - _rates(y_true[~_women], _np.asarray(_calls)[~_women])[1]) < 1e-12, _name
    assert abs(_row["accuracy"] - _acc(y_true, _calls)) < 1e-12, _name
# Chouldechova's identity on hand-made numbers: p=0.5, PPV=0.5, FNR=0 -> FPR=1; p=0.2, PPV=0.8, FNR=0.2 -> 0.05
assert abs(implied_fpr(0.5, 0.5, 0.0) - 1.0) < 1e-12 and abs(implied_fpr(0.2, 0.8, 0.2) - 0.05) < 1e-12
print("METRICS OK")
"""


class TestLab(labs.LabTests):
    lab = labs.Lab(
        source=LAB_DIR / "lab04_fairness.py",
        references=REFERENCES,
        right_answers=RIGHT_ANSWERS,
        wrong_answers=WRONG_ANSWERS,
        metrics_probe=METRICS_PROBE,
        min_figures=5,
        figures="error rates, calibration, label bias, mitigation and trade-off",
    )

    def test_group_rates_agree_with_scikit_learn(self, run):
        labs.assert_metrics_ok(run, "a rate the lab teaches is wrong")
