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

import pytest

from tests import labs
from tests.repo import REPO

pytestmark = pytest.mark.e2e  # runs the lab in a kernel

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
_u = _o[(_o["spo2"] >= 92) & (_o["spo2"] <= 96)]
_r = _u[_u["sao2_abg"].notna()]  # paired readings: patients with a blood gas, as Sjoding et al. counted
_occ = {g: ((_r["sao2"] < 88) & (_r["group"] == g)).sum() / (_r["group"] == g).sum() for g in ("G0", "G1")}
_occ_unpaired = {g: ((_u["sao2"] < 88) & (_u["group"] == g)).sum() / (_u["group"] == g).sum() for g in ("G0", "G1")}
_women = sex == "Female"
if "_odds_fix_calls" not in globals():  # fitted once, for every probe
    _odds_fix = ThresholdOptimizer(estimator=model, constraints="equalized_odds",
                                  objective="accuracy_score", predict_method="predict_proba", prefit=True)
    _odds_fix.fit(tune[features], tune["cad"], sensitive_features=tune["sex"])
    _odds_fix_calls = _odds_fix.predict(evaluate[features], sensitive_features=sex_eval, random_state=SEED)
"""
RIGHT_ANSWERS = {
    "my_missed_women_per_100": "100 * _rates(y_true[_women], y_pred[_women])[0]",
    "my_occult_ratio": "_occ['G1'] / _occ['G0']",
    "my_gap_after_test": "_gap_pp(y_eval, y_pred_threshold, sex_eval, 'Female', 'Male')",
    "my_npv_women": "_cm(y_true[_women], y_pred[_women], labels=[0, 1])[0, 0] / _cm(y_true[_women], y_pred[_women], labels=[0, 1])[:, 0].sum()",
    "my_fnr_women_30": "_rates(y_true[_women], p_test[_women] >= 0.3)[0]",
    # fairlearn's own fit and predict (there is no independent reference for it); accuracy counted by hand
    "my_accuracy_odds_fix": "_np.mean(_np.asarray(_odds_fix_calls) == y_eval)",
}
# Mistakes students make, written in terms of the right answer `_right`.
WRONG_ANSWERS = {
    "my_missed_women_per_100": ["_right / 100", "100 * _rates(y_true[~_women], y_pred[~_women])[0]",
                                "100 * _rates(y_true[_women], y_pred[_women])[1]", "100 - _right", "0"],
    "my_occult_ratio": ["1 / _right", "_occ['G1']", "2 * _right", "1.0", "_occ_unpaired['G1'] / _occ_unpaired['G0']"],
    "my_gap_after_test": ["_right / 100", "-_right", "_gap_pp(y_eval, y_pred_eval, sex_eval, 'Female', 'Male')",
                          "_right + 10"],
    "my_npv_women": ["1 - _right", "100 * _right", "_rates(y_true[_women], y_pred[_women])[1]",  # an FPR
                     "1 - _rates(y_true[_women], y_pred[_women])[1]",  # the specificity
                     "_cm(y_true, y_pred)[0, 0] / _cm(y_true, y_pred)[:, 0].sum()",  # every patient
                     "_cm(y_true[~_women], y_pred[~_women])[0, 0] / _cm(y_true[~_women], y_pred[~_women])[:, 0].sum()"],
    "my_fnr_women_30": ["100 * _right", "_rates(y_true[_women], y_pred[_women])[0]",  # threshold 0.5
                        "_rates(y_true[~_women], p_test[~_women] >= 0.3)[0]",  # men
                        "_rates(y_true[_women], p_test[_women] >= 0.3)[1]", "_right + 0.1"],  # the FPR
    "my_accuracy_odds_fix": ["_np.mean(_np.asarray(y_pred_threshold) == y_eval)",  # the equal-FNR fix
                            "_np.mean(y_pred_eval == y_eval)", "100 * _right", "_right - 0.1"],
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
# Calibration per sex: the bins are ordered, and the intercept and slope the lab reports agree with an
# independent fit (statsmodels' Logit, not the lab's GLM) from the raw probabilities
import statsmodels.api as _sm
for _g in ("Female", "Male"):
    _tab = calibration[_g]
    assert _np.all(_np.diff(_tab["mean predicted"]) > 0), "calibration bins should be ordered"
    _yy, _pp = y_true[sex == _g], p_test[sex == _g]
    _lp = _np.log(_pp / (1 - _pp))
    _ref_int = _sm.Logit(_yy, _np.ones_like(_lp), offset=_lp).fit(disp=0).params[0]
    _ref_slope = _sm.Logit(_yy, _np.column_stack([_np.ones_like(_lp), _lp])).fit(disp=0).params[1]
    assert abs(calibration_summary[_g]["calibration intercept"] - _ref_int) < 1e-6, ("intercept", _g)
    assert abs(calibration_summary[_g]["calibration slope"] - _ref_slope) < 1e-6, ("slope", _g)
# the numbers the lab's prose describes (lab split, seed 42): women's slope below 1, men's near 1
assert round(calibration_summary["Female"]["calibration slope"], 2) == 0.78
assert round(calibration_summary["Male"]["calibration slope"], 2) == 1.02
assert round(calibration_summary["Female"]["calibration intercept"], 2) == -0.23
# Removing sex: FNR women/men 0.38/0.17 -> 0.29/0.20; women's FPR and mean prediction rise
_ns = trade_off
assert [round(float(_ns.loc[("with sex", g), "FNR"]), 2) for g in ("Female", "Male")] == [0.38, 0.17]
assert [round(float(_ns.loc[("without sex", g), "FNR"]), 2) for g in ("Female", "Male")] == [0.29, 0.20]
assert round(float(_ns.loc[("with sex", "Female"), "FPR"]), 2) == 0.14
assert round(float(_ns.loc[("without sex", "Female"), "FPR"]), 2) == 0.25
assert round(float(_ns.loc[("without sex", "Female"), "mean predicted"]), 2) == 0.42
assert round(float(_ns.loc[("without sex", "Female"), "observed with CAD"]), 2) == 0.25
_call_ns = (p_test_no_sex >= 0.5).astype(int)
assert abs(_ns.loc[("without sex", "Female"), "FNR"] - _rates(y_true[_women], _call_ns[_women])[0]) < 1e-12
# The care programme: FNR against true need, G0 and G1, for both labels
for _label, _frame in programme.items():
    for _grp in ("G0", "G1"):
        _in = (_frame["group"] == _grp).to_numpy()
        _fnr, _ = _rates(_frame["high_need"].to_numpy()[_in], _frame["enrolled"].to_numpy()[_in])
        _shown = audit.loc[(f"label = {_label}", _grp), "high-need patients missed (FNR)"]
        assert abs(_shown - _fnr) < 1e-12, ("programme FNR", _label, _grp)
assert _gap_pp(programme["cost"]["high_need"], programme["cost"]["enrolled"], programme["cost"]["group"], "G1", "G0") > 10
assert abs(_gap_pp(programme["need"]["high_need"], programme["need"]["enrolled"], programme["need"]["group"], "G1", "G0")) < 5
# Mitigation table, rows on new patients (the evaluation half), recomputed from the stored predictions
_we = sex_eval == "Female"
assert len(set(evaluate.index) & set(tune.index)) == 0 and len(set(tune.index) & set(train.index)) == 0
for _name, _calls in [("model at 0.5", y_pred_eval), ("ThresholdOptimizer", y_pred_threshold),
                      ("ExponentiatedGradient", y_pred_reduction)]:
    _row = comparison.loc[(_name, "new")]
    assert abs(_row["FNR women"] - _rates(y_eval[_we], _np.asarray(_calls)[_we])[0]) < 1e-12, _name
    assert abs(_row["FPR men"] - _rates(y_eval[~_we], _np.asarray(_calls)[~_we])[1]) < 1e-12, _name
    assert abs(_row["accuracy"] - _acc(y_eval, _calls)) < 1e-12, _name
# ThresholdOptimizer was fitted on the tuning half, not on the training patients
_to_ref = ThresholdOptimizer(estimator=model, constraints="true_positive_rate_parity", objective="accuracy_score",
                             predict_method="predict_proba", prefit=True)
_to_ref.fit(tune[features], tune["cad"], sensitive_features=tune["sex"])
assert _np.array_equal(_np.asarray(_to_ref.predict(evaluate[features], sensitive_features=sex_eval, random_state=SEED)),
                       _np.asarray(y_pred_threshold)), "ThresholdOptimizer should be fitted on the tuning half"
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


# The chapter's numbers (book/m04_fairness/_helpers.py, book split, seed 0), recomputed here from the data.
def _helpers():
    import importlib.util
    import sys

    sys.path.insert(0, str(REPO / "book"))
    spec = importlib.util.spec_from_file_location("m04_helpers", REPO / "book" / "m04_fairness" / "_helpers.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["m04_helpers"] = module  # its dataclass looks itself up there
    spec.loader.exec_module(module)
    return module


def test_chapter_calibration_helper_agrees_with_an_independent_fit():
    import numpy as np
    import statsmodels.api as sm

    h = _helpers()
    rng = np.random.default_rng(7)
    p = rng.uniform(0.05, 0.95, 800)
    y = (rng.random(800) < 1 / (1 + np.exp(-(0.3 + 1.4 * np.log(p / (1 - p)))))).astype(int)
    lp = np.log(p / (1 - p))
    intercept, slope = h.calibration_intercept_slope(y, p)
    assert abs(intercept - sm.Logit(y, np.ones_like(lp), offset=lp).fit(disp=0).params[0]) < 1e-6
    assert abs(slope - sm.Logit(y, np.column_stack([np.ones_like(lp), lp])).fit(disp=0).params[1]) < 1e-6
    assert 1.1 < slope < 1.8, "a slope simulated at 1.4 should be recovered"


def test_chapter_numbers_on_removing_sex_and_on_sex_by_hospital():
    from sklearn.metrics import confusion_matrix

    h = _helpers()

    def fnr_fpr(frame, sex):
        part = frame[frame["sex"] == sex]
        tn, fp, fn, tp = confusion_matrix(part["cad"], part["referred"], labels=[0, 1]).ravel()
        return round(fn / (fn + tp), 2), round(fp / (fp + tn), 2)

    with_sex, without_sex = h.fit_heart().test, h.fit_heart(with_sex=False).test
    assert fnr_fpr(with_sex, "Female") == (0.36, 0.06) and fnr_fpr(with_sex, "Male")[0] == 0.14
    assert fnr_fpr(without_sex, "Female") == (0.24, 0.21) and fnr_fpr(without_sex, "Male")[0] == 0.21
    women = without_sex[without_sex["sex"] == "Female"]
    assert round(women["p"].mean(), 2) == 0.40 and round(women["cad"].mean(), 2) == 0.26
    slope_women = h.calibration_intercept_slope(with_sex.loc[with_sex["sex"] == "Female", "cad"],
                                                with_sex.loc[with_sex["sex"] == "Female", "p"])[1]
    assert round(slope_women, 2) == 0.96
    pooled = __import__("clinical_data").load("heart_disease")
    high = pooled["site"].isin(["Switzerland", "VA Long Beach"])
    assert (int((high & (pooled["sex"] == "Female")).sum()), int((pooled["sex"] == "Female").sum())) == (16, 194)
    assert (int((high & (pooled["sex"] == "Male")).sum()), int((pooled["sex"] == "Male").sum())) == (307, 726)


def test_chapter_nhefs_deaths_in_the_audited_half():
    from sklearn.model_selection import train_test_split

    nhefs = __import__("clinical_data").load("nhefs")
    _, test = train_test_split(nhefs, test_size=0.5, random_state=0,
                               stratify=nhefs["death"].astype(str) + nhefs["race"].astype(str))
    assert int(test.loc[test["race"] == 0, "death"].sum()) == 135
    assert int(test.loc[test["race"] == 1, "death"].sum()) == 24
    assert nhefs["yrdth"].min() == 83 and nhefs["yrdth"].max() == 92, "deaths fall in 1983-92, after the 1982 visit"


def test_assignment_rubric_numbers_are_those_of_the_assignment_split():
    """The expected numbers the a04 rubric gives, recomputed from the data on the assignment's split."""
    import numpy as np
    import statsmodels.api as sm
    from fairlearn.postprocessing import ThresholdOptimizer
    from fairlearn.reductions import ExponentiatedGradient, TruePositiveRateParity
    from sklearn.compose import make_column_transformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, confusion_matrix
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    rubric = (REPO / "instructors" / "rubrics" / "a04_fairness.md").read_text(encoding="utf-8")
    heart = __import__("clinical_data").load("heart_disease")
    y = (heart["num"] > 0).astype(int)
    numeric, categorical = ["age", "trestbps", "thalach", "oldpeak"], ["sex", "cp", "exang"]
    X = heart[numeric + categorical]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.4, random_state=0,
                                                        stratify=heart["site"] + heart["sex"] + y.astype(str))

    def prepare(cats):
        return make_column_transformer(
            (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
            (make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")), cats))

    def rates(t, p):
        tn, fp, fn, tp = confusion_matrix(np.asarray(t), np.asarray(p), labels=[0, 1]).ravel()
        return round(fn / (fn + tp), 2), round(fp / (fp + tn), 2)

    women = (X_test["sex"] == "Female").to_numpy()
    with_sex = make_pipeline(prepare(categorical), LogisticRegression(max_iter=1000)).fit(X_train, y_train)
    no_sex = make_pipeline(prepare(["cp", "exang"]), LogisticRegression(max_iter=1000)).fit(
        X_train.drop(columns="sex"), y_train)
    p, p_ns = with_sex.predict_proba(X_test)[:, 1], no_sex.predict_proba(X_test.drop(columns="sex"))[:, 1]
    yt = y_test.to_numpy()
    assert rates(yt[women], p[women] >= 0.5) == (0.30, 0.02) and rates(yt[~women], p[~women] >= 0.5)[0] == 0.14
    assert rates(yt[women], p_ns[women] >= 0.5) == (0.20, 0.16) and rates(yt[~women], p_ns[~women] >= 0.5)[0] == 0.20
    assert (round(p_ns[women].mean(), 2), round(yt[women].mean(), 2)) == (0.39, 0.26)
    lp = np.log(p[women] / (1 - p[women]))
    slope = sm.Logit(yt[women], np.column_stack([np.ones_like(lp), lp])).fit(disp=0).params[1]
    intercept = sm.Logit(yt[women], np.ones_like(lp), offset=lp).fit(disp=0).params[0]
    assert f"women +{intercept:.2f} and {slope:.2f}" in rubric, "the rubric's calibration numbers for women are stale"
    for text in ["FNR women 0.30 → 0.20, men 0.14 → 0.20", "0.02 → 0.16", "0.39 against 0.26 observed"]:
        assert text in rubric, f"the rubric should say {text!r}"

    X_tune, X_eval, y_tune, y_eval = train_test_split(X_test, y_test, test_size=0.5, random_state=0,
                                                      stratify=X_test["sex"] + y_test.astype(str))
    we, ye = (X_eval["sex"] == "Female").to_numpy(), y_eval.to_numpy()
    before = (with_sex.predict_proba(X_eval)[:, 1] >= 0.5).astype(int)
    post = ThresholdOptimizer(estimator=with_sex, constraints="true_positive_rate_parity", objective="accuracy_score",
                              predict_method="predict_proba", prefit=True).fit(X_tune, y_tune,
                                                                               sensitive_features=X_tune["sex"])
    after = np.asarray(post.predict(X_eval, sensitive_features=X_eval["sex"], random_state=0))
    assert (rates(ye[we], before[we])[0], rates(ye[~we], before[~we])[0]) == (0.30, 0.12)
    assert (rates(ye[we], after[we])[0], rates(ye[~we], after[~we])[0]) == (0.30, 0.14)
    assert (round(accuracy_score(ye, before), 2), round(accuracy_score(ye, after), 2)) == (0.82, 0.83)
    prep = prepare(categorical).fit(X_train)
    eg = ExponentiatedGradient(LogisticRegression(max_iter=1000), constraints=TruePositiveRateParity(), max_iter=50)
    eg.fit(prep.transform(X_train), y_train, sensitive_features=X_train["sex"])
    calls = np.asarray(eg.predict(prep.transform(X_eval), random_state=0))
    assert (rates(ye[we], calls[we])[0], rates(ye[~we], calls[~we])[0]) == (0.30, 0.18)
    assert "before, FNR women 0.30, men 0.12, accuracy 0.82; after, women 0.30, men 0.14" in rubric
    assert "FNR women 0.30, men 0.18" in rubric
