# ---
# jupyter:
#   autograder:
#     title: "Assignment 2: Does the Cleveland model work at the VA?"
#     module: m02_external_validation
#     data: [heart_disease.csv]
#     sections:  # the book page behind each objective a question assesses (study plans link there)
#       M2.1: book/m02_external_validation/01_calibration
#       M2.2: book/m02_external_validation/01_calibration
#       M2.3: book/m02_external_validation/02_external_validation
#       M2.4: book/m02_external_validation/03_updating
#       M2.5: book/m02_external_validation/04_uncertainty
#       M2.6: book/m02_external_validation/05_decision_curves
#       M2.7: book/m02_external_validation/06_monitoring
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
# # Assignment 2 notebook
#
# **The patient.** Mr L., 61, a veteran, is seen at the VA Medical Center in Long Beach with two months of
# chest pain on exertion. The cardiology service there is offered the model built on the Cleveland Clinic
# patients of the UCI Heart Disease study (Module 1): it estimates the probability of coronary artery
# disease (CAD, at least one major vessel narrowed by more than 50% on angiography) from age, sex, the type
# of chest pain and three results of an exercise ECG. The VA's AI committee asks: **does it work here?**
# The decision it would inform is Module 1's: refer for CT coronary angiography (or a functional imaging
# test), or not. (Every patient in these 1980s data had invasive angiography: that is only the data's
# reference standard.) Before its risks are used to decide who is referred, or are told to a patient like
# Mr L., they must be checked on VA patients.
#
# In this assignment you validate the model at the VA and the two other hospitals, update it, put an
# interval around what you find, weigh it with net benefit, and write the committee a memo.
#
# This notebook fits the model on a different random two thirds of the Cleveland patients from the
# chapters and the lab, and splits the VA patients into different halves, so that your numbers are your
# own: expect them to differ from the chapters' (with a few hundred patients, which ones a model is fitted
# and checked on moves its numbers).
#
# **How it works**
# - Answer in the cells that say `# YOUR CODE HERE` (delete the `raise NotImplementedError()` line) and in
#   the written-answer cell. Do not rename the variables you are asked to create. Every answer is a
#   number, a string, a list, a dictionary of numbers or an array: the question says which.
# - Where a question says *compute*, compute the answer with code. Where it says *typing is fine*, a value
#   typed to the precision the notebook prints earns the points.
# - After each answer, run the test cell below it. **What the visible checks cover:** that each answer has
#   the right type, keys and range; your Cleveland entries (a public worked example, whose right values
#   follow from the same code as the others); most of your VA answers, by comparing a "fingerprint" of your
#   number, rounded as the notebook prints it, with the right answer's (a fingerprint hides the number from
#   reading, not from trying values in a loop: the hidden tests decide your grade); and the usual slips (a percentage for a fraction, O/E inverted, an intercept
#   fitted without the offset, slope and intercept swapped, an AUC from 0/1 calls, the prevalence
#   forgotten, false positives not weighted, a fit on the wrong VA half, resamples drawn without
#   replacement, a threshold typed as 20). A silent test cell means the visible checks passed. Your grade
#   also comes from **hidden tests**, run when your work is graded: they check every hospital's numbers, and
#   they judge a later answer on your own earlier ones where it can stand alone.
# - Keep `heart_disease.csv` in the same folder as this notebook (download both from the course site).
# - Before you submit: *Kernel → Restart Kernel and Run All Cells…*, and check that no cell shows an error.
#
# Points: 17 autograded (10 questions) and 5 for the written memo.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Run this cell to set up the notebook, but please don't change it.
from pathlib import Path

import numpy as np
import pandas as pd
import statsmodels.api as sm
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

if not Path("heart_disease.csv").exists():
    raise FileNotFoundError(
        "heart_disease.csv is not next to this notebook: download it from the assignment page "
        "and save it in the same folder, then run this cell again."
    )

heart = pd.read_csv("heart_disease.csv")
heart["cad"] = (heart["num"] > 0).astype(int)  # 1 = coronary artery disease on angiography
heart["exang"] = heart["exang"].map({True: "yes", False: "no", "True": "yes", "False": "no"})
NUMERIC, CATEGORICAL = ["age", "thalach", "oldpeak"], ["sex", "cp", "exang"]
FEATURES = NUMERIC + CATEGORICAL

# extra code – the Cleveland model of Module 1, fitted on two thirds of the Cleveland patients: a different
# random two thirds from the chapters' and the lab's (random_state=26, where they use 0)
cleveland = heart[heart["site"] == "Cleveland"]
train_idx, test_idx = train_test_split(cleveland.index, test_size=1 / 3, stratify=cleveland["cad"], random_state=26)
model = make_pipeline(
    ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), NUMERIC),
        ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")),
         CATEGORICAL),
    ]),
    LogisticRegression(max_iter=1000),
)
model.fit(heart.loc[train_idx, FEATURES], heart.loc[train_idx, "cad"])
heart["risk"] = model.predict_proba(heart[FEATURES])[:, 1]  # the model's probability of CAD, every patient

# The patients we validate on: Cleveland's held-out third, and the three other hospitals
groups = {"Cleveland test": heart.loc[test_idx]} | {
    site: heart[heart["site"] == site] for site in ["Hungary", "VA Long Beach", "Switzerland"]
}
va = groups["VA Long Beach"]
# The VA patients in two halves (not the lab's halves): one to update the model on, one to check the update on
update_idx, check_idx = train_test_split(va.index, test_size=0.5, stratify=va["cad"], random_state=41)
va_update, va_check = va.loc[update_idx], va.loc[check_idx]


def logit(p):
    """The linear predictor (log-odds) of a risk p: log(p / (1 - p))."""
    return np.log(p / (1 - p))


for name, g in groups.items():
    print(
        f"{name:15s} {len(g):4d} patients, {g['cad'].mean():.0%} with CAD, mean predicted risk {g['risk'].mean():.0%}, "
        f"AUC {roc_auc_score(g['cad'], g['risk']):.2f}"
    )
print(f"VA halves: {len(va_update)} to update on, {len(va_check)} to check on.")

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
# ## Question 1: observed over expected, per hospital (2 points, M2.2)
#
# For each group in `groups`, compute the ratio of the number of patients **observed** with CAD to the
# number the model **expected** (the sum of its risks). Store the four ratios in a dictionary `oe` with
# the keys of `groups` (`"Cleveland test"`, `"Hungary"`, `"VA Long Beach"`, `"Switzerland"`). Compute
# them (a loop over `groups.items()` is the easiest way).

# %% nbgrader={"grade": false, "grade_id": "q1_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
oe = {name: float(g["cad"].sum() / g["risk"].sum()) for name, g in groups.items()}
### END SOLUTION
print({name: round(value, 2) for name, value in oe.items()})

# %% nbgrader={"grade": true, "grade_id": "q1_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M2.2"}
"""Check that oe holds observed/expected for each of the four groups."""
assert isinstance(oe, dict), "oe should be a dictionary: {group name: ratio, ...}."
assert set(oe) == set(groups), f"oe should have exactly these keys: {list(groups)}."
assert all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in oe.values()), "Each ratio should be a number."
assert all(float(v) > 0 for v in oe.values()), (
    "O/E is a ratio, observed divided by expected, and never negative: is one of yours a difference?"
)
assert all(0 < float(v) < 5 for v in oe.values()), (
    "A ratio of O/E near 100 is a percentage: give the ratio itself (1 means as many as expected)."
)
_g = groups["Cleveland test"]
_obs, _exp = float(_g["cad"].sum()), float(_g["risk"].sum())
_all = heart[heart["site"] == "Cleveland"]
assert abs(float(oe["Cleveland test"]) - _all["cad"].sum() / _all["risk"].sum()) > 1e-6, (
    "Your Cleveland ratio uses all the Cleveland patients: use groups['Cleveland test'], the third the model "
    "was not fitted on."
)
assert abs(float(oe["Cleveland test"]) - _exp / _obs) > 1e-6 or abs(_obs - _exp) < 1e-9, (
    "Your Cleveland ratio is inverted: O/E puts the OBSERVED cases on top and the expected (summed risks) below."
)
assert abs(float(oe["Cleveland test"]) - _obs / _exp) < 0.005, (
    "Your Cleveland ratio is off: observed = patients with CAD (a count), expected = sum of their predicted risks."
)
### BEGIN HIDDEN TESTS
import importlib as _il

_np = _il.import_module("numpy")
_pd = _il.import_module("pandas")
_sm = _il.import_module("statsmodels.api")
_ms = _il.import_module("sklearn.model_selection")
_h = _pd.read_csv("heart_disease.csv")
_h["cad"] = (_h["num"] > 0).astype(int)
_h["exang"] = _h["exang"].map({True: "yes", False: "no", "True": "yes", "False": "no"})
_cl = _h[_h["site"] == "Cleveland"]
_tr, _te = _ms.train_test_split(_cl.index, test_size=1 / 3, stratify=_cl["cad"], random_state=26)
_sk = {m: _il.import_module(f"sklearn.{m}") for m in ("compose", "impute", "linear_model", "pipeline", "preprocessing")}
_model = _sk["pipeline"].make_pipeline(
    _sk["compose"].ColumnTransformer([
        ("num", _sk["pipeline"].make_pipeline(_sk["impute"].SimpleImputer(strategy="median"),
                                              _sk["preprocessing"].StandardScaler()), ["age", "thalach", "oldpeak"]),
        ("cat", _sk["pipeline"].make_pipeline(_sk["impute"].SimpleImputer(strategy="most_frequent"),
                                              _sk["preprocessing"].OneHotEncoder(handle_unknown="ignore")), ["sex", "cp", "exang"]),
    ]),
    _sk["linear_model"].LogisticRegression(max_iter=1000),
).fit(_h.loc[_tr, ["age", "thalach", "oldpeak", "sex", "cp", "exang"]], _h.loc[_tr, "cad"])
_h["risk"] = _model.predict_proba(_h[["age", "thalach", "oldpeak", "sex", "cp", "exang"]])[:, 1]
_groups = {"Cleveland test": _h.loc[_te]} | {s: _h[_h["site"] == s] for s in ("Hungary", "VA Long Beach", "Switzerland")}
_va = _groups["VA Long Beach"]
_up, _ck = _ms.train_test_split(_va.index, test_size=0.5, stratify=_va["cad"], random_state=41)
_logit = lambda p: _np.log(p / (1 - p))  # noqa: E731
for _name, _grp in _groups.items():
    _ref = _grp["cad"].sum() / _grp["risk"].sum()
    assert abs(float(oe[_name]) - 1 / _ref) > 0.005, f"O/E for {_name} is inverted (E/O)."
    assert abs(float(oe[_name]) - _ref) < 0.006, f"O/E for {_name} is off: observed count over the sum of risks."
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q2_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 2: where are the risks too high, where too low? (1 point, M2.3)
#
# Among Hungary, VA Long Beach and Switzerland: at which hospital does the model **over-predict** (its
# risks are on average too high), and at which does it **under-predict the most**? Store the two hospital
# names, spelled as in `groups`, in `over_predicted_site` and `most_under_predicted_site`. Typing the
# names is fine. They are judged on your own ratios of Question 1, so a slip there is not counted twice.

# %% nbgrader={"grade": false, "grade_id": "q2_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
external = {name: value for name, value in oe.items() if name != "Cleveland test"}
over_predicted_site = min(external, key=external.get)
most_under_predicted_site = max(external, key=external.get)
### END SOLUTION
print(f"Over-predicts at {over_predicted_site}; under-predicts most at {most_under_predicted_site}.")

# %% nbgrader={"grade": true, "grade_id": "q2_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M2.3"}
"""Check that the two answers name external hospitals."""
_external = ["Hungary", "VA Long Beach", "Switzerland"]
assert isinstance(over_predicted_site, str) and isinstance(most_under_predicted_site, str), "Give hospital names as strings."
assert over_predicted_site in _external and most_under_predicted_site in _external, (
    f"Spell the hospitals as in groups, one of {_external}."
)
assert over_predicted_site != most_under_predicted_site, "A model cannot over- and under-predict on average at the same hospital."
try:  # what your own ratios of Question 1 say
    _own = {site: float(oe[site]) for site in _external}
    _own_over, _own_under = min(_own, key=_own.get), max(_own, key=_own.get)
except Exception:
    _own_over = _own_under = None
assert fingerprint(over_predicted_site) == "504be3084f44" or over_predicted_site == _own_over, (
    "over_predicted_site: over-prediction means fewer patients with CAD observed than expected, O/E below 1."
)
assert fingerprint(most_under_predicted_site) == "2275583196d7" or most_under_predicted_site == _own_under, (
    "most_under_predicted_site: under-prediction is largest where O/E is highest."
)
if _own_over is not None and (fingerprint(_own_over), fingerprint(_own_under)) != ("504be3084f44", "2275583196d7"):
    print("Your ratios of Question 1 (oe) are off: fix them, then run this cell again. These two answers are judged "
          "on your own ratios, so the slip is not counted twice.")
### BEGIN HIDDEN TESTS
import importlib as _il

_np = _il.import_module("numpy")
_pd = _il.import_module("pandas")
_sm = _il.import_module("statsmodels.api")
_ms = _il.import_module("sklearn.model_selection")
_h = _pd.read_csv("heart_disease.csv")
_h["cad"] = (_h["num"] > 0).astype(int)
_h["exang"] = _h["exang"].map({True: "yes", False: "no", "True": "yes", "False": "no"})
_cl = _h[_h["site"] == "Cleveland"]
_tr, _te = _ms.train_test_split(_cl.index, test_size=1 / 3, stratify=_cl["cad"], random_state=26)
_sk = {m: _il.import_module(f"sklearn.{m}") for m in ("compose", "impute", "linear_model", "pipeline", "preprocessing")}
_model = _sk["pipeline"].make_pipeline(
    _sk["compose"].ColumnTransformer([
        ("num", _sk["pipeline"].make_pipeline(_sk["impute"].SimpleImputer(strategy="median"),
                                              _sk["preprocessing"].StandardScaler()), ["age", "thalach", "oldpeak"]),
        ("cat", _sk["pipeline"].make_pipeline(_sk["impute"].SimpleImputer(strategy="most_frequent"),
                                              _sk["preprocessing"].OneHotEncoder(handle_unknown="ignore")), ["sex", "cp", "exang"]),
    ]),
    _sk["linear_model"].LogisticRegression(max_iter=1000),
).fit(_h.loc[_tr, ["age", "thalach", "oldpeak", "sex", "cp", "exang"]], _h.loc[_tr, "cad"])
_h["risk"] = _model.predict_proba(_h[["age", "thalach", "oldpeak", "sex", "cp", "exang"]])[:, 1]
_groups = {"Cleveland test": _h.loc[_te]} | {s: _h[_h["site"] == s] for s in ("Hungary", "VA Long Beach", "Switzerland")}
_va = _groups["VA Long Beach"]
_up, _ck = _ms.train_test_split(_va.index, test_size=0.5, stratify=_va["cad"], random_state=41)
_logit = lambda p: _np.log(p / (1 - p))  # noqa: E731
_ratios = {s: _groups[s]["cad"].sum() / _groups[s]["risk"].sum() for s in ("Hungary", "VA Long Beach", "Switzerland")}
try:  # carry-forward: read from the student's own ratios of Question 1
    _own = {s: float(oe[s]) for s in _ratios}
    _own_over, _own_under = min(_own, key=_own.get), max(_own, key=_own.get)
except Exception:  # no usable oe: no carry-forward
    _own_over = _own_under = None
assert over_predicted_site in (min(_ratios, key=_ratios.get), _own_over), (
    "Over-prediction means fewer cases observed than expected: O/E below 1."
)
assert most_under_predicted_site in (max(_ratios, key=_ratios.get), _own_under), (
    "Under-prediction is largest where O/E is highest."
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q3_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 3: calibration intercept and slope (2 points, M2.2)
#
# Compute, for the Cleveland test patients and for the VA patients, the **calibration intercept** (a
# logistic regression of the outcome on an intercept alone, with the linear predictor `logit(risk)` as an
# offset) and the **calibration slope** (a logistic regression of the outcome on an intercept and the
# linear predictor). Use `sm.GLM(..., family=sm.families.Binomial(), offset=...)` as in the lab. Store them
# as `calibration = {"Cleveland test": {"intercept": ..., "slope": ...}, "VA Long Beach": {...}}`.
#
# *If you use scikit-learn's `LogisticRegression` instead*: its default L2 penalty shrinks the slope towards
# 0, so pass `penalty=None` (or use statsmodels, which does not penalise).

# %% nbgrader={"grade": false, "grade_id": "q3_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
calibration = {}
for name in ["Cleveland test", "VA Long Beach"]:
    g = groups[name]
    lp = logit(g["risk"].to_numpy())
    y = g["cad"].to_numpy()
    intercept = sm.GLM(y, np.ones_like(lp), family=sm.families.Binomial(), offset=lp).fit().params[0]
    slope = sm.GLM(y, sm.add_constant(lp), family=sm.families.Binomial()).fit().params[1]
    calibration[name] = {"intercept": float(intercept), "slope": float(slope)}
### END SOLUTION
print({name: {k: round(v, 2) for k, v in pair.items()} for name, pair in calibration.items()})

# %% nbgrader={"grade": true, "grade_id": "q3_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M2.2"}
"""Check the calibration intercept and slope for the Cleveland test patients and the VA."""
assert isinstance(calibration, dict) and set(calibration) == {"Cleveland test", "VA Long Beach"}, (
    "calibration should be a dictionary with the keys 'Cleveland test' and 'VA Long Beach'."
)
for _name, _pair in calibration.items():
    assert isinstance(_pair, dict) and set(_pair) == {"intercept", "slope"}, (
        f"calibration[{_name!r}] should be a dictionary with the keys 'intercept' and 'slope'."
    )
    assert all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in _pair.values()), "Give numbers."
_g = groups["Cleveland test"]
_lp, _y = logit(_g["risk"].to_numpy()), _g["cad"].to_numpy()
_no_offset, _slope = sm.GLM(_y, sm.add_constant(_lp), family=sm.families.Binomial()).fit().params
_intercept = sm.GLM(_y, np.ones_like(_lp), family=sm.families.Binomial(), offset=_lp).fit().params[0]
_got = calibration["Cleveland test"]
assert not (abs(_got["intercept"] - _slope) < 0.006 and abs(_got["slope"] - _intercept) < 0.006), (
    "Your Cleveland intercept and slope are swapped."
)
assert abs(_got["intercept"] - _no_offset) > 0.006, (
    "Your Cleveland intercept comes from the model with a slope: the calibration intercept is fitted with the "
    "slope fixed at 1, i.e. with logit(risk) as an offset."
)
assert abs(_got["intercept"] - _intercept) < 0.006, "Your Cleveland calibration intercept is off."
_penalised = LogisticRegression().fit(_lp[:, None], _y).coef_[0, 0]  # scikit-learn's default: L2 penalty
assert abs(_got["slope"] - _slope) < 0.006 or abs(_got["slope"] - _penalised) > 0.006, (
    "Your Cleveland slope looks shrunk by scikit-learn's default penalty: use LogisticRegression(penalty=None) "
    "or statsmodels."
)
_through_0 = sm.GLM(_y, _lp[:, None], family=sm.families.Binomial()).fit().params[0]
assert abs(_got["slope"] - _slope) < 0.006 or abs(_got["slope"] - _through_0) > 0.006, (
    "Your Cleveland slope was fitted without an intercept, so it is forced through 0: add a constant "
    "(sm.add_constant)."
)
assert abs(_got["slope"] - _slope) < 0.006, "Your Cleveland calibration slope is off: regress the outcome on logit(risk)."
assert fingerprint(calibration["VA Long Beach"]["slope"], 2) == "a2e1874b8172", (
    "Your VA calibration slope is off: the same regression as for Cleveland, on the VA patients (groups['VA Long Beach'])."
)
### BEGIN HIDDEN TESTS
import importlib as _il

_np = _il.import_module("numpy")
_pd = _il.import_module("pandas")
_sm = _il.import_module("statsmodels.api")
_ms = _il.import_module("sklearn.model_selection")
_h = _pd.read_csv("heart_disease.csv")
_h["cad"] = (_h["num"] > 0).astype(int)
_h["exang"] = _h["exang"].map({True: "yes", False: "no", "True": "yes", "False": "no"})
_cl = _h[_h["site"] == "Cleveland"]
_tr, _te = _ms.train_test_split(_cl.index, test_size=1 / 3, stratify=_cl["cad"], random_state=26)
_sk = {m: _il.import_module(f"sklearn.{m}") for m in ("compose", "impute", "linear_model", "pipeline", "preprocessing")}
_model = _sk["pipeline"].make_pipeline(
    _sk["compose"].ColumnTransformer([
        ("num", _sk["pipeline"].make_pipeline(_sk["impute"].SimpleImputer(strategy="median"),
                                              _sk["preprocessing"].StandardScaler()), ["age", "thalach", "oldpeak"]),
        ("cat", _sk["pipeline"].make_pipeline(_sk["impute"].SimpleImputer(strategy="most_frequent"),
                                              _sk["preprocessing"].OneHotEncoder(handle_unknown="ignore")), ["sex", "cp", "exang"]),
    ]),
    _sk["linear_model"].LogisticRegression(max_iter=1000),
).fit(_h.loc[_tr, ["age", "thalach", "oldpeak", "sex", "cp", "exang"]], _h.loc[_tr, "cad"])
_h["risk"] = _model.predict_proba(_h[["age", "thalach", "oldpeak", "sex", "cp", "exang"]])[:, 1]
_groups = {"Cleveland test": _h.loc[_te]} | {s: _h[_h["site"] == s] for s in ("Hungary", "VA Long Beach", "Switzerland")}
_va = _groups["VA Long Beach"]
_up, _ck = _ms.train_test_split(_va.index, test_size=0.5, stratify=_va["cad"], random_state=41)
_logit = lambda p: _np.log(p / (1 - p))  # noqa: E731
_fam = _sm.families.Binomial()
for _name in ("Cleveland test", "VA Long Beach"):
    _g = _groups[_name]
    _x, _y = _logit(_g["risk"].to_numpy()), _g["cad"].to_numpy()
    _a = _sm.GLM(_y, _np.ones_like(_x), family=_fam, offset=_x).fit().params[0]
    _a2, _b = _sm.GLM(_y, _sm.add_constant(_x), family=_fam).fit().params
    _got = calibration[_name]
    assert not (abs(float(_got["intercept"]) - _b) < 0.006 and abs(float(_got["slope"]) - _a) < 0.006), (
        f"{_name}: intercept and slope are swapped."
    )
    assert abs(float(_got["intercept"]) - _a) < 0.006, (
        f"{_name}: the calibration intercept is off (fit an intercept alone, with logit(risk) as the offset)."
    )
    assert abs(float(_got["slope"]) - _b) < 0.006, f"{_name}: the calibration slope is off."
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q4_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 4: the scaled Brier score (1 point, M2.2)
#
# The Brier score is the mean squared difference between risk and outcome; the **scaled Brier score**
# compares it with the Brier score of a model that gives every patient the group's prevalence:
# $1 - \text{Brier} / [\bar y(1-\bar y)]$. Compute it for the Cleveland test patients and the VA and store
# it as `scaled_brier = {"Cleveland test": ..., "VA Long Beach": ...}`.

# %% nbgrader={"grade": false, "grade_id": "q4_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
scaled_brier = {}
for name in ["Cleveland test", "VA Long Beach"]:
    g = groups[name]
    prevalence = g["cad"].mean()
    scaled_brier[name] = float(1 - brier_score_loss(g["cad"], g["risk"]) / (prevalence * (1 - prevalence)))
### END SOLUTION
print({name: round(value, 2) for name, value in scaled_brier.items()})

# %% nbgrader={"grade": true, "grade_id": "q4_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M2.2"}
"""Check the scaled Brier score for the Cleveland test patients and the VA."""
assert isinstance(scaled_brier, dict) and set(scaled_brier) == {"Cleveland test", "VA Long Beach"}, (
    "scaled_brier should be a dictionary with the keys 'Cleveland test' and 'VA Long Beach'."
)
assert all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in scaled_brier.values()), "Give numbers."
assert all(float(v) <= 1 for v in scaled_brier.values()), (
    "A scaled Brier score is at most 1 (a perfect model): is one of yours a percentage?"
)
_g = groups["Cleveland test"]
_brier = float(np.mean((_g["risk"] - _g["cad"]) ** 2))
_prev = float(_g["cad"].mean())
assert abs(float(scaled_brier["Cleveland test"]) - _brier) > 1e-6, (
    "Your Cleveland value is the Brier score itself: scale it by the Brier score of predicting the prevalence."
)
assert abs(float(scaled_brier["Cleveland test"]) - (1 - _brier)) > 1e-6, (
    "Your Cleveland value forgets the prevalence: divide the Brier score by prevalence x (1 - prevalence)."
)
_calls = float(np.mean(((_g["risk"] >= 0.5).astype(float) - _g["cad"]) ** 2))
assert abs(float(scaled_brier["Cleveland test"]) - (1 - _calls / (_prev * (1 - _prev)))) > 1e-6, (
    "Your Cleveland value comes from 0/1 calls: the Brier score compares the risks themselves with the outcomes."
)
assert abs(float(scaled_brier["Cleveland test"]) - (1 - _brier / (_prev * (1 - _prev)))) < 0.006, (
    "Your Cleveland scaled Brier score is off."
)
### BEGIN HIDDEN TESTS
import importlib as _il

_np = _il.import_module("numpy")
_pd = _il.import_module("pandas")
_sm = _il.import_module("statsmodels.api")
_ms = _il.import_module("sklearn.model_selection")
_h = _pd.read_csv("heart_disease.csv")
_h["cad"] = (_h["num"] > 0).astype(int)
_h["exang"] = _h["exang"].map({True: "yes", False: "no", "True": "yes", "False": "no"})
_cl = _h[_h["site"] == "Cleveland"]
_tr, _te = _ms.train_test_split(_cl.index, test_size=1 / 3, stratify=_cl["cad"], random_state=26)
_sk = {m: _il.import_module(f"sklearn.{m}") for m in ("compose", "impute", "linear_model", "pipeline", "preprocessing")}
_model = _sk["pipeline"].make_pipeline(
    _sk["compose"].ColumnTransformer([
        ("num", _sk["pipeline"].make_pipeline(_sk["impute"].SimpleImputer(strategy="median"),
                                              _sk["preprocessing"].StandardScaler()), ["age", "thalach", "oldpeak"]),
        ("cat", _sk["pipeline"].make_pipeline(_sk["impute"].SimpleImputer(strategy="most_frequent"),
                                              _sk["preprocessing"].OneHotEncoder(handle_unknown="ignore")), ["sex", "cp", "exang"]),
    ]),
    _sk["linear_model"].LogisticRegression(max_iter=1000),
).fit(_h.loc[_tr, ["age", "thalach", "oldpeak", "sex", "cp", "exang"]], _h.loc[_tr, "cad"])
_h["risk"] = _model.predict_proba(_h[["age", "thalach", "oldpeak", "sex", "cp", "exang"]])[:, 1]
_groups = {"Cleveland test": _h.loc[_te]} | {s: _h[_h["site"] == s] for s in ("Hungary", "VA Long Beach", "Switzerland")}
_va = _groups["VA Long Beach"]
_up, _ck = _ms.train_test_split(_va.index, test_size=0.5, stratify=_va["cad"], random_state=41)
_logit = lambda p: _np.log(p / (1 - p))  # noqa: E731
for _name in ("Cleveland test", "VA Long Beach"):
    _g = _groups[_name]
    _b = float(_np.mean((_g["risk"] - _g["cad"]) ** 2))
    _prev = float(_g["cad"].mean())
    assert abs(float(scaled_brier[_name]) - (1 - _b)) > 0.006, f"{_name}: the prevalence is missing from the scaling."
    assert abs(float(scaled_brier[_name]) - (1 - _b / (_prev * (1 - _prev)))) < 0.006, f"{_name}: the scaled Brier score is off."
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q5_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 5: updating the intercept at the VA (2 points, M2.4)
#
# Update the model for the VA the simplest way: re-estimate the **intercept only**, on the patients in
# `va_update`, with `logit(risk)` as an offset (the slope stays 1). Compute:
#
# - `intercept_update`: the estimated correction (a number added to every patient's log-odds);
# - `oe_after_update`: a dictionary `{"update": ..., "check": ...}` with O/E of the **updated** risks,
#   `1 / (1 + exp(-(logit(risk) + intercept_update)))`, in `va_update` and in `va_check`.

# %% nbgrader={"grade": false, "grade_id": "q5_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
x_update = logit(va_update["risk"].to_numpy())  # the linear predictor of the update half
intercept_fit = sm.GLM(va_update["cad"].to_numpy(), np.ones(len(x_update)), family=sm.families.Binomial(), offset=x_update).fit()
intercept_update = float(intercept_fit.params[0])
oe_after_update = {}
for name, g in [("update", va_update), ("check", va_check)]:
    updated = 1 / (1 + np.exp(-(logit(g["risk"].to_numpy()) + intercept_update)))
    oe_after_update[name] = float(g["cad"].sum() / updated.sum())
### END SOLUTION
print(f"Intercept update {intercept_update:.2f}; O/E after it: "
      f"update half {oe_after_update['update']:.2f}, check half {oe_after_update['check']:.2f}")

# %% nbgrader={"grade": true, "grade_id": "q5_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M2.4"}
"""Check the intercept update and O/E after it, on the update and the check halves of the VA."""
assert isinstance(intercept_update, (int, float)) and not isinstance(intercept_update, bool), "intercept_update should be a number."
assert isinstance(oe_after_update, dict) and set(oe_after_update) == {"update", "check"}, (
    "oe_after_update should be a dictionary with the keys 'update' and 'check'."
)
assert all(0 < float(v) < 5 for v in oe_after_update.values()), "Give O/E as a ratio (1 = as many as expected)."
assert not (abs(float(oe_after_update["check"]) - 1) < 0.001 < abs(float(oe_after_update["update"]) - 1)), (
    "O/E is 1 in the check half, so the intercept was fitted there: fit it on va_update, then judge it on va_check."
)
assert abs(float(oe_after_update["update"]) - 1) < 0.01, (
    "On the patients it was fitted on, an intercept update makes O/E 1 exactly: did you fit the intercept alone "
    "with logit(risk) as the offset, and add it to logit(risk) before turning it back into a risk?"
)
assert (float(intercept_update) > 0) == (va_update["cad"].sum() > va_update["risk"].sum()), (
    "The sign of the intercept update is wrong: where the model under-predicts, the correction must raise the risks."
)
assert fingerprint(intercept_update, 2) == "7fb14de5048d", (
    "intercept_update is off: fit an intercept alone on va_update, with logit(risk) as the offset (no slope)."
)
assert fingerprint(oe_after_update["check"], 2) == "f42b383a2bf4", (
    "O/E after the update in va_check is off: apply the same correction to the check half's log-odds."
)
### BEGIN HIDDEN TESTS
import importlib as _il

_np = _il.import_module("numpy")
_pd = _il.import_module("pandas")
_sm = _il.import_module("statsmodels.api")
_ms = _il.import_module("sklearn.model_selection")
_h = _pd.read_csv("heart_disease.csv")
_h["cad"] = (_h["num"] > 0).astype(int)
_h["exang"] = _h["exang"].map({True: "yes", False: "no", "True": "yes", "False": "no"})
_cl = _h[_h["site"] == "Cleveland"]
_tr, _te = _ms.train_test_split(_cl.index, test_size=1 / 3, stratify=_cl["cad"], random_state=26)
_sk = {m: _il.import_module(f"sklearn.{m}") for m in ("compose", "impute", "linear_model", "pipeline", "preprocessing")}
_model = _sk["pipeline"].make_pipeline(
    _sk["compose"].ColumnTransformer([
        ("num", _sk["pipeline"].make_pipeline(_sk["impute"].SimpleImputer(strategy="median"),
                                              _sk["preprocessing"].StandardScaler()), ["age", "thalach", "oldpeak"]),
        ("cat", _sk["pipeline"].make_pipeline(_sk["impute"].SimpleImputer(strategy="most_frequent"),
                                              _sk["preprocessing"].OneHotEncoder(handle_unknown="ignore")), ["sex", "cp", "exang"]),
    ]),
    _sk["linear_model"].LogisticRegression(max_iter=1000),
).fit(_h.loc[_tr, ["age", "thalach", "oldpeak", "sex", "cp", "exang"]], _h.loc[_tr, "cad"])
_h["risk"] = _model.predict_proba(_h[["age", "thalach", "oldpeak", "sex", "cp", "exang"]])[:, 1]
_groups = {"Cleveland test": _h.loc[_te]} | {s: _h[_h["site"] == s] for s in ("Hungary", "VA Long Beach", "Switzerland")}
_va = _groups["VA Long Beach"]
_up, _ck = _ms.train_test_split(_va.index, test_size=0.5, stratify=_va["cad"], random_state=41)
_logit = lambda p: _np.log(p / (1 - p))  # noqa: E731
_x = _logit(_h.loc[_up, "risk"].to_numpy())
_a = _sm.GLM(_h.loc[_up, "cad"].to_numpy(), _np.ones_like(_x), family=_sm.families.Binomial(), offset=_x).fit().params[0]
assert abs(float(intercept_update) - _a) < 0.006, "The intercept update is off: fit it on va_update only, with the offset."
_new = 1 / (1 + _np.exp(-(_logit(_h.loc[_ck, "risk"].to_numpy()) + _a)))
_ref = _h.loc[_ck, "cad"].sum() / _new.sum()
assert abs(float(oe_after_update["check"]) - _ref) < 0.006, "O/E of the updated risks in va_check is off."
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q6_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 6: logistic recalibration, and what it does to the AUC (2 points, M2.4)
#
# Now re-estimate both the intercept and the slope on `va_update` (**logistic recalibration**: a logistic
# regression of the outcome on an intercept and `logit(risk)`). Compute:
#
# - `recalibration = {"intercept": a, "slope": b}`, the two estimates;
# - `risk_check_recalibrated`: a numpy array of the recalibrated risks `1 / (1 + exp(-(a + b * logit(risk))))`
#   of the `va_check` patients, in the order of `va_check`;
# - `auc_check = {"before": ..., "after": ...}`: the AUC in `va_check` of the original risks and of the
#   recalibrated ones (use `roc_auc_score` on the risks).

# %% nbgrader={"grade": false, "grade_id": "q6_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
recalibration_fit = sm.GLM(va_update["cad"].to_numpy(), sm.add_constant(x_update), family=sm.families.Binomial()).fit()
a, b = recalibration_fit.params
recalibration = {"intercept": float(a), "slope": float(b)}
risk_check_recalibrated = 1 / (1 + np.exp(-(a + b * logit(va_check["risk"].to_numpy()))))
auc_check = {
    "before": float(roc_auc_score(va_check["cad"], va_check["risk"])),
    "after": float(roc_auc_score(va_check["cad"], risk_check_recalibrated)),
}
### END SOLUTION
print(f"Recalibration: intercept {recalibration['intercept']:.2f}, slope {recalibration['slope']:.2f}")
print(f"AUC in the check half: before {auc_check['before']:.2f}, after {auc_check['after']:.2f}")

# %% nbgrader={"grade": true, "grade_id": "q6_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M2.4"}
"""Check the logistic recalibration, the recalibrated risks and the AUC before and after."""
assert isinstance(recalibration, dict) and set(recalibration) == {"intercept", "slope"}, (
    "recalibration should be a dictionary with the keys 'intercept' and 'slope'."
)
_r = np.asarray(risk_check_recalibrated, dtype=float)
assert _r.shape == (len(va_check),), "risk_check_recalibrated should hold one risk per va_check patient."
assert ((_r > 0) & (_r < 1)).all(), "Recalibrated risks are probabilities, between 0 and 1: did you turn the log-odds back?"
assert fingerprint("".join("1" if v >= 0.2 else "0" for v in _r)) == "380b4863f69e", (
    "risk_check_recalibrated is off: a + b * logit(risk) for the va_check patients (a and b fitted on va_update), "
    "turned back into a risk with 1 / (1 + exp(-x))."
)
assert isinstance(auc_check, dict) and set(auc_check) == {"before", "after"}, (
    "auc_check should be a dictionary with the keys 'before' and 'after'."
)
_calls = roc_auc_score(va_check["cad"], (va_check["risk"] >= 0.5).astype(int))
assert abs(float(auc_check["before"]) - _calls) > 1e-9, (
    "Your AUC 'before' comes from 0/1 calls at a threshold: pass the risks themselves to roc_auc_score."
)
assert 0.5 < float(auc_check["before"]) <= 1, (
    "An AUC runs from 0 to 1, and 0.5 is a coin toss; this model ranks VA patients better than that, "
    "so check that roc_auc_score gets the outcome first and the risks second."
)
_penalised = LogisticRegression().fit(logit(va_update["risk"].to_numpy())[:, None], va_update["cad"])
assert not (abs(float(recalibration["slope"]) - _penalised.coef_[0, 0]) < 0.006
            and abs(float(recalibration["intercept"]) - _penalised.intercept_[0]) < 0.006), (
    "Your recalibration looks shrunk by scikit-learn's default penalty: use LogisticRegression(penalty=None) "
    "or statsmodels."
)
assert not (fingerprint(recalibration["intercept"], 2) == "28bc751e65d0"
            and fingerprint(recalibration["slope"], 2) == "1778e3169772"), (
    "Your recalibration intercept and slope are swapped."
)
assert fingerprint(recalibration["slope"], 2) == "28bc751e65d0" and fingerprint(
    recalibration["intercept"], 2) == "1778e3169772", (
    "The recalibration is off: regress cad on an intercept and logit(risk) in va_update (not va_check)."
)
if float(recalibration["slope"]) > 0:
    assert abs(float(auc_check["after"]) - float(auc_check["before"])) < 1e-9, (
        "With a positive slope recalibration keeps every patient in the same order, so the AUC cannot change: "
        "compute 'after' from risk_check_recalibrated on the same va_check patients."
    )
### BEGIN HIDDEN TESTS
import importlib as _il

_np = _il.import_module("numpy")
_pd = _il.import_module("pandas")
_sm = _il.import_module("statsmodels.api")
_ms = _il.import_module("sklearn.model_selection")
_h = _pd.read_csv("heart_disease.csv")
_h["cad"] = (_h["num"] > 0).astype(int)
_h["exang"] = _h["exang"].map({True: "yes", False: "no", "True": "yes", "False": "no"})
_cl = _h[_h["site"] == "Cleveland"]
_tr, _te = _ms.train_test_split(_cl.index, test_size=1 / 3, stratify=_cl["cad"], random_state=26)
_sk = {m: _il.import_module(f"sklearn.{m}") for m in ("compose", "impute", "linear_model", "pipeline", "preprocessing")}
_model = _sk["pipeline"].make_pipeline(
    _sk["compose"].ColumnTransformer([
        ("num", _sk["pipeline"].make_pipeline(_sk["impute"].SimpleImputer(strategy="median"),
                                              _sk["preprocessing"].StandardScaler()), ["age", "thalach", "oldpeak"]),
        ("cat", _sk["pipeline"].make_pipeline(_sk["impute"].SimpleImputer(strategy="most_frequent"),
                                              _sk["preprocessing"].OneHotEncoder(handle_unknown="ignore")), ["sex", "cp", "exang"]),
    ]),
    _sk["linear_model"].LogisticRegression(max_iter=1000),
).fit(_h.loc[_tr, ["age", "thalach", "oldpeak", "sex", "cp", "exang"]], _h.loc[_tr, "cad"])
_h["risk"] = _model.predict_proba(_h[["age", "thalach", "oldpeak", "sex", "cp", "exang"]])[:, 1]
_groups = {"Cleveland test": _h.loc[_te]} | {s: _h[_h["site"] == s] for s in ("Hungary", "VA Long Beach", "Switzerland")}
_va = _groups["VA Long Beach"]
_up, _ck = _ms.train_test_split(_va.index, test_size=0.5, stratify=_va["cad"], random_state=41)
_logit = lambda p: _np.log(p / (1 - p))  # noqa: E731
_x = _logit(_h.loc[_up, "risk"].to_numpy())
_a, _b = _sm.GLM(_h.loc[_up, "cad"].to_numpy(), _sm.add_constant(_x), family=_sm.families.Binomial()).fit().params
assert not (abs(float(recalibration["intercept"]) - _b) < 0.006 and abs(float(recalibration["slope"]) - _a) < 0.006), (
    "The recalibration intercept and slope are swapped."
)
assert abs(float(recalibration["intercept"]) - _a) < 0.006 and abs(float(recalibration["slope"]) - _b) < 0.006, (
    "The recalibration is off: regress cad on an intercept and logit(risk) in va_update."
)
_new = 1 / (1 + _np.exp(-(_a + _b * _logit(_h.loc[_ck, "risk"].to_numpy()))))
assert _np.allclose(_np.asarray(risk_check_recalibrated, dtype=float), _new, atol=1e-3), (
    "risk_check_recalibrated is off: apply a + b * logit(risk) to the va_check patients, then turn it into a risk."
)
_skm = _il.import_module("sklearn.metrics")
_auc = _skm.roc_auc_score(_h.loc[_ck, "cad"], _h.loc[_ck, "risk"])
assert abs(float(auc_check["before"]) - _auc) < 0.006 and abs(float(auc_check["after"]) - _auc) < 0.006, (
    "The AUC in va_check is off: use the va_check patients' outcomes and risks."
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q7_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 7: how sure are we of the VA slope? (2 points, M2.5)
#
# 200 VA patients is not many. Put a **bootstrap 95% confidence interval** around the calibration slope
# of the original model in **all** VA patients (`va`): draw 1,000 resamples of the 200 patients with
# replacement, all at once, with `rng = np.random.default_rng(42)` and
# `rng.integers(0, len(va), size=(1000, len(va)))`; fit the slope in each resample; take the 2.5th and
# 97.5th percentiles. Store them as a list `slope_ci = [low, high]`. Compute it (any correct bootstrap
# earns the points: a few hundredths of difference from another seed are accepted).

# %% nbgrader={"grade": false, "grade_id": "q7_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
rng = np.random.default_rng(42)
resamples = rng.integers(0, len(va), size=(1000, len(va)))
lp_va, y_va = logit(va["risk"].to_numpy()), va["cad"].to_numpy()
slopes = [
    sm.GLM(y_va[i], sm.add_constant(lp_va[i]), family=sm.families.Binomial()).fit().params[1] for i in resamples
]
slope_ci = [float(v) for v in np.percentile(slopes, [2.5, 97.5])]
### END SOLUTION
print(f"VA calibration slope, 95% bootstrap interval: {slope_ci[0]:.2f} to {slope_ci[1]:.2f}")

# %% nbgrader={"grade": true, "grade_id": "q7_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M2.5"}
"""Check the bootstrap 95% interval of the VA calibration slope."""
assert isinstance(slope_ci, (list, tuple)) and len(slope_ci) == 2, "slope_ci should be a list of two numbers: [low, high]."
_low, _high = (float(v) for v in slope_ci)
assert _high - _low > 1e-9, (
    "Your interval has no width: every resample holds the same 200 patients. Draw them WITH replacement "
    "(rng.integers, as above)."
)
assert _low < _high, "Give the lower limit first."
assert _high - _low > 0.05, (
    "Your interval is very narrow for 200 patients: take the 2.5th and 97.5th percentiles of the resampled "
    "slopes, not of their mean or a standard error."
)
try:  # your own VA slope of Question 3, when you have answered it
    _own = float(calibration["VA Long Beach"]["slope"])
except Exception:
    _own = None
if _own is not None and fingerprint(_own, 2) == "a2e1874b8172":
    assert _low < _own < _high, (
        "Your interval does not contain the VA slope (Question 3): resample the VA patients, and fit the slope "
        "(not the intercept) in each resample."
    )
    _lp_va = sm.add_constant(logit(va["risk"].to_numpy()))
    _a_va = sm.GLM(va["cad"].to_numpy(), _lp_va, family=sm.families.Binomial()).fit().params[0]
    assert abs((_low + _high) / 2 - _own) < abs((_low + _high) / 2 - _a_va), (
        "Your interval is centred on the intercept of the regression, not on its slope: keep params[1] of each fit."
    )
elif _own is not None:  # your slope is off: this question does not lean on it
    print("Your VA slope of Question 3 is off, so this cell cannot compare your interval with it: fix Question 3, "
          "then run this cell again. This interval is judged on its own.")
### BEGIN HIDDEN TESTS
import importlib as _il

_np = _il.import_module("numpy")
_pd = _il.import_module("pandas")
_sm = _il.import_module("statsmodels.api")
_ms = _il.import_module("sklearn.model_selection")
_h = _pd.read_csv("heart_disease.csv")
_h["cad"] = (_h["num"] > 0).astype(int)
_h["exang"] = _h["exang"].map({True: "yes", False: "no", "True": "yes", "False": "no"})
_cl = _h[_h["site"] == "Cleveland"]
_tr, _te = _ms.train_test_split(_cl.index, test_size=1 / 3, stratify=_cl["cad"], random_state=26)
_sk = {m: _il.import_module(f"sklearn.{m}") for m in ("compose", "impute", "linear_model", "pipeline", "preprocessing")}
_model = _sk["pipeline"].make_pipeline(
    _sk["compose"].ColumnTransformer([
        ("num", _sk["pipeline"].make_pipeline(_sk["impute"].SimpleImputer(strategy="median"),
                                              _sk["preprocessing"].StandardScaler()), ["age", "thalach", "oldpeak"]),
        ("cat", _sk["pipeline"].make_pipeline(_sk["impute"].SimpleImputer(strategy="most_frequent"),
                                              _sk["preprocessing"].OneHotEncoder(handle_unknown="ignore")), ["sex", "cp", "exang"]),
    ]),
    _sk["linear_model"].LogisticRegression(max_iter=1000),
).fit(_h.loc[_tr, ["age", "thalach", "oldpeak", "sex", "cp", "exang"]], _h.loc[_tr, "cad"])
_h["risk"] = _model.predict_proba(_h[["age", "thalach", "oldpeak", "sex", "cp", "exang"]])[:, 1]
_groups = {"Cleveland test": _h.loc[_te]} | {s: _h[_h["site"] == s] for s in ("Hungary", "VA Long Beach", "Switzerland")}
_va = _groups["VA Long Beach"]
_up, _ck = _ms.train_test_split(_va.index, test_size=0.5, stratify=_va["cad"], random_state=41)
_logit = lambda p: _np.log(p / (1 - p))  # noqa: E731
_rows = _np.random.default_rng(42).integers(0, len(_va), size=(1000, len(_va)))
_x, _y = _logit(_va["risk"].to_numpy())[_rows], _va["cad"].to_numpy()[_rows]
# The slope in every resample at once, by Newton's method on the logistic log-likelihood (a + b x per resample)
_X = _np.stack([_np.ones_like(_x), _x], axis=-1)
_beta = _np.zeros((len(_rows), 2))
for _ in range(30):
    _p = 1 / (1 + _np.exp(-_np.einsum("bni,bi->bn", _X, _beta)))
    _hess = _np.einsum("bni,bn,bnj->bij", _X, _p * (1 - _p), _X)
    _beta += _np.linalg.solve(_hess, _np.einsum("bni,bn->bi", _X, _y - _p)[..., None])[..., 0]
_ref_low, _ref_high = _np.percentile(_beta[:, 1], [2.5, 97.5])
assert abs(_low - _ref_low) < 0.08 and abs(_high - _ref_high) < 0.08, (
    "Your interval is further from a bootstrap of the VA slope than resampling noise allows."
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q8_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 8: net benefit at a threshold of 20% (2 points, M2.6)
#
# Suppose the VA cardiologists would refer a patient for CT coronary angiography when the probability of
# CAD is at least 20% (a missed CAD judged four times as harmful as an unneeded CT coronary angiogram). In
# `va_check`, compute
# the net benefit $\text{NB} = \frac{TP}{n} - \frac{FP}{n}\cdot\frac{p_t}{1-p_t}$ at $p_t = 0.2$ of three
# strategies, and store them as `net_benefit_20 = {"treat all": ..., "model": ..., "recalibrated": ...}`:
# refer everyone; refer when the original `risk` is at least 0.2; refer when `risk_check_recalibrated`
# is at least 0.2. Compute them (or type them to the three decimals the notebook prints). The
# "recalibrated" strategy is judged on your own `risk_check_recalibrated` of Question 6, so a slip there is
# not counted twice.

# %% nbgrader={"grade": false, "grade_id": "q8_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
PT = 0.2
### BEGIN SOLUTION
def net_benefit(y, refer, pt):
    y, refer = np.asarray(y, dtype=bool), np.asarray(refer, dtype=bool)
    return float(np.sum(refer & y) / len(y) - np.sum(refer & ~y) / len(y) * pt / (1 - pt))


y_check = va_check["cad"].to_numpy()
net_benefit_20 = {
    "treat all": net_benefit(y_check, np.ones(len(y_check)), PT),
    "model": net_benefit(y_check, va_check["risk"] >= PT, PT),
    "recalibrated": net_benefit(y_check, risk_check_recalibrated >= PT, PT),
}
### END SOLUTION
print(", ".join(f"{name} {value:.3f}" for name, value in net_benefit_20.items()))

# %% nbgrader={"grade": true, "grade_id": "q8_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M2.6"}
"""Check the net benefit of the three strategies at a threshold of 0.2 in va_check."""
assert isinstance(net_benefit_20, dict) and set(net_benefit_20) == {"treat all", "model", "recalibrated"}, (
    "net_benefit_20 should be a dictionary with the keys 'treat all', 'model' and 'recalibrated'."
)
assert all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in net_benefit_20.values()), "Give numbers."
assert all(abs(float(v)) <= 1 for v in net_benefit_20.values()), (
    "Net benefit is in true positives per patient (a fraction), not a count or a percentage: divide by n."
)
_prev = float(va_check["cad"].mean())
assert all(float(v) <= _prev + 1e-9 for v in net_benefit_20.values()), (
    "A net benefit cannot exceed the prevalence: subtract the weighted false positives."
)
assert float(net_benefit_20["treat all"]) < _prev - 1e-6, (
    "Referring everyone also refers every patient without CAD: their weighted harm must be subtracted."
)
assert abs(float(net_benefit_20["treat all"]) - (2 * _prev - 1)) > 0.0005 + 1e-9, (
    "Your false positives are not weighted: multiply them by pt / (1 - pt) = 0.2 / 0.8."
)
assert abs(float(net_benefit_20["treat all"]) - (_prev - (1 - _prev) * 0.2)) > 0.0005 + 1e-9, (
    "The weight of a false positive is the threshold's odds, pt / (1 - pt), not pt itself."
)
assert not (float(net_benefit_20["model"]) == 0 and (va_check["risk"] >= PT).any()), (
    "A net benefit of exactly 0 means no one was referred: risks are proportions, so the threshold is 0.2, not 20."
)
try:  # who your own recalibrated risks of Question 6 refer at 0.2, when they are risks of the va_check patients
    _own = np.asarray(risk_check_recalibrated, dtype=float)
    _own = "".join("1" if v >= PT else "0" for v in _own) if _own.shape == (len(va_check),) and (
        (_own > 0) & (_own < 1)).all() else None
except Exception:
    _own = None
for _k in ["treat all", "model", "recalibrated"]:
    if _k == "recalibrated" and _own is not None and fingerprint(_own) != "380b4863f69e":
        # Your risks of Question 6 are off: 'recalibrated' is judged on them, so the slip is not counted twice
        _refer, _cad = np.array([c == "1" for c in _own]), va_check["cad"].to_numpy() == 1
        _nb_own = (np.sum(_refer & _cad) - np.sum(_refer & ~_cad) * PT / (1 - PT)) / len(_cad)
        assert abs(float(net_benefit_20[_k]) - _nb_own) < 0.0006 or fingerprint(net_benefit_20[_k], 3) == "e0f97c850f15", (
            "The net benefit of 'recalibrated' is off: refer the va_check patients whose risk_check_recalibrated "
            "is at least 0.2."
        )
        print("Your recalibrated risks of Question 6 are off: fix them, then run this cell again. The net benefit "
              "of 'recalibrated' is judged on your own risk_check_recalibrated, so the slip is not counted twice.")
        continue
    assert fingerprint(net_benefit_20[_k], 3) == {"treat all": "e0f97c850f15", "model": "3d719c7957a8",
                                                  "recalibrated": "e0f97c850f15"}[_k], (
        f"The net benefit of {_k!r} is off: refer as that strategy says, in va_check"
        + (" (recalibrated risks: risk_check_recalibrated)." if _k == "recalibrated" else ".")
    )
### BEGIN HIDDEN TESTS
import importlib as _il

_np = _il.import_module("numpy")
_pd = _il.import_module("pandas")
_sm = _il.import_module("statsmodels.api")
_ms = _il.import_module("sklearn.model_selection")
_h = _pd.read_csv("heart_disease.csv")
_h["cad"] = (_h["num"] > 0).astype(int)
_h["exang"] = _h["exang"].map({True: "yes", False: "no", "True": "yes", "False": "no"})
_cl = _h[_h["site"] == "Cleveland"]
_tr, _te = _ms.train_test_split(_cl.index, test_size=1 / 3, stratify=_cl["cad"], random_state=26)
_sk = {m: _il.import_module(f"sklearn.{m}") for m in ("compose", "impute", "linear_model", "pipeline", "preprocessing")}
_model = _sk["pipeline"].make_pipeline(
    _sk["compose"].ColumnTransformer([
        ("num", _sk["pipeline"].make_pipeline(_sk["impute"].SimpleImputer(strategy="median"),
                                              _sk["preprocessing"].StandardScaler()), ["age", "thalach", "oldpeak"]),
        ("cat", _sk["pipeline"].make_pipeline(_sk["impute"].SimpleImputer(strategy="most_frequent"),
                                              _sk["preprocessing"].OneHotEncoder(handle_unknown="ignore")), ["sex", "cp", "exang"]),
    ]),
    _sk["linear_model"].LogisticRegression(max_iter=1000),
).fit(_h.loc[_tr, ["age", "thalach", "oldpeak", "sex", "cp", "exang"]], _h.loc[_tr, "cad"])
_h["risk"] = _model.predict_proba(_h[["age", "thalach", "oldpeak", "sex", "cp", "exang"]])[:, 1]
_groups = {"Cleveland test": _h.loc[_te]} | {s: _h[_h["site"] == s] for s in ("Hungary", "VA Long Beach", "Switzerland")}
_va = _groups["VA Long Beach"]
_up, _ck = _ms.train_test_split(_va.index, test_size=0.5, stratify=_va["cad"], random_state=41)
_logit = lambda p: _np.log(p / (1 - p))  # noqa: E731
_y = _h.loc[_ck, "cad"].to_numpy().astype(bool)
_x = _logit(_h.loc[_up, "risk"].to_numpy())
_a, _b = _sm.GLM(_h.loc[_up, "cad"].to_numpy(), _sm.add_constant(_x), family=_sm.families.Binomial()).fit().params
_r = _h.loc[_ck, "risk"].to_numpy()
_rr = 1 / (1 + _np.exp(-(_a + _b * _logit(_r))))
_nb = lambda refer: (_np.sum(refer & _y) - _np.sum(refer & ~_y) * 0.25) / len(_y)  # noqa: E731
_ref = {"treat all": _nb(_np.ones(len(_y), dtype=bool)), "model": _nb(_r >= 0.2), "recalibrated": _nb(_rr >= 0.2)}
try:  # carry-forward: 'recalibrated' from the student's own risks of Question 6, when they are risks of va_check
    _own_rr = _np.asarray(risk_check_recalibrated, dtype=float)
    _own = _nb(_own_rr >= 0.2) if _own_rr.shape == _rr.shape and ((_own_rr > 0) & (_own_rr < 1)).all() else _np.nan
except Exception:  # no usable risks: no carry-forward
    _own = _np.nan
for _k, _v in _ref.items():
    assert abs(float(net_benefit_20[_k]) - _v) < 0.0006 or (_k == "recalibrated" and abs(float(net_benefit_20[_k]) - _own) < 0.0006), (
        f"The net benefit of '{_k}' is off."
    )
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q9_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 9: unneeded CT angiograms avoided (1 point, M2.6)
#
# Compared with referring every VA patient, how many **net interventions are avoided per 1,000 patients**
# when the original model decides at $p_t = 0.2$?
# $\frac{\text{NB}_\text{model} - \text{NB}_\text{treat all}}{p_t/(1-p_t)} \times 1000$. Store it in
# `avoided_per_1000` (a number; a negative value means the model does worse than referring everyone).
# Compute it from your answers to Question 8 (typing the printed value is fine too).

# %% nbgrader={"grade": false, "grade_id": "q9_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
avoided_per_1000 = (net_benefit_20["model"] - net_benefit_20["treat all"]) / (PT / (1 - PT)) * 1000
### END SOLUTION
print(f"Net interventions avoided per 1,000 VA patients: {avoided_per_1000:.0f}")

# %% nbgrader={"grade": true, "grade_id": "q9_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M2.6"}
"""Check the net interventions avoided per 1,000 patients at a threshold of 0.2."""
assert isinstance(avoided_per_1000, (int, float)) and not isinstance(avoided_per_1000, bool), "avoided_per_1000 should be a number."
_diff = float(net_benefit_20["model"]) - float(net_benefit_20["treat all"])
assert abs(float(avoided_per_1000) - _diff * 1000) > 1e-6 or abs(_diff) < 1e-12, (
    "Divide the difference in net benefit by the odds of the threshold, pt / (1 - pt), before scaling to 1,000."
)
assert abs(float(avoided_per_1000) - _diff / 0.25 * 100) > 1e-6 or abs(_diff) < 1e-12, "Per 1,000 patients, not per 100."
assert abs(float(avoided_per_1000) - _diff / 0.2 * 1000) > 1e-6 or abs(_diff) < 1e-12, (
    "Divide by the odds of the threshold, pt / (1 - pt), not by pt itself."
)
assert abs(float(avoided_per_1000) - _diff / 0.25 * 1000) < 0.5, (
    "avoided_per_1000 does not follow from your net benefits of Question 8 with the formula above."
)
if (fingerprint(net_benefit_20["model"], 3), fingerprint(net_benefit_20["treat all"], 3)) != ("3d719c7957a8", "e0f97c850f15"):
    print("Your net benefits of Question 8 are off: fix them, then run this cell again. avoided_per_1000 is judged "
          "on your own net benefits, so the slip is not counted twice.")
### BEGIN HIDDEN TESTS
import importlib as _il

_np = _il.import_module("numpy")
_pd = _il.import_module("pandas")
_sm = _il.import_module("statsmodels.api")
_ms = _il.import_module("sklearn.model_selection")
_h = _pd.read_csv("heart_disease.csv")
_h["cad"] = (_h["num"] > 0).astype(int)
_h["exang"] = _h["exang"].map({True: "yes", False: "no", "True": "yes", "False": "no"})
_cl = _h[_h["site"] == "Cleveland"]
_tr, _te = _ms.train_test_split(_cl.index, test_size=1 / 3, stratify=_cl["cad"], random_state=26)
_sk = {m: _il.import_module(f"sklearn.{m}") for m in ("compose", "impute", "linear_model", "pipeline", "preprocessing")}
_model = _sk["pipeline"].make_pipeline(
    _sk["compose"].ColumnTransformer([
        ("num", _sk["pipeline"].make_pipeline(_sk["impute"].SimpleImputer(strategy="median"),
                                              _sk["preprocessing"].StandardScaler()), ["age", "thalach", "oldpeak"]),
        ("cat", _sk["pipeline"].make_pipeline(_sk["impute"].SimpleImputer(strategy="most_frequent"),
                                              _sk["preprocessing"].OneHotEncoder(handle_unknown="ignore")), ["sex", "cp", "exang"]),
    ]),
    _sk["linear_model"].LogisticRegression(max_iter=1000),
).fit(_h.loc[_tr, ["age", "thalach", "oldpeak", "sex", "cp", "exang"]], _h.loc[_tr, "cad"])
_h["risk"] = _model.predict_proba(_h[["age", "thalach", "oldpeak", "sex", "cp", "exang"]])[:, 1]
_groups = {"Cleveland test": _h.loc[_te]} | {s: _h[_h["site"] == s] for s in ("Hungary", "VA Long Beach", "Switzerland")}
_va = _groups["VA Long Beach"]
_up, _ck = _ms.train_test_split(_va.index, test_size=0.5, stratify=_va["cad"], random_state=41)
_logit = lambda p: _np.log(p / (1 - p))  # noqa: E731
_y = _h.loc[_ck, "cad"].to_numpy().astype(bool)
_r = _h.loc[_ck, "risk"].to_numpy()
_nb_model = (_np.sum((_r >= 0.2) & _y) - _np.sum((_r >= 0.2) & ~_y) * 0.25) / len(_y)
_nb_all = (_y.sum() - (~_y).sum() * 0.25) / len(_y)
_carried = (float(net_benefit_20["model"]) - float(net_benefit_20["treat all"])) / 0.25 * 1000  # carry-forward from Q8
assert min(abs(float(avoided_per_1000) - (_nb_model - _nb_all) / 0.25 * 1000), abs(float(avoided_per_1000) - _carried)) < 0.5, (
    "avoided_per_1000 is off: (NB of the model - NB of treating all) / (pt / (1 - pt)) x 1000, in va_check."
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q10_read_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 10: read the calibration table (2 points, M2.1)
#
# The cell below sorts the 200 VA patients into fifths of predicted risk (about 40 patients each, as
# patients with the same risk stay together; fifth 1 the lowest) and shows, for each fifth, the range of
# the model's risks, their mean, and the share of those patients who had CAD: the calibration plot of the
# chapter, as a table. Read it (typing is fine):
#
# - `over_predicted_fifths`: a list of the fifths (numbers 1 to 5) where the model **over-predicts**, that
#   is where fewer patients had CAD than the model's mean risk says;
# - `risk_near_threshold`: near the 20% referral threshold of Module 1, are the model's risks for VA
#   patients `"too low"` or `"too high"`? Then ask yourself what that means for a VA patient the model
#   puts at 15%.

# %% nbgrader={"grade": false, "grade_id": "q10_table", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Run this cell to see the table, but please don't change it.
va_fifths = va.assign(fifth=pd.qcut(va["risk"], 5, labels=[1, 2, 3, 4, 5])).groupby("fifth", observed=True).agg(
    patients=("cad", "size"), lowest_risk=("risk", "min"), highest_risk=("risk", "max"),
    mean_predicted=("risk", "mean"), observed_with_cad=("cad", "mean"))
va_fifths.round(2)

# %% nbgrader={"grade": false, "grade_id": "q10_read_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
over_predicted_fifths = [4, 5]
risk_near_threshold = "too low"
### END SOLUTION
print(over_predicted_fifths, risk_near_threshold)

# %% nbgrader={"grade": true, "grade_id": "q10_read_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M2.1"}
"""Check the shape of the two readings of the calibration table."""
assert isinstance(over_predicted_fifths, (list, tuple)), "over_predicted_fifths should be a list of fifth numbers, e.g. [1, 2]."
assert all(isinstance(k, int) and not isinstance(k, bool) and 1 <= k <= 5 for k in over_predicted_fifths), (
    "Each fifth is a whole number from 1 (lowest risks) to 5 (highest)."
)
assert len(set(over_predicted_fifths)) == len(over_predicted_fifths), "Name each fifth once."
assert risk_near_threshold in ("too low", "too high"), 'risk_near_threshold should be "too low" or "too high".'
assert fingerprint(list(over_predicted_fifths)) == "c73bcaadd949", (
    "Not yet: over-prediction is where the share observed with CAD lies BELOW the mean predicted risk; "
    "compare the last two columns in every one of the five fifths."
)
assert fingerprint(risk_near_threshold) == "9bd1ba986fc8", (
    "Look at the fifth whose range of risks contains 20%: where more of its patients had CAD than predicted, "
    "the model's risks are too low."
)
### BEGIN HIDDEN TESTS
import importlib as _il

_pd = _il.import_module("pandas")
_ms = _il.import_module("sklearn.model_selection")
_h = _pd.read_csv("heart_disease.csv")
_h["cad"] = (_h["num"] > 0).astype(int)
_h["exang"] = _h["exang"].map({True: "yes", False: "no", "True": "yes", "False": "no"})
_cl = _h[_h["site"] == "Cleveland"]
_tr, _te = _ms.train_test_split(_cl.index, test_size=1 / 3, stratify=_cl["cad"], random_state=26)
_sk = {m: _il.import_module(f"sklearn.{m}") for m in ("compose", "impute", "linear_model", "pipeline", "preprocessing")}
_model = _sk["pipeline"].make_pipeline(
    _sk["compose"].ColumnTransformer([
        ("num", _sk["pipeline"].make_pipeline(_sk["impute"].SimpleImputer(strategy="median"),
                                              _sk["preprocessing"].StandardScaler()), ["age", "thalach", "oldpeak"]),
        ("cat", _sk["pipeline"].make_pipeline(_sk["impute"].SimpleImputer(strategy="most_frequent"),
                                              _sk["preprocessing"].OneHotEncoder(handle_unknown="ignore")), ["sex", "cp", "exang"]),
    ]),
    _sk["linear_model"].LogisticRegression(max_iter=1000),
).fit(_h.loc[_tr, ["age", "thalach", "oldpeak", "sex", "cp", "exang"]], _h.loc[_tr, "cad"])
_va = _h[_h["site"] == "VA Long Beach"].copy()
_va["risk"] = _model.predict_proba(_va[["age", "thalach", "oldpeak", "sex", "cp", "exang"]])[:, 1]
_va["fifth"] = _pd.qcut(_va["risk"], 5, labels=[1, 2, 3, 4, 5]).astype(int)
_t = _va.groupby("fifth").agg(lo=("risk", "min"), hi=("risk", "max"), pred=("risk", "mean"), obs=("cad", "mean"))
_over = sorted(int(k) for k in _t.index if _t.loc[k, "obs"] < _t.loc[k, "pred"])
assert sorted(over_predicted_fifths) == _over, (
    "Not quite: the model over-predicts where the share observed with CAD is BELOW the mean predicted risk; "
    "compare the last two columns fifth by fifth."
)
_near = _t[(_t["lo"] <= 0.20) & (_t["hi"] >= 0.20)]
_near = _near if len(_near) else _t.iloc[[0]]
_expected = "too low" if float(_near["obs"].iloc[0]) > float(_near["pred"].iloc[0]) else "too high"
assert risk_near_threshold == _expected, (
    "Find the fifth whose risk range holds 20%: if more of its patients had CAD than the model predicted, "
    "its risks are too low there."
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q11_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 11: a memo to the VA's AI committee (5 points, graded by your instructor, M2.7)
#
# In 200 to 300 words, advise the VA Long Beach AI committee: should the Cleveland model be adopted at the
# VA to help decide who is referred for CT coronary angiography, and if so, with what updating? Use your numbers
# (discrimination, O/E, intercept and slope with their uncertainty, net benefit against referring
# everyone). Then propose a **monitoring plan** for after go-live: what you would monitor, how often, and
# the rule that would make you stop using the model.

# %% [markdown] nbgrader={"grade": true, "grade_id": "q11_written", "locked": false, "points": 5, "schema_version": 3, "solution": true, "task": false} autograder={"objective": "M2.7"}
# YOUR ANSWER HERE
