# ---
# jupyter:
#   autograder:
#     title: "Assignment 3: Explaining a model's prediction"
#     module: m03_explainability
#     data: [heart_disease.csv, breast_cancer.csv]
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
# # Assignment 3 notebook
#
# **The patient.** Ms S., 62, has been breathless on exertion for two months, without chest pain, and is
# being assessed in a chest-pain clinic: breathlessness on exertion can be an anginal equivalent. While she
# waits for a CT coronary angiogram she had an exercise ECG: her heart rate reached 160 beats per minute,
# she had no angina on the treadmill, and her ST segment fell by 3.6 mm. A random-forest model, trained on
# Cleveland patients of the UCI Heart Disease study who had all been referred for coronary angiography,
# flags her as **high risk of coronary artery disease (CAD)**.
#
# **The decision.** On the current pathway (NICE CG95; ESC 2019 and 2024 guidelines on chronic coronary
# syndromes), a patient like her has a non-invasive test, CT coronary angiography or functional imaging,
# and invasive angiography only if that test shows high-risk disease or her symptoms are not controlled.
# The question is how much weight the flag deserves: should it hurry her test, start treatment while she
# waits, or send her straight to an invasive angiogram? Before you lean on it you want to know why the
# model raised it, whether its reasons make clinical sense, whether its score can be read as a
# probability, and how to explain it to her.
#
# **How it works**
# - Answer in the cells that say `# YOUR CODE HERE` (delete the `raise NotImplementedError()` line) and in
#   the written-answer cell. Do not rename the variables you are asked to create.
# - After each answer, run the test cell below it. A silent test cell means the checks you can see passed;
#   a message tells you what to look at. **What the visible checks cover:** the type, keys and range of
#   every answer; for most numbers, a comparison of a "fingerprint" of your answer, rounded as the notebook
#   prints it, with the right answer's (a fingerprint hides the number from reading, not from trying values
#   in a loop: the hidden tests decide your grade); and a one-line hint for each usual slip (a percentage for a fraction, a ratio upside down, groups swapped,
#   0/1 calls where risks are asked). Your grade also comes from **hidden tests**, run when your work is
#   graded, which check every number and try your functions on other data.
# - **Compute or type?** Each question says so. Where it says *compute*, compute the answer with code; where it
#   says *typing is fine*, a value typed as the notebook prints it earns the points.
# - **Why your numbers differ from the chapter's and lab 3's.** This notebook splits the Cleveland patients and
#   grows its forest with another seed (`random_state=1`, where the chapter and the lab use 0): its forest
#   reaches a test AUC of 0.85 (0.91 there) and an observed/expected ratio of 1.04 (1.09 there).
# - Keep `heart_disease.csv` and `breast_cancer.csv` in the same folder as this notebook (download them
#   from the course site).
# - Before you submit: *Kernel → Restart Kernel and Run All Cells…*, and check that no cell shows an error.
#
# Points: 17 autograded (9 questions) and 5 for the written answer.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Run this cell to set up the notebook, but please don't change it.
from pathlib import Path

import numpy as np
import pandas as pd
import shap
from sklearn.ensemble import RandomForestClassifier
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

for needed in ["heart_disease.csv", "breast_cancer.csv"]:
    if not Path(needed).exists():
        raise FileNotFoundError(
            f"{needed} is not next to this notebook: download it from the assignment page "
            "and save it in the same folder, then run this cell again."
        )

heart = pd.read_csv("heart_disease.csv")
cleveland = heart[heart["site"] == "Cleveland"].reset_index(drop=True)
yes = {"True": 1, "False": 0, True: 1, False: 0}
X = pd.DataFrame({
    "age": cleveland["age"].astype(float),                        # years
    "male": (cleveland["sex"] == "Male").astype(int),
    "atypical_angina": (cleveland["cp"] == "atypical angina").astype(int),
    "non_anginal_pain": (cleveland["cp"] == "non-anginal").astype(int),
    "no_chest_pain": (cleveland["cp"] == "asymptomatic").astype(int),
    "resting_bp": cleveland["trestbps"].astype(float),            # mmHg systolic
    "cholesterol": cleveland["chol"].astype(float),               # mg/dL
    "high_fasting_sugar": cleveland["fbs"].map(yes).astype(int),  # fasting glucose > 120 mg/dL
    "max_heart_rate": cleveland["thalach"].astype(float),         # peak on the treadmill, beats/min
    "exercise_angina": cleveland["exang"].map(yes).astype(int),   # angina brought on by the treadmill
    "st_depression": cleveland["oldpeak"].astype(float),          # mm
})
y = (cleveland["num"] > 0).astype(int)  # 1 = CAD on angiography
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=1 / 3, stratify=y, random_state=1)

# The two models: a plain logistic regression (inputs in their own units) and a random forest
logreg = LogisticRegression(C=np.inf, solver="newton-cholesky").fit(X_train, y_train)
forest = RandomForestClassifier(n_estimators=200, min_samples_leaf=5, random_state=1).fit(X_train, y_train)

ms_s = X.loc[[6]]  # Ms S. is patient 6 of the Cleveland file, one of the test patients
assert 6 in X_test.index
print(f"{len(X_train)} training and {len(X_test)} test patients; {X.shape[1]} inputs: {', '.join(X.columns)}")
print(f"Forest AUC on the test patients: {roc_auc_score(y_test, forest.predict_proba(X_test)[:, 1]):.2f}")
print(f"Ms S.'s score from the forest: {forest.predict_proba(ms_s)[0, 1]:.1%}")

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
# ## Question 1: odds ratios (2 points)
#
# `logreg` was fitted on the inputs in their own units (years, beats per minute, yes = 1 / no = 0), so
# `logreg.coef_[0]` holds one coefficient per column of `X`, in the same order. Store in:
# - `or_exercise_angina` the odds ratio of CAD for angina on the treadmill (yes vs no; this input is a
#   plain yes/no, unlike the three chest-pain columns, which each compare one kind of pain with typical
#   angina);
# - `or_heart_rate_10` the odds ratio for a peak heart rate **10 beats per minute higher**.
#
# Both as plain numbers (floats). **Compute** both from `logreg.coef_`.

# %% nbgrader={"grade": false, "grade_id": "q1_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
coefficients = dict(zip(X.columns, logreg.coef_[0]))
or_exercise_angina = float(np.exp(coefficients["exercise_angina"]))
or_heart_rate_10 = float(np.exp(10 * coefficients["max_heart_rate"]))
### END SOLUTION
print(f"OR for angina on the treadmill: {or_exercise_angina:.2f}; per 10 beats/min: {or_heart_rate_10:.2f}")

# %% nbgrader={"grade": true, "grade_id": "q1_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M3.2"}
"""Check the two odds ratios of the logistic regression."""
assert isinstance(or_exercise_angina, float) and isinstance(or_heart_rate_10, float), (
    "Both odds ratios should be plain numbers (use float(...))."
)
assert or_exercise_angina > 0 and or_heart_rate_10 > 0, (
    "An odds ratio is never negative: did you store a coefficient (a log odds ratio) instead of exp(...)?"
)
assert fingerprint(np.exp(or_exercise_angina), 2) != "199a20603ed1", (
    "or_exercise_angina is the coefficient itself (a log odds ratio): take np.exp(...) of it."
)
assert fingerprint(or_exercise_angina, 2) == "199a20603ed1", (
    "or_exercise_angina is off: exp of the exercise_angina coefficient."
)
assert fingerprint(or_heart_rate_10 ** 10, 2) != "1d464f4ecc27", (
    "That is the odds ratio per ONE beat per minute: for 10 beats, exp(10 x coefficient)."
)
assert fingerprint(or_heart_rate_10, 2) == "1d464f4ecc27", (
    "or_heart_rate_10 is off: exp(10 x the max_heart_rate coefficient) (not 10 x the odds ratio)."
)
### BEGIN HIDDEN TESTS
import importlib as _il

_np = _il.import_module("numpy")
_pd = _il.import_module("pandas")
_lm = _il.import_module("sklearn.linear_model")
_ms = _il.import_module("sklearn.model_selection")
_c = _pd.read_csv("heart_disease.csv").query("site == 'Cleveland'").reset_index(drop=True)
_yes = {"True": 1, "False": 0, True: 1, False: 0}
_X = _pd.DataFrame({
    "age": _c["age"].astype(float), "male": (_c["sex"] == "Male").astype(int),
    "atypical_angina": (_c["cp"] == "atypical angina").astype(int),
    "non_anginal_pain": (_c["cp"] == "non-anginal").astype(int),
    "no_chest_pain": (_c["cp"] == "asymptomatic").astype(int),
    "resting_bp": _c["trestbps"].astype(float), "cholesterol": _c["chol"].astype(float),
    "high_fasting_sugar": _c["fbs"].map(_yes).astype(int), "max_heart_rate": _c["thalach"].astype(float),
    "exercise_angina": _c["exang"].map(_yes).astype(int), "st_depression": _c["oldpeak"].astype(float),
})
_y = (_c["num"] > 0).astype(int)
_Xtr, _Xte, _ytr, _yte = _ms.train_test_split(_X, _y, test_size=1 / 3, stratify=_y, random_state=1)
_lr = _lm.LogisticRegression(C=_np.inf, solver="newton-cholesky").fit(_Xtr, _ytr)
_coef = dict(zip(_X.columns, _lr.coef_[0]))
assert abs(float(or_exercise_angina) - _np.exp(_coef["exercise_angina"])) < 0.005 + 1e-9, (
    "or_exercise_angina is not exp(coefficient) of exercise_angina: check which coefficient you used."
)
assert abs(float(or_heart_rate_10) - _np.exp(10 * _coef["max_heart_rate"])) < 0.005 + 1e-9, (
    "or_heart_rate_10 is off: for a step of 10 units, multiply the coefficient by 10 BEFORE taking exp."
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q2_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 2: permutation importance (2 points)
#
# Compute the permutation importance of every input of `forest` on the **test** patients, scored by the
# fall in ROC AUC, with `n_repeats=10` and `random_state=0`. Store the mean falls in `perm_scores`, a
# pandas Series whose index is the column names of `X`, and the name of the input with the largest mean
# fall in `perm_top` (a string). **Compute** (scikit-learn's `permutation_importance`, as in the lab).

# %% nbgrader={"grade": false, "grade_id": "q2_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
shuffled_result = permutation_importance(forest, X_test, y_test, scoring="roc_auc", n_repeats=10, random_state=0)
perm_scores = pd.Series(shuffled_result.importances_mean, index=X_test.columns)
perm_top = str(perm_scores.idxmax())
### END SOLUTION
print(perm_scores.sort_values(ascending=False).round(3))

# %% nbgrader={"grade": true, "grade_id": "q2_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M3.3"}
"""Check the forest's permutation importance on the test patients."""
assert isinstance(perm_scores, pd.Series), "perm_scores should be a pandas Series (pd.Series(values, index=...))."
assert list(perm_scores.index) == list(X.columns), "perm_scores needs one value per column of X, in the same order."
assert isinstance(perm_top, str) and perm_top in X.columns, "perm_top should be one of the column names, as text."
assert perm_top == perm_scores.idxmax(), "perm_top should be the input with the largest value in perm_scores."
assert not np.allclose(perm_scores.to_numpy(dtype=float), perm_scores.to_numpy(dtype=float).round(3), rtol=0, atol=1e-12), (
    "perm_scores holds rounded values: keep the full values and round only when you print."
)
assert fingerprint(perm_scores[perm_top], 3) == "52496ded2bfa" and fingerprint(perm_top) == "f6710394ab14", (
    "Your permutation importances are off: the forest on the TEST patients, scoring='roc_auc', n_repeats=10, "
    "random_state=0, and the MEAN fall (importances_mean)."
)
### BEGIN HIDDEN TESTS
import importlib as _il

_np = _il.import_module("numpy")
_pd = _il.import_module("pandas")
_en = _il.import_module("sklearn.ensemble")
_insp = _il.import_module("sklearn.inspection")
_ms = _il.import_module("sklearn.model_selection")
_c = _pd.read_csv("heart_disease.csv").query("site == 'Cleveland'").reset_index(drop=True)
_yes = {"True": 1, "False": 0, True: 1, False: 0}
_X = _pd.DataFrame({
    "age": _c["age"].astype(float), "male": (_c["sex"] == "Male").astype(int),
    "atypical_angina": (_c["cp"] == "atypical angina").astype(int),
    "non_anginal_pain": (_c["cp"] == "non-anginal").astype(int),
    "no_chest_pain": (_c["cp"] == "asymptomatic").astype(int),
    "resting_bp": _c["trestbps"].astype(float), "cholesterol": _c["chol"].astype(float),
    "high_fasting_sugar": _c["fbs"].map(_yes).astype(int), "max_heart_rate": _c["thalach"].astype(float),
    "exercise_angina": _c["exang"].map(_yes).astype(int), "st_depression": _c["oldpeak"].astype(float),
})
_y = (_c["num"] > 0).astype(int)
_Xtr, _Xte, _ytr, _yte = _ms.train_test_split(_X, _y, test_size=1 / 3, stratify=_y, random_state=1)
_rf = _en.RandomForestClassifier(n_estimators=200, min_samples_leaf=5, random_state=1).fit(_Xtr, _ytr)
_ref = _insp.permutation_importance(_rf, _Xte, _yte, scoring="roc_auc", n_repeats=10, random_state=0)
_got = _np.asarray(perm_scores, dtype=float)
assert _np.allclose(_got, _ref.importances_mean, atol=1e-9), (
    "perm_scores differ from the permutation importance of the forest on the TEST patients, scored by ROC AUC, "
    "with n_repeats=10 and random_state=0: check each of these."
)
assert perm_top == _X.columns[int(_np.argmax(_ref.importances_mean))], "perm_top is not the top input."
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q3_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 3: global SHAP importance (2 points)
#
# Compute the SHAP values of `forest` for the test patients with `shap.TreeExplainer`, for the probability
# of CAD (class 1). Store in `mean_abs_shap` a pandas Series, indexed by the column names of `X`, holding
# each input's **mean absolute** SHAP value over the test patients (as probabilities, not percentages).
# Store the name of the input with the largest value in `shap_top`. **Compute** (`shap.TreeExplainer`, as in the
# lab).

# %% nbgrader={"grade": false, "grade_id": "q3_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
tree_explainer = shap.TreeExplainer(forest)
test_values = tree_explainer(X_test).values[:, :, 1]
mean_abs_shap = pd.Series(np.mean(np.abs(test_values), axis=0), index=X_test.columns)
shap_top = str(mean_abs_shap.idxmax())
### END SOLUTION
print(mean_abs_shap.sort_values(ascending=False).round(3))

# %% nbgrader={"grade": true, "grade_id": "q3_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M3.3"}
"""Check the mean absolute SHAP value of each input over the test patients."""
assert isinstance(mean_abs_shap, pd.Series), "mean_abs_shap should be a pandas Series."
assert list(mean_abs_shap.index) == list(X.columns), "mean_abs_shap needs one value per column of X, in the same order."
assert (mean_abs_shap.to_numpy(dtype=float) >= 0).all(), (
    "A mean ABSOLUTE value cannot be negative: take np.abs(...) before the mean."
)
assert mean_abs_shap.to_numpy(dtype=float).max() < 1, (
    "SHAP values of a probability are fractions of 1 here: did you multiply by 100, or use all classes?"
)
assert not np.allclose(mean_abs_shap.to_numpy(dtype=float), mean_abs_shap.to_numpy(dtype=float).round(3), rtol=0, atol=1e-12), (
    "mean_abs_shap holds rounded values: keep the full values and round only when you print."
)
assert isinstance(shap_top, str) and shap_top in X.columns, "shap_top should be one of the column names, as text."
assert fingerprint(mean_abs_shap[shap_top], 3) == "06061822134d" and fingerprint(shap_top) == "f6710394ab14", (
    "Your mean |SHAP| values are off: SHAP values of class 1 for the TEST patients, then the mean of their "
    "absolute values (np.abs before the mean)."
)
### BEGIN HIDDEN TESTS
import importlib as _il

_np = _il.import_module("numpy")
_pd = _il.import_module("pandas")
_shap = _il.import_module("shap")
_en = _il.import_module("sklearn.ensemble")
_ms = _il.import_module("sklearn.model_selection")
_c = _pd.read_csv("heart_disease.csv").query("site == 'Cleveland'").reset_index(drop=True)
_yes = {"True": 1, "False": 0, True: 1, False: 0}
_X = _pd.DataFrame({
    "age": _c["age"].astype(float), "male": (_c["sex"] == "Male").astype(int),
    "atypical_angina": (_c["cp"] == "atypical angina").astype(int),
    "non_anginal_pain": (_c["cp"] == "non-anginal").astype(int),
    "no_chest_pain": (_c["cp"] == "asymptomatic").astype(int),
    "resting_bp": _c["trestbps"].astype(float), "cholesterol": _c["chol"].astype(float),
    "high_fasting_sugar": _c["fbs"].map(_yes).astype(int), "max_heart_rate": _c["thalach"].astype(float),
    "exercise_angina": _c["exang"].map(_yes).astype(int), "st_depression": _c["oldpeak"].astype(float),
})
_y = (_c["num"] > 0).astype(int)
_Xtr, _Xte, _ytr, _yte = _ms.train_test_split(_X, _y, test_size=1 / 3, stratify=_y, random_state=1)
_rf = _en.RandomForestClassifier(n_estimators=200, min_samples_leaf=5, random_state=1).fit(_Xtr, _ytr)
_sv = _shap.TreeExplainer(_rf).shap_values(_Xte)[:, :, 1]
_ref = _np.abs(_sv).mean(axis=0)
assert _np.allclose(_np.asarray(mean_abs_shap, dtype=float), _ref, atol=1e-9), (
    "mean_abs_shap differs from the mean |SHAP| of the forest over the TEST patients, for class 1 (CAD)."
)
assert shap_top == _X.columns[int(_np.argmax(_ref))], "shap_top is not the input with the largest mean |SHAP|."
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q4_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 4: why Ms S.? (2 points)
#
# Explain the forest's prediction for Ms S. (`ms_s`). Store:
# - `ms_s_base`: the base value (a float): the mean of the forest's predictions over its background data,
#   E[f(X)] (not the prediction for an "average patient");
# - `ms_s_shap`: her SHAP values for the probability of CAD, as a pandas Series indexed by the column names;
# - `ms_s_top_up`: the name of the input that pushed **her** score **up** the most (a string).
#
# The base value plus her SHAP values must add up to her score (the forest's prediction): the test cell checks
# that, to six decimals. So compute all three (a base value typed as printed would not add up).

# %% nbgrader={"grade": false, "grade_id": "q4_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
her_explanation = shap.TreeExplainer(forest)(ms_s)[0, :, 1]
ms_s_base = float(her_explanation.base_values)
ms_s_shap = pd.Series(her_explanation.values, index=ms_s.columns)
ms_s_top_up = str(ms_s_shap.idxmax())
### END SOLUTION
print(f"Base value {ms_s_base:.2f}; top push up: {ms_s_top_up} ({100 * ms_s_shap[ms_s_top_up]:+.0f} points)")

# %% nbgrader={"grade": true, "grade_id": "q4_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M3.4"}
"""Check Ms S.'s SHAP explanation: it adds up, and names her top input."""
assert isinstance(ms_s_base, float), "ms_s_base should be a plain number (float(...))."
assert isinstance(ms_s_shap, pd.Series) and list(ms_s_shap.index) == list(X.columns), (
    "ms_s_shap should be a pandas Series with one value per column of X, in the same order."
)
assert abs(ms_s_base + float(ms_s_shap.sum()) - forest.predict_proba(ms_s)[0, 1]) < 1e-6, (
    "Base value + her SHAP values should add up to her predicted probability of CAD: check that you used "
    "class 1 (CAD) for both, as probabilities."
)
assert isinstance(ms_s_top_up, str) and ms_s_top_up in X.columns, "ms_s_top_up should be a column name, as text."
assert ms_s_top_up == ms_s_shap.idxmax(), (
    "ms_s_top_up should be the input with the largest POSITIVE SHAP value (the biggest push up), not the largest in size."
)
### BEGIN HIDDEN TESTS
import importlib as _il

_np = _il.import_module("numpy")
_pd = _il.import_module("pandas")
_shap = _il.import_module("shap")
_en = _il.import_module("sklearn.ensemble")
_ms = _il.import_module("sklearn.model_selection")
_c = _pd.read_csv("heart_disease.csv").query("site == 'Cleveland'").reset_index(drop=True)
_yes = {"True": 1, "False": 0, True: 1, False: 0}
_X = _pd.DataFrame({
    "age": _c["age"].astype(float), "male": (_c["sex"] == "Male").astype(int),
    "atypical_angina": (_c["cp"] == "atypical angina").astype(int),
    "non_anginal_pain": (_c["cp"] == "non-anginal").astype(int),
    "no_chest_pain": (_c["cp"] == "asymptomatic").astype(int),
    "resting_bp": _c["trestbps"].astype(float), "cholesterol": _c["chol"].astype(float),
    "high_fasting_sugar": _c["fbs"].map(_yes).astype(int), "max_heart_rate": _c["thalach"].astype(float),
    "exercise_angina": _c["exang"].map(_yes).astype(int), "st_depression": _c["oldpeak"].astype(float),
})
_y = (_c["num"] > 0).astype(int)
_Xtr, _Xte, _ytr, _yte = _ms.train_test_split(_X, _y, test_size=1 / 3, stratify=_y, random_state=1)
_rf = _en.RandomForestClassifier(n_estimators=200, min_samples_leaf=5, random_state=1).fit(_Xtr, _ytr)
_te = _shap.TreeExplainer(_rf)
_sv = _te.shap_values(_X.loc[[6]])[0, :, 1]
assert abs(float(ms_s_base) - float(_np.ravel(_te.expected_value)[1])) < 1e-9, (
    "ms_s_base is not the forest's base value for class 1 (CAD)."
)
assert _np.allclose(_np.asarray(ms_s_shap, dtype=float), _sv, atol=1e-9), (
    "ms_s_shap are not Ms S.'s SHAP values from the forest, for class 1 (CAD)."
)
assert ms_s_top_up == _X.columns[int(_np.argmax(_sv))], (
    "ms_s_top_up is not the input with the largest POSITIVE SHAP value for Ms S. (not the largest on average)."
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q5_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 5: two explanations disagree (2 points)
#
# In the Wisconsin breast-cancer data the radius, perimeter and area of the cell nuclei are almost the same
# measurement. The function `or_per_sd(columns)` below fits a plain logistic regression of malignancy on
# the given columns (standardised) and returns each column's odds ratio **per standard deviation**.
# Store in:
# - `or_radius_alone`: the odds ratio of `mean_radius` in a model with the radius and the three other
#   inputs, `["mean_radius"] + others`;
# - `or_radius_with_twins`: the odds ratio of `mean_radius` in a model with all six inputs, `sizes + others`.
#
# **Typing is fine**: calling `or_per_sd` is the computation; its odds ratio, typed as the cell prints it, earns
# the points too.

# %% nbgrader={"grade": false, "grade_id": "q5_setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Run this cell, but please don't change it.
breast = pd.read_csv("breast_cancer.csv")
malignant = (breast["diagnosis"] == "malignant").astype(int)
sizes = ["mean_radius", "mean_perimeter", "mean_area"]               # three measures of nuclear size
others = ["mean_texture", "mean_concave_points", "mean_smoothness"]  # three other nuclear features
B_train, B_test, m_train, m_test = train_test_split(breast[sizes + others], malignant, test_size=1 / 3,
                                                    stratify=malignant, random_state=1)


def or_per_sd(columns):
    """Odds ratio of malignancy per standard deviation of each column (plain logistic regression)."""
    scaler = StandardScaler().fit(B_train[columns])
    fitted = LogisticRegression(C=np.inf, solver="newton-cholesky").fit(scaler.transform(B_train[columns]), m_train)
    return pd.Series(np.exp(fitted.coef_[0]), index=columns)


print(breast[sizes].corr().round(3))

# %% nbgrader={"grade": false, "grade_id": "q5_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
radius_model = or_per_sd(["mean_radius"] + others)
twins_model = or_per_sd(sizes + others)
or_radius_alone = float(radius_model["mean_radius"])
or_radius_with_twins = float(twins_model["mean_radius"])
### END SOLUTION
print(f"OR per SD of radius: {or_radius_alone:.3g} alone, {or_radius_with_twins:.3g} with perimeter and area")

# %% nbgrader={"grade": true, "grade_id": "q5_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M3.5"}
"""Check the odds ratio of the nuclear radius with and without its near-twins."""
assert isinstance(or_radius_alone, float) and isinstance(or_radius_with_twins, float), (
    "Both odds ratios should be plain numbers: take one value out of the Series with [\"mean_radius\"], then float(...)."
)
assert or_radius_alone > 1, (
    "Without its twins, bigger nuclei should raise the odds of cancer: check the columns you passed."
)
assert fingerprint(or_radius_alone, 2) == "02de259729cb", (
    "or_radius_alone is off: use the model with the radius and the three other inputs only, and give the "
    "odds ratio (not its log)."
)
# to 3 significant figures, as printed above: the odds ratio is far below 0.01
assert fingerprint(f"{or_radius_with_twins:.3g}") == "39fdae7925f7", (
    "or_radius_with_twins is off: use the model with all six inputs (the radius, its two twins and the three others)."
)
### BEGIN HIDDEN TESTS
import importlib as _il

_np = _il.import_module("numpy")
_pd = _il.import_module("pandas")
_lm = _il.import_module("sklearn.linear_model")
_pre = _il.import_module("sklearn.preprocessing")
_ms = _il.import_module("sklearn.model_selection")
_b = _pd.read_csv("breast_cancer.csv")
_m = (_b["diagnosis"] == "malignant").astype(int)
_six = ["mean_radius", "mean_perimeter", "mean_area", "mean_texture", "mean_concave_points", "mean_smoothness"]
_Btr, _Bte, _mtr, _mte = _ms.train_test_split(_b[_six], _m, test_size=1 / 3, stratify=_m, random_state=1)


def _or(cols):
    _sc = _pre.StandardScaler().fit(_Btr[cols])
    _fit = _lm.LogisticRegression(C=_np.inf, solver="newton-cholesky").fit(_sc.transform(_Btr[cols]), _mtr)
    return float(_np.exp(_fit.coef_[0][0]))


# typed as printed (3 significant figures) is accepted: relative error up to 0.005
assert abs(float(or_radius_alone) / _or(["mean_radius"] + _six[3:]) - 1) <= 0.005 + 1e-9, (
    "or_radius_alone is not the radius's odds ratio in the model with the radius and the three other inputs."
)
assert abs(float(or_radius_with_twins) / _or(_six) - 1) <= 0.005 + 1e-9, (
    "or_radius_with_twins is not the radius's odds ratio in the model with all six inputs."
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q6_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 6: which explanation to trust? (2 points)
#
# A random forest on the same six breast-cancer inputs (`breast_forest`, below) is explained by permutation
# importance. The function `shuffle_fall(columns)` shuffles the given columns of the test aspirates
# **together** (10 times, seeded) and returns the mean fall in AUC. Store in:
# - `fall_radius`: the fall when `mean_radius` alone is shuffled;
# - `fall_sizes`: the fall when `mean_radius`, `mean_perimeter` and `mean_area` are shuffled together;
# - `trust`: the letter of the statement you would trust, as a string (`"A"`, `"B"` or `"C"`):
#   - **A.** The radius hardly matters: its permutation importance is small.
#   - **B.** Bigger nuclei make cancer less likely: the odds ratio of the radius with its twins says so.
#   - **C.** Nuclear size, taken as a group, matters a lot; the credit given to any one of the three size
#     measurements on its own cannot be interpreted.
#
# **Compute** the two falls by calling `shuffle_fall`; for `trust`, **typing is fine**: type the letter.

# %% nbgrader={"grade": false, "grade_id": "q6_setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Run this cell, but please don't change it.
breast_forest = RandomForestClassifier(n_estimators=200, min_samples_leaf=5, random_state=1).fit(B_train, m_train)


def shuffle_fall(columns, n_repeats=10, seed=0):
    """Mean fall in the forest's test AUC when the given columns are shuffled together (same order for all)."""
    rng = np.random.RandomState(seed)
    reference = roc_auc_score(m_test, breast_forest.predict_proba(B_test)[:, 1])
    falls = []
    for _ in range(n_repeats):
        shuffled = B_test.copy()
        shuffled[columns] = B_test[columns].to_numpy()[rng.permutation(len(B_test))]
        falls.append(reference - roc_auc_score(m_test, breast_forest.predict_proba(shuffled)[:, 1]))
    return float(np.mean(falls))

# %% nbgrader={"grade": false, "grade_id": "q6_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
fall_radius = shuffle_fall(["mean_radius"])
fall_sizes = shuffle_fall(sizes)
trust = "C"
### END SOLUTION
print(f"Fall in AUC: radius alone {fall_radius:.3f}; radius, perimeter and area together {fall_sizes:.3f}")

# %% nbgrader={"grade": true, "grade_id": "q6_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M3.5"}
"""Check the two falls in AUC and the statement you trust."""
assert isinstance(fall_radius, float) and isinstance(fall_sizes, float), "Both falls should be plain numbers (floats)."
assert fall_sizes > fall_radius, (
    "Shuffling three columns that carry the same information should hurt more than shuffling one: "
    "check the list you passed for fall_sizes."
)
assert fingerprint(fall_radius, 3) == "a40f012cc07c", (
    "fall_radius is off: shuffle_fall([\"mean_radius\"]), the radius alone, with the function's own settings."
)
assert isinstance(trust, str) and trust.strip().upper() in {"A", "B", "C"}, "trust should be \"A\", \"B\" or \"C\"."
assert fingerprint(fall_sizes, 3) == "253d0775efff", (
    "fall_sizes is off: shuffle the three size columns TOGETHER, in one call (not one at a time)."
)
assert fingerprint(trust.strip().upper()) == "6b23c0d5f35d", (
    "Not that statement: with near-twins, one measurement's importance or odds ratio cannot be read on its own."
)
### BEGIN HIDDEN TESTS
import importlib as _il

_np = _il.import_module("numpy")
_pd = _il.import_module("pandas")
_en = _il.import_module("sklearn.ensemble")
_skm = _il.import_module("sklearn.metrics")
_ms = _il.import_module("sklearn.model_selection")
_b = _pd.read_csv("breast_cancer.csv")
_m = (_b["diagnosis"] == "malignant").astype(int)
_six = ["mean_radius", "mean_perimeter", "mean_area", "mean_texture", "mean_concave_points", "mean_smoothness"]
_Btr, _Bte, _mtr, _mte = _ms.train_test_split(_b[_six], _m, test_size=1 / 3, stratify=_m, random_state=1)
_bf = _en.RandomForestClassifier(n_estimators=200, min_samples_leaf=5, random_state=1).fit(_Btr, _mtr)


def _fall(cols):
    _rng = _np.random.RandomState(0)
    _ref = _skm.roc_auc_score(_mte, _bf.predict_proba(_Bte)[:, 1])
    _out = []
    for _ in range(10):
        _s = _Bte.copy()
        _s[cols] = _Bte[cols].to_numpy()[_rng.permutation(len(_Bte))]
        _out.append(_ref - _skm.roc_auc_score(_mte, _bf.predict_proba(_s)[:, 1]))
    return float(_np.mean(_out))


assert abs(float(fall_radius) - _fall(["mean_radius"])) < 0.0005 + 1e-9, "fall_radius is not the fall for mean_radius alone."
assert abs(float(fall_sizes) - _fall(["mean_radius", "mean_perimeter", "mean_area"])) < 0.0005 + 1e-9, (
    "fall_sizes is not the fall for the three size columns shuffled together."
)
assert trust.strip().upper() == "C", (
    "Think again about trust: with near-identical inputs, a one-at-a-time importance and a 'holding the others "
    "fixed' odds ratio both describe something no patient can have."
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q7_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 7: find the leak (2 points)
#
# A colleague reports a much better model. Their data extract (`X_extract`, below) holds two more columns
# than `X`: `st_slope_flat` (the ST segment was flat at peak exercise, read from the treadmill ECG) and
# `report_grade` (the grade, 0 to 4, written in the angiography report). Their forest is
# `extract_forest`.
#
# Use SHAP on `extract_forest` for the extract's test patients (`X_extract_test`) to rank the inputs by
# mean |SHAP|. Store in `leak_column` the name of the column you would remove because it leaks the
# outcome, and in `auc_without_leak` the test AUC of a forest refitted **without** that column (same
# settings: `n_estimators=200, min_samples_leaf=5, random_state=1`, same training patients). **Compute** the
# ranking and the AUC; typing the column's name is fine.

# %% nbgrader={"grade": false, "grade_id": "q7_setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Run this cell, but please don't change it.
X_extract = X.assign(st_slope_flat=(cleveland["slope"] == "flat").astype(int), report_grade=cleveland["num"])
X_extract_train, X_extract_test = X_extract.loc[X_train.index], X_extract.loc[X_test.index]
extract_forest = RandomForestClassifier(n_estimators=200, min_samples_leaf=5, random_state=1)
extract_forest.fit(X_extract_train, y_train)
print(f"Colleague's test AUC: {roc_auc_score(y_test, extract_forest.predict_proba(X_extract_test)[:, 1]):.3f}")

# %% nbgrader={"grade": false, "grade_id": "q7_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
extract_values = shap.TreeExplainer(extract_forest).shap_values(X_extract_test)[:, :, 1]
extract_ranking = pd.Series(np.abs(extract_values).mean(axis=0), index=X_extract.columns).sort_values(ascending=False)
leak_column = str(extract_ranking.index[0])
honest_columns = [name for name in X_extract.columns if name != leak_column]
refit = RandomForestClassifier(n_estimators=200, min_samples_leaf=5, random_state=1)
refit.fit(X_extract_train[honest_columns], y_train)
auc_without_leak = float(roc_auc_score(y_test, refit.predict_proba(X_extract_test[honest_columns])[:, 1]))
### END SOLUTION
print(f"Removed {leak_column}; test AUC without it: {auc_without_leak:.3f}")

# %% nbgrader={"grade": true, "grade_id": "q7_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M3.5"}
"""Check the leaking column and the AUC of the model without it."""
assert isinstance(leak_column, str) and leak_column in X_extract.columns, (
    "leak_column should be one of the column names of X_extract, as text."
)
assert isinstance(auc_without_leak, float) and 0.5 < auc_without_leak <= 1, (
    "auc_without_leak should be a ROC AUC: a float from 0 to 1. Below 0.5 the model would rank patients "
    "backwards, which this one does not: check that roc_auc_score gets the outcome first and the risks second."
)
assert fingerprint(leak_column) == "379c21584bcb", (
    "That column is known before the angiogram: the leak is the input that records the outcome itself."
)
assert fingerprint(auc_without_leak, 3) == "ae7c4477c7b9", (
    "auc_without_leak is off: refit the forest (same settings) without the leaking column, and pass its "
    "RISKS (predict_proba(...)[:, 1]) on the test patients to roc_auc_score."
)
### BEGIN HIDDEN TESTS
import importlib as _il

_pd = _il.import_module("pandas")
_en = _il.import_module("sklearn.ensemble")
_skm = _il.import_module("sklearn.metrics")
_ms = _il.import_module("sklearn.model_selection")
_c = _pd.read_csv("heart_disease.csv").query("site == 'Cleveland'").reset_index(drop=True)
_yes = {"True": 1, "False": 0, True: 1, False: 0}
_X = _pd.DataFrame({
    "age": _c["age"].astype(float), "male": (_c["sex"] == "Male").astype(int),
    "atypical_angina": (_c["cp"] == "atypical angina").astype(int),
    "non_anginal_pain": (_c["cp"] == "non-anginal").astype(int),
    "no_chest_pain": (_c["cp"] == "asymptomatic").astype(int),
    "resting_bp": _c["trestbps"].astype(float), "cholesterol": _c["chol"].astype(float),
    "high_fasting_sugar": _c["fbs"].map(_yes).astype(int), "max_heart_rate": _c["thalach"].astype(float),
    "exercise_angina": _c["exang"].map(_yes).astype(int), "st_depression": _c["oldpeak"].astype(float),
    "st_slope_flat": (_c["slope"] == "flat").astype(int),
})
_y = (_c["num"] > 0).astype(int)
_Xtr, _Xte, _ytr, _yte = _ms.train_test_split(_X, _y, test_size=1 / 3, stratify=_y, random_state=1)
assert leak_column == "report_grade", (
    "leak_column is not the leaking column: which input could a clinician only know AFTER the angiogram?"
)
_rf = _en.RandomForestClassifier(n_estimators=200, min_samples_leaf=5, random_state=1).fit(_Xtr, _ytr)
assert abs(float(auc_without_leak) - _skm.roc_auc_score(_yte, _rf.predict_proba(_Xte)[:, 1])) < 0.0005 + 1e-9, (
    "auc_without_leak is off: refit on the training patients with every extract column except the leak "
    "(keep st_slope_flat), with the same settings, and score the test patients."
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q8_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 8: what an explanation is (1 point)
#
# For each statement, store `True` or `False` in the dictionary `statements`:
# - `"a"`: Ms S.'s ST depression has a large positive SHAP value, so lowering her ST depression with
#   treatment would lower her risk of CAD.
# - `"b"`: The base value plus a patient's SHAP values equals the model's prediction for that patient.
# - `"c"`: An input with a near-zero permutation importance can still carry information the model uses,
#   if another input carries the same information.
# - `"d"`: The input with the largest mean |SHAP| over all patients is the one that pushed every patient's
#   score up the most.
#
# **Typing is fine**: a reading question; type `True` or `False` for each.

# %% nbgrader={"grade": false, "grade_id": "q8_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
statements = {"a": False, "b": True, "c": True, "d": False}
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "q8_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M3.1"}
"""Check the four true/false statements about explanations."""
assert isinstance(statements, dict) and set(statements) == {"a", "b", "c", "d"}, (
    "statements should be a dictionary with the keys \"a\", \"b\", \"c\" and \"d\"."
)
assert all(type(v) is bool for v in statements.values()), "Each answer should be True or False (no quotes)."
assert fingerprint(",".join(str(statements[k]) for k in "abcd")) == "938dac616923", (
    "Not all four are right yet: a SHAP value describes the model, not a cause; and importance is shared "
    "between inputs that carry the same information."
)
### BEGIN HIDDEN TESTS
assert [statements[k] for k in "abcd"] == [False, True, True, False], (
    "At least one statement is judged wrongly. Ask of each: is it about the model or about the patient's "
    "biology, about one patient or about all of them?"
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q9_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 9: can her score be read as a probability? (2 points)
#
# A score of 70% reads like "70 in 100", but it means that only if the model is **calibrated**: if, among
# patients given scores around 70%, about 70% have CAD. Before any score is told to a patient as a
# frequency ("of 100 people like you…"), check its calibration on patients the model never saw.
# `p_test` (below) holds the forest's scores for the test patients. Store:
# - `oe_ratio`: observed / expected, the number of test patients with CAD divided by the sum of their
#   scores (a float; 1 is ideal);
# - `cal_slope`: the **calibration slope**, the coefficient of a plain logistic regression of `y_test` on
#   the logit of the scores, log(p / (1 − p)) (a float; 1 is ideal; above 1 the scores are too timid,
#   too close to the middle; below 1 too extreme). Hint: with `logit` a NumPy array of the logits,
#   `LogisticRegression(C=np.inf).fit(logit.reshape(-1, 1), y_test).coef_[0, 0]`.
#
# **Compute** both.

# %% nbgrader={"grade": false, "grade_id": "q9_setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Run this cell, but please don't change it.
p_test = forest.predict_proba(X_test)[:, 1]  # the forest's scores for the test patients
print(f"{len(p_test)} test patients, {int(y_test.sum())} with CAD; scores from {p_test.min():.0%} to {p_test.max():.0%}")

# %% nbgrader={"grade": false, "grade_id": "q9_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
oe_ratio = float(y_test.sum() / p_test.sum())
score_logit = np.log(p_test / (1 - p_test))
cal_slope = float(LogisticRegression(C=np.inf).fit(score_logit.reshape(-1, 1), y_test).coef_[0, 0])
### END SOLUTION
print(f"O/E {oe_ratio:.2f}; calibration slope {cal_slope:.2f}")

# %% nbgrader={"grade": true, "grade_id": "q9_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M3.6"}
"""Check the forest's calibration on the test patients: O/E and calibration slope."""
assert isinstance(oe_ratio, float) and isinstance(cal_slope, float), "Both answers should be plain numbers (floats)."
assert oe_ratio > 0, "O/E is a ratio of two positive numbers: check what you divided."
assert cal_slope > 0, (
    "A model that ranks patients better than chance has a positive calibration slope: did you regress on "
    "the logit of the scores, log(p / (1 - p))?"
)
assert fingerprint(1 / oe_ratio, 2) != "dd024733e8e4", "Your ratio is upside down: observed cases on top, summed scores below."
assert fingerprint(oe_ratio, 2) == "dd024733e8e4", "oe_ratio is off: test patients with CAD / sum of their scores."
assert fingerprint(cal_slope, 2) == "c63c003345e8", (
    "cal_slope is off: an unpenalised logistic regression (C=np.inf) of y_test on log(p / (1 - p))."
)
### BEGIN HIDDEN TESTS
import importlib as _il

_np = _il.import_module("numpy")
_pd = _il.import_module("pandas")
_sm = _il.import_module("statsmodels.api")
_en = _il.import_module("sklearn.ensemble")
_ms = _il.import_module("sklearn.model_selection")
_c = _pd.read_csv("heart_disease.csv").query("site == 'Cleveland'").reset_index(drop=True)
_yes = {"True": 1, "False": 0, True: 1, False: 0}
_X = _pd.DataFrame({
    "age": _c["age"].astype(float), "male": (_c["sex"] == "Male").astype(int),
    "atypical_angina": (_c["cp"] == "atypical angina").astype(int),
    "non_anginal_pain": (_c["cp"] == "non-anginal").astype(int),
    "no_chest_pain": (_c["cp"] == "asymptomatic").astype(int),
    "resting_bp": _c["trestbps"].astype(float), "cholesterol": _c["chol"].astype(float),
    "high_fasting_sugar": _c["fbs"].map(_yes).astype(int), "max_heart_rate": _c["thalach"].astype(float),
    "exercise_angina": _c["exang"].map(_yes).astype(int), "st_depression": _c["oldpeak"].astype(float),
})
_y = (_c["num"] > 0).astype(int)
_Xtr, _Xte, _ytr, _yte = _ms.train_test_split(_X, _y, test_size=1 / 3, stratify=_y, random_state=1)
_rf = _en.RandomForestClassifier(n_estimators=200, min_samples_leaf=5, random_state=1).fit(_Xtr, _ytr)
_p = _rf.predict_proba(_Xte)[:, 1]
_oe = float(_yte.sum() / _p.sum())
_glm = _sm.GLM(_yte.to_numpy(), _sm.add_constant(_np.log(_p / (1 - _p))), family=_sm.families.Binomial()).fit()
_slope = float(_glm.params[1])
assert abs(float(oe_ratio) - _oe) < 0.005 + 1e-9, (
    "oe_ratio is off: divide the NUMBER of test patients with CAD by the SUM of their scores (not the other "
    "way round, and on the test patients)."
)
assert abs(float(cal_slope) - _slope) < 0.005 + 1e-3 * max(1.0, abs(_slope)), (
    "cal_slope is off: regress y_test on the LOGIT of the test scores, with an intercept and no penalty "
    "(C=np.inf), and take the coefficient."
)
### END HIDDEN TESTS

# %% nbgrader={"grade": false, "grade_id": "q9_fifths", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Run this cell, but please don't change it: the test patients in five equal groups by the forest's score
fifth = pd.qcut(pd.Series(p_test).rank(method="first"), 5, labels=False).to_numpy() + 1
by_fifth = pd.DataFrame({"score": p_test, "cad": y_test.to_numpy(), "fifth": fifth}).groupby("fifth").agg(
    patients=("cad", "size"), had_cad=("cad", "sum"), lowest=("score", "min"), highest=("score", "max"),
    mean_score=("score", "mean"), observed=("cad", "mean"))
print(by_fifth.to_string(formatters={"lowest": "{:.1%}".format, "highest": "{:.1%}".format,
                                     "mean_score": "{:.0%}".format, "observed": "{:.0%}".format}))
hers = int(fifth[list(X_test.index).index(6)])
print(f"Ms S. is in fifth {hers}, where {int(by_fifth.loc[hers, 'had_cad'])} of "
      f"{int(by_fifth.loc[hers, 'patients'])} test patients had CAD.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "q10_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 10: explaining the flag to Ms S. (5 points, graded by your instructor)
#
# Ms S. asks you why "the computer" thinks she may have heart disease. In 120 to 200 words, write what you
# would say to her, in plain language. Your answer should:
# 1. give her number **as what it is**: either as "the model's score", saying it is not her chance of
#    having heart disease, or, only if you judge from Question 9 and the table above that the score can be
#    read as a probability, as a frequency that says who the patients behind it were;
# 2. name the two or three findings that raised the estimate and one that lowered it (her SHAP values from
#    Question 4), in her words;
# 3. say what the estimate is **not**;
# 4. say whether any of its reasons is hard to interpret, given how the patients the model learned from
#    came to be referred for angiography, and how much weight you give it;
# 5. propose her next step on the current chest-pain pathway, decided with her.

# %% [markdown] nbgrader={"grade": true, "grade_id": "q10_written", "locked": false, "points": 5, "schema_version": 3, "solution": true, "task": false} autograder={"objective": "M3.6"}
# YOUR ANSWER HERE
