"""The Module 3 lab as a student meets it.

The checks every lab passes are in ``labs.py`` (committed notebook = fresh render, no error or stderr
output, labelled figures, check cells that accept the right answer, reject wrong ones and never print the
answer). This file gives the Module 3 answers and adds that the explanations the lab teaches agree with
reference computations made here independently (odds ratios from a differently parameterised fit,
permutation importance from scikit-learn and by hand, SHAP values that add up and equal the average of the
trees' own SHAP values), that the claims its text makes about them (which input is on top, which way an
odds ratio points, how large the leak is) hold, and that the forest's calibration (by fifths, O/E, slope)
agrees with statsmodels and with the figures the chapter quotes. It also checks the chapter's own
calibration figures (the a03 rubric's numbers are checked in ``test_rubrics.py``).

The lab runs once (about 30 s), in the same kernel as a few probe cells appended to it.
"""

from __future__ import annotations

import pytest

from tests import labs
from tests.repo import REPO

pytestmark = pytest.mark.e2e  # runs the lab in a kernel

LAB_DIR = REPO / "notebooks" / "m03_explainability"

# Right answers to the "Your turn" exercises, computed here rather than taken from the lab's own variables
# where that is possible. Keys are the answer variables.
RIGHT_ANSWERS = {
    "my_top_input": "_ref_top_up",
    "my_pair_fall": "_ref_pair_fall",
    "my_leak": "'angiography_grade'",
    # the coefficient of an independent fit on standardised inputs, back on the scale of one year
    "my_or_age_5": "_np.exp(5 * _b_age_ref)",
    "my_perm_st_logreg": "_pi(logreg, X_test, y_test, scoring='roc_auc', n_repeats=10, random_state=0).importances_mean[_st]",
    "my_shap_hr_women": "_np.abs(_sv_test[_women, _hr]).mean()",
    # an independent refit of the forest on every column of the leaky extract but the leak
    "my_auc_refit": "_auc(y_test, _RF(n_estimators=200, min_samples_leaf=5, random_state=0).fit("
                    "X_leaky.loc[X_train.index].drop(columns='angiography_grade'), y_train).predict_proba(X_test)[:, 1])",
    "my_slope_logreg": "_slope_lr_ref",  # statsmodels, where the lab uses scikit-learn
}
WRONG_ANSWERS = {
    "my_top_input": ["'no_chest_pain'", "'exercise_angina'", "'age'", "'ST depression'", "3"],
    "my_pair_fall": ["_ref_pair_fall + 0.05", "perm_one['mean_texture']", "-_ref_pair_fall", "0.0"],
    "my_leak": ["'no_chest_pain'", "'st_depression'", "'num'"],
    "my_or_age_5": ["5 * _b_age_ref", "_np.exp(_b_age_ref)", "5 * _np.exp(_b_age_ref)", "_np.exp(10 * _b_age_ref)",
                    "_right + 0.1"],
    "my_perm_st_logreg": [
        "perm_importance['st_depression']",  # the forest's
        "_pi(logreg, X_test, y_test, n_repeats=10, random_state=0).importances_mean[_st]",  # accuracy, not AUC
        "_pi(logreg, X_test, y_test, scoring='roc_auc', n_repeats=10, random_state=0).importances_std[_st]",
        "_right + 0.02",
    ],
    "my_shap_hr_women": ["100 * _right", "_sv_test[_women, _hr].mean()", "_np.abs(_sv_test[:, _hr]).mean()",
                         "_np.abs(_sv_test[~_women, _hr]).mean()", "_right + 0.01"],
    "my_auc_refit": ["0.995", "_auc(y_test, forest.predict(X_test))", "auc_logreg", "auc_leaky", "1 - _right"],
    "my_slope_logreg": ["cal_slope", "_LR().fit(_np.log(_p_lr_ref / (1 - _p_lr_ref)).reshape(-1, 1), y_test).coef_[0, 0]",
                        "_LR(C=_np.inf).fit(_np.log(_p_lr_ref / (1 - _p_lr_ref)).reshape(-1, 1), y_test).intercept_[0]",
                        "_LR(C=_np.inf).fit(_p_lr_ref.reshape(-1, 1), y_test).coef_[0, 0]", "_right + 0.1"],
}
REFERENCES = """\
import numpy as _np
import shap as _shap
from sklearn.ensemble import RandomForestClassifier as _RF
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
_st, _hr = list(X.columns).index("st_depression"), list(X.columns).index("max_heart_rate")
_women = X_test["male"].to_numpy() == 0
if "_sv_test" not in globals():  # computed once, for every probe
    _sv_test = _shap.TreeExplainer(forest).shap_values(X_test)[:, :, 1]
    _sc_ref = _SS().fit(X_train)
    _lr_ref = _LR(C=_np.inf, solver="lbfgs", max_iter=100_000, tol=1e-10).fit(_sc_ref.transform(X_train), y_train)
    import statsmodels.api as _sm
    _p_lr_ref = logreg.predict_proba(X_test)[:, 1]
    _slope_lr_ref = _sm.GLM(y_test.to_numpy(), _sm.add_constant(_np.log(_p_lr_ref / (1 - _p_lr_ref))),
                            family=_sm.families.Binomial()).fit().params[1]
_b_age_ref = _lr_ref.coef_[0][list(X.columns).index("age")] / _sc_ref.scale_[list(X.columns).index("age")]
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
# Chest-pain odds ratios are labelled against their reference category, typical angina.
assert (or_table.loc[["atypical_angina", "non_anginal_pain", "no_chest_pain"], "for"] == "vs typical angina").all()
assert (or_table.drop(["atypical_angina", "non_anginal_pain", "no_chest_pain"])["for"] != "vs typical angina").all()
# The base value is the mean prediction, not the prediction for an "average patient".
assert abs(base_value - forest.predict_proba(average_patient)[0, 1]) > 0.05, "base value vs average patient"
# Taking the chest-pain points away is not what the model says for any other kind of chest pain.
_pain = ["atypical_angina", "non_anginal_pain", "no_chest_pain"]
_minus = p_mr_r - _sv_mr_r[[list(X.columns).index(c) for c in _pain]].sum()
for _kind in [None] + _pain[:2]:
    _o = mr_r.copy(); _o[_pain] = 0
    if _kind: _o[_kind] = 1
    assert abs(forest.predict_proba(_o)[0, 1] - _minus) > 0.03, ("subtracting SHAP = a recoding?", _kind)
# Calibration by fifths, against an independent split of the sorted scores (21/20/20/20/20 patients).
_p = forest.predict_proba(X_test)[:, 1]
_groups = _np.array_split(_np.argsort(_p, kind="stable"), 5)
_yt = y_test.to_numpy()
assert calibration["patients"].tolist() == [len(g) for g in _groups] and calibration["patients"].dtype.kind == "i"
assert _np.allclose(calibration["mean_score"], [_p[g].mean() for g in _groups])
assert _np.allclose(calibration["observed"], [_yt[g].mean() for g in _groups])
assert calibration["had_cad"].tolist() == [1, 2, 9, 16, 18], calibration["had_cad"].tolist()
assert [round(100 * v) for v in calibration["mean_score"]] == [10, 25, 39, 54, 84]
import statsmodels.api as _sm
_glm = _sm.GLM(_yt, _sm.add_constant(_np.log(_p / (1 - _p))), family=_sm.families.Binomial()).fit()
assert abs(cal_slope - _glm.params[1]) < 1e-3 and round(cal_slope, 1) == 1.8, cal_slope
assert abs(oe_ratio - _yt.sum() / _p.sum()) < 1e-12 and round(oe_ratio, 2) == 1.09, oe_ratio
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
        min_figures=8,
        figures="odds ratios, permutation, SHAP bar, beeswarm, waterfall, breast-cancer comparison, leaky bar, "
                "calibration",
        timeout=180,
        answer_forms=_answer_forms,
        token_chars=r"\w",  # a name inside a longer name is not that name
    )

    def test_explanations_agree_with_references_and_the_text(self, run):
        labs.assert_metrics_ok(run, "an explanation or a claim of the lab is wrong")

    def test_tables_show_no_scientific_notation_or_float_counts(self, run):
        """Numbers a clinician reads: 0.072, not 7.237e-02; 57, not 57.0."""
        import re

        shown = []
        for cell in run.lab_cells:
            for out in cell.get("outputs", []):
                shown.append(out.get("text", "") + out.get("data", {}).get("text/plain", ""))
        shown = "\n".join(shown)
        assert not re.search(r"\d\.\d+e[+-]\d\d", shown), "a table or print shows scientific notation"
        assert "57.0" not in shown and "125.0" not in shown, "Mr R.'s values are shown as floats"


# The chapter pages (book/m03_explainability) compute their numbers with _helpers, checked here against
# independent computations.
BOOK = REPO / "book" / "m03_explainability"


def _helpers():
    import importlib.util
    import sys

    sys.path.insert(0, str(BOOK))
    try:
        spec = importlib.util.spec_from_file_location("_m03_helpers", BOOK / "_helpers.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["_m03_helpers"] = module  # dataclasses look their module up there
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(BOOK))
    return module


def _slope(p, y):
    """Calibration slope with scikit-learn (the helpers use statsmodels)."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=np.inf).fit(np.log(p / (1 - p)).reshape(-1, 1), y).coef_[0, 0]


def test_chapter_calibration_of_the_forest():
    """The calibration figures of 03_local_explanations: by fifths 10/25/39/54/84% against 5/10/45/80/90%."""
    import numpy as np

    h = _helpers()
    fitted = h.fit()
    p = fitted.forest.predict_proba(fitted.X_test)[:, 1]
    y = fitted.y_test.to_numpy()
    table = h.calibration_by_fifths(p, y)
    groups = np.array_split(np.argsort(p, kind="stable"), 5)
    assert table["patients"].tolist() == [21, 20, 20, 20, 20] == [len(g) for g in groups]
    assert np.allclose(table["observed"], [y[g].mean() for g in groups])
    assert [round(100 * v) for v in table["mean_score"]] == [10, 25, 39, 54, 84]
    assert [round(100 * v) for v in table["observed"]] == [5, 10, 45, 80, 90]
    slope, low, high = h.calibration_slope(p, y)
    assert abs(slope - _slope(p, y)) < 1e-3 and f"{slope:.1f}" == "1.8" and low > 1
    assert f"{y.sum() / p.sum():.2f}" == "1.09"
    mr_r = h.pd.DataFrame([dict(age=57, male=1, atypical_angina=0, non_anginal_pain=0, no_chest_pain=1,
                                resting_bp=130, cholesterol=240, high_fasting_sugar=0, max_heart_rate=125,
                                exercise_angina=0, st_depression=2.0)])[h.FEATURES]
    score = fitted.forest.predict_proba(mr_r)[0, 1]
    assert round(100 * score) == 78 and table["lowest"].iloc[-1] <= score <= table["highest"].iloc[-1]
    assert table["with_cad"].iloc[-1] == 18


def test_rounded_contributions_add_up():
    """The waterfall sentence: whole points that add up to the rounded score minus the rounded base."""
    import numpy as np
    import pandas as pd

    h = _helpers()
    rng = np.random.default_rng(0)
    for _ in range(200):
        parts = pd.Series(rng.normal(0, 8, size=8))
        total = int(round(parts.sum()))
        shown = h.rounded_parts(parts, total)
        assert shown.sum() == total and (abs(shown - parts) < 1).all()
