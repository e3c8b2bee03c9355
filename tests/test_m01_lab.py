"""The Module 1 lab as a student meets it.

The checks every lab passes are in ``labs.py`` (committed notebook = fresh render, no error or stderr
output, labelled figures, check cells that accept the right answer, reject wrong ones and never print the
answer). This file gives the Module 1 answers and adds that the metrics the lab teaches agree with
scikit-learn and with a worked example.

The lab runs once (about 10 s), in the same kernel as a few probe cells appended to it.
"""

from __future__ import annotations

import pytest

from tests import labs
from tests.repo import REPO

pytestmark = pytest.mark.e2e  # runs the lab in a kernel

LAB_DIR = REPO / "notebooks" / "m01_diagnostic_models"

# Right answers to the "Your turn" exercises, computed from scikit-learn rather than from the lab's own
# hand formulas, so a wrong formula in a check cell is caught. Keys are the answer variables.
RIGHT_ANSWERS = {
    "my_missed_per_100": "100 * (1 - _sk_sens)",
    "my_ppv_clinic": "_sk_sens * 0.2 / (_sk_sens * 0.2 + (1 - _sk_spec) * 0.8)",
    # a single test (ST depression >= 1 mm) chained onto a pre-test probability of 30%, never the model's LR
    "my_post_test_probability": "(0.3 / 0.7 * _st_lr) / (1 + 0.3 / 0.7 * _st_lr)",
    "my_lr_negative": "(1 - _sk_sens) / _sk_spec",
    "my_auc_st": "_auc_ref(y_test, X_test['oldpeak'])",
}
# Mistakes students make, written in terms of the right answer `_right` (and sensitivity/specificity).
WRONG_ANSWERS = {
    "my_missed_per_100": ["_right / 100", "100 * _sk_sens", "_right + 10", "0"],
    "my_ppv_clinic": ["100 * _right", "_sk_spec * 0.8 / (_sk_spec * 0.8 + (1 - _sk_sens) * 0.2)", "0.95", "0.1"],
    "my_post_test_probability": ["0.3 * _st_lr", "0.2", "_right / (1 - _right)", "0.5",
                                 # the model's LR chained onto a pre-test estimate built on the same inputs
                                 "(0.3 / 0.7 * _sk_sens / (1 - _sk_spec)) / (1 + 0.3 / 0.7 * _sk_sens / (1 - _sk_spec))"],
    "my_lr_negative": ["_sk_sens / (1 - _sk_spec)", "(1 - _sk_spec) / _sk_sens", "0.9"],
    "my_auc_st": ["_auc_ref(y_test, X_test['oldpeak'] >= 1)", "1 - _right", "0.99"],
}
SK_RATES = (
    "from sklearn.metrics import recall_score as _recall\n"
    "_sk_sens = _recall(y_true, y_pred)\n"
    "_sk_spec = _recall(y_true, y_pred, pos_label=0)\n"
    "from sklearn.metrics import class_likelihood_ratios as _clr\n"
    "_st_lr = _clr(y_train, (X_train['oldpeak'] >= 1).astype(int))[0]\n"
    "from sklearn.metrics import roc_auc_score as _auc_ref\n"
)
METRICS_PROBE = SK_RATES + """\
from sklearn.metrics import (class_likelihood_ratios as _lrs, precision_score as _prec,
                             roc_auc_score as _auc, confusion_matrix as _cm)
assert THRESHOLD == 0.5 and y_pred.tolist() == (p_logreg >= 0.5).astype(int).tolist()
assert _cm(y_true, y_pred).ravel().tolist() == [tn, fp, fn, tp], "2x2 counts"
assert abs(sensitivity - _sk_sens) < 1e-12 and abs(specificity - _sk_spec) < 1e-12, "sens/spec"
assert abs(ppv - _prec(y_true, y_pred)) < 1e-12 and abs(npv - _prec(y_true, y_pred, pos_label=0)) < 1e-12
assert all(abs(a - b) < 1e-9 for a, b in zip((lr_pos, lr_neg), _lrs(y_true, y_pred))), "likelihood ratios"
assert abs(auc["Logistic regression"] - _auc(y_true, p_logreg)) < 1e-12, "AUC"
assert abs(auc["Random forest"] - _auc(y_true, p_forest)) < 1e-12, "AUC"
# Worked example: sensitivity 90%, specificity 90%, prevalence 1% -> PPV 9/108, NPV 891/892
assert abs(ppv_from_bayes(0.9, 0.9, 0.01) - 9 / 108) < 1e-12, "Bayes PPV"
assert abs(npv_from_bayes(0.9, 0.9, 0.01) - 891 / 892) < 1e-12, "Bayes NPV"
assert abs(harm_threshold - 1 / (1 + HARM_RATIO)) < 1e-12, "Pauker-Kassirer threshold"
assert abs(lr_st - _st_lr) < 1e-9, "likelihood ratio of the single test (ST depression >= 1 mm)"
assert 0 < harm_threshold < THRESHOLD and at_harm["sensitivity"] >= sensitivity, "a lower threshold catches more"
print("METRICS OK")
"""


class TestLab(labs.LabTests):
    lab = labs.Lab(
        source=LAB_DIR / "lab01_diagnostic_models.py",
        references=SK_RATES,
        right_answers=RIGHT_ANSWERS,
        wrong_answers=WRONG_ANSWERS,
        metrics_probe=METRICS_PROBE,
        min_figures=4,
        figures="prevalence, histogram, ROC/PR and harm",
    )

    def test_metrics_agree_with_scikit_learn_and_worked_examples(self, run):
        labs.assert_metrics_ok(run, "a metric the lab teaches is wrong")
