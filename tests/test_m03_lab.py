"""The Module 3 lab as a student meets it.

The checks every lab passes are in ``labs.py`` (committed notebook = fresh render, no error or stderr
output, labelled figures, check cells that accept the right answer, reject wrong ones and never print the
answer). This file gives the Module 3 answers and adds that the explanations the lab teaches agree with
reference computations made here independently (odds ratios from a differently parameterised fit,
permutation importance from scikit-learn and by hand, SHAP values that add up and equal the average of the
trees' own SHAP values), and that the claims its text makes about them (which input is on top, which way an
odds ratio points, how large the leak is) hold.

The lab runs once (about 30 s), in the same kernel as a few probe cells appended to it.
"""

from __future__ import annotations

from pathlib import Path

import labs

REPO = Path(__file__).resolve().parent.parent
LAB_DIR = REPO / "notebooks" / "m03_explainability"

# Right answers to the "Your turn" exercises, computed here rather than taken from the lab's own variables
# where that is possible. Keys are the answer variables.
RIGHT_ANSWERS = {
    "my_top_input": "_ref_top_up",
    "my_pair_fall": "_ref_pair_fall",
    "my_leak": "'angiography_grade'",
}
WRONG_ANSWERS = {
    "my_top_input": ["'no_chest_pain'", "'exercise_angina'", "'age'", "'ST depression'", "3"],
    "my_pair_fall": ["_ref_pair_fall + 0.05", "perm_one['mean_texture']", "-_ref_pair_fall", "0.0"],
    "my_leak": ["'no_chest_pain'", "'st_depression'", "'num'"],
}
REFERENCES = """\
import numpy as _np
import shap as _shap
from sklearn.inspection import permutation_importance as _pi
from sklearn.linear_model import LogisticRegression as _LR
from sklearn.metrics import roc_auc_score as _auc
from sklearn.preprocessing import StandardScaler as _SS
_sv_mr_r = _shap.TreeExplainer(forest).shap_values(mr_r)[0, :, 1]
_ref_top_up = X.columns[int(_np.argmax(_sv_mr_r))]
_rng = _np.random.RandomState(0)
_pair = ["mean_concave_points", "mean_texture"]
_base_auc = _auc(m_test, breast_forest.predict_proba(B_test)[:, 1])
_falls = []
for _ in range(10):
    _s = B_test.copy()
    _s[_pair] = B_test[_pair].to_numpy()[_rng.permutation(len(B_test))]
    _falls.append(_base_auc - _auc(m_test, breast_forest.predict_proba(_s)[:, 1]))
_ref_pair_fall = float(_np.mean(_falls))
"""
METRICS_PROBE = REFERENCES + """\
assert SEED == 0
# Odds ratios: the same model fitted on standardised inputs gives coefficients per SD; per unit = coef / SD.
_sc = _SS().fit(X_train)
_lr = _LR(C=_np.inf, solver="lbfgs", max_iter=100_000, tol=1e-10).fit(_sc.transform(X_train), y_train)
_or_ref = _np.exp(_lr.coef_[0] / _sc.scale_ * steps)
assert _np.allclose(odds_ratios.to_numpy(), _or_ref, rtol=1e-3), ("odds ratios", odds_ratios, _or_ref)
assert odds_ratios["st_depression"] > 1 and odds_ratios["max_heart_rate"] < 1, "OR directions in the text"
# Permutation importance: scikit-learn with the same settings.
_p = _pi(forest, X_test, y_test, scoring="roc_auc", n_repeats=10, random_state=SEED)
assert _np.allclose(perm.importances_mean, _p.importances_mean), "permutation importance"
# SHAP: adds up, and equals the average of the trees' own SHAP values (the forest averages its trees).
_sv = _shap.TreeExplainer(forest).shap_values(X_test)[:, :, 1]
assert _np.allclose(_sv.sum(axis=1) + shap_test.base_values, forest.predict_proba(X_test)[:, 1])
_trees = _np.mean([_shap.TreeExplainer(t).shap_values(X_test.to_numpy())[:, :, 1] for t in forest.estimators_], axis=0)
assert _np.allclose(_sv, _trees, atol=1e-9), "forest SHAP = mean of tree SHAP"
assert _np.allclose(shap_test.values, _sv) and _np.allclose(mean_abs_shap[X.columns], _np.abs(_sv).mean(axis=0))
# Claims in the text.
assert mean_abs_shap.index[0] == "no_chest_pain" and perm_importance.index[0] == "no_chest_pain", "global top"
_order = list(X.columns[_np.argsort(-_sv_mr_r)])
assert _order[:4] == ["st_depression", "max_heart_rate", "no_chest_pain", "age"], ("Mr R.'s order", _order)
assert X.columns[int(_np.argmin(_sv_mr_r))] == "exercise_angina", "the absence of treadmill angina lowers it"
assert p_mr_r > 0.7, "Mr R. is flagged as high risk"
assert or_radius_only["mean_radius"] > 5 and or_all_three["mean_radius"] < 1, "the radius OR flips"
assert or_all_three["mean_perimeter"] < 0.01 and or_all_three["mean_area"] > 1000, "perimeter near 0, area huge"
assert abs(auc_radius_only - auc_all_three) < 0.01, "both breast models predict about equally well"
assert size_together > 5 * perm_one[size_columns].max(), "shuffled together the sizes matter far more"
assert auc_leaky > 0.99 and leaky_importance.idxmax() == "angiography_grade", "the leak"
assert leaky_importance.max() > 2 * leaky_importance.drop("angiography_grade").max(), "the leak towers"
print("METRICS OK")
"""


def _answer_forms(value: float | str) -> set[str]:
    """An input's name gives itself away; a fall in AUC, to 2, 3 or 4 decimals."""
    return {value} if isinstance(value, str) else {f"{value:.2f}", f"{value:.3f}", f"{value:.4f}"}


class TestLab(labs.LabTests):
    lab = labs.Lab(
        source=LAB_DIR / "lab03_explainability.py",
        references=REFERENCES,
        right_answers=RIGHT_ANSWERS,
        wrong_answers=WRONG_ANSWERS,
        metrics_probe=METRICS_PROBE,
        min_figures=7,
        figures="odds ratios, permutation, SHAP bar, beeswarm, waterfall, breast-cancer comparison, leaky bar",
        timeout=180,
        answer_forms=_answer_forms,
        token_chars=r"\w",  # a name inside a longer name is not that name
    )

    def test_explanations_agree_with_references_and_the_text(self, run):
        labs.assert_metrics_ok(run, "an explanation or a claim of the lab is wrong")
