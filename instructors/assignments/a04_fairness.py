# ---
# jupyter:
#   autograder:
#     title: "Assignment 4: Is this model fair to every patient?"
#     module: m04_fairness
#     data: [heart_disease.csv, cohort_baseline.csv, cohort_label_cost.csv, cohort_spo2_bias.csv, cohort_baseline_truth.csv]
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] nbgrader={"grade": false, "grade_id": "intro", "locked": true, "schema_version": 3, "solution": false, "task": false}
# # Assignment 4 notebook
#
# **The decision.** The ESC guidelines (2019, 2024) on chronic coronary syndromes estimate the pre-test
# (clinical) likelihood of coronary artery disease (CAD) from age, sex and symptoms (and, in 2024, risk
# factors), offer a non-invasive test (CT coronary angiography or functional imaging), and keep invasive
# coronary angiography for patients whose likelihood is very high (above 85% in the ESC guidelines) or
# whose non-invasive test calls for it; NICE CG95 (2016) offers CT coronary angiography when clinical
# assessment suggests typical or atypical angina, or non-anginal pain with an abnormal resting ECG. Your
# hospital's cardiology service wants to use a model that estimates the probability of CAD at that first
# step: patients at 50% or more go **straight to invasive angiography**, the others have a **non-invasive
# test first**. The 50% cut-off is for teaching. The ESC guidelines reserve direct invasive angiography
# for a very high clinical likelihood (above 85%) or severe symptoms, and this model's probabilities, from
# a 1980s population already referred for angiography, are not on that scale. The model was built on the
# four hospitals of the UCI Heart Disease study. Before the hospital's AI committee approves it, you are
# asked a narrower question than "is it accurate?": **does it harm some patients more than others?**
#
# - A **false negative** is a patient with CAD not sent straight to angiography: a delayed diagnosis, and a
#   missed one if the non-invasive test misses the disease too.
# - A **false positive** is a patient without CAD sent to an invasive angiogram (an arterial puncture, a
#   small risk of bleeding or stroke) that a non-invasive test could have spared.
#
# You will audit the model by sex, then use a synthetic cohort, where the true answer is known, to see
# where such gaps come from, try a fix and see what it costs.
#
# **How it works**
# - Answer in the cells that say `# YOUR CODE HERE` (delete the `raise NotImplementedError()` line) and in
#   the written-answer cell. Do not rename the variables and functions you are asked to create.
# - After each answer, run the test cell below it. A silent test cell means the checks you can see passed;
#   a message tells you what to look at. **What the visible checks cover:** the type, keys and range of
#   every answer; for most numbers, a comparison of a "fingerprint" of your answer, rounded as the notebook
#   prints it, with the right answer's (a fingerprint hides the number from reading, not from trying values
#   in a loop: the hidden tests decide your grade); and a one-line hint for each usual slip (a percentage for a fraction, a ratio upside down, groups swapped,
#   0/1 calls where risks are asked). Your grade also comes from **hidden tests**, run when your work is
#   graded, which check every number, try your functions on other data, and judge a later answer on your own
#   earlier ones where it can stand alone (one slip costs points once).
# - **Compute or type?** Each question says so. Where it says *compute*, compute the answer with code; where it
#   says *typing is fine*, a value typed as the notebook prints it earns the points.
# - Keep the five `.csv` files in the same folder as this notebook (download them from the course site).
# - Before you submit: *Kernel → Restart Kernel and Run All Cells…*, and check that no cell shows an error.
#
# Points: 19 autograded (10 questions) and 5 for the written answer.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Run this cell to set up the notebook, but please don't change it.
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.api as sm
from fairlearn.metrics import MetricFrame, false_negative_rate, false_positive_rate, selection_rate
from fairlearn.postprocessing import ThresholdOptimizer
from fairlearn.reductions import ExponentiatedGradient, TruePositiveRateParity
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

DATA = ["heart_disease.csv", "cohort_baseline.csv", "cohort_label_cost.csv", "cohort_spo2_bias.csv",
        "cohort_baseline_truth.csv"]
missing_files = [name for name in DATA if not Path(name).exists()]
if missing_files:
    raise FileNotFoundError(
        f"{', '.join(missing_files)} not next to this notebook: download the files from the assignment page "
        "and save them in the same folder, then run this cell again."
    )

# The chest-pain model: patients from all four hospitals, split in two (the split keeps the same mix of
# hospital, sex and disease in both parts). The book's chapter and the lab fit the same kind of model on
# other random splits, so their rates differ from yours by chance: a few dozen women stand behind each.
heart = pd.read_csv("heart_disease.csv")
numeric = ["age", "trestbps", "thalach", "oldpeak"]
categorical = ["sex", "cp", "exang"]
X = heart[numeric + categorical]
y = (heart["num"] > 0).astype(int)  # 1 = coronary artery disease on angiography
strata = heart["site"] + heart["sex"] + y.astype(str)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.4, stratify=strata, random_state=0)
sex_test = X_test["sex"]  # "Female" or "Male", one per test patient

# extra code – the model: a logistic regression on seven findings known after an exercise ECG
model = make_pipeline(
    make_column_transformer(
        (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
        (make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")), categorical),
    ),
    LogisticRegression(max_iter=1000),
)
model.fit(X_train, y_train)
risk = model.predict_proba(X_test)[:, 1]  # the model's probability of CAD for each test patient
referred = (risk >= 0.5).astype(int)      # 1 = straight to invasive angiography, 0 = non-invasive test first

print(f"{len(y_test)} test patients: {(sex_test == 'Female').sum()} women, {(sex_test == 'Male').sum()} men.")

# %% nbgrader={"grade": false, "grade_id": "check_helpers", "locked": true, "schema_version": 3, "solution": false, "task": false}
# extra code – what the check cells use to tell you, in one line, what is wrong (never the answer). A check
# compares a "fingerprint" of your answer, rounded as the notebook prints it, with the right answer's: it
# can say "right" or "not yet" without printing the right answer. A fingerprint hides an answer from
# reading, not from trying values in a loop; the hidden tests, run at grading, decide your grade.
import re
from hashlib import sha256


def fingerprint(value, decimals=2):
    if isinstance(value, str):
        text = value.strip()
    elif isinstance(value, (list, tuple)):
        text = ",".join(str(v) for v in sorted(value))
    else:
        text = f"{float(value) + 0.0:.{decimals}f}"
    return sha256(text.encode()).hexdigest()[:12]


def check_number(name, value, fraction=False):
    if isinstance(value, str):
        raise AssertionError(f'{name} should be a number, without quotes or a % sign: e.g. 0.31, not "31%".')
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise AssertionError(f"{name} should be a single number, not {type(value).__name__}.")
    if fraction and not 0 <= float(value) <= 1:
        raise AssertionError(f"{name} should be a proportion between 0 and 1 (e.g. 0.31 for 31%), not a percentage.")


def _percent_sign_hint(shell, etype, value, tb, tb_offset=None):
    """A number typed with a % sign (ppv = 31%) is not Python: one line saying so, then Python's message."""
    if re.search(r"\d\s*%\s*($|#|,|\)|\])", getattr(value, "text", None) or ""):
        print("Type a percentage as a proportion, without the % sign: 0.31 for 31%.")
    shell.showsyntaxerror()


if "get_ipython" in globals():  # in JupyterLab and Jupyter; the grader's checks run without it
    get_ipython().set_custom_exc((SyntaxError,), _percent_sign_hint)

# %% [markdown] nbgrader={"grade": false, "grade_id": "q1_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 1: the two error rates (2 points)
#
# Write a function `error_rates(y_true, y_pred)` that takes the true diagnoses and the model's calls (both
# as numpy arrays of 0/1, 1 = disease, like `y_test.to_numpy()` and `referred` above) and returns a dictionary with two fractions between 0 and 1:
#
# - `"FNR"`, the **false-negative rate**: of the patients **with** the disease, the share the model calls
#   negative (missed disease; 1 − sensitivity);
# - `"FPR"`, the **false-positive rate**: of the patients **without** the disease, the share the model
#   calls positive (unneeded work-up; 1 − specificity).
#
# **Compute** (a function: the hidden tests try it on other patients).

# %% nbgrader={"grade": false, "grade_id": "q1_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def error_rates(y_true, y_pred):
    ### BEGIN SOLUTION
    truth = np.asarray(y_true).astype(int)
    call = np.asarray(y_pred).astype(int)
    fn = np.sum((truth == 1) & (call == 0))
    tp = np.sum((truth == 1) & (call == 1))
    fp = np.sum((truth == 0) & (call == 1))
    tn = np.sum((truth == 0) & (call == 0))
    return {"FNR": float(fn / (fn + tp)), "FPR": float(fp / (fp + tn))}
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q1_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M4.1"}
"""Check that error_rates returns the false-negative and false-positive rates."""
rates_ex = error_rates(np.array([1, 1, 1, 1, 0, 0, 0, 0, 0]), np.array([1, 1, 1, 0, 1, 0, 0, 0, 0]))
assert type(rates_ex) is dict, "error_rates should return a dictionary (made with {...} or dict(...))."
assert set(rates_ex) == {"FNR", "FPR"}, "The dictionary needs exactly the keys 'FNR' and 'FPR'."
assert all(isinstance(v, float) for v in rates_ex.values()), "Each rate should be a number (float(...))."
assert all(0 <= v <= 1 for v in rates_ex.values()), "Give fractions between 0 and 1, not percentages."
assert not (abs(rates_ex["FNR"] - 0.2) < 1e-9 and abs(rates_ex["FPR"] - 0.25) < 1e-9), "FNR and FPR are swapped."
assert abs(rates_ex["FNR"] - 0.25) < 1e-9, (
    "FNR: of the patients WITH disease, the share called negative. Check what you divide by."
)
assert abs(rates_ex["FPR"] - 0.2) < 1e-9, (
    "FPR: of the patients WITHOUT disease (FP + TN), the share called positive. Check what you divide by."
)
rates_ex = error_rates(np.array([1, 1, 1, 0, 0, 0]), np.array([1, 0, 0, 1, 0, 0]))  # 2 of 3 with disease missed, 1 of 3 without flagged
assert abs(rates_ex["FNR"] - 2 / 3) < 1e-9 and abs(rates_ex["FPR"] - 1 / 3) < 1e-9, (
    "On a second example (2 of 3 with disease missed, 1 of 3 without flagged) the rates are not exact: "
    "do not round inside the function (round only when you print)."
)
### BEGIN HIDDEN TESTS
import importlib as _il

_np = _il.import_module("numpy")
_fm = _il.import_module("fairlearn.metrics")
_rng = _np.random.default_rng(303)
for _ in range(5):
    _t = _rng.integers(0, 2, 300)
    _p = _np.where(_rng.random(300) < 0.7, _t, 1 - _t)
    _got = error_rates(_t, _p)
    assert type(_got) is dict and set(_got) == {"FNR", "FPR"}, "error_rates must return a dict with 'FNR' and 'FPR'."
    assert abs(float(_got["FNR"]) - _fm.false_negative_rate(_t, _p)) < 1e-9, (
        "FNR is off on a larger set of patients: missed patients WITH disease / all patients WITH disease."
    )
    assert abs(float(_got["FPR"]) - _fm.false_positive_rate(_t, _p)) < 1e-9, (
        "FPR is off on a larger set of patients: patients WITHOUT disease called positive / all patients "
        "WITHOUT disease."
    )
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q2_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 2: missed disease in women and in men (2 points)
#
# Use fairlearn's `MetricFrame` (or your `error_rates`) on the test patients, with `y_test` as the truth,
# `referred` as the model's calls and `sex_test` as the groups. Store the false-negative rate among
# **women** in `fnr_women`, among **men** in `fnr_men`, and the gap `fnr_gap = fnr_women - fnr_men`
# (all fractions). If you use your `error_rates`, these rates are judged on your own function of
# Question 1, so a slip there is not counted twice. **Compute** all three.

# %% nbgrader={"grade": false, "grade_id": "q2_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
by_sex = MetricFrame(
    metrics={"FNR": false_negative_rate, "FPR": false_positive_rate},
    y_true=y_test, y_pred=referred, sensitive_features=sex_test,
)
fnr_women = float(by_sex.by_group.loc["Female", "FNR"])
fnr_men = float(by_sex.by_group.loc["Male", "FNR"])
fnr_gap = fnr_women - fnr_men
### END SOLUTION
print(f"Of 100 women with CAD the model misses about {100 * fnr_women:.0f}; of 100 men, about {100 * fnr_men:.0f}.")

# %% nbgrader={"grade": true, "grade_id": "q2_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M4.2"}
"""Check the false-negative rates of the model in women and in men."""
for name_ex, value_ex in [("fnr_women", fnr_women), ("fnr_men", fnr_men), ("fnr_gap", fnr_gap)]:
    assert isinstance(value_ex, float), f"{name_ex} should be a number (a float)."
assert 0 <= fnr_women <= 1 and 0 <= fnr_men <= 1, "Give the rates as fractions between 0 and 1."
assert abs(fnr_gap - (fnr_women - fnr_men)) < 0.01 + 1e-9, "fnr_gap should be fnr_women minus fnr_men."
try:  # what your own error_rates of Question 1 gives in women and in men
    women_ex = (sex_test == "Female").to_numpy()
    own_ex = [float(error_rates(y_test.to_numpy()[in_ex], referred[in_ex])["FNR"]) for in_ex in (women_ex, ~women_ex)]
except Exception:
    own_ex = None
if own_ex is not None and (fingerprint(own_ex[0], 2), fingerprint(own_ex[1], 2)) != ("95f8ecec9c63", "358e553bf44a"):
    print("Your error_rates (Question 1) is off: fix it, then run this cell again. If you used it here, these rates "
          "are judged on what it gives, so the slip is not counted twice.")
if own_ex is None or abs(fnr_women - own_ex[0]) > 0.005 + 1e-9 or abs(fnr_men - own_ex[1]) > 0.005 + 1e-9:
    assert not (fingerprint(fnr_women, 2) == "358e553bf44a" and fingerprint(fnr_men, 2) == "95f8ecec9c63"), (
        "Women and men are swapped: look the rates up by the group's name, 'Female' and 'Male'."
    )
    assert fingerprint(fnr_women, 2) == "95f8ecec9c63" and fingerprint(fnr_men, 2) == "358e553bf44a", (
        "Your false-negative rates are off: of the test patients WITH CAD in each sex, the share the model does "
        "not refer (y_test, referred, sex_test)."
    )
### BEGIN HIDDEN TESTS
import importlib as _il

_fm = _il.import_module("fairlearn.metrics")
_pd = _il.import_module("pandas")
_ms = _il.import_module("sklearn.model_selection")
_h = _pd.read_csv("heart_disease.csv")
_y = (_h["num"] > 0).astype(int)
_Xte, _yte = _ms.train_test_split(_h[numeric + categorical], _y, test_size=0.4,
                                  stratify=_h["site"] + _h["sex"] + _y.astype(str), random_state=0)[1::2]
_call = (model.predict_proba(_Xte)[:, 1] >= 0.5).astype(int)
_w, _m = (_Xte["sex"] == "Female").to_numpy(), (_Xte["sex"] == "Male").to_numpy()
_ref_w = _fm.false_negative_rate(_yte[_w], _call[_w])
_ref_m = _fm.false_negative_rate(_yte[_m], _call[_m])
try:  # carry-forward: the rates the student's own error_rates of Question 1 gives
    _own_w, _own_m = (float(error_rates(_yte.to_numpy()[_g], _call[_g])["FNR"]) for _g in (_w, _m))
except Exception:  # the student's function fails: no carry-forward
    _own_w = _own_m = float("nan")
if abs(float(fnr_women) - _own_w) < 0.005 + 1e-9 and abs(float(fnr_men) - _own_m) < 0.005 + 1e-9:
    _ref_w, _ref_m = _own_w, _own_m
assert abs(float(fnr_women) - _ref_w) < 0.005 + 1e-9, (
    "fnr_women is not the share of test WOMEN with CAD whom the model does not refer at 0.5: "
    "did you use y_test, referred and sex_test?"
)
assert abs(float(fnr_men) - _ref_m) < 0.005 + 1e-9, "fnr_men is not the share of test MEN with CAD whom the model misses."
assert abs(float(fnr_gap) - (_ref_w - _ref_m)) < 0.01 + 1e-9, "fnr_gap should be women minus men."
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q3_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 3: calibration within each sex, across the range of risk (2 points)
#
# A model is *calibrated* in a group when its probabilities mean what they say at every level of risk:
# among the women it gives 20%, about 20 in 100 have CAD; among those it gives 60%, about 60. Comparing the
# *average* prediction with the share who have CAD (calibration-in-the-large) is not enough: for a
# logistic regression that has sex among its inputs, the two match in each sex on the training patients
# almost by construction, and on new patients an average can hide predictions that are too extreme or too
# timid. Two numbers summarise calibration across the range (Module 2):
#
# - the **calibration slope**: the coefficient of the model's log-odds, $\log\frac{p}{1-p}$ (its *linear
#   predictor*), in a logistic regression of the outcome on it. 1 is ideal; below 1, the predictions are
#   too extreme; above 1, too timid;
# - the **calibration intercept**: the constant of a logistic regression of the outcome on a constant
#   alone, with the log-odds as a fixed *offset*. 0 is ideal; above 0, the model predicts too little
#   disease on average.
#
# Write `calibration_intercept_slope(y_true, p)` that returns the pair `(intercept, slope)` as floats, using
# statsmodels (`sm.GLM(outcome, design, family=sm.families.Binomial(), offset=...)`; `sm.add_constant`
# adds the constant column). Then store the pair for the test **women** in `calib_women` and for the test
# **men** in `calib_men` (truth `y_test`, probabilities `risk`). **Compute** (a function: the hidden tests try it
# on other patients).

# %% nbgrader={"grade": false, "grade_id": "q3_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def calibration_intercept_slope(y_true, p):
    ### BEGIN SOLUTION
    outcome = np.asarray(y_true, dtype=float)
    log_odds = np.log(np.asarray(p, dtype=float) / (1 - np.asarray(p, dtype=float)))
    intercept = sm.GLM(outcome, np.ones_like(log_odds), family=sm.families.Binomial(), offset=log_odds).fit().params[0]
    slope = sm.GLM(outcome, sm.add_constant(log_odds), family=sm.families.Binomial()).fit().params[1]
    return float(intercept), float(slope)
    ### END SOLUTION


### BEGIN SOLUTION
is_woman = (sex_test == "Female").to_numpy()
calib_women = calibration_intercept_slope(y_test[is_woman], risk[is_woman])
calib_men = calibration_intercept_slope(y_test[~is_woman], risk[~is_woman])
### END SOLUTION
print(f"Women: calibration intercept {calib_women[0]:+.2f}, slope {calib_women[1]:.2f}. "
      f"Men: intercept {calib_men[0]:+.2f}, slope {calib_men[1]:.2f}.")

# %% nbgrader={"grade": true, "grade_id": "q3_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M4.3"}
"""Check the calibration intercept and slope, and their values in women and in men."""
for name_ex, pair_ex in [("calib_women", calib_women), ("calib_men", calib_men)]:
    assert type(pair_ex) is tuple and len(pair_ex) == 2, f"{name_ex} should be a pair: (intercept, slope)."
    assert all(isinstance(v, float) for v in pair_ex), f"Both numbers in {name_ex} should be floats."
_rng_ex = np.random.default_rng(1)
_p_ex = _rng_ex.uniform(0.05, 0.95, 4000)
_y_ex = (_rng_ex.random(4000) < _p_ex).astype(int)
_int_ex, _slope_ex = calibration_intercept_slope(_y_ex, _p_ex)
_on_p_ex = sm.GLM(_y_ex, sm.add_constant(_p_ex), family=sm.families.Binomial()).fit().params[1]
assert abs(_slope_ex - _on_p_ex) > 0.01, (
    "That slope comes from regressing on the risks themselves: regress on their log-odds, log(p / (1 - p))."
)
assert abs(_slope_ex - 1) < 0.15 and abs(_int_ex) < 0.15, (
    "For predictions that are right by design, the slope should be near 1 and the intercept near 0: "
    "check which regression gives which number."
)
_int_ex2, _slope_ex2 = calibration_intercept_slope(_y_ex, 1 / (1 + np.exp(-2 * np.log(_p_ex / (1 - _p_ex)))))
assert abs(_slope_ex2 - 0.5) < 0.1, "Predictions twice as extreme (log-odds doubled) should give a slope near 0.5."
assert fingerprint(calib_women[0], 2) == "9e08a62f297e" and fingerprint(calib_women[1], 2) == "64ee787d2a1e", (
    "calib_women is off: the test patients who are women only, with y_test and risk."
)
assert fingerprint(calib_men[0], 2) == "91539d7445b2" and fingerprint(calib_men[1], 2) == "b6319965a929", (
    "calib_men is off: the test patients who are men only, with y_test and risk."
)
### BEGIN HIDDEN TESTS
import importlib as _il

_np = _il.import_module("numpy")
_pd = _il.import_module("pandas")
_sm = _il.import_module("statsmodels.api")
_ms = _il.import_module("sklearn.model_selection")


def _ref_cal(_yy, _pp):
    _yy, _pp = _np.asarray(_yy, dtype=float), _np.asarray(_pp, dtype=float)
    _lp = _np.log(_pp) - _np.log1p(-_pp)
    _a = _sm.GLM(_yy, _np.ones_like(_lp), family=_sm.families.Binomial(), offset=_lp).fit().params[0]
    _b = _sm.GLM(_yy, _np.column_stack([_np.ones_like(_lp), _lp]), family=_sm.families.Binomial()).fit().params[1]
    return float(_a), float(_b)


_r = _np.random.default_rng(404)
for _ in range(3):
    _pp = _r.uniform(0.02, 0.98, 600)
    _yy = (_r.random(600) < 1 / (1 + _np.exp(-(0.4 + 0.7 * _np.log(_pp / (1 - _pp)))))).astype(int)
    _got = calibration_intercept_slope(_yy, _pp)
    _ref = _ref_cal(_yy, _pp)
    assert abs(float(_got[0]) - _ref[0]) < 1e-6, "The calibration intercept is off: log-odds as an offset, a constant alone."
    assert abs(float(_got[1]) - _ref[1]) < 1e-6, "The calibration slope is off: the outcome on a constant and the log-odds."
_h = _pd.read_csv("heart_disease.csv")
_y = (_h["num"] > 0).astype(int)
_Xte, _yte = _ms.train_test_split(_h[numeric + categorical], _y, test_size=0.4,
                                  stratify=_h["site"] + _h["sex"] + _y.astype(str), random_state=0)[1::2]
_risk = model.predict_proba(_Xte)[:, 1]
for _sex, _pair in [("Female", calib_women), ("Male", calib_men)]:
    _in = (_Xte["sex"] == _sex).to_numpy()
    _ref = _ref_cal(_yte.to_numpy()[_in], _risk[_in])
    assert abs(float(_pair[0]) - _ref[0]) < 1e-6 and abs(float(_pair[1]) - _ref[1]) < 1e-6, (
        "calib_women or calib_men is off: use the test patients of that sex only, with y_test and risk."
    )
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q3_curve_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Look at the curve behind the two numbers, and at what the cardiology service's favourite fix, "take sex
# out of the inputs", would change. Run the cell: it prints the observed share with CAD in four bins of
# predicted risk per sex, then refits the same model on the same training patients without `sex` and
# audits both models on the test patients. You will need these numbers in Question 11.

# %% nbgrader={"grade": false, "grade_id": "q3_curve", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Run this cell, but please don't change it.
from sklearn.calibration import calibration_curve

for group in ["Female", "Male"]:
    in_group = (sex_test == group).to_numpy()
    observed, predicted = calibration_curve(y_test[in_group], risk[in_group], n_bins=4, strategy="quantile")
    print(f"{group:6s} predicted: {', '.join(f'{v:.0%}' for v in predicted)}")
    print(f"{'':6s} observed:  {', '.join(f'{v:.0%}' for v in observed)}")

# extra code – the same model without sex among its inputs
model_no_sex = make_pipeline(
    make_column_transformer(
        (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
        (make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")), ["cp", "exang"]),
    ),
    LogisticRegression(max_iter=1000),
)
model_no_sex.fit(X_train.drop(columns="sex"), y_train)
risk_no_sex = model_no_sex.predict_proba(X_test.drop(columns="sex"))[:, 1]
trade_off = {}
for label, probability in [("with sex", risk), ("without sex", risk_no_sex)]:
    call = (probability >= 0.5).astype(int)
    for group in ["Female", "Male"]:
        in_group = (sex_test == group).to_numpy()
        trade_off[(label, group)] = {
            "FNR": false_negative_rate(y_test[in_group], call[in_group]),
            "FPR": false_positive_rate(y_test[in_group], call[in_group]),
            "mean predicted": probability[in_group].mean(), "observed with CAD": y_test[in_group].mean(),
        }
pd.DataFrame(trade_off).T.round(2)

# %% [markdown] nbgrader={"grade": false, "grade_id": "q4_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Where gaps come from: a cohort where the truth is known
#
# With real patients we can see *that* a model treats groups differently, but rarely *why*. The next
# questions use a synthetic cohort of 10,000 emergency patients in two social groups, G0 and G1, made by
# the course's generator. Each file is the same patients with one bias mechanism switched on; the truth
# file holds what no hospital record shows: each patient's true chronic **need** for care, their true
# arterial oxygen saturation (SaO2), and so on. Read the cells below, run them, and look at the tables.
#
# **A care-management programme** offers extra nursing support to the quarter of patients the model ranks
# highest (lab 4 and the chapter enrol a fifth, with another model: your numbers here differ from theirs). The model learns from each patient's age, sex, chronic conditions and healthcare cost this year
# to predict a *label* for next year. In `cohort_baseline.csv` the label is next year's number of chronic
# conditions (a measure of need); in `cohort_label_cost.csv` it is next year's **cost**, as in the
# algorithm studied by Obermeyer et al. (*Science* 2019). G1 patients receive less care for the same need
# in this cohort, so they cost less.

# %% nbgrader={"grade": false, "grade_id": "cohort_setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Run this cell, but please don't change it.
truth = pd.read_csv("cohort_baseline_truth.csv")  # the oracle: the same patients, row for row, in every file


def care_programme(seen):
    """extra code – train the care-management model on the cohort's `train` patients and enrol the top
    quarter of its `test` patients. Returns one row per test patient:
    group, enrolled (1 = offered a place), recorded_high (1 = next year's recorded label in the top quarter)
    and high_need (1 = true need in the top quarter: the patients the programme is meant for)."""
    df = seen.merge(truth, on="patient_id")
    train, test = df[df["split"] == "train"], df[df["split"] == "test"].copy()

    def inputs(d):
        return pd.DataFrame({"age": d["age"], "female": (d["sex"] == "F").astype(int),
                             "conditions_prior": d["conditions_prior"], "log_cost_prior": np.log1p(d["cost_prior"])})

    cut = train["care_label"].quantile(0.75)
    clf = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    clf.fit(inputs(train), (train["care_label"] >= cut).astype(int))
    score = clf.predict_proba(inputs(test))[:, 1]
    test["enrolled"] = (score >= np.quantile(score, 0.75)).astype(int)
    test["recorded_high"] = (test["care_label"] >= cut).astype(int)
    test["high_need"] = (test["need"] >= test["need"].quantile(0.75)).astype(int)
    return test[["patient_id", "group", "enrolled", "recorded_high", "high_need"]].reset_index(drop=True)


programme_need = care_programme(pd.read_csv("cohort_baseline.csv"))   # label = next year's conditions
programme_cost = care_programme(pd.read_csv("cohort_label_cost.csv"))  # label = next year's cost
programme_cost.head()

# %% [markdown] nbgrader={"grade": false, "grade_id": "q4_text2", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 4: who is left out of the programme? (2 points)
#
# For each programme, a false negative is a patient with **high true need** (`high_need == 1`) who is
# **not enrolled** (`enrolled == 0`). Store the false-negative-rate gap, **FNR in G1 minus FNR in G0**, in
# `gap_need` (for `programme_need`) and in `gap_cost` (for `programme_cost`). **Compute** both (a small
# function of the truth, the calls and the groups does it, and serves again in Questions 5 and 6).

# %% nbgrader={"grade": false, "grade_id": "q4_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
def fnr_gap_g1_g0(y_true, y_pred, groups):
    frame = MetricFrame(metrics=false_negative_rate, y_true=y_true, y_pred=y_pred, sensitive_features=groups)
    return float(frame.by_group["G1"] - frame.by_group["G0"])


gap_need = fnr_gap_g1_g0(programme_need["high_need"], programme_need["enrolled"], programme_need["group"])
gap_cost = fnr_gap_g1_g0(programme_cost["high_need"], programme_cost["enrolled"], programme_cost["group"])
### END SOLUTION
print(f"Missed high-need patients, G1 minus G0: label = need {gap_need:+.2f}; label = cost {gap_cost:+.2f}")

# %% nbgrader={"grade": true, "grade_id": "q4_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M4.4"}
"""Check the gaps in missed high-need patients, G1 minus G0, for the two labels."""
assert isinstance(gap_need, float) and isinstance(gap_cost, float), "gap_need and gap_cost should be numbers (floats)."
assert -1 <= gap_need <= 1 and -1 <= gap_cost <= 1, "A gap between two rates is a fraction between -1 and 1."
assert fingerprint(-gap_cost, 2) != "9e08a62f297e", "The sign is reversed: G1 minus G0."
assert fingerprint(gap_need, 2) == "3d0d79392e52" and fingerprint(gap_cost, 2) == "9e08a62f297e", (
    "A gap is off: the false-negative rate against TRUE need (high_need), for the patients enrolled, G1 minus G0."
)
### BEGIN HIDDEN TESTS
import importlib as _il

_fm = _il.import_module("fairlearn.metrics")
for _frame, _got, _name in [(programme_need, gap_need, "gap_need"), (programme_cost, gap_cost, "gap_cost")]:
    _g1 = (_frame["group"] == "G1").to_numpy()
    _t, _p = _frame["high_need"].to_numpy(), _frame["enrolled"].to_numpy()
    _ref = _fm.false_negative_rate(_t[_g1], _p[_g1]) - _fm.false_negative_rate(_t[~_g1], _p[~_g1])
    assert abs(float(_got) - _ref) < 0.005 + 1e-9, (
        f"{_name} is off: the truth is high_need, the call is enrolled, and the gap is G1's FNR minus G0's."
    )
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q5_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 5: what an audit of the recorded label sees (2 points)
#
# The hospital's auditors do not know anyone's true need: they only have the label the model was trained
# on. Redo Question 4 for `programme_cost` with the **recorded** label as the truth (`recorded_high`
# instead of `high_need`) and store the FNR gap, G1 minus G0, in `gap_cost_recorded`. Would the auditors
# have found the problem? (If both your gaps of Question 4 are G0 minus G1, this one is judged by that same
# rule, so the slip is not counted twice; the same holds for Question 6.) **Compute** it.

# %% nbgrader={"grade": false, "grade_id": "q5_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
gap_cost_recorded = fnr_gap_g1_g0(programme_cost["recorded_high"], programme_cost["enrolled"], programme_cost["group"])
### END SOLUTION
print(f"Against the recorded label: {gap_cost_recorded:+.2f}; against true need: {gap_cost:+.2f}")

# %% nbgrader={"grade": true, "grade_id": "q5_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M4.4"}
"""Check the FNR gap of the cost programme measured against its recorded label."""
assert isinstance(gap_cost_recorded, float), "gap_cost_recorded should be a number (a float)."
assert -1 <= gap_cost_recorded <= 1, "A gap between two rates is a fraction between -1 and 1."
try:  # both your gaps of Question 4 taken the other way round, G0 minus G1?
    reversed_ex = fingerprint(-gap_need, 2) == "3d0d79392e52" and fingerprint(-gap_cost, 2) == "9e08a62f297e"
except Exception:
    reversed_ex = False
if reversed_ex:
    print("Your gaps of Question 4 are G0 minus G1: fix them, then run this cell again. This gap is judged by the "
          "same rule as yours, so the slip is not counted twice.")
assert fingerprint(gap_cost_recorded, 2) == "39ccca443af7" or (
    reversed_ex and fingerprint(-gap_cost_recorded, 2) == "39ccca443af7"), (
    "gap_cost_recorded is off: programme_cost, with recorded_high as the truth, G1 minus G0."
)
### BEGIN HIDDEN TESTS
import importlib as _il

_fm = _il.import_module("fairlearn.metrics")
_g1 = (programme_cost["group"] == "G1").to_numpy()
_t, _p = programme_cost["recorded_high"].to_numpy(), programme_cost["enrolled"].to_numpy()
_ref = _fm.false_negative_rate(_t[_g1], _p[_g1]) - _fm.false_negative_rate(_t[~_g1], _p[~_g1])
_gap = lambda f: (_fm.false_negative_rate(f["high_need"][f["group"] == "G1"], f["enrolled"][f["group"] == "G1"])  # noqa: E731
                  - _fm.false_negative_rate(f["high_need"][f["group"] == "G0"], f["enrolled"][f["group"] == "G0"]))
try:  # carry-forward: both gaps of Question 4 are G0 minus G1, so this one is judged by that sign
    _sign = -1 if all(abs(float(g) + _gap(f)) < 0.005 + 1e-9 for f, g in [(programme_need, gap_need), (programme_cost, gap_cost)]) else 1
except Exception:  # no usable gaps of Question 4: no carry-forward
    _sign = 1
assert abs(float(gap_cost_recorded) - _ref) < 0.005 + 1e-9 or abs(float(gap_cost_recorded) - _sign * _ref) < 0.005 + 1e-9, (
    "gap_cost_recorded is off: use programme_cost, recorded_high as the truth and enrolled as the call."
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q6_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 6: a pulse oximeter rule (2 points)
#
# In this emergency department, a nurse takes an arterial blood gas when a patient's pulse-oximeter
# reading (SpO2, column `spo2`) is **below 94%** (lab 4 and the chapter use 92%: a higher trigger, so other
# numbers). The patients who need it are those whose true arterial saturation (SaO2, column `sao2` of the
# truth file) is **below 88%**. Using `cohort_spo2_bias.csv` merged
# with `truth` on `patient_id` (all 10,000 patients), store the gap in the rule's false-negative rate,
# **G1 minus G0**, in `gap_oximeter`. (If both your gaps of Question 4 are G0 minus G1, this one is judged
# by that same rule, so the slip is not counted twice.) **Compute** it. Does the higher trigger close the gap?
# The cell after the check prints each group's miss rate under the lab's 92% trigger, and under 94% once your
# gap is right: the gap narrows in points, but not as a ratio (G1's hypoxaemia is missed more times as often
# as G0's): the higher trigger catches most of G0's missed patients but fewer than half of G1's.

# %% nbgrader={"grade": false, "grade_id": "q6_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
oximetry = pd.read_csv("cohort_spo2_bias.csv").merge(truth, on="patient_id")
hypoxaemic = (oximetry["sao2"] < 88).astype(int)
flagged = (oximetry["spo2"] < 94).astype(int)
gap_oximeter = fnr_gap_g1_g0(hypoxaemic, flagged, oximetry["group"])
### END SOLUTION
print(f"Missed hypoxaemia, G1 minus G0: {gap_oximeter:+.2f}")

# %% nbgrader={"grade": true, "grade_id": "q6_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M4.4"}
"""Check the gap in missed hypoxaemia between the groups for the SpO2 rule."""
assert isinstance(gap_oximeter, float), "gap_oximeter should be a number (a float)."
assert -1 <= gap_oximeter <= 1, "A gap between two rates is a fraction between -1 and 1."
try:  # both your gaps of Question 4 taken the other way round, G0 minus G1?
    reversed_ex = fingerprint(-gap_need, 2) == "3d0d79392e52" and fingerprint(-gap_cost, 2) == "9e08a62f297e"
except Exception:
    reversed_ex = False
if reversed_ex:
    print("Your gaps of Question 4 are G0 minus G1: fix them, then run this cell again. This gap is judged by the "
          "same rule as yours, so the slip is not counted twice.")
assert reversed_ex or fingerprint(-gap_oximeter, 2) != "8843d0ae2f23", "The sign is reversed: G1 minus G0."
assert fingerprint(gap_oximeter, 2) == "8843d0ae2f23" or (reversed_ex and fingerprint(-gap_oximeter, 2) == "8843d0ae2f23"), (
    "gap_oximeter is off: truth = SaO2 below 88 (from the truth file), flag = SpO2 below 94, G1 minus G0."
)
### BEGIN HIDDEN TESTS
import importlib as _il

_fm = _il.import_module("fairlearn.metrics")
_pd = _il.import_module("pandas")
_ox = _pd.read_csv("cohort_spo2_bias.csv").merge(_pd.read_csv("cohort_baseline_truth.csv"), on="patient_id")
_t, _p = (_ox["sao2"] < 88).to_numpy().astype(int), (_ox["spo2"] < 94).to_numpy().astype(int)
_g1 = (_ox["group"] == "G1").to_numpy()
_ref = _fm.false_negative_rate(_t[_g1], _p[_g1]) - _fm.false_negative_rate(_t[~_g1], _p[~_g1])
_gap = lambda f: (_fm.false_negative_rate(f["high_need"][f["group"] == "G1"], f["enrolled"][f["group"] == "G1"])  # noqa: E731
                  - _fm.false_negative_rate(f["high_need"][f["group"] == "G0"], f["enrolled"][f["group"] == "G0"]))
try:  # carry-forward: both gaps of Question 4 are G0 minus G1, so this one is judged by that sign
    _sign = -1 if all(abs(float(g) + _gap(f)) < 0.005 + 1e-9 for f, g in [(programme_need, gap_need), (programme_cost, gap_cost)]) else 1
except Exception:  # no usable gaps of Question 4: no carry-forward
    _sign = 1
assert abs(float(gap_oximeter) - _ref) < 0.005 + 1e-9 or abs(float(gap_oximeter) - _sign * _ref) < 0.005 + 1e-9, (
    "gap_oximeter is off: the truth is SaO2 below 88 (truth file), the call is SpO2 below 94 (recorded file), "
    "over all patients of cohort_spo2_bias.csv, G1's FNR minus G0's."
)
### END HIDDEN TESTS

# %% nbgrader={"grade": false, "grade_id": "q6_triggers", "locked": true, "schema_version": 3, "solution": false, "task": false}
# extra code – missed hypoxaemia in each group under the lab's trigger (SpO2 below 92%) and, once your
# gap_oximeter passes its check, under this one (below 94%)
oximetry_ex = pd.read_csv("cohort_spo2_bias.csv").merge(truth, on="patient_id")
try:
    your_gap_right = fingerprint(abs(float(gap_oximeter)), 2) == "8843d0ae2f23"
except Exception:  # no usable gap_oximeter yet
    your_gap_right = False
for trigger_ex in (92, 94) if your_gap_right else (92,):
    missed_ex = MetricFrame(metrics=false_negative_rate, y_true=(oximetry_ex["sao2"] < 88).astype(int),
                            y_pred=(oximetry_ex["spo2"] < trigger_ex).astype(int),
                            sensitive_features=oximetry_ex["group"]).by_group
    print(f"SpO2 below {trigger_ex}%: missed hypoxaemia G1 {missed_ex['G1']:.1%}, G0 {missed_ex['G0']:.1%}; "
          f"gap {missed_ex['G1'] - missed_ex['G0']:+.2f}, G1 missed {missed_ex['G1'] / missed_ex['G0']:.1f} times as often")

# %% [markdown] nbgrader={"grade": false, "grade_id": "q7_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 7: name the source (1 point)
#
# For each of the two disparities you measured (the cost-based programme and the oximeter rule), which
# mechanism produced it? Store a dictionary `sources` with the keys `"programme"` and `"oximeter"`, each
# set to one of these four strings:
#
# - `"label"`: the outcome the model learns is a poor stand-in for what we care about, worse in one group;
# - `"measurement"`: an input is measured less accurately in one group;
# - `"under-representation"`: one group is rare in the data the model learned from;
# - `"missing data"`: a test is done less often in one group.
#
# Hint: compare the files. What differs between `cohort_baseline.csv` and the other two? **Typing is fine**:
# this is a reading question; type the two strings.

# %% nbgrader={"grade": false, "grade_id": "q7_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
sources = {"programme": "label", "oximeter": "measurement"}
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "q7_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M4.4"}
"""Check that each disparity is traced to one of the four mechanisms."""
CHOICES = {"label", "measurement", "under-representation", "missing data"}
assert type(sources) is dict, "sources should be a dictionary."
assert set(sources) == {"programme", "oximeter"}, "Use exactly the keys 'programme' and 'oximeter'."
assert all(type(v) is str and v in CHOICES for v in sources.values()), (
    f"Each value should be one of these strings, spelled exactly: {sorted(CHOICES)}"
)
assert fingerprint(sources["programme"]) == "1aca80e8b55c", (
    "Not the programme's mechanism: what does the model learn to predict, and is it the same thing as need?"
)
assert fingerprint(sources["oximeter"]) == "6c5a6990038d", (
    "Not the oximeter's mechanism: compare SpO2 with the true SaO2 in each group."
)
### BEGIN HIDDEN TESTS
assert str(sources["programme"]) == "label", (
    "Look again at the programme: which column differs between cohort_baseline.csv and cohort_label_cost.csv?"
)
assert str(sources["oximeter"]) == "measurement", (
    "Look again at the oximeter: SaO2 is the same in both groups' truth; what differs is what the device reads."
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q8_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 8: a fix, and what it costs (2 points)
#
# Back to the chest-pain model. fairlearn's `ThresholdOptimizer` (Hardt, Price and Srebro 2016) keeps the
# model but chooses a separate threshold for each sex so that the share of patients with CAD who are
# referred is the same in women and men.
#
# **Fit it on patients the model has not seen.** The model's scores on its own training patients are
# better separated than they will be on anyone else (it has partly learned their noise), so thresholds
# chosen there are tuned to scores the model will not produce again. The cell below splits the test
# patients in two, with the same mix of sex and disease: a **tuning** half (`X_tune`, `y_tune`) to fit the
# thresholds on, and an **evaluation** half (`X_eval`, `y_eval`), which neither the model nor the thresholds
# have seen, to judge the result on.
#
# Fit a `ThresholdOptimizer` on the tuning half with these settings:
#
# ```python
# ThresholdOptimizer(estimator=model, constraints="true_positive_rate_parity", objective="accuracy_score",
#                    predict_method="predict_proba", prefit=True)
# ```
#
# (`.fit(X_tune, y_tune, sensitive_features=X_tune["sex"])`), then call its `.predict(X_eval,
# sensitive_features=X_eval["sex"], random_state=0)` to get the new referrals of the evaluation half. Store
# the new false-negative rates on the evaluation half in `fnr_women_after` and `fnr_men_after`, and the
# share of evaluation patients classified correctly before (with `referred_eval`, the model at 50%) and
# after in `accuracy_before` and `accuracy_after`. **Compute** all four.

# %% nbgrader={"grade": false, "grade_id": "q8_split", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Run this cell, but please don't change it.
X_tune, X_eval, y_tune, y_eval = train_test_split(X_test, y_test, test_size=0.5,
                                                  stratify=X_test["sex"] + y_test.astype(str), random_state=0)
referred_eval = (model.predict_proba(X_eval)[:, 1] >= 0.5).astype(int)  # the model at 50%, evaluation half
women_eval = (X_eval["sex"] == "Female").to_numpy()
print(f"Tuning half: {len(y_tune)} patients, {int(y_tune[(X_tune['sex'] == 'Female').to_numpy()].sum())} women "
      f"with CAD. Evaluation half: {len(y_eval)} patients, {int(y_eval[women_eval].sum())} women with CAD.")
print(f"Before any fix, on the evaluation half: FNR women {false_negative_rate(y_eval[women_eval], referred_eval[women_eval]):.2f}, "
      f"men {false_negative_rate(y_eval[~women_eval], referred_eval[~women_eval]):.2f}.")

# %% nbgrader={"grade": false, "grade_id": "q8_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
mitigated = ThresholdOptimizer(estimator=model, constraints="true_positive_rate_parity", objective="accuracy_score",
                               predict_method="predict_proba", prefit=True)
mitigated.fit(X_tune, y_tune, sensitive_features=X_tune["sex"])
referred_after = np.asarray(mitigated.predict(X_eval, sensitive_features=X_eval["sex"], random_state=0)).astype(int)
after = MetricFrame(metrics=false_negative_rate, y_true=y_eval, y_pred=referred_after,
                    sensitive_features=X_eval["sex"])
fnr_women_after = float(after.by_group["Female"])
fnr_men_after = float(after.by_group["Male"])
accuracy_before = float(accuracy_score(y_eval, referred_eval))
accuracy_after = float(accuracy_score(y_eval, referred_after))
### END SOLUTION
print(f"Evaluation half after the fix: FNR women {fnr_women_after:.2f}, men {fnr_men_after:.2f}; "
      f"accuracy {accuracy_before:.2f} -> {accuracy_after:.2f}")

# %% nbgrader={"grade": true, "grade_id": "q8_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M4.5"}
"""Check the false-negative rates and the accuracy before and after ThresholdOptimizer, on the evaluation half."""
for name_ex, value_ex in [("fnr_women_after", fnr_women_after), ("fnr_men_after", fnr_men_after),
                          ("accuracy_before", accuracy_before), ("accuracy_after", accuracy_after)]:
    assert isinstance(value_ex, float) and 0 <= value_ex <= 1, f"{name_ex} should be a fraction (a float between 0 and 1)."
assert accuracy_before > 0.5, "accuracy_before is the share of evaluation patients whose referral matches their diagnosis."
assert fingerprint(accuracy_before, 2) == "5bcccbeaf5d2", (
    "accuracy_before is off: the model at 50% (referred_eval) against y_eval, on the evaluation half only."
)
assert not (fingerprint(fnr_women_after, 2) == "358e553bf44a" and fingerprint(fnr_men_after, 2) == "95f8ecec9c63"), (
    "Women and men are swapped."
)
for name_ex, value_ex, key_ex in [("fnr_women_after", fnr_women_after, "95f8ecec9c63"),
                                  ("fnr_men_after", fnr_men_after, "358e553bf44a"),
                                  ("accuracy_after", accuracy_after, "4d44dd7e230b")]:
    assert fingerprint(value_ex, 2) == key_ex, (
        f"{name_ex} is off: predict on the EVALUATION half (X_eval, random_state=0) and compare with y_eval; "
        "false-NEGATIVE rates."
    )
### BEGIN HIDDEN TESTS
import importlib as _il

_np = _il.import_module("numpy")
_pd = _il.import_module("pandas")
_fm = _il.import_module("fairlearn.metrics")
_skm = _il.import_module("sklearn.metrics")
_ms = _il.import_module("sklearn.model_selection")
_post = _il.import_module("fairlearn.postprocessing")
_h = _pd.read_csv("heart_disease.csv")
_y = (_h["num"] > 0).astype(int)
_Xtr, _Xte, _ytr, _yte = _ms.train_test_split(_h[numeric + categorical], _y, test_size=0.4,
                                              stratify=_h["site"] + _h["sex"] + _y.astype(str), random_state=0)
_Xtu, _Xev, _ytu, _yev = _ms.train_test_split(_Xte, _yte, test_size=0.5, stratify=_Xte["sex"] + _yte.astype(str),
                                              random_state=0)
_before = (model.predict_proba(_Xev)[:, 1] >= 0.5).astype(int)
_to = _post.ThresholdOptimizer(estimator=model, constraints="true_positive_rate_parity", objective="accuracy_score",
                               predict_method="predict_proba", prefit=True)
_to.fit(_Xtu, _ytu, sensitive_features=_Xtu["sex"])
_after = _np.asarray(_to.predict(_Xev, sensitive_features=_Xev["sex"], random_state=0)).astype(int)
_w = (_Xev["sex"] == "Female").to_numpy()
assert abs(float(accuracy_before) - _skm.accuracy_score(_yev, _before)) < 0.005 + 1e-9, (
    "accuracy_before is off: compare referred_eval with y_eval over all evaluation patients."
)
assert abs(float(accuracy_after) - _skm.accuracy_score(_yev, _after)) < 0.005 + 1e-9, (
    "accuracy_after is off: did you fit on the tuning half and predict the evaluation half with random_state=0?"
)
assert abs(float(fnr_women_after) - _fm.false_negative_rate(_yev[_w], _after[_w])) < 0.005 + 1e-9, (
    "fnr_women_after is off: the share of evaluation women with CAD whom the new referrals miss."
)
assert abs(float(fnr_men_after) - _fm.false_negative_rate(_yev[~_w], _after[~_w])) < 0.005 + 1e-9, (
    "fnr_men_after is off: the share of evaluation men with CAD whom the new referrals miss."
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q9_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 9: a fix while training, and what it changes (2 points)
#
# (If the women's false-negative rate of Question 8 is the one printed before the fix, that is no slip:
# the evaluation half has only ten women with CAD, and the fix tuned on the other half need not change
# which of them are missed. With so few patients, a fix that holds on the tuning half may not show on the
# evaluation half, in either direction.)
#
# fairlearn's `ExponentiatedGradient` (Agarwal et al. 2018) does not touch the thresholds. It **retrains**
# the model under the constraint: it fits a series of logistic regressions on the training patients, each
# with the patients reweighted, and predicts with a randomised mixture of them, chosen so that the
# constraint (here, the same true-positive rate in women and men) holds on the training patients. Sex is
# used while training, not when it predicts. The cell below fits one (it takes a few seconds).
#
# Then (a) store its false-negative rates on the **evaluation half** in `fnr_women_eg` and `fnr_men_eg`
# (`reduction.predict(prepare.transform(X_eval), random_state=0)` gives its calls), and (b) store in
# `eg_changes` the one string, of these three, that says what `ExponentiatedGradient` changes:
#
# - `"thresholds"`: the same model, with a different threshold for each sex;
# - `"model"`: new model coefficients, learned under the constraint, with one threshold for everyone;
# - `"inputs"`: the same model with sex removed from its inputs.
#
# **Compute** (a); for (b), **typing is fine**: type the string.

# %% nbgrader={"grade": false, "grade_id": "q9_fit", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Run this cell, but please don't change it.
prepare = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
    (make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")), categorical),
).fit(X_train)
reduction = ExponentiatedGradient(LogisticRegression(max_iter=1000), constraints=TruePositiveRateParity(), max_iter=50)
reduction.fit(prepare.transform(X_train), y_train, sensitive_features=X_train["sex"])
print(f"ExponentiatedGradient mixes {len(reduction.predictors_)} logistic regressions.")

# %% nbgrader={"grade": false, "grade_id": "q9_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
referred_eg = np.asarray(reduction.predict(prepare.transform(X_eval), random_state=0)).astype(int)
fnr_women_eg = float(false_negative_rate(y_eval[women_eval], referred_eg[women_eval]))
fnr_men_eg = float(false_negative_rate(y_eval[~women_eval], referred_eg[~women_eval]))
eg_changes = "model"
### END SOLUTION
print(f"Evaluation half with ExponentiatedGradient: FNR women {fnr_women_eg:.2f}, men {fnr_men_eg:.2f}")

# %% nbgrader={"grade": true, "grade_id": "q9_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M4.5"}
"""Check what ExponentiatedGradient changes, and its false-negative rates on the evaluation half."""
assert isinstance(fnr_women_eg, float) and isinstance(fnr_men_eg, float), "Store the two FNRs as floats."
assert 0 <= fnr_women_eg <= 1 and 0 <= fnr_men_eg <= 1, "Give the rates as fractions between 0 and 1."
assert type(eg_changes) is str and eg_changes in {"thresholds", "model", "inputs"}, (
    "eg_changes should be one of the strings 'thresholds', 'model' or 'inputs', spelled exactly."
)
assert fingerprint(fnr_women_eg, 2) == "95f8ecec9c63" and fingerprint(fnr_men_eg, 2) == "e6743df815da", (
    "Your false-negative rates are off: the evaluation half, women_eval for women and ~women_eval for men."
)
assert fingerprint(eg_changes) == "9372c470eead", (
    "Not what ExponentiatedGradient changes: it retrains, with one threshold for everyone."
)
### BEGIN HIDDEN TESTS
import importlib as _il

_np = _il.import_module("numpy")
_pd = _il.import_module("pandas")
_fm = _il.import_module("fairlearn.metrics")
_ms = _il.import_module("sklearn.model_selection")
_red = _il.import_module("fairlearn.reductions")
_lm = _il.import_module("sklearn.linear_model")
_cmp = _il.import_module("sklearn.compose")
_imp = _il.import_module("sklearn.impute")
_pre = _il.import_module("sklearn.preprocessing")
_pipe = _il.import_module("sklearn.pipeline")
assert str(eg_changes) == "model", (
    "Look again at what ExponentiatedGradient fits: does it keep the model, or learn new coefficients?"
)
_h = _pd.read_csv("heart_disease.csv")
_y = (_h["num"] > 0).astype(int)
_Xtr, _Xte, _ytr, _yte = _ms.train_test_split(_h[numeric + categorical], _y, test_size=0.4,
                                              stratify=_h["site"] + _h["sex"] + _y.astype(str), random_state=0)
_Xtu, _Xev, _ytu, _yev = _ms.train_test_split(_Xte, _yte, test_size=0.5, stratify=_Xte["sex"] + _yte.astype(str),
                                              random_state=0)
_prep = _cmp.make_column_transformer(
    (_pipe.make_pipeline(_imp.SimpleImputer(strategy="median"), _pre.StandardScaler()), numeric),
    (_pipe.make_pipeline(_imp.SimpleImputer(strategy="most_frequent"), _pre.OneHotEncoder(handle_unknown="ignore")),
     categorical),
).fit(_Xtr)
_eg = _red.ExponentiatedGradient(_lm.LogisticRegression(max_iter=1000), constraints=_red.TruePositiveRateParity(),
                                 max_iter=50)
_eg.fit(_prep.transform(_Xtr), _ytr, sensitive_features=_Xtr["sex"])
_calls = _np.asarray(_eg.predict(_prep.transform(_Xev), random_state=0)).astype(int)
_w = (_Xev["sex"] == "Female").to_numpy()
assert abs(float(fnr_women_eg) - _fm.false_negative_rate(_yev[_w], _calls[_w])) < 0.005 + 1e-9, (
    "fnr_women_eg is off: the share of evaluation women with CAD whom ExponentiatedGradient does not refer."
)
assert abs(float(fnr_men_eg) - _fm.false_negative_rate(_yev[~_w], _calls[~_w])) < 0.005 + 1e-9, (
    "fnr_men_eg is off: the share of evaluation men with CAD whom ExponentiatedGradient does not refer."
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q10_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 10: why the rates cannot all be equal (2 points)
#
# Chouldechova (*Big Data* 2017) showed that for any model and threshold, in any group, the false-positive rate is fixed
# by the group's prevalence $p$, the positive predictive value (PPV) and the false-negative rate (FNR):
#
# $$\text{FPR} = \frac{p}{1-p}\cdot\frac{1-\text{PPV}}{\text{PPV}}\cdot(1-\text{FNR})$$
#
# Write `implied_fpr(prevalence, ppv, fnr)` that returns this FPR. Then suppose a chest-pain model had the
# **same** PPV (0.80) and the **same** FNR (0.20) in women and in men, where 26% of women and 63% of men
# have CAD. Store the FPRs this forces in `fpr_women_forced` and `fpr_men_forced`. **Compute** (a function: the
# hidden tests try it on other values); the two FPRs come from calling it.

# %% nbgrader={"grade": false, "grade_id": "q10_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def implied_fpr(prevalence, ppv, fnr):
    ### BEGIN SOLUTION
    return float(prevalence / (1 - prevalence) * (1 - ppv) / ppv * (1 - fnr))
    ### END SOLUTION


### BEGIN SOLUTION
fpr_women_forced = implied_fpr(0.26, 0.80, 0.20)
fpr_men_forced = implied_fpr(0.63, 0.80, 0.20)
### END SOLUTION
print(f"Same PPV and FNR force an FPR of {fpr_women_forced:.2f} in women and {fpr_men_forced:.2f} in men.")

# %% nbgrader={"grade": true, "grade_id": "q10_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M4.6"}
"""Check that implied_fpr follows Chouldechova's identity, and the FPRs it forces."""
assert isinstance(implied_fpr(0.5, 0.5, 0.0), float), "implied_fpr should return a number (a float)."
assert abs(implied_fpr(0.5, 0.5, 0.0) - 1.0) < 1e-9, (
    "With half the patients diseased, half the positive calls wrong and no disease missed, every patient "
    "without disease must be called positive (FPR 1): check your formula."
)
assert isinstance(fpr_women_forced, float) and isinstance(fpr_men_forced, float), "Store the two FPRs as floats."
assert abs(implied_fpr(0.2, 0.5, 0.5) - 0.125) < 1e-9, (
    "implied_fpr is off: p / (1 - p) x (1 - PPV) / PPV x (1 - FNR); check which odds go upside down."
)
assert abs(implied_fpr(0.3, 0.75, 0.1) - 0.3 / 0.7 / 3 * 0.9) < 1e-9, (
    "implied_fpr is right on round numbers but not exactly on prevalence 0.3, PPV 0.75, FNR 0.1: do not round "
    "inside the function (round only when you print)."
)
assert fingerprint(fpr_women_forced, 2) == "91539d7445b2" and fingerprint(fpr_men_forced, 2) == "0bf56cc40e84", (
    "The forced FPRs are off: prevalence 0.26 in women, 0.63 in men, PPV 0.80, FNR 0.20."
)
### BEGIN HIDDEN TESTS
for _p, _ppv, _fnr in [(0.1, 0.3, 0.1), (0.4, 0.7, 0.25), (0.8, 0.9, 0.05)]:
    _ref = _p / (1 - _p) * (1 - _ppv) / _ppv * (1 - _fnr)
    assert abs(float(implied_fpr(_p, _ppv, _fnr)) - _ref) < 1e-9, "implied_fpr is off for other values: check the formula."
assert abs(float(fpr_women_forced) - 0.26 / 0.74 * 0.25 * 0.8) < 0.005 + 1e-9, "fpr_women_forced is off: prevalence 0.26, PPV 0.80, FNR 0.20."
assert abs(float(fpr_men_forced) - 0.63 / 0.37 * 0.25 * 0.8) < 0.005 + 1e-9, "fpr_men_forced is off: prevalence 0.63, PPV 0.80, FNR 0.20."
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q11_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 11: your recommendation to the AI committee (5 points, graded by your instructor)
#
# The hospital's AI committee must decide whether to use the chest-pain model to send patients straight to
# invasive angiography (50% or more) or to a non-invasive test first, and if so whether with one of the
# fixes of Questions 8 and 9. (The 50% cut-off is for teaching: the ESC guidelines reserve direct invasive
# angiography for a very high clinical likelihood (above 85%) or severe symptoms, and this model's
# probabilities, from a 1980s population already referred for angiography, are not on that scale.) The
# cardiology service has also asked whether removing sex from the model's inputs would make it fair. In
# 200 to 300 words, write to the committee:
#
# 1. your recommendation (yes, no or not yet), and what would change it;
# 2. the harm by sex in patients: of 100 women and of 100 men with CAD, how many the model misses
#    (Question 2), and what a miss and an unneeded invasive angiogram mean for the patient;
# 3. whether the model is calibrated in each sex (Question 3: intercept, slope, the curve), and why it
#    misses more women;
# 4. your answer to the cardiology service on removing sex (the table after Question 3: what it changes for
#    women's missed disease, unneeded angiograms and calibration), and what the fixes of Questions 8 and 9
#    changed on the evaluation half;
# 5. how sure you can be, given the number of women with CAD behind each rate, and what you would monitor
#    after deployment.

# %% [markdown] nbgrader={"grade": true, "grade_id": "q11_written", "locked": false, "points": 5, "schema_version": 3, "solution": true, "task": false} autograder={"objective": "M4.6"}
# YOUR ANSWER HERE
