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
# # Assignment 4: Is this model fair to every patient?
#
# **The decision.** Your hospital's cardiology service wants to use a model that estimates the probability
# of coronary artery disease (CAD) in patients with chest pain, and to refer for angiography every patient
# whose probability is 50% or more. The model was built on the four hospitals of the UCI Heart Disease
# study. Before the hospital's AI committee approves it, you are asked a narrower question than "is it
# accurate?": **does it harm some patients more than others?**
#
# - A **false negative** is a patient with CAD who is not referred: untreated coronary disease.
# - A **false positive** is a patient without CAD who is referred: an invasive test that finds nothing.
#
# You will audit the model by sex, then use a synthetic cohort, where the true answer is known, to see
# where such gaps come from, try a fix and see what it costs.
#
# **How it works**
# - Answer in the cells that say `# YOUR CODE HERE` (delete the `raise NotImplementedError()` line) and in
#   the written-answer cell. Do not rename the variables and functions you are asked to create.
# - After each answer, run the test cell below it. A silent test cell means the checks you can see passed;
#   a message tells you what to look at. Some further checks run only when your work is graded.
# - Keep the five `.csv` files in the same folder as this notebook (download them from the course site).
# - Before you submit: *Kernel → Restart & Run All*, and check that no cell shows an error.
#
# Points: 17 autograded (9 questions) and 5 for the written answer.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Run this cell to set up the notebook, but please don't change it.
from pathlib import Path

import numpy as np
import pandas as pd
from fairlearn.metrics import MetricFrame, false_negative_rate, false_positive_rate, selection_rate
from fairlearn.postprocessing import ThresholdOptimizer
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
# hospital, sex and disease in both parts).
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
referred = (risk >= 0.5).astype(int)      # 1 = referred for angiography

print(f"{len(y_test)} test patients: {(sex_test == 'Female').sum()} women, {(sex_test == 'Male').sum()} men.")

# %% [markdown] nbgrader={"grade": false, "grade_id": "q1_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 1: the two error rates (2 points)
#
# Write a function `error_rates(y_true, y_pred)` that takes the true diagnoses and the model's calls (both
# as 0/1 sequences, 1 = disease) and returns a dictionary with two fractions between 0 and 1:
#
# - `"FNR"`, the **false-negative rate**: of the patients **with** the disease, the share the model calls
#   negative (missed disease; 1 − sensitivity);
# - `"FPR"`, the **false-positive rate**: of the patients **without** the disease, the share the model
#   calls positive (unneeded work-up; 1 − specificity).

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
rates_ex = error_rates([1, 1, 1, 1, 0, 0, 0, 0, 0], [1, 1, 1, 0, 1, 0, 0, 0, 0])
assert type(rates_ex) is dict, "error_rates should return a dictionary (made with {...} or dict(...))."
assert set(rates_ex) == {"FNR", "FPR"}, "The dictionary needs exactly the keys 'FNR' and 'FPR'."
assert all(isinstance(v, float) for v in rates_ex.values()), "Each rate should be a number (float(...))."
assert all(0 <= v <= 1 for v in rates_ex.values()), "Give fractions between 0 and 1, not percentages."
assert abs(rates_ex["FNR"] - 0.25) < 1e-9, (
    "FNR: of the patients WITH disease, the share called negative. Check what you divide by."
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
# (all fractions).

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
assert abs(fnr_gap - (fnr_women - fnr_men)) < 1e-9, "fnr_gap should be fnr_women minus fnr_men."
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
assert abs(float(fnr_women) - _ref_w) < 1e-9, (
    "fnr_women is not the share of test WOMEN with CAD whom the model does not refer at 0.5: "
    "did you use y_test, referred and sex_test?"
)
assert abs(float(fnr_men) - _ref_m) < 1e-9, "fnr_men is not the share of test MEN with CAD whom the model misses."
assert abs(float(fnr_gap) - (_ref_w - _ref_m)) < 1e-9, "fnr_gap should be women minus men."
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q3_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 3: calibration within each sex (2 points)
#
# A model is *calibrated* in a group when, among its patients, the average predicted probability matches
# the share who really have the disease. For the test **women**, store the pair
# `calib_women = (mean predicted risk, observed share with CAD)`; do the same for men in `calib_men`.
# Compare the pairs with the error rates of Question 2: what do you notice?

# %% nbgrader={"grade": false, "grade_id": "q3_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
is_woman = (sex_test == "Female").to_numpy()
calib_women = (float(risk[is_woman].mean()), float(y_test[is_woman].mean()))
calib_men = (float(risk[~is_woman].mean()), float(y_test[~is_woman].mean()))
### END SOLUTION
print(f"Women: predicted {calib_women[0]:.0%}, observed {calib_women[1]:.0%}. "
      f"Men: predicted {calib_men[0]:.0%}, observed {calib_men[1]:.0%}.")

# %% nbgrader={"grade": true, "grade_id": "q3_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M4.3"}
"""Check the mean predicted risk and the observed share with CAD, in women and in men."""
for name_ex, pair_ex in [("calib_women", calib_women), ("calib_men", calib_men)]:
    assert type(pair_ex) is tuple and len(pair_ex) == 2, f"{name_ex} should be a pair: (mean risk, observed share)."
    assert all(isinstance(v, float) and 0 <= v <= 1 for v in pair_ex), (
        f"Both numbers in {name_ex} should be fractions (floats between 0 and 1)."
    )
### BEGIN HIDDEN TESTS
import importlib as _il

_np = _il.import_module("numpy")
_pd = _il.import_module("pandas")
_ms = _il.import_module("sklearn.model_selection")
_h = _pd.read_csv("heart_disease.csv")
_y = (_h["num"] > 0).astype(int)
_Xte, _yte = _ms.train_test_split(_h[numeric + categorical], _y, test_size=0.4,
                                  stratify=_h["site"] + _h["sex"] + _y.astype(str), random_state=0)[1::2]
_risk = model.predict_proba(_Xte)[:, 1]
for _sex, _pair in [("Female", calib_women), ("Male", calib_men)]:
    _in = (_Xte["sex"] == _sex).to_numpy()
    assert abs(float(_pair[0]) - float(_np.mean(_risk[_in]))) < 1e-9, (
        "The first number should be the model's average predicted risk (risk) over the test patients of that sex."
    )
    assert abs(float(_pair[1]) - float(_np.mean(_yte.to_numpy()[_in]))) < 1e-9, (
        "The second number should be the share of the test patients of that sex who have CAD (from y_test)."
    )
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q4_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Where gaps come from: a cohort where the truth is known
#
# With real patients we can see *that* a model treats groups differently, but rarely *why*. The next
# questions use a synthetic cohort of 10,000 emergency patients in two social groups, G0 and G1, made by
# the course's generator. Each file is the same patients with one bias mechanism switched on; the truth
# file holds what no hospital record shows: each patient's true chronic **need** for care, their true
# arterial oxygen saturation (SaO2), and so on. Read the cells below, run them, and look at the tables.
#
# **A care-management programme** offers extra nursing support to the fifth of patients the model ranks
# highest. The model learns from each patient's age, sex, chronic conditions and healthcare cost this year
# to predict a *label* for next year. In `cohort_baseline.csv` the label is next year's number of chronic
# conditions (a measure of need); in `cohort_label_cost.csv` it is next year's **cost**, as in the
# algorithm studied by Obermeyer et al. (*Science* 2019). G1 patients receive less care for the same need
# in this cohort, so they cost less.

# %% nbgrader={"grade": false, "grade_id": "cohort_setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Run this cell, but please don't change it.
truth = pd.read_csv("cohort_baseline_truth.csv")  # the oracle: the same patients, row for row, in every file


def care_programme(seen):
    """extra code – train the care-management model on the cohort's `train` patients and enrol the top
    fifth of its `test` patients. Returns one row per test patient:
    group, enrolled (1 = offered a place), recorded_high (1 = next year's recorded label in the top fifth)
    and high_need (1 = true need in the top fifth: the patients the programme is meant for)."""
    df = seen.merge(truth, on="patient_id")
    train, test = df[df["split"] == "train"], df[df["split"] == "test"].copy()

    def inputs(d):
        return pd.DataFrame({"age": d["age"], "female": (d["sex"] == "F").astype(int),
                             "conditions_prior": d["conditions_prior"], "log_cost_prior": np.log1p(d["cost_prior"])})

    cut = train["care_label"].quantile(0.8)
    clf = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    clf.fit(inputs(train), (train["care_label"] >= cut).astype(int))
    score = clf.predict_proba(inputs(test))[:, 1]
    test["enrolled"] = (score >= np.quantile(score, 0.8)).astype(int)
    test["recorded_high"] = (test["care_label"] >= cut).astype(int)
    test["high_need"] = (test["need"] >= test["need"].quantile(0.8)).astype(int)
    return test[["patient_id", "group", "enrolled", "recorded_high", "high_need"]].reset_index(drop=True)


programme_need = care_programme(pd.read_csv("cohort_baseline.csv"))   # label = next year's conditions
programme_cost = care_programme(pd.read_csv("cohort_label_cost.csv"))  # label = next year's cost
programme_cost.head()

# %% [markdown] nbgrader={"grade": false, "grade_id": "q4_text2", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 4: who is left out of the programme? (2 points)
#
# For each programme, a false negative is a patient with **high true need** (`high_need == 1`) who is
# **not enrolled** (`enrolled == 0`). Store the false-negative-rate gap, **FNR in G1 minus FNR in G0**, in
# `gap_need` (for `programme_need`) and in `gap_cost` (for `programme_cost`).

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
### BEGIN HIDDEN TESTS
import importlib as _il

_fm = _il.import_module("fairlearn.metrics")
for _frame, _got, _name in [(programme_need, gap_need, "gap_need"), (programme_cost, gap_cost, "gap_cost")]:
    _g1 = (_frame["group"] == "G1").to_numpy()
    _t, _p = _frame["high_need"].to_numpy(), _frame["enrolled"].to_numpy()
    _ref = _fm.false_negative_rate(_t[_g1], _p[_g1]) - _fm.false_negative_rate(_t[~_g1], _p[~_g1])
    assert abs(float(_got) - _ref) < 1e-9, (
        f"{_name} is off: the truth is high_need, the call is enrolled, and the gap is G1's FNR minus G0's."
    )
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q5_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 5: what an audit of the recorded label sees (2 points)
#
# The hospital's auditors do not know anyone's true need: they only have the label the model was trained
# on. Redo Question 4 for `programme_cost` with the **recorded** label as the truth (`recorded_high`
# instead of `high_need`) and store the FNR gap, G1 minus G0, in `gap_cost_recorded`. Would the auditors
# have found the problem?

# %% nbgrader={"grade": false, "grade_id": "q5_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
gap_cost_recorded = fnr_gap_g1_g0(programme_cost["recorded_high"], programme_cost["enrolled"], programme_cost["group"])
### END SOLUTION
print(f"Against the recorded label: {gap_cost_recorded:+.2f}; against true need: {gap_cost:+.2f}")

# %% nbgrader={"grade": true, "grade_id": "q5_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M4.4"}
"""Check the FNR gap of the cost programme measured against its recorded label."""
assert isinstance(gap_cost_recorded, float), "gap_cost_recorded should be a number (a float)."
assert -1 <= gap_cost_recorded <= 1, "A gap between two rates is a fraction between -1 and 1."
### BEGIN HIDDEN TESTS
import importlib as _il

_fm = _il.import_module("fairlearn.metrics")
_g1 = (programme_cost["group"] == "G1").to_numpy()
_t, _p = programme_cost["recorded_high"].to_numpy(), programme_cost["enrolled"].to_numpy()
_ref = _fm.false_negative_rate(_t[_g1], _p[_g1]) - _fm.false_negative_rate(_t[~_g1], _p[~_g1])
assert abs(float(gap_cost_recorded) - _ref) < 1e-9, (
    "gap_cost_recorded is off: use programme_cost, recorded_high as the truth and enrolled as the call."
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q6_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 6: a pulse oximeter rule (2 points)
#
# In the emergency department, a nurse takes an arterial blood gas when a patient's pulse-oximeter
# reading (SpO2, column `spo2`) is **below 92%**. The patients who need it are those whose true arterial
# saturation (SaO2, column `sao2` of the truth file) is **below 88%**. Using `cohort_spo2_bias.csv` merged
# with `truth` on `patient_id` (all 10,000 patients), store the gap in the rule's false-negative rate,
# **G1 minus G0**, in `gap_oximeter`.

# %% nbgrader={"grade": false, "grade_id": "q6_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
oximetry = pd.read_csv("cohort_spo2_bias.csv").merge(truth, on="patient_id")
hypoxaemic = (oximetry["sao2"] < 88).astype(int)
flagged = (oximetry["spo2"] < 92).astype(int)
gap_oximeter = fnr_gap_g1_g0(hypoxaemic, flagged, oximetry["group"])
### END SOLUTION
print(f"Missed hypoxaemia, G1 minus G0: {gap_oximeter:+.2f}")

# %% nbgrader={"grade": true, "grade_id": "q6_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M4.4"}
"""Check the gap in missed hypoxaemia between the groups for the SpO2 rule."""
assert isinstance(gap_oximeter, float), "gap_oximeter should be a number (a float)."
assert -1 <= gap_oximeter <= 1, "A gap between two rates is a fraction between -1 and 1."
### BEGIN HIDDEN TESTS
import importlib as _il

_fm = _il.import_module("fairlearn.metrics")
_pd = _il.import_module("pandas")
_ox = _pd.read_csv("cohort_spo2_bias.csv").merge(_pd.read_csv("cohort_baseline_truth.csv"), on="patient_id")
_t, _p = (_ox["sao2"] < 88).to_numpy().astype(int), (_ox["spo2"] < 92).to_numpy().astype(int)
_g1 = (_ox["group"] == "G1").to_numpy()
_ref = _fm.false_negative_rate(_t[_g1], _p[_g1]) - _fm.false_negative_rate(_t[~_g1], _p[~_g1])
assert abs(float(gap_oximeter) - _ref) < 1e-9, (
    "gap_oximeter is off: the truth is SaO2 below 88 (truth file), the call is SpO2 below 92 (recorded file), "
    "over all patients of cohort_spo2_bias.csv, G1's FNR minus G0's."
)
### END HIDDEN TESTS

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
# Hint: compare the files. What differs between `cohort_baseline.csv` and the other two?

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
# referred is the same in women and men. Fit one on the training patients with these settings:
#
# ```python
# ThresholdOptimizer(estimator=model, constraints="true_positive_rate_parity", objective="accuracy_score",
#                    predict_method="predict_proba", prefit=True)
# ```
#
# (`.fit(X_train, y_train, sensitive_features=X_train["sex"])`), then call its `.predict(X_test,
# sensitive_features=sex_test, random_state=0)` to get the new referrals. Store the new false-negative
# rates in `fnr_women_after` and `fnr_men_after`, and the share of test patients classified correctly
# before (with `referred`) and after in `accuracy_before` and `accuracy_after`.

# %% nbgrader={"grade": false, "grade_id": "q8_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
mitigated = ThresholdOptimizer(estimator=model, constraints="true_positive_rate_parity", objective="accuracy_score",
                               predict_method="predict_proba", prefit=True)
mitigated.fit(X_train, y_train, sensitive_features=X_train["sex"])
referred_after = np.asarray(mitigated.predict(X_test, sensitive_features=sex_test, random_state=0)).astype(int)
after = MetricFrame(metrics=false_negative_rate, y_true=y_test, y_pred=referred_after, sensitive_features=sex_test)
fnr_women_after = float(after.by_group["Female"])
fnr_men_after = float(after.by_group["Male"])
accuracy_before = float(accuracy_score(y_test, referred))
accuracy_after = float(accuracy_score(y_test, referred_after))
### END SOLUTION
print(f"FNR women {fnr_women:.2f} -> {fnr_women_after:.2f}; men {fnr_men:.2f} -> {fnr_men_after:.2f}; "
      f"accuracy {accuracy_before:.2f} -> {accuracy_after:.2f}")

# %% nbgrader={"grade": true, "grade_id": "q8_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M4.5"}
"""Check the false-negative rates and the accuracy before and after ThresholdOptimizer."""
for name_ex, value_ex in [("fnr_women_after", fnr_women_after), ("fnr_men_after", fnr_men_after),
                          ("accuracy_before", accuracy_before), ("accuracy_after", accuracy_after)]:
    assert isinstance(value_ex, float) and 0 <= value_ex <= 1, f"{name_ex} should be a fraction (a float between 0 and 1)."
assert accuracy_before > 0.5, "accuracy_before is the share of test patients whose referral matches their diagnosis."
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
_before = (model.predict_proba(_Xte)[:, 1] >= 0.5).astype(int)
_to = _post.ThresholdOptimizer(estimator=model, constraints="true_positive_rate_parity", objective="accuracy_score",
                               predict_method="predict_proba", prefit=True)
_to.fit(_Xtr, _ytr, sensitive_features=_Xtr["sex"])
_after = _np.asarray(_to.predict(_Xte, sensitive_features=_Xte["sex"], random_state=0)).astype(int)
_w = (_Xte["sex"] == "Female").to_numpy()
assert abs(float(accuracy_before) - _skm.accuracy_score(_yte, _before)) < 1e-9, (
    "accuracy_before is off: compare referred with y_test over all test patients."
)
assert abs(float(accuracy_after) - _skm.accuracy_score(_yte, _after)) < 1e-9, (
    "accuracy_after is off: did you fit on the training patients and predict with random_state=0?"
)
assert abs(float(fnr_women_after) - _fm.false_negative_rate(_yte[_w], _after[_w])) < 1e-9, (
    "fnr_women_after is off: the share of test women with CAD whom the new referrals miss."
)
assert abs(float(fnr_men_after) - _fm.false_negative_rate(_yte[~_w], _after[~_w])) < 1e-9, (
    "fnr_men_after is off: the share of test men with CAD whom the new referrals miss."
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q9_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 9: why the rates cannot all be equal (2 points)
#
# Chouldechova (*Big Data* 2017) showed that for any model, in any group, the false-positive rate is fixed
# by the group's prevalence $p$, the positive predictive value (PPV) and the false-negative rate (FNR):
#
# $$\text{FPR} = \frac{p}{1-p}\cdot\frac{1-\text{PPV}}{\text{PPV}}\cdot(1-\text{FNR})$$
#
# Write `implied_fpr(prevalence, ppv, fnr)` that returns this FPR. Then suppose a chest-pain model had the
# **same** PPV (0.80) and the **same** FNR (0.20) in women and in men, where 26% of women and 63% of men
# have CAD. Store the FPRs this forces in `fpr_women_forced` and `fpr_men_forced`.

# %% nbgrader={"grade": false, "grade_id": "q9_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
def implied_fpr(prevalence, ppv, fnr):
    ### BEGIN SOLUTION
    return float(prevalence / (1 - prevalence) * (1 - ppv) / ppv * (1 - fnr))
    ### END SOLUTION


### BEGIN SOLUTION
fpr_women_forced = implied_fpr(0.26, 0.80, 0.20)
fpr_men_forced = implied_fpr(0.63, 0.80, 0.20)
### END SOLUTION
print(f"Same PPV and FNR force an FPR of {fpr_women_forced:.2f} in women and {fpr_men_forced:.2f} in men.")

# %% nbgrader={"grade": true, "grade_id": "q9_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M4.6"}
"""Check that implied_fpr follows Chouldechova's identity, and the FPRs it forces."""
assert isinstance(implied_fpr(0.5, 0.5, 0.0), float), "implied_fpr should return a number (a float)."
assert abs(implied_fpr(0.5, 0.5, 0.0) - 1.0) < 1e-9, (
    "With half the patients diseased, half the positive calls wrong and no disease missed, every patient "
    "without disease must be called positive (FPR 1): check your formula."
)
assert isinstance(fpr_women_forced, float) and isinstance(fpr_men_forced, float), "Store the two FPRs as floats."
### BEGIN HIDDEN TESTS
for _p, _ppv, _fnr in [(0.1, 0.3, 0.1), (0.4, 0.7, 0.25), (0.8, 0.9, 0.05)]:
    _ref = _p / (1 - _p) * (1 - _ppv) / _ppv * (1 - _fnr)
    assert abs(float(implied_fpr(_p, _ppv, _fnr)) - _ref) < 1e-9, "implied_fpr is off for other values: check the formula."
assert abs(float(fpr_women_forced) - 0.26 / 0.74 * 0.25 * 0.8) < 1e-9, "fpr_women_forced is off: prevalence 0.26, PPV 0.80, FNR 0.20."
assert abs(float(fpr_men_forced) - 0.63 / 0.37 * 0.25 * 0.8) < 1e-9, "fpr_men_forced is off: prevalence 0.63, PPV 0.80, FNR 0.20."
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q10_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Question 10: your recommendation to the AI committee (5 points, graded by your instructor)
#
# The hospital's AI committee must decide whether to deploy the chest-pain model to decide referral for
# angiography, and if so whether with the ThresholdOptimizer of Question 8 (which uses each patient's sex
# at the moment of the decision). In 200 to 300 words, give the committee your recommendation. Use your
# numbers (missed disease per 100 women and per 100 men, calibration, what the fix changes and costs),
# say how sure you are given the number of women in the test set, and name what you would monitor after
# deployment.

# %% [markdown] nbgrader={"grade": true, "grade_id": "q10_written", "locked": false, "points": 5, "schema_version": 3, "solution": true, "task": false} autograder={"objective": "M4.6"}
# YOUR ANSWER HERE
