# ---
# jupyter:
#   autograder:
#     title: "Assignment 1: Judging a diagnostic model"
#     module: m01_diagnostic_models
#     data: [heart_disease.csv]
#     sections:  # the book page behind each objective a question assesses (study plans link there)
#       M1.2: book/m01_diagnostic_models/01_confusion_matrix
#       M1.3: book/m01_diagnostic_models/02_prevalence
#       M1.4: book/m01_diagnostic_models/03_roc_pr
#       M1.5: book/m01_diagnostic_models/04_thresholds
#       M1.6: book/m01_diagnostic_models/index
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
# # Assignment 1 notebook
#
# **The patient.** Mrs K., 58, comes to your clinic with three weeks of chest discomfort on exertion.
# Her ECG at rest is normal. The ESC guidelines (2019, 2024) on chronic coronary syndromes estimate the
# pre-test (clinical) likelihood of coronary artery disease (CAD) from age, sex and symptoms (and, in 2024,
# risk factors), then, if CAD cannot be excluded clinically, offer CT coronary angiography or a functional
# imaging test, with invasive angiography only when those call for it; NICE CG95 (2016) offers CT coronary
# angiography when clinical assessment suggests typical or atypical angina, or non-anginal pain with an
# abnormal resting ECG. A colleague has built a model on the
# Cleveland Clinic patients of the UCI Heart Disease study that estimates the probability of CAD (at least
# one major vessel narrowed by more than 50% on angiography) from routinely collected findings. Should its
# output change what you do for Mrs K.: refer her for CT coronary angiography, or not?
#
# In this assignment you judge that model the way you would judge any diagnostic test.
#
# **How it works**
# - Answer in the cells that say `# YOUR CODE HERE` (delete the `raise NotImplementedError()` line) and in
#   the written-answer cell. Do not rename the variables and functions you are asked to create.
# - After each answer, run the test cell below it. A silent test cell means the checks you can see passed;
#   a message tells you what to look at.
# - **What the checks you can see cover.** Each one checks the parts of its answer it can see: a function
#   on a small example of its own, a number about Mrs K.'s model against a "fingerprint" of the right answer
#   (the number, rounded as the notebook prints it, scrambled). A fingerprint hides the number from reading,
#   not from trying values in a loop: the checks are there to help you find your slips, and the hidden tests
#   decide your grade. A silent check means the parts it can see are right; the hidden tests also try your
#   functions on other patients. A check names the usual slips (a wrong denominator, sensitivity and
#   specificity swapped, a percentage for a fraction, 0/1 calls where risks are asked, the prevalence
#   forgotten) when it sees one. The **hidden tests** run when your work is graded: they judge a later answer
#   on your own earlier ones, so one slip costs you points once.
# - **Compute or type?** Each question says so. Where you may type a number, type it as the notebook prints
#   it (e.g. 0.88): that precision is enough for full marks.
# - Keep `heart_disease.csv` in the same folder as this notebook (download both from the course site).
# - Before you submit: *Kernel → Restart Kernel and Run All Cells…*, and check that no cell shows an error.
#
# Points: 17 autograded (10 questions) and 5 for the written answer.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Run this cell to set up the notebook, but please don't change it.
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

if not Path("heart_disease.csv").exists():
    raise FileNotFoundError(
        "heart_disease.csv is not next to this notebook: download it from the assignment page "
        "and save it in the same folder, then run this cell again."
    )

heart = pd.read_csv("heart_disease.csv")
cleveland = heart[heart["site"] == "Cleveland"].reset_index(drop=True)
numeric = ["age", "trestbps", "thalach", "oldpeak"]
categorical = ["sex", "cp", "exang"]
X = cleveland[numeric + categorical]
y = (cleveland["num"] > 0).astype(int)  # 1 = coronary artery disease on angiography

X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.4, stratify=y, random_state=0)

# extra code – the model your colleague built: a logistic regression on seven routine findings
model = make_pipeline(
    make_column_transformer(
        (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
        (make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")), categorical),
    ),
    LogisticRegression(max_iter=1000),
)
model.fit(X_train, y_train)
risk = model.predict_proba(X_test)[:, 1]  # the model's probability of CAD for each test patient

print(f"{len(y_test)} test patients, {y_test.sum()} with CAD (prevalence {y_test.mean():.0%}).")

# %% nbgrader={"grade": false, "grade_id": "check_helpers", "locked": true, "schema_version": 3, "solution": false, "task": false}
# extra code – what the check cells use to tell you, in one line, what is wrong (never the answer). A check
# compares a "fingerprint" of your number, rounded as the notebook prints it, with the right answer's: it
# can say "right" or "not yet" without printing the right number. A fingerprint hides a number from
# reading, not from trying values in a loop; the hidden tests, run at grading, decide your grade.
import re
from hashlib import sha256


def fingerprint(value, decimals):
    return sha256(f"{float(value) + 0.0:.{decimals}f}".encode()).hexdigest()[:12]


def check_number(name, value, fraction=False):
    if isinstance(value, str):
        raise AssertionError(f'{name} should be a number, without quotes or a % sign: e.g. 0.31, not "31%".')
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise AssertionError(f"{name} should be a single number, not {type(value).__name__}.")
    if fraction and not 0 <= float(value) <= 1:
        raise AssertionError(f"{name} should be a proportion between 0 and 1 (e.g. 0.31 for 31%), not a percentage.")


def roc_auc_score(y_true, y_score, **kwargs):
    """scikit-learn's roc_auc_score, with a one-line hint if the outcomes and the risks are swapped."""
    from sklearn import metrics

    if not set(np.unique(np.asarray(y_true, dtype=float))) <= {0.0, 1.0}:
        raise ValueError("roc_auc_score(y_true, risk): put the true 0/1 outcomes first and the model's risks second.")
    return metrics.roc_auc_score(y_true, y_score, **kwargs)


def _percent_sign_hint(shell, etype, value, tb, tb_offset=None):
    """A number typed with a % sign (ppv = 31%) is not Python: one line saying so, then Python's message."""
    if re.search(r"\d\s*%\s*($|#|,|\)|\])", getattr(value, "text", None) or ""):
        print("Type a percentage as a proportion, without the % sign: 0.31 for 31%.")
    shell.showsyntaxerror()


if "get_ipython" in globals():  # in JupyterLab and Jupyter; the grader's checks run without it
    get_ipython().set_custom_exc((SyntaxError,), _percent_sign_hint)

# %% [markdown] nbgrader={"grade": false, "grade_id": "q1_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 1: the 2×2 table (2 points)
#
# A model flags a patient as positive when its risk is at or above a threshold. Write a function
# `confusion_counts(y_true, y_pred)` that takes the true diagnoses and the model's calls (both as numpy
# arrays of 0/1, 1 = CAD, like `y_true` and `y_pred` in the lab) and returns a dictionary with the four
# counts, as whole numbers, under the keys `"TP"`, `"FP"`, `"FN"` and `"TN"`. The lab's counting lines
# (section 3) work here as they are. Compute (a function: the checks try it on other patients).

# %% nbgrader={"grade": false, "grade_id": "q1_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def confusion_counts(y_true, y_pred):
    ### BEGIN SOLUTION
    truth = np.asarray(y_true).astype(int)
    call = np.asarray(y_pred).astype(int)
    return {
        "TP": int(np.sum((truth == 1) & (call == 1))),
        "FP": int(np.sum((truth == 0) & (call == 1))),
        "FN": int(np.sum((truth == 1) & (call == 0))),
        "TN": int(np.sum((truth == 0) & (call == 0))),
    }
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q1_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M1.2"}
"""Check that confusion_counts counts the four cells of the 2x2 table."""
# 8 patients: truth 1 1 1 0 0 0 0 0, calls 1 1 0 1 1 0 0 0 -> TP 2, FN 1, FP 2, TN 3
counts = confusion_counts(np.array([1, 1, 1, 0, 0, 0, 0, 0]), np.array([1, 1, 0, 1, 1, 0, 0, 0]))
assert type(counts) is dict, "confusion_counts should return a dictionary (made with {...} or dict(...))."
assert set(counts) == {"TP", "FP", "FN", "TN"}, "The dictionary needs exactly the keys 'TP', 'FP', 'FN' and 'TN'."
assert all(isinstance(v, (int, np.integer)) for v in counts.values()), "Each count should be a whole number (int(...))."
assert sum(counts.values()) == 8, "The four counts should add up to the number of patients (each patient in one cell)."
assert counts["TP"] == 2, "TP counts patients WITH disease whom the model calls positive: check your condition."
assert not (counts["FP"] == 1 and counts["FN"] == 2), (
    "FP and FN are swapped: FP is NO disease + called positive, FN is disease + called negative."
)
assert counts["TN"] == 3, "TN counts patients WITHOUT disease whom the model calls negative: check your condition."
assert counts["FN"] == 1 and counts["FP"] == 2, (
    "FN is disease + called negative, FP is no disease + called positive: one of them is off."
)
### BEGIN HIDDEN TESTS
import importlib as _il

_np = _il.import_module("numpy")
_skm = _il.import_module("sklearn.metrics")
_rng = _np.random.default_rng(101)
for _ in range(5):
    _t = _rng.integers(0, 2, 200)
    _p = _rng.integers(0, 2, 200)
    _tn, _fp, _fn, _tp = (int(v) for v in _skm.confusion_matrix(_t, _p, labels=[0, 1]).ravel())
    _got = confusion_counts(_t, _p)
    assert type(_got) is dict and all(float(v) == int(v) for v in _got.values()), "confusion_counts must return a dict of whole numbers."
    assert (_got["TP"], _got["FP"], _got["FN"], _got["TN"]) == (_tp, _fp, _fn, _tn), (
        "On a larger set of patients one of the four counts is off: check FP (no disease, called positive) "
        "and FN (disease, called negative)."
    )
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q2_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 2: sensitivity and specificity (2 points)
#
# Write `sens_spec(counts)` that takes a dictionary like the one from Question 1 and returns the pair
# `(sensitivity, specificity)` as fractions between 0 and 1 (not percentages). Compute (a function).

# %% nbgrader={"grade": false, "grade_id": "q2_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def sens_spec(counts):
    ### BEGIN SOLUTION
    sensitivity = counts["TP"] / (counts["TP"] + counts["FN"])
    specificity = counts["TN"] / (counts["TN"] + counts["FP"])
    return float(sensitivity), float(specificity)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q2_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M1.2"}
"""Check that sens_spec returns sensitivity and specificity as fractions."""
result = sens_spec({"TP": 30, "FN": 10, "TN": 72, "FP": 8})  # 40 patients with disease, 80 without
assert type(result) is tuple and len(result) == 2, "sens_spec should return a pair: return sensitivity, specificity"
check_number("sensitivity", result[0], fraction=True)
check_number("specificity", result[1], fraction=True)
sens_ex, spec_ex = (float(v) for v in result)
assert not (abs(sens_ex - 72 / 80) < 1e-9 and abs(spec_ex - 30 / 40) < 1e-9), (
    "Sensitivity and specificity are swapped: return sensitivity first, then specificity."
)
assert abs(sens_ex - 30 / 38) > 1e-9, "That sensitivity is the PPV: sensitivity divides by all patients WITH disease (TP + FN)."
assert abs(sens_ex - 30 / 40) < 1e-9, "Sensitivity is the share of patients WITH disease whom the test calls positive."
assert abs(spec_ex - 72 / 82) > 1e-9, (
    "Specificity divides by all patients WITHOUT disease (TN + FP), not by all negative calls (TN + FN)."
)
assert abs(spec_ex - 8 / 80) > 1e-9, "That is 1 - specificity (the false-positive rate): put the true negatives on top."
assert abs(spec_ex - 72 / 80) < 1e-9, "Specificity is the share of patients WITHOUT disease whom the test calls negative."
sens_ex, spec_ex = (float(v) for v in sens_spec({"TP": 20, "FN": 10, "TN": 50, "FP": 20}))  # 20 of 30, 50 of 70
assert abs(sens_ex - 20 / 30) < 1e-9 and abs(spec_ex - 50 / 70) < 1e-9, (
    "On a second example (20 of 30 with disease found, 50 of 70 without cleared) the values are not exact: "
    "do not round inside the function (round only when you print)."
)
### BEGIN HIDDEN TESTS
import importlib as _il

_np = _il.import_module("numpy")
_skm = _il.import_module("sklearn.metrics")
_rng = _np.random.default_rng(202)
for _ in range(5):
    _t = _rng.integers(0, 2, 300)
    _p = _rng.integers(0, 2, 300)
    _tn, _fp, _fn, _tp = (int(v) for v in _skm.confusion_matrix(_t, _p, labels=[0, 1]).ravel())
    _res = sens_spec({"TP": _tp, "FP": _fp, "FN": _fn, "TN": _tn})
    assert type(_res) is tuple and len(_res) == 2, "sens_spec should return a pair."
    _sens, _spec = (float(v) for v in _res)
    assert abs(_sens - _skm.recall_score(_t, _p)) < 1e-9, "Sensitivity is off on a larger set of patients."
    assert abs(_spec - _skm.recall_score(_t, _p, pos_label=0)) < 1e-9, (
        "Specificity is the share of patients WITHOUT disease whom the test calls negative: check which cells you divide."
    )
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q3_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 3: predictive values and likelihood ratios (2 points)
#
# Write `ppv_npv_lr(counts)` returning four fractions in this order:
# `(ppv, npv, lr_positive, lr_negative)`, where the likelihood ratios follow from sensitivity and
# specificity (Jaeschke, Guyatt and Sackett, *JAMA* 1994). Compute (a function). Calling your `sens_spec`
# of Question 2 inside it is fine: the hidden tests then judge your likelihood ratios on your own
# sensitivity and specificity, so a slip in Question 2 is not counted twice.

# %% nbgrader={"grade": false, "grade_id": "q3_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def ppv_npv_lr(counts):
    ### BEGIN SOLUTION
    ppv = counts["TP"] / (counts["TP"] + counts["FP"])
    npv = counts["TN"] / (counts["TN"] + counts["FN"])
    sensitivity, specificity = sens_spec(counts)
    lr_positive = sensitivity / (1 - specificity)
    lr_negative = (1 - sensitivity) / specificity
    return float(ppv), float(npv), float(lr_positive), float(lr_negative)
    ### END SOLUTION


# %% nbgrader={"grade": true, "grade_id": "q3_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M1.2"}
"""Check that ppv_npv_lr returns PPV, NPV, LR+ and LR- in that order."""
result = ppv_npv_lr({"TP": 30, "FN": 10, "TN": 72, "FP": 8})  # sensitivity 0.75, specificity 0.90
assert type(result) is tuple and len(result) == 4, "Return four numbers: ppv, npv, lr_positive, lr_negative"
for name_ex, value_ex in zip(["ppv", "npv", "lr_positive", "lr_negative"], result):
    check_number(name_ex, value_ex, fraction=name_ex in ("ppv", "npv"))
ppv_ex, npv_ex, lrp_ex, lrn_ex = (float(v) for v in result)
assert not (abs(ppv_ex - 72 / 82) < 1e-9 and abs(npv_ex - 30 / 38) < 1e-9), "PPV and NPV are swapped: PPV comes first."
assert abs(ppv_ex - 30 / 40) > 1e-9, "That PPV is the sensitivity: PPV divides by all positive calls (TP + FP)."
assert abs(ppv_ex - 30 / 38) < 1e-9, "PPV is the share of positive calls that are truly diseased."
assert abs(npv_ex - 72 / 80) > 1e-9, "That NPV is the specificity: NPV divides by all negative calls (TN + FN)."
assert abs(npv_ex - 72 / 82) < 1e-9, "NPV is the share of negative calls (TN + FN) that are truly free of disease."
assert lrp_ex > 1 > lrn_ex, "For a useful test LR+ is above 1 and LR- below 1: check the order of your four values."
try:  # your own sensitivity and specificity (Question 2), if you have written sens_spec
    sens_own, spec_own = (float(v) for v in sens_spec({"TP": 30, "FN": 10, "TN": 72, "FP": 8}))
except Exception:
    sens_own, spec_own = 0.75, 0.90
assert abs(lrp_ex - 0.75 / 0.90) > 1e-9, "LR+ = sensitivity / (1 - specificity), not sensitivity / specificity."
assert abs(lrp_ex - 7.5) < 1e-9 or abs(lrp_ex - sens_own / (1 - spec_own)) < 1e-9, (
    "LR+ = sensitivity / (1 - specificity): check your formula."
)
assert abs(lrn_ex - 0.10 / 0.75) > 1e-9, "LR- = (1 - sensitivity) / specificity: you have 1 / LR+ or (1 - specificity) / sensitivity."
assert abs(lrn_ex - 0.25 / 0.90) < 1e-9 or abs(lrn_ex - (1 - sens_own) / spec_own) < 1e-9, (
    "LR- = (1 - sensitivity) / specificity: check your formula."
)
if (sens_own, spec_own) != (0.75, 0.90):
    print("Your likelihood ratios follow from your sens_spec, which is off: fix Question 2 (this question is "
          "judged on your own sensitivity and specificity, so it keeps its points).")
### BEGIN HIDDEN TESTS
import importlib as _il

_np = _il.import_module("numpy")
_skm = _il.import_module("sklearn.metrics")
_rng = _np.random.default_rng(303)
for _ in range(5):
    _t = _rng.integers(0, 2, 400)
    _p = _np.where(_rng.random(400) < 0.75, _t, 1 - _t)  # a test right 3 times in 4
    _tn, _fp, _fn, _tp = (int(v) for v in _skm.confusion_matrix(_t, _p, labels=[0, 1]).ravel())
    _res = ppv_npv_lr({"TP": _tp, "FP": _fp, "FN": _fn, "TN": _tn})
    assert type(_res) is tuple and len(_res) == 4, "ppv_npv_lr should return four numbers."
    _ppv, _npv, _lrp, _lrn = (float(v) for v in _res)
    _ref_lrp, _ref_lrn = _skm.class_likelihood_ratios(_t, _p)[:2]
    assert abs(_ppv - _skm.precision_score(_t, _p)) < 1e-9, "PPV is off on a larger set of patients."
    assert abs(_npv - _skm.precision_score(_t, _p, pos_label=0)) < 1e-9, (
        "NPV is the share of negative calls that are truly free of disease."
    )
    # carry-forward: likelihood ratios right for the student's own sensitivity and specificity (Question 2)
    try:
        _se, _sp = (float(v) for v in sens_spec({"TP": _tp, "FP": _fp, "FN": _fn, "TN": _tn}))
        _own_lrp, _own_lrn = _se / (1 - _sp), (1 - _se) / _sp
    except Exception:  # the student's function fails: no carry-forward
        _own_lrp = _own_lrn = float("nan")
    assert abs(_lrp - _ref_lrp) < 1e-9 or abs(_lrp - _own_lrp) < 1e-9, "LR+ = sensitivity / (1 - specificity): check your formula."
    assert abs(_lrn - _ref_lrn) < 1e-9 or abs(_lrn - _own_lrn) < 1e-9, "LR- = (1 - sensitivity) / specificity: check your formula."
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q4_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 4: the model at a threshold of 0.5 (2 points)
#
# Call a test patient positive when `risk >= 0.5`. Using your functions, store the model's sensitivity
# and specificity on the test patients in `sens_05` and `spec_05` (fractions). Compute them with your
# functions (the values the cell prints, typed to their two decimals, are also accepted).

# %% nbgrader={"grade": false, "grade_id": "q4_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
counts_05 = confusion_counts(y_test, risk >= 0.5)
sens_05, spec_05 = sens_spec(counts_05)
### END SOLUTION
print(f"At 0.5: sensitivity {sens_05:.2f}, specificity {spec_05:.2f}")

# %% nbgrader={"grade": true, "grade_id": "q4_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M1.2"}
"""Check the model's sensitivity and specificity at a threshold of 0.5."""
check_number("sens_05", sens_05, fraction=True)
check_number("spec_05", spec_05, fraction=True)
assert not (fingerprint(sens_05, 2) == "e2819fbe2222" and fingerprint(spec_05, 2) == "ce5d3aa79ae5"), (
    "sens_05 and spec_05 are swapped: sens_spec returns sensitivity first."
)
assert fingerprint(1 - float(sens_05), 2) != "ce5d3aa79ae5", (
    "sens_05 is 1 - sensitivity: a patient is called positive when risk >= 0.5, not below."
)
try:  # what your own functions of Questions 1 and 2 give here
    own_ex = [float(v) for v in sens_spec(confusion_counts(y_test, risk >= 0.5))]
except Exception:
    own_ex = None
if own_ex is None or (fingerprint(own_ex[0], 2), fingerprint(own_ex[1], 2)) == ("ce5d3aa79ae5", "e2819fbe2222"):
    assert fingerprint(sens_05, 2) == "ce5d3aa79ae5", (
        "sens_05 is not the model's sensitivity on the test patients at 0.5: use y_test and the calls risk >= 0.5."
    )
    assert fingerprint(spec_05, 2) == "e2819fbe2222", (
        "spec_05 is not the model's specificity on the test patients at 0.5: use y_test and the calls risk >= 0.5."
    )
else:  # the hidden tests judge this question on your own functions (or on the right values)
    print("Your functions of Questions 1 and 2 are off: fix them, then run this cell again. This question is "
          "judged on what your own functions give, so the slip is not counted twice.")
    if not (fingerprint(sens_05, 2) == "ce5d3aa79ae5" and fingerprint(spec_05, 2) == "e2819fbe2222"):
        assert abs(float(sens_05) - own_ex[0]) < 0.005 + 1e-9 and abs(float(spec_05) - own_ex[1]) < 0.005 + 1e-9, (
            "sens_05 and spec_05 should be what your functions give on the test patients at 0.5."
        )
### BEGIN HIDDEN TESTS
import importlib as _il

_pd = _il.import_module("pandas")
_ms = _il.import_module("sklearn.model_selection")
_clev = _pd.read_csv("heart_disease.csv").query("site == 'Cleveland'").reset_index(drop=True)
_y = (_clev["num"] > 0).astype(int)
_Xte, _yte = _ms.train_test_split(_clev[numeric + categorical], _y, test_size=0.4, stratify=_y, random_state=0)[1::2]
# References from plain Python arithmetic: a submission that patches a library cannot change them.
_pairs = list(zip((int(v) for v in _yte), (float(v) for v in model.predict_proba(_Xte)[:, 1])))
_sens = sum(1 for t, r in _pairs if t == 1 and r >= 0.5) / sum(1 for t, _ in _pairs if t == 1)
_spec = sum(1 for t, r in _pairs if t == 0 and r < 0.5) / sum(1 for t, _ in _pairs if t == 0)
try:  # carry-forward: the student's own functions of Questions 1 and 2
    _own = [float(v) for v in sens_spec(confusion_counts(y_test, risk >= 0.5))]
except Exception:  # the student's function fails: no carry-forward
    _own = [float("nan")] * 2
_ok = [abs(float(v) - r) < 0.005 + 1e-9 or abs(float(v) - o) < 0.005 + 1e-9 for v, r, o in zip((sens_05, spec_05), (_sens, _spec), _own)]
assert _ok[0], (
    "sens_05 does not match the model's sensitivity on the test patients at 0.5: "
    "did you use y_test, risk and the threshold 0.5 (at or above)?"
)
assert _ok[1], "spec_05 does not match the model's specificity on the test patients at 0.5."
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q5_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 5: the PPV at your clinic (2 points)
#
# The Cleveland patients were referred for angiography, so CAD was common among them. In your primary-care
# chest-pain clinic, suppose 10 in 100 patients like Mrs K. have CAD. Assume the model keeps the
# sensitivity and specificity you found at 0.5. Store in `ppv_clinic` the probability that a patient the
# model flags at your clinic really has CAD (a fraction). Hint: think of 1,000 patients at your clinic.
# Compute it from `sens_05` and `spec_05` (the hidden tests judge it on your own values of Question 4).

# %% nbgrader={"grade": false, "grade_id": "q5_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
clinic_prevalence = 0.10
### BEGIN SOLUTION
true_positives = 1000 * clinic_prevalence * sens_05
false_positives = 1000 * (1 - clinic_prevalence) * (1 - spec_05)
ppv_clinic = true_positives / (true_positives + false_positives)
### END SOLUTION
print(f"Of 100 patients the model flags at your clinic, about {100 * ppv_clinic:.0f} have CAD.")

# %% nbgrader={"grade": true, "grade_id": "q5_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M1.3"}
"""Check the PPV of the model at a clinic where 10% of patients have CAD."""
check_number("ppv_clinic", ppv_clinic, fraction=True)
sens_ex, spec_ex = float(sens_05), float(spec_05)  # your answers to Question 4


def ppv_at_ex(prevalence, sens, spec):
    """The PPV of a test with this sensitivity and specificity at this prevalence (NaN if nobody is flagged)."""
    flagged = prevalence * sens + (1 - prevalence) * (1 - spec)
    return prevalence * sens / flagged if flagged else float("nan")


def slip(value, tol=0.005 + 1e-9):
    """ppv_clinic equals this slip's value, and the slip's value is not the right PPV for your own answers."""
    return abs(float(ppv_clinic) - value) <= tol and not abs(value - ppv_at_ex(0.1, sens_ex, spec_ex)) <= tol


assert not slip(sens_ex, 1e-6), (
    "ppv_clinic equals the sensitivity: PPV is the share of flagged patients who have CAD, TP / (TP + FP)."
)
assert not slip(ppv_at_ex(0.5, sens_ex, spec_ex)), (
    "You treated half the patients as having CAD: use the 10% prevalence of your clinic."
)
assert fingerprint(ppv_clinic, 2) != "72763677086e", (
    "That is the PPV among the Cleveland test patients, where CAD is far more common: use 10% prevalence."
)
assert not slip(ppv_at_ex(0.1, spec_ex, sens_ex)), (
    "Sensitivity and specificity are swapped in your PPV: true positives come from sensitivity, "
    "false positives from 1 - specificity."
)
assert not slip(ppv_at_ex(0.9, spec_ex, sens_ex)), (  # the NPV
    "That is the NPV (patients called negative who are free of CAD): the PPV is about the patients flagged."
)
if fingerprint(sens_05, 2) == "ce5d3aa79ae5" and fingerprint(spec_05, 2) == "e2819fbe2222":
    assert fingerprint(ppv_clinic, 2) == "b635f81c034b", (
        "ppv_clinic is not the PPV at 10% prevalence: among 1,000 clinic patients, count the true positives "
        "(100 with CAD x sensitivity) and the false positives (900 without x (1 - specificity))."
    )
else:  # the hidden tests judge ppv_clinic on the student's own sens_05 and spec_05
    print("sens_05 or spec_05 (Question 4) is off: fix it, then run this cell again. ppv_clinic is judged on "
          "your own sens_05 and spec_05, so a slip there does not cost you this question's points.")
### BEGIN HIDDEN TESTS
# carry-forward: judged on the student's own sens_05 and spec_05 of Question 4
_expected = 0.1 * float(sens_05) / (0.1 * float(sens_05) + 0.9 * (1 - float(spec_05)))
assert abs(float(ppv_clinic) - _expected) < 0.005 + 1e-9, (
    "ppv_clinic is not the PPV at 10% prevalence: true positives are prevalence x sensitivity, "
    "false positives are (1 - prevalence) x (1 - specificity)."
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q6_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 6: how many are missed? (2 points)
#
# The cardiologists suggest a lower threshold, 0.3, to miss fewer patients. Among **1,000** patients at
# your clinic (prevalence 10%), how many patients **with** CAD would the model call negative at a
# threshold of 0.3? Use the model's sensitivity on the test patients at 0.3 and store the answer in
# `missed_per_1000` (a number). Compute it (you may round it to whole patients: any answer within half a
# patient of the exact figure is accepted).

# %% nbgrader={"grade": false, "grade_id": "q6_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
sens_03, spec_03 = sens_spec(confusion_counts(y_test, risk >= 0.3))
missed_per_1000 = 1000 * clinic_prevalence * (1 - sens_03)
### END SOLUTION
print(f"At 0.3, about {missed_per_1000:.0f} of every 1,000 clinic patients have CAD and are missed.")

# %% nbgrader={"grade": true, "grade_id": "q6_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M1.5"}
"""Check the number of patients with CAD missed per 1,000 at a threshold of 0.3."""
assert isinstance(missed_per_1000, (int, float)) and not isinstance(missed_per_1000, bool), (
    "missed_per_1000 should be a number."
)
assert 0 <= float(missed_per_1000) <= 100, (
    "Only 100 of the 1,000 clinic patients have CAD, so no more than 100 can be missed."
)
assert fingerprint(missed_per_1000, 0) != "b7a56873cd77", (
    "That is the number missed at a threshold of 0.5: the cardiologists ask about 0.3 (risk >= 0.3)."
)
assert fingerprint(10 * float(missed_per_1000), 0) != "8527a891e224", "Per 1,000 patients, not per 100."
assert fingerprint(100 - float(missed_per_1000), 0) != "8527a891e224", (
    "That is the number FOUND: missed patients are the share called negative, 1 - sensitivity."
)
try:  # what your own functions of Questions 1 and 2 give at 0.3
    own_sens_03_ex = float(sens_spec(confusion_counts(y_test, risk >= 0.3))[0])
except Exception:
    own_sens_03_ex = None
if own_sens_03_ex is None or fingerprint(own_sens_03_ex, 2) == "b2aa969b03b3":
    assert fingerprint(missed_per_1000, 0) == "8527a891e224", (
        "missed_per_1000 is off: of 1,000 clinic patients, 100 have CAD; the model misses the share of them it "
        "calls negative at 0.3 (1 - sensitivity at risk >= 0.3 on the test patients)."
    )
else:  # the hidden tests judge this question on your own functions
    print("Your functions of Questions 1 and 2 are off: fix them, then run this cell again. This question is "
          "judged on what your own functions give, so the slip is not counted twice.")
### BEGIN HIDDEN TESTS
import importlib as _il

_pd = _il.import_module("pandas")
_ms = _il.import_module("sklearn.model_selection")
_clev = _pd.read_csv("heart_disease.csv").query("site == 'Cleveland'").reset_index(drop=True)
_y = (_clev["num"] > 0).astype(int)
_Xte, _yte = _ms.train_test_split(_clev[numeric + categorical], _y, test_size=0.4, stratify=_y, random_state=0)[1::2]
_pairs = list(zip((int(v) for v in _yte), (float(v) for v in model.predict_proba(_Xte)[:, 1])))
_sens03 = sum(1 for t, r in _pairs if t == 1 and r >= 0.3) / sum(1 for t, _ in _pairs if t == 1)
_expected = 1000 * 0.1 * (1 - _sens03)
try:  # carry-forward: judged on the student's own functions of Questions 1 and 2 too
    _own = 1000 * 0.1 * (1 - float(sens_spec(confusion_counts(y_test, risk >= 0.3))[0]))
except Exception:  # the student's function fails: no carry-forward
    _own = float("nan")
assert abs(float(missed_per_1000) - _expected) <= 0.5 or abs(float(missed_per_1000) - _own) <= 0.5, (
    "missed_per_1000 is off: the patients missed are those WITH CAD (100 per 1,000 here) times the share "
    "the model calls negative at 0.3 (1 - sensitivity)."
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q7_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 7: a threshold from the harms (2 points)
#
# Treating (here: referring) is worth it when the probability of disease is above the threshold
# probability $p_t$ at which the expected harms balance:
# $\frac{p_t}{1-p_t} = \frac{\text{harm of a false alarm}}{\text{harm of a missed diagnosis}}$
# (Pauker and Kassirer, *N Engl J Med* 1980). Write `harm_threshold(harm_miss, harm_false_alarm)` that
# returns $p_t$, then store in `pt_cad` the threshold when the team judges a missed CAD to be as harmful
# as 19 unneeded CT coronary angiograms (`harm_miss=19`, `harm_false_alarm=1`). Compute (a function).

# %% nbgrader={"grade": false, "grade_id": "q7_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def harm_threshold(harm_miss, harm_false_alarm):
    ### BEGIN SOLUTION
    return float(harm_false_alarm / (harm_false_alarm + harm_miss))
    ### END SOLUTION


### BEGIN SOLUTION
pt_cad = harm_threshold(harm_miss=19, harm_false_alarm=1)
### END SOLUTION
print(f"Refer when the model's risk is at least {pt_cad:.2f}.")

# %% nbgrader={"grade": true, "grade_id": "q7_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M1.5"}
"""Check that harm_threshold turns the harms of the two errors into a threshold probability."""
check_number("harm_threshold(1, 1)", harm_threshold(1, 1))
assert abs(harm_threshold(1, 1) - 0.5) < 1e-9, "When both errors are equally harmful the threshold should be 0.5."
assert harm_threshold(harm_miss=3, harm_false_alarm=1) < 0.5, (
    "When a miss is worse than a false alarm you should refer at LOWER probabilities."
)
assert abs(harm_threshold(harm_miss=3, harm_false_alarm=1) - 1 / 3) > 1e-9, (
    "You returned the odds p / (1 - p): turn them into the probability p = odds / (1 + odds)."
)
assert abs(harm_threshold(harm_miss=3, harm_false_alarm=1) - 0.25) < 1e-9, (
    "harm_threshold is off: solve p / (1 - p) = harm_false_alarm / harm_miss for p."
)
assert abs(harm_threshold(harm_miss=6, harm_false_alarm=2) - 0.25) < 1e-9, (
    "Doubling both harms (6 and 2 instead of 3 and 1) should not change the threshold: use both harms, "
    "as p / (1 - p) = harm_false_alarm / harm_miss."
)
assert abs(harm_threshold(harm_miss=2, harm_false_alarm=1) - 1 / 3) < 1e-9, (
    "harm_threshold(2, 1) should be exactly one third: do not round inside the function (round only when you print)."
)
check_number("pt_cad", pt_cad, fraction=True)
assert fingerprint(pt_cad, 2) == "0602d7c813c1", "pt_cad is not the threshold for harm_miss=19, harm_false_alarm=1."
### BEGIN HIDDEN TESTS
for _miss, _fa in [(4, 1), (9, 1), (1, 3), (2.5, 0.5)]:
    assert abs(float(harm_threshold(_miss, _fa)) - _fa / (_fa + _miss)) < 1e-9, (
        "harm_threshold is off for other harms: solve p/(1-p) = harm_false_alarm / harm_miss for p."
    )
assert abs(float(pt_cad) - 0.05) < 0.005 + 1e-9, (
    "pt_cad is not the threshold for a miss judged as harmful as 19 false alarms."
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q8_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 8: discrimination (1 point)
#
# Store the model's area under the ROC curve on the test patients in `auc_test`. Use `roc_auc_score`
# (ready to use: the cell above the first question imports it), with the true outcomes first and the
# risks second; you may also type the value it prints, to two decimals. In one sentence to yourself: what does this number mean for two
# patients, one with and one without CAD?

# %% nbgrader={"grade": false, "grade_id": "q8_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
auc_test = float(roc_auc_score(y_test, risk))
### END SOLUTION
print(f"AUC on the test patients: {auc_test:.2f}")

# %% nbgrader={"grade": true, "grade_id": "q8_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M1.4"}
"""Check the model's ROC AUC on the test patients."""
check_number("auc_test", auc_test, fraction=True)
assert 0.5 <= float(auc_test) <= 1, (
    "An AUC below 0.5 means the model ranks patients worse than chance: did you pass the risks of CAD "
    "(not of no CAD), and the true labels first?"
)
assert fingerprint(auc_test, 2) != "b899163340fa", (
    "That AUC comes from the 0/1 calls at 0.5: pass the risks themselves, so every threshold counts."
)
assert fingerprint(auc_test, 2) != "0003dc8ba4e3", (
    "That is the AUC on the training patients: the model has seen them. Use y_test and risk."
)
assert fingerprint(auc_test, 2) == "e2819fbe2222", "auc_test is not the AUC of the model's risks (risk) on the test patients (y_test)."
### BEGIN HIDDEN TESTS
import importlib as _il

_pd = _il.import_module("pandas")
_ms = _il.import_module("sklearn.model_selection")
_clev = _pd.read_csv("heart_disease.csv").query("site == 'Cleveland'").reset_index(drop=True)
_y = (_clev["num"] > 0).astype(int)
_Xte, _yte = _ms.train_test_split(_clev[numeric + categorical], _y, test_size=0.4, stratify=_y, random_state=0)[1::2]
_pairs = list(zip((int(v) for v in _yte), (float(v) for v in model.predict_proba(_Xte)[:, 1])))
_cases = [r for t, r in _pairs if t == 1]
_controls = [r for t, r in _pairs if t == 0]
# AUC = probability that a random patient with CAD scores above one without (ties count half).
_auc = sum((c > k) + 0.5 * (c == k) for c in _cases for k in _controls) / (len(_cases) * len(_controls))
assert abs(float(auc_test) - _auc) < 0.005 + 1e-9, (
    "auc_test is not the AUC of the model's risks on the test patients."
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q9_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 9: a single test's likelihood ratio (1 point)
#
# From Mrs K.'s age, sex and symptoms, a cardiologist puts her pre-test probability of CAD at 20%. A
# **single** further test with a positive likelihood ratio of 4 comes back positive. Write
# `post_test_probability(pre_test, lr)` that returns the post-test probability (a fraction), using
# post-test odds = pre-test odds × LR, and store Mrs K.'s in `post_test_mrs_k`. Compute (a function).
#
# (Chain likelihood ratios like this only for a single test. The colleague's model already uses her age,
# sex and symptoms, so multiplying the cardiologist's estimate by the model's LR+ would count the same
# findings twice.)

# %% nbgrader={"grade": false, "grade_id": "q9_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def post_test_probability(pre_test, lr):
    ### BEGIN SOLUTION
    post_odds = pre_test / (1 - pre_test) * lr
    return float(post_odds / (1 + post_odds))
    ### END SOLUTION


### BEGIN SOLUTION
post_test_mrs_k = post_test_probability(0.20, 4)
### END SOLUTION
print(f"Mrs K.'s probability of CAD after the test: {post_test_mrs_k:.0%}")

# %% nbgrader={"grade": true, "grade_id": "q9_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M1.3"}
"""Check that post_test_probability turns a pre-test probability and a likelihood ratio into a post-test probability."""
check_number("post_test_probability(0.5, 1)", post_test_probability(0.5, 1))
assert abs(post_test_probability(0.5, 1) - 0.5) < 1e-9, "A likelihood ratio of 1 should leave the probability unchanged."
example_ex = float(post_test_probability(0.25, 3))  # pre-test 25%, LR 3
assert abs(example_ex - 0.75) > 1e-9, "Multiply the ODDS by the LR, not the probability: odds = p / (1 - p)."
assert abs(example_ex - 1.0) > 1e-9, "You returned the post-test odds: turn them back into a probability, odds / (1 + odds)."
assert abs(example_ex - 0.5) < 1e-9, (
    "post_test_probability is off: pre-test odds = p / (1 - p); post-test odds = odds x LR; p = odds / (1 + odds)."
)
example_ex = float(post_test_probability(0.2, 8))  # pre-test 20%, LR 8: post-test odds 0.25 x 8 = 2
assert abs(example_ex - 1 / 3) > 1e-9, (
    "With post-test odds of 2 you returned 1 / (1 + odds), the probability of NO disease: p = odds / (1 + odds)."
)
assert abs(example_ex - 2 / 3) < 1e-9, (
    "With post-test odds of 2 the probability should be exactly 2 / 3: do not round inside the function "
    "(round only when you print)."
)
check_number("post_test_mrs_k", post_test_mrs_k, fraction=True)
assert fingerprint(post_test_mrs_k, 2) == "f88afaea4207", (
    "post_test_mrs_k is not the post-test probability for a pre-test probability of 20% and an LR of 4."
)
### BEGIN HIDDEN TESTS
for _pre, _lr in [(0.1, 10), (0.3, 0.2), (0.05, 3.5), (0.8, 0.1), (0.45, 2)]:
    _odds = _pre / (1 - _pre) * _lr
    assert abs(float(post_test_probability(_pre, _lr)) - _odds / (1 + _odds)) < 1e-9, (
        "post_test_probability is off for other values: multiply the ODDS (p / (1 - p)) by the LR, "
        "then turn the odds back into a probability (odds / (1 + odds))."
    )
assert abs(float(post_test_mrs_k) - 0.5) < 0.005 + 1e-9, "post_test_mrs_k is not the post-test probability for 20% and an LR of 4."
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q10_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 10: is the model worth using? (1 point)
#
# Net benefit weighs the patients with CAD found against the false alarms, at the exchange rate the
# threshold $p_t$ stands for (Vickers and Elkin, *Med Decis Making* 2006):
# $\text{net benefit} = \frac{TP}{n} - \frac{FP}{n} \times \frac{p_t}{1 - p_t}$.
# At a threshold of 0.2 (a miss judged as bad as four unneeded CT angiograms), store in `nb_model` the net
# benefit of referring the test patients whose risk is at or above 0.2, and in `nb_everyone` the net
# benefit of referring every test patient. Then set `model_beats_both` to `True` if using the model does
# more good than both referring everyone and referring no one (whose net benefit is 0), else `False`.
# Compute the two net benefits (the values printed, typed to their three decimals, are also accepted).

# %% nbgrader={"grade": false, "grade_id": "q10_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
t = 0.2
truth = np.asarray(y_test)
flagged = risk >= t
n = len(truth)
nb_model = float(np.sum(flagged & (truth == 1)) / n - np.sum(flagged & (truth == 0)) / n * t / (1 - t))
nb_everyone = float(np.mean(truth) - (1 - np.mean(truth)) * t / (1 - t))
model_beats_both = bool(nb_model > max(nb_everyone, 0))
### END SOLUTION
print(f"Net benefit at 0.2: model {nb_model:.3f}, refer everyone {nb_everyone:.3f}, refer no one 0.")

# %% nbgrader={"grade": true, "grade_id": "q10_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M1.5"}
"""Check the net benefit of the model and of referring everyone at a threshold of 0.2."""
check_number("nb_model", nb_model)
check_number("nb_everyone", nb_everyone)
assert abs(float(nb_model)) <= 1 and abs(float(nb_everyone)) <= 1, (
    "Net benefit is in true positives per patient (a fraction): divide the counts by the number of patients n."
)
assert float(nb_model) <= float(np.mean(y_test)) + 1e-9, (
    "Net benefit cannot exceed the share of patients with CAD (all found, no false alarm): check your formula."
)
assert abs(float(nb_everyone) - float(np.mean(y_test))) > 0.0005 + 1e-9, (
    "Referring everyone also refers every patient without CAD: subtract their false alarms, weighted by 0.2 / 0.8."
)
assert fingerprint(nb_model, 3) != "5c4d0571b752", (
    "Your nb_model counts a false alarm as bad as a miss: weight the false positives by pt / (1 - pt) = 0.2 / 0.8."
)
assert fingerprint(nb_model, 3) != "32f891e517cb", (
    "The weight of a false positive is the threshold's odds, pt / (1 - pt), not pt itself."
)
assert fingerprint(nb_model, 3) == "f4d019f08f15", "nb_model is off: refer the test patients with risk >= 0.2."
assert fingerprint(nb_everyone, 3) == "6522bc66cd6b", "nb_everyone is off: everyone with CAD found, everyone else a false alarm."
assert type(model_beats_both) is bool, "model_beats_both should be True or False (no quotes)."
assert model_beats_both == (float(nb_model) > max(float(nb_everyone), 0)), (
    "model_beats_both does not follow from your net benefits: the model must beat both nb_everyone and 0."
)
### BEGIN HIDDEN TESTS
import importlib as _il

_pd = _il.import_module("pandas")
_ms = _il.import_module("sklearn.model_selection")
_clev = _pd.read_csv("heart_disease.csv").query("site == 'Cleveland'").reset_index(drop=True)
_y = (_clev["num"] > 0).astype(int)
_Xte, _yte = _ms.train_test_split(_clev[numeric + categorical], _y, test_size=0.4, stratify=_y, random_state=0)[1::2]
_pairs = list(zip((int(v) for v in _yte), (float(v) for v in model.predict_proba(_Xte)[:, 1])))
_n = len(_pairs)
_tp = sum(1 for t_, r in _pairs if t_ == 1 and r >= 0.2)
_fp = sum(1 for t_, r in _pairs if t_ == 0 and r >= 0.2)
_prev = sum(t_ for t_, _ in _pairs) / _n
_nb = _tp / _n - _fp / _n * 0.2 / 0.8
_nb_all = _prev - (1 - _prev) * 0.2 / 0.8
assert abs(float(nb_model) - _nb) < 0.0005 + 1e-9, (
    "nb_model is off: true positives per patient minus false positives per patient times 0.2 / (1 - 0.2)."
)
assert abs(float(nb_everyone) - _nb_all) < 0.0005 + 1e-9, (
    "nb_everyone is off: if everyone is referred, every patient with CAD is a true positive and every other "
    "patient a false positive."
)
assert model_beats_both == (float(nb_model) > max(float(nb_everyone), 0.0)), (  # carry-forward: the student's own numbers
    "model_beats_both does not follow from the three net benefits."
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q11_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 11: your clinical judgement (5 points, graded by your instructor)
#
# The practice manager proposes to use the model at your primary-care clinic, with a threshold of 0.5, to
# decide which patients with chest pain are referred for CT coronary angiography, starting next month. In
# 150 to 250 words, tell the practice manager whether you agree. Use your answers above (the PPV at your
# clinic, the patients missed), name one reason the model's Cleveland performance may not hold at your
# clinic, and say who should choose the threshold, on what grounds, and how you would check the model
# once it is in use.

# %% [markdown] nbgrader={"grade": true, "grade_id": "q11_written", "locked": false, "points": 5, "schema_version": 3, "solution": true, "task": false} autograder={"objective": "M1.6"}
# YOUR ANSWER HERE
