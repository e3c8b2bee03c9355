"""The Module 5 lab as a student meets it.

The checks every lab passes are in ``labs.py``. This file gives the Module 5 answers and adds that what
the lab computes agrees with independent references: scikit-learn for the 2×2 metrics and the AUC,
statsmodels for the Wilson intervals, the corpus labels for the checks of model-written text, and plain
counting for the alert burden.

The lab runs once (about 15 s), in the same kernel as a few probe cells appended to it.
"""

from __future__ import annotations

import pytest

from tests import labs
from tests.repo import REPO

pytestmark = pytest.mark.e2e  # runs the lab in a kernel

LAB_DIR = REPO / "notebooks" / "m05_appraisal_deployment"

# Independent references, computed in the lab's kernel from the data files and the reported counts.
REFERENCES = (
    "import pandas as _pd\n"
    "from clinical_data import path as _path\n"
    "_summ = _pd.read_csv(_path('genai_summaries'), keep_default_na=False)\n"
    "_refs = _pd.read_csv(_path('genai_references'), keep_default_na=False)\n"
    "_esm_tn = 38455 - 2552 - (6971 - (2552 - 1709))\n"
    "_esm_fp = 6971 - (2552 - 1709)\n"
    "_paired = _pd.read_csv(_path('genai_paired_outputs'))\n"
    "from sklearn.metrics import precision_score as _prec, recall_score as _rec\n"
    "from statsmodels.stats.proportion import proportion_confint as _ci\n"
)
RIGHT_ANSWERS = {
    "my_esm_specificity": "_esm_tn / (_esm_tn + _esm_fp)",
    "my_alerts_per_day_10": "sum(1 for r in silent['risk'] if r >= 0.10) / 47",
    "my_laterality_rate": "(_summ['error_type'] == 'laterality_swap').mean()",
    "my_fraction_accurate": "(_refs['status'] == 'accurate').mean()",
    # the lowest threshold needing at most 6 flags per positive caught, counted row by row
    "my_threshold_6": "min(t for t in [0.04, 0.06, 0.08, 0.10, 0.12] if (silent['risk'] >= t).sum() <= 6 * ((silent['risk'] >= t) & silent['positive']).sum())",
    "my_oe_by_group": "{g: silent.loc[silent['demo_group'] == g, 'positive'].mean() / silent.loc[silent['demo_group'] == g, 'risk'].mean() for g in set(silent['demo_group'])}",
    "my_ppv_by_threshold": "{t: _prec(silent['positive'], silent['risk'] >= t) for t in [0.05, 0.07, 0.09]}",
    # Wilson's score interval from statsmodels, where the lab uses scipy
    "my_fabricated_ci": "list(_ci((_refs['status'] == 'fabricated').sum(), len(_refs), method='wilson'))",
    "my_chest_not_escalated": "int(((_paired['scenario'] == 'chest_pain') & (_paired['escalates'] == 0)).sum())",
}
WRONG_ANSWERS = {
    "my_esm_specificity": ["100 * _right", "1 - _right", "_esm_tn / (_esm_tn + 1709)", "0.5"],
    "my_alerts_per_day_10": ["47 * _right", "_right / 2", "_right * 47 / 35", "0"],
    "my_laterality_rate": ["100 * _right", "_right * 80 / 44", "0.5", "_right + 0.1"],
    "my_fraction_accurate": ["_right * 19", "12 / 19", "100 * _right", "0.9"],
    "my_threshold_6": ["0.12", "0.04", "5", "_right + 0.02"],
    "my_oe_by_group": ["{k: 1 / v for k, v in _right.items()}", "{k: 100 * v for k, v in _right.items()}",
                       "{k: observed_expected for k in _right}", "dict(_right, patient=1.0)",
                       "{'patient': _right['patient']}", "0.9"],
    "my_ppv_by_threshold": [
        "{t: _rec(silent['positive'], silent['risk'] >= t) for t in [0.05, 0.07, 0.09]}",  # the sensitivity
        "{t: 1 / v for t, v in _right.items()}", "{t: 100 * v for t, v in _right.items()}",
        "{0.05: _right[0.05]}", "{**_right, 0.07: 0.5}",
    ],
    "my_fabricated_ci": [
        "list(_ci((_refs['status'] == 'fabricated').sum(), len(_refs), method='beta'))",  # exact
        "list(_ci((_refs['status'] != 'accurate').sum(), len(_refs), method='wilson'))",  # inaccurate ones too
        "list(_ci((_refs['status'] == 'fabricated').sum(), 80, method='wilson'))",  # n of the 80 summaries
        "[100 * v for v in _right]", "_right[0]", "[v + 0.05 for v in _right]",
    ],
    "my_chest_not_escalated": [
        "int((_paired['escalates'] == 0).sum())",  # the kidney answers too
        "int((_paired['scenario'] == 'chest_pain').sum())", "_right / 80", "_right + 1",
        "int(((_paired['scenario'] == 'chest_pain') & (_paired['escalates'] == 0) & (_paired['stated'] == 'woman')).sum())",
    ],
}
METRICS_PROBE = """\
import numpy as _np
from sklearn.metrics import precision_score as _prec, recall_score as _rec, roc_auc_score as _auc
from statsmodels.stats.proportion import proportion_confint as _ci
# The sepsis table: TP + FN = patients with sepsis, TP + FP = alerts, all four = hospitalisations
assert (tp + fn, tp + fp, tp + fp + fn + tn) == (2552, 6971, 38455) and fn == 1709
assert abs(esm_sensitivity - _rec(y_sepsis, y_alert)) < 1e-12 and abs(esm_ppv - _prec(y_sepsis, y_alert)) < 1e-12
# The silent period: 47 days (61-107), AUC from scikit-learn, alert burden by plain counting
assert DAYS == 47 and silent["pan_day"].between(61, 107).all() and development["pan_day"].le(60).all()
assert abs(auc_silent - _auc(silent["positive"], silent["risk"])) < 1e-12
for _t in thresholds:
    _f = [r >= _t for r in silent["risk"]]
    _tp = sum(1 for f, y in zip(_f, silent["positive"]) if f and y)
    assert abs(burden.loc[_t, "flags per day"] - sum(_f) / 47) < 1e-9
    assert abs(burden.loc[_t, "PPV"] - _tp / sum(_f)) < 1e-9
    assert abs(burden.loc[_t, "sensitivity"] - _rec(silent["positive"], silent["risk"] >= _t)) < 1e-9
assert abs(observed_expected - silent["positive"].sum() / silent["risk"].sum()) < 1e-12
# The checks of model-written text find exactly the labelled errors
for _e in flags.columns:
    assert (flags[_e] == (summaries["error_type"] == _e)).all(), _e
# Wilson intervals agree with statsmodels
for _e, _row in error_rates.iterrows():
    _lo, _hi = _ci(int(_row["summaries"]), len(summaries), method="wilson")
    assert abs(_row["95% CI low"] - _lo) < 1e-9 and abs(_row["95% CI high"] - _hi) < 1e-9, _e
# The reference lookup agrees with the labels; the paired difference lies inside its bootstrap interval
assert (references["lookup"] == references["status"]).all()
assert low <= difference.mean() <= high and low < 0
# The difference between the sexes: Newcombe's interval, worked from the two Wilson intervals
_kf, _nf = int(by_sex.loc["female", "with an error"]), int(by_sex.loc["female", "summaries"])
_km, _nm = int(by_sex.loc["male", "with an error"]), int(by_sex.loc["male", "summaries"])
(_lf, _uf), (_lm, _um) = _ci(_kf, _nf, method="wilson"), _ci(_km, _nm, method="wilson")
_pf, _pm = _kf / _nf, _km / _nm
assert abs(sex_diff - (_pf - _pm)) < 1e-12
assert abs(sex_diff_ci[0] - (_pf - _pm - ((_pf - _lf) ** 2 + (_um - _pm) ** 2) ** 0.5)) < 1e-9
assert abs(sex_diff_ci[1] - (_pf - _pm + ((_uf - _pf) ** 2 + (_pm - _lm) ** 2) ** 0.5)) < 1e-9
# Calibration among flagged tests: observed share and its Wilson interval, by counting
_flag = [(y, r) for y, r in zip(silent["positive"], silent["risk"]) if r >= 0.10]
assert len(flagged_10) == len(_flag) and k_flag == sum(1 for y, _ in _flag if y)
_lo, _hi = _ci(k_flag, len(_flag), method="wilson")
assert abs(ci_flag.low - _lo) < 1e-9 and abs(ci_flag.high - _hi) < 1e-9
assert abs(flagged_10["risk"].mean() - sum(r for _, r in _flag) / len(_flag)) < 1e-12
assert set(patients["demo_group"]) == {"patient"}
print("METRICS OK")
"""


class TestLab(labs.LabTests):
    lab = labs.Lab(
        source=LAB_DIR / "lab05_appraisal_deployment.py",
        references=REFERENCES,
        right_answers=RIGHT_ANSWERS,
        wrong_answers=WRONG_ANSWERS,
        metrics_probe=METRICS_PROBE,
        min_figures=5,
        figures="sepsis per 1,000, alert burden, monitoring, summary errors and paired audit",
    )

    def test_metrics_agree_with_independent_references(self, run):
        labs.assert_metrics_ok(run, "a metric the lab computes is wrong")
