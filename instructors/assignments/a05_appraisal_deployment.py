# ---
# jupyter:
#   autograder:
#     title: "Assignment 5 (capstone): Appraising and deploying a model, and checking a language model's work"
#     module: m05_appraisal_deployment
#     data: [covid_testing.csv, heart_disease.csv, genai_summaries.csv, genai_references.csv, genai_catalogue.csv, genai_paired_outputs.csv]
#     sections:  # the book page behind each objective a question assesses (study plans link there)
#       M5.2: book/m05_appraisal_deployment/01_appraisal
#       M5.3: book/m05_appraisal_deployment/02_model_facts_label
#       M5.4: book/m05_appraisal_deployment/03_deployment
#       M5.5: book/m05_appraisal_deployment/03_deployment
#       M5.6: book/m05_appraisal_deployment/04_generative_ai
#       M5.7: book/m05_appraisal_deployment/04_generative_ai
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
# # Assignment 5 notebook
#
# **The patient.** Mr T., 74, is on his first day after surgery for a fractured neck of femur. At three in
# the morning a sepsis alert fires on him; the nurse has seen four alerts tonight and none was sepsis. When he
# goes home, a junior doctor will ask a chatbot to draft his discharge summary. Both moments were shaped by
# decisions your hospital took once: which tools to switch on, at which threshold, with what label, and
# how their output is checked.
#
# You sit on the committee that takes those decisions. In this capstone you:
#
# 1. read the published evidence for a widely used sepsis model (Wong et al., *JAMA Intern Med* 2021);
# 2. measure the alert burden of a "likely positive" model on real COVID-19 tests, and its calibration
#    during a silent period;
# 3. check model-written discharge summaries, references and paired answers (a synthetic corpus);
# 4. write an appraisal memo and a model facts label for the course's heart-disease model.
#
# **How it works**
# - Answer in the cells that say `# YOUR CODE HERE` (delete the `raise NotImplementedError()` line) and in
#   the two written-answer cells. Do not rename the variables you are asked to create.
# - Every answer is a plain value: a number, a dictionary, a list or a table (DataFrame).
# - After each answer, run the test cell below it. A silent test cell means the checks you can see passed;
#   a message tells you what to look at. **What the visible checks cover:** the type, keys and range of
#   every answer; for most numbers, a comparison of a "fingerprint" of your answer, rounded as the notebook
#   prints it, with the right answer's (a fingerprint hides the number from reading, not from trying values
#   in a loop: the hidden tests decide your grade); and a one-line hint for each usual slip (a percentage for a fraction, a ratio upside down, groups swapped,
#   0/1 calls where risks are asked). Your grade also comes from **hidden tests**, run when your work is
#   graded, which check every number, try your functions on other data, and judge a later answer on your own
#   earlier ones where it can stand alone (one slip costs points once).
# - **Compute or type?** Each question says so. Where it says *compute*, compute the answer with code. Where
#   it says *typing is fine*, a value typed to the precision the notebook (or the course page) prints earns the
#   points.
# - **Why your numbers differ from lab 5's and the chapter's.** Part A reads the same published study as the
#   chapter, so its two questions are readings. Everywhere else this notebook takes other slices of the same
#   data: the COVID model learns from days 4-74 and runs silently on days 75-107 (the lab: 4-60 and 61-107),
#   judged at other thresholds; Part C checks the summaries and paired answers of patients aged 60 and over,
#   and the references dated 2020 or later. The lab's printed values are not this notebook's answers.
# - Keep the six `.csv` files in the same folder as this notebook (download them from the course site).
# - Before you submit: *Kernel → Restart Kernel and Run All Cells…*, and check that no cell shows an error.
#
# Points: 16 autograded (10 questions) and 10 for the two written answers.

# %% nbgrader={"grade": false, "grade_id": "setup", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Run this cell to set up the notebook, but please don't change it.
import re
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import binomtest
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

DATA = ["covid_testing.csv", "heart_disease.csv", "genai_summaries.csv", "genai_references.csv",
        "genai_catalogue.csv", "genai_paired_outputs.csv"]
missing_files = [name for name in DATA if not Path(name).exists()]
if missing_files:
    raise FileNotFoundError(
        f"{', '.join(missing_files)} not next to this notebook: download the files from the assignment page "
        "and save them in the same folder, then run this cell again."
    )

# The sepsis model's external validation: counts as reported by Wong et al. (JAMA Intern Med 2021)
HOSPITALISATIONS = 38_455   # adult hospitalisations studied
SEPSIS = 2_552              # of them with sepsis
ALERTED = 6_971             # hospitalisations with an alert (score of 6 or more)
MISSED = 1_709              # hospitalisations with sepsis not identified (no alert before sepsis onset)

# The COVID "likely positive" model: a logistic regression of a positive PCR result on what is known when
# the test is ordered, learned on days 4-74 of the pandemic and run silently (output shown to no one) on
# days 75-107. `silent` has one row per valid test of the silent period, with `positive` (True/False) and
# `risk` (the model's predicted probability of a positive result).
covid = pd.read_csv("covid_testing.csv")
covid = covid[covid["result"].isin(["positive", "negative"])].copy()
covid["positive"] = covid["result"] == "positive"
covid.loc[covid["age"] >= 100, "age"] = np.nan            # implausible ages (see the data card)
covid["patient_class"] = covid["patient_class"].fillna("not recorded")
numeric, categorical = ["age"], ["gender", "demo_group", "patient_class", "drive_thru_ind", "orderset"]
covid[["drive_thru_ind", "orderset"]] = covid[["drive_thru_ind", "orderset"]].replace({1: "yes", 0: "no"})
development = covid[covid["pan_day"] <= 74]
silent = covid[covid["pan_day"] > 74].copy()
covid_model = make_pipeline(
    make_column_transformer(
        (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
        (OneHotEncoder(handle_unknown="ignore"), categorical),
    ),
    LogisticRegression(max_iter=1000),
)
covid_model.fit(development[numeric + categorical], development["positive"])
silent["risk"] = covid_model.predict_proba(silent[numeric + categorical])[:, 1]
DAYS = 33  # calendar days in the silent period (days 75 to 107)

# The synthetic corpus (no model was run; see the data cards). keep_default_na keeps the word "none".
# The committee audits what the tools wrote for patients aged 60 and over (like Mr T.), and the references
# dated 2020 or later (the recent evidence its memo may cite).
summaries = pd.read_csv("genai_summaries.csv", keep_default_na=False)
summaries = summaries[summaries["age"] >= 60].reset_index(drop=True)
references = pd.read_csv("genai_references.csv", keep_default_na=False)
references = references[references["year"] >= 2020].reset_index(drop=True)
catalogue = pd.read_csv("genai_catalogue.csv")
paired = pd.read_csv("genai_paired_outputs.csv")
paired["age"] = paired["prompt"].str.extract(r"(\d+)-year-old", expand=False).astype(int)  # the age in the prompt
paired = paired[paired["age"] >= 60].reset_index(drop=True)

print(f"Silent period: {len(silent):,} tests over {DAYS} days, {silent['positive'].sum()} positive.")
print(f"Corpus: {len(summaries)} summaries, {len(references)} references, {paired['pair_id'].nunique()} pairs.")

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
# ## Part A. The published evidence for a sepsis model
#
# ### Question 1: sensitivity and PPV from the reported counts (1 point)
#
# From the four counts in the setup cell, rebuild the 2×2 table at the alert threshold and store the
# model's **sensitivity** in `esm_sensitivity` and its **positive predictive value** in `esm_ppv`, both as
# fractions between 0 and 1. **Typing is fine**: these are the published counts the chapter works through
# (*Appraising the evidence for a model*), so this is a reading question: typing the values the chapter prints
# (to their three decimals, e.g. 0.123 for 12.3%) earns the point as well as computing them.

# %% nbgrader={"grade": false, "grade_id": "q1_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
tp = SEPSIS - MISSED
esm_sensitivity = tp / SEPSIS
esm_ppv = tp / ALERTED
### END SOLUTION
print(f"Sensitivity {esm_sensitivity:.1%}, PPV {esm_ppv:.1%}")

# %% nbgrader={"grade": true, "grade_id": "q1_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M5.2"}
"""Check the sepsis model's sensitivity and PPV rebuilt from the reported counts."""
assert isinstance(esm_sensitivity, (int, float)) and isinstance(esm_ppv, (int, float)), (
    "esm_sensitivity and esm_ppv should be numbers."
)
assert 0 < esm_sensitivity < 1 and 0 < esm_ppv < 1, "Give fractions between 0 and 1, not percentages."
assert esm_ppv < esm_sensitivity, (
    "Check which is which: sensitivity divides the patients with sepsis who were alerted by ALL patients "
    "with sepsis; PPV divides them by ALL alerts."
)
assert fingerprint(esm_sensitivity, 2) == "5547bf1b31f8", (
    "esm_sensitivity is off: patients with sepsis who were alerted (all with sepsis minus those missed) / all with sepsis."
)
assert fingerprint(esm_ppv, 2) == "4469f737b2dd", "esm_ppv is off: patients with sepsis who were alerted / all alerts."
### BEGIN HIDDEN TESTS
_tp = 2552 - 1709
assert abs(float(esm_sensitivity) - _tp / 2552) <= 0.005 + 1e-9, (
    "esm_sensitivity is off: the patients with sepsis who were alerted are those with sepsis minus those missed."
)
assert abs(float(esm_ppv) - _tp / 6971) <= 0.005 + 1e-9, "esm_ppv is off: of all alerts, the share that were sepsis."
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q2_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 2: what the alerts cost (1 point)
#
# Store in `esm_alerts_per_case` the number of alerted hospitalisations for each patient with sepsis that
# the model flagged in time (the *number needed to alert*, 1/PPV; 1/PPV − 1 of them are alerts for patients without sepsis or alerted only after onset), and in
# `esm_alerts_per_100` the number of alerted hospitalisations per 100 hospitalisations. Computing the first
# from your `esm_ppv` is fine: it is then judged on your own PPV of Question 1, so a slip there is not
# counted twice. **Typing is fine**: like Question 1, a reading of the published counts; the values the chapter
# prints (alerted per case flagged in time, to one decimal; alerted per 1,000 hospitalisations, divided by 10)
# earn the point.

# %% nbgrader={"grade": false, "grade_id": "q2_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
esm_alerts_per_case = ALERTED / (SEPSIS - MISSED)
esm_alerts_per_100 = 100 * ALERTED / HOSPITALISATIONS
### END SOLUTION
print(f"{esm_alerts_per_case:.1f} alerted per patient with sepsis flagged in time; {esm_alerts_per_100:.0f} per 100 hospitalisations")

# %% nbgrader={"grade": true, "grade_id": "q2_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M5.2"}
"""Check the alerts per sepsis case flagged and per 100 hospitalisations."""
assert isinstance(esm_alerts_per_case, (int, float)) and isinstance(esm_alerts_per_100, (int, float)), (
    "Both answers should be numbers."
)
assert esm_alerts_per_case >= 1, "Each flagged patient with sepsis comes with at least one alert: the ratio is at least 1."
assert esm_alerts_per_100 >= 1, "Give alerts per 100 hospitalisations (a count out of 100), not a fraction."
assert esm_alerts_per_100 <= 100, "No more than one alert is counted per hospitalisation here."
try:  # your own PPV of Question 1, when it is a fraction
    own_ppv_ex = float(esm_ppv) if 0 < float(esm_ppv) < 1 else None
except Exception:
    own_ppv_ex = None
assert fingerprint(esm_alerts_per_case, 1) == "00dc1c832c18" or (
    own_ppv_ex is not None and abs(float(esm_alerts_per_case) - 1 / own_ppv_ex) <= 0.05 + 1e-9), (
    "esm_alerts_per_case is off: flagged hospitalisations per hospitalisation with sepsis flagged in time (1/PPV)."
)
if own_ppv_ex is not None and fingerprint(own_ppv_ex, 2) != "4469f737b2dd":
    print("esm_ppv (Question 1) is off: fix it, then run this cell again. esm_alerts_per_case is judged on your own "
          "esm_ppv, so the slip is not counted twice.")
assert fingerprint(esm_alerts_per_100, 0) == "4ec9599fc203", "esm_alerts_per_100 is off: 100 x alerts / hospitalisations."
### BEGIN HIDDEN TESTS
try:  # carry-forward: 1/PPV from the student's own PPV of Question 1, when it is a fraction
    _own = 1 / float(esm_ppv) if 0 < float(esm_ppv) < 1 else float("nan")
except Exception:  # no usable esm_ppv: no carry-forward
    _own = float("nan")
assert min(abs(float(esm_alerts_per_case) - 6971 / (2552 - 1709)), abs(float(esm_alerts_per_case) - _own)) <= 0.05 + 1e-9, (
    "esm_alerts_per_case is off: divide all alerts by the patients with sepsis the model flagged (1/PPV), "
    "not by all patients with sepsis."
)
assert abs(float(esm_alerts_per_100) - 100 * 6971 / 38455) <= 0.5 + 1e-9, "esm_alerts_per_100 is off."
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q3_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Part B. Deploying a model: alert burden and a silent period
#
# The COVID model in the setup cell flags a test as "likely positive" when `risk` is at or above a
# threshold. The tests are those of the testing service of a children's hospital (see the data card): patients,
# who are children, and adults the data label "misc adult", "other adult" or "client" (`demo_group`), such as
# staff and parents. Each flag means full precautions for the person
# tested (isolation, full protective equipment) while the result is pending.
#
# ### Question 3: alerts at a threshold of 9% (2 points)
#
# In the silent period (`silent`, over `DAYS` days), at a threshold of 0.09, store the number of flags per
# day in `alerts_per_day` and the number of flags per positive test flagged in `alerts_per_true_positive`.
# **Compute** both (the check tests that the flags per day, times `DAYS`, give back a whole number of flags).

# %% nbgrader={"grade": false, "grade_id": "q3_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
flagged = silent["risk"] >= 0.09
alerts_per_day = flagged.sum() / DAYS
alerts_per_true_positive = flagged.sum() / (flagged & silent["positive"]).sum()
### END SOLUTION
print(f"{alerts_per_day:.1f} flags a day; {alerts_per_true_positive:.1f} flags per positive test flagged")

# %% nbgrader={"grade": true, "grade_id": "q3_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M5.4"}
"""Check the alert burden at a threshold of 0.09 in the silent period."""
assert isinstance(alerts_per_day, (int, float, np.number)) and isinstance(alerts_per_true_positive, (int, float, np.number)), (
    "Both answers should be numbers."
)
assert 0 < alerts_per_day < len(silent) / DAYS, "There cannot be more flags a day than tests a day."
assert abs(alerts_per_day * DAYS - round(alerts_per_day * DAYS)) < 0.01, (
    "alerts_per_day times the number of days should give back a whole number of flags: divide the number "
    "of flags by DAYS (not by the number of tests or of positive tests)."
)
assert alerts_per_true_positive >= 1, "Each positive test flagged comes with at least one flag: the ratio is at least 1."
assert fingerprint(alerts_per_day, 1) == "b902cc455083", (
    "alerts_per_day is off: count the tests of the silent period flagged at the 9% threshold, per day of that period."
)
assert fingerprint(alerts_per_true_positive, 1) == "1b5c15d377f5", (
    "alerts_per_true_positive is off: all flags / the positive tests that were flagged (not all positive tests)."
)
### BEGIN HIDDEN TESTS
import importlib as _il

_pd = _il.import_module("pandas")
_np = _il.import_module("numpy")
_cmp = _il.import_module("sklearn.compose")
_imp = _il.import_module("sklearn.impute")
_lm = _il.import_module("sklearn.linear_model")
_pl = _il.import_module("sklearn.pipeline")
_pre = _il.import_module("sklearn.preprocessing")
_c = _pd.read_csv("covid_testing.csv")
_c = _c[_c["result"].isin(["positive", "negative"])].copy()
_c["pos"] = _c["result"] == "positive"
_c.loc[_c["age"] >= 100, "age"] = _np.nan
_c["patient_class"] = _c["patient_class"].fillna("not recorded")
_c[["drive_thru_ind", "orderset"]] = _c[["drive_thru_ind", "orderset"]].replace({1: "yes", 0: "no"})
_cols = ["age", "gender", "demo_group", "patient_class", "drive_thru_ind", "orderset"]
_m = _pl.make_pipeline(_cmp.make_column_transformer(
    (_pl.make_pipeline(_imp.SimpleImputer(strategy="median"), _pre.StandardScaler()), ["age"]),
    (_pre.OneHotEncoder(handle_unknown="ignore"), _cols[1:])), _lm.LogisticRegression(max_iter=1000))
_m.fit(_c.loc[_c["pan_day"] <= 74, _cols], _c.loc[_c["pan_day"] <= 74, "pos"])
_s = _c[_c["pan_day"] > 74]
_pairs = list(zip((bool(v) for v in _s["pos"]), (float(v) for v in _m.predict_proba(_s[_cols])[:, 1])))
_alerts = sum(1 for t, r in _pairs if r >= 0.09)
_tp = sum(1 for t, r in _pairs if t and r >= 0.09)
assert abs(float(alerts_per_day) - _alerts / 33) <= 0.05 + 1e-9, "alerts_per_day is off: count the flags at or above 0.09."
assert abs(float(alerts_per_true_positive) - _alerts / _tp) <= 0.05 + 1e-9, (
    "alerts_per_true_positive is off: all flags divided by the positive tests among them (1/PPV)."
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q4_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 4: the alert-burden table (2 points)
#
# Build a DataFrame `burden` with one row per threshold in `[0.05, 0.07, 0.09, 0.11, 0.13]` (as its index,
# in that order) and three columns: `"alerts_per_day"`, `"sensitivity"` (the share of positive tests that
# are flagged) and `"ppv"` (the share of flags that are positive tests), the last two as fractions.
# **Compute** the table (a loop over the thresholds, as in the lab).

# %% nbgrader={"grade": false, "grade_id": "q4_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
thresholds = [0.05, 0.07, 0.09, 0.11, 0.13]
### BEGIN SOLUTION
rows = {}
for t in thresholds:
    flag = silent["risk"] >= t
    tp_t = (flag & silent["positive"]).sum()
    rows[t] = {"alerts_per_day": flag.sum() / DAYS, "sensitivity": tp_t / silent["positive"].sum(),
               "ppv": tp_t / flag.sum()}
burden = pd.DataFrame(rows).T
### END SOLUTION
burden

# %% nbgrader={"grade": true, "grade_id": "q4_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M5.4"}
"""Check the alert-burden table across thresholds."""
assert isinstance(burden, pd.DataFrame), "burden should be a DataFrame."
assert [round(float(t), 4) for t in burden.index] == [0.05, 0.07, 0.09, 0.11, 0.13], (
    "The index should be the five thresholds, in increasing order."
)
assert set(burden.columns) == {"alerts_per_day", "sensitivity", "ppv"}, (
    "burden needs exactly the columns 'alerts_per_day', 'sensitivity' and 'ppv'."
)
assert burden[["sensitivity", "ppv"]].stack().between(0, 1).all(), "Give sensitivity and PPV as fractions between 0 and 1."
assert burden["alerts_per_day"].is_monotonic_decreasing, "A higher threshold cannot raise more flags a day."
assert burden["sensitivity"].is_monotonic_decreasing, (
    "A higher threshold cannot catch more positive tests: check the sensitivity column (positives flagged / all positives)."
)
_row_ex = burden.loc[[t for t in burden.index if abs(float(t) - 0.09) < 1e-9][0]]
assert fingerprint(_row_ex["alerts_per_day"], 1) == "b902cc455083", (
    "At 0.09 your alerts_per_day differs from Question 3: flags per DAY (divide by DAYS)."
)
assert not (fingerprint(_row_ex["sensitivity"], 2) == "b4af9cbcd052"
            and fingerprint(_row_ex["ppv"], 2) == "4469f737b2dd"), "Sensitivity and PPV are swapped."
assert fingerprint(_row_ex["sensitivity"], 2) == "4469f737b2dd", (
    "The sensitivity column is off: positive tests flagged / all positive tests."
)
assert fingerprint(_row_ex["ppv"], 2) == "b4af9cbcd052", "The ppv column is off: positive tests flagged / all flags."
for _col_ex, _digits_ex, _key_ex in [("alerts_per_day", 1, "f41cfc2f472e"),
                                     ("sensitivity", 2, "408081543b6b"),
                                     ("ppv", 2, "3ae9f0286109")]:
    assert fingerprint(" ".join(f"{float(v):.{_digits_ex}f}" for v in burden[_col_ex])) == _key_ex, (
        f"Right at 0.09, but the {_col_ex} column is off at another threshold: recount the flags (risk >= t) "
        "and the positive tests among them inside the loop, for each threshold."
    )
### BEGIN HIDDEN TESTS
import importlib as _il

_pd = _il.import_module("pandas")
_np = _il.import_module("numpy")
_cmp = _il.import_module("sklearn.compose")
_imp = _il.import_module("sklearn.impute")
_lm = _il.import_module("sklearn.linear_model")
_pl = _il.import_module("sklearn.pipeline")
_pre = _il.import_module("sklearn.preprocessing")
_c = _pd.read_csv("covid_testing.csv")
_c = _c[_c["result"].isin(["positive", "negative"])].copy()
_c["pos"] = _c["result"] == "positive"
_c.loc[_c["age"] >= 100, "age"] = _np.nan
_c["patient_class"] = _c["patient_class"].fillna("not recorded")
_c[["drive_thru_ind", "orderset"]] = _c[["drive_thru_ind", "orderset"]].replace({1: "yes", 0: "no"})
_cols = ["age", "gender", "demo_group", "patient_class", "drive_thru_ind", "orderset"]
_m = _pl.make_pipeline(_cmp.make_column_transformer(
    (_pl.make_pipeline(_imp.SimpleImputer(strategy="median"), _pre.StandardScaler()), ["age"]),
    (_pre.OneHotEncoder(handle_unknown="ignore"), _cols[1:])), _lm.LogisticRegression(max_iter=1000))
_m.fit(_c.loc[_c["pan_day"] <= 74, _cols], _c.loc[_c["pan_day"] <= 74, "pos"])
_s = _c[_c["pan_day"] > 74]
_pairs = list(zip((bool(v) for v in _s["pos"]), (float(v) for v in _m.predict_proba(_s[_cols])[:, 1])))
_npos = sum(1 for t, _ in _pairs if t)
for _t, (_, _row) in zip([0.05, 0.07, 0.09, 0.11, 0.13], burden.iterrows()):
    _alerts = sum(1 for t, r in _pairs if r >= _t)
    _tp = sum(1 for t, r in _pairs if t and r >= _t)
    assert abs(float(_row["alerts_per_day"]) - _alerts / 33) <= 0.05 + 1e-9, f"alerts_per_day is off at threshold {_t}."
    assert abs(float(_row["sensitivity"]) - _tp / _npos) <= 0.005 + 1e-9, f"sensitivity is off at threshold {_t}."
    assert abs(float(_row["ppv"]) - _tp / _alerts) <= 0.005 + 1e-9, (
        f"ppv is off at threshold {_t}: of the flags, the share that were positive tests."
    )
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q5_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 5: a threshold the testing service can sustain (1 point)
#
# The testing service can provide full precautions for at most 60 flagged tests a day. Store in `chosen_threshold` the **lowest**
# threshold of your table whose flags per day do not exceed 60 (the most sensitive threshold the testing service can
# sustain). It is judged on your own table of Question 4, so a slip there is not counted twice. **Compute** it
# from your table (reading the threshold off your own table and typing it is fine too).

# %% nbgrader={"grade": false, "grade_id": "q5_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
chosen_threshold = float(burden.index[burden["alerts_per_day"] <= 60].min())
### END SOLUTION
print(f"Chosen threshold: {chosen_threshold}")

# %% nbgrader={"grade": true, "grade_id": "q5_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M5.4"}
"""Check the lowest threshold whose flags per day the testing service can sustain."""
assert isinstance(chosen_threshold, (int, float)), "chosen_threshold should be a number."
assert round(float(chosen_threshold), 4) in [0.05, 0.07, 0.09, 0.11, 0.13], "Choose one of the five thresholds of the table."
try:  # the thresholds of your own table (Question 4) that stay within 60 flags a day
    within_ex = [float(t) for t, v in burden["alerts_per_day"].items() if float(v) <= 60]
except Exception:
    within_ex = None
right_ex = fingerprint(chosen_threshold, 2) == "91539d7445b2"
assert right_ex or within_ex is None or any(abs(float(chosen_threshold) - t) < 1e-9 for t in within_ex), (
    "At that threshold the flags per day exceed what the testing service can sustain (60)."
)
assert right_ex or (bool(within_ex) and abs(float(chosen_threshold) - min(within_ex)) < 1e-9), (
    "Not the LOWEST threshold that stays within 60 flags a day: a lower one raises too many, a higher one misses more."
)
if within_ex is not None and (not within_ex or fingerprint(min(within_ex), 2) != "91539d7445b2"):
    print("The flags per day in your table (Question 4) are off: fix them, then run this cell again. "
          "chosen_threshold is judged on your own table, so the slip is not counted twice.")
### BEGIN HIDDEN TESTS
import importlib as _il

_pd = _il.import_module("pandas")
_np = _il.import_module("numpy")
_cmp = _il.import_module("sklearn.compose")
_imp = _il.import_module("sklearn.impute")
_lm = _il.import_module("sklearn.linear_model")
_pl = _il.import_module("sklearn.pipeline")
_pre = _il.import_module("sklearn.preprocessing")
_c = _pd.read_csv("covid_testing.csv")
_c = _c[_c["result"].isin(["positive", "negative"])].copy()
_c["pos"] = _c["result"] == "positive"
_c.loc[_c["age"] >= 100, "age"] = _np.nan
_c["patient_class"] = _c["patient_class"].fillna("not recorded")
_c[["drive_thru_ind", "orderset"]] = _c[["drive_thru_ind", "orderset"]].replace({1: "yes", 0: "no"})
_cols = ["age", "gender", "demo_group", "patient_class", "drive_thru_ind", "orderset"]
_m = _pl.make_pipeline(_cmp.make_column_transformer(
    (_pl.make_pipeline(_imp.SimpleImputer(strategy="median"), _pre.StandardScaler()), ["age"]),
    (_pre.OneHotEncoder(handle_unknown="ignore"), _cols[1:])), _lm.LogisticRegression(max_iter=1000))
_m.fit(_c.loc[_c["pan_day"] <= 74, _cols], _c.loc[_c["pan_day"] <= 74, "pos"])
_r = [float(v) for v in _m.predict_proba(_c.loc[_c["pan_day"] > 74, _cols])[:, 1]]
_ok = [t for t in [0.05, 0.07, 0.09, 0.11, 0.13] if sum(1 for r in _r if r >= t) / 33 <= 60]
try:  # carry-forward: the lowest threshold within 60 flags a day in the student's own table (Question 4)
    _own = min(float(t) for t, v in burden["alerts_per_day"].items() if float(v) <= 60)
except Exception:  # no usable table, or none of its thresholds within 60: no carry-forward
    _own = float("nan")
assert round(float(chosen_threshold), 4) in (0.05, 0.07, 0.09, 0.11, 0.13), "chosen_threshold is not one of the five thresholds."
assert abs(float(chosen_threshold) - min(_ok)) < 1e-9 or abs(float(chosen_threshold) - _own) < 1e-9, (
    "chosen_threshold is not the lowest threshold with at most 60 flags a day: lower thresholds raise more flags."
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "who_is_flagged_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Who are the flagged tests?
#
# The next cell shows, at each threshold of your table, how the flags of the silent period split between the
# groups tested (as shares of the flags), and how many of the positive patients they catch. At 11% and above
# the model flags no patient, only tests of "client" and "misc adult": it has learned who is tested, not who
# is infected.

# %% nbgrader={"grade": false, "grade_id": "who_is_flagged", "locked": true, "schema_version": 3, "solution": false, "task": false}
# extra code – how the flags split between the groups tested, and positive patients caught, at each threshold
# (shares, not counts: the counts would give away Questions 3 to 5)
patient_positive = (silent["demo_group"] == "patient") & silent["positive"]
for t in [0.05, 0.07, 0.09, 0.11, 0.13]:
    flag = silent["risk"] >= t
    share = silent.loc[flag, "demo_group"].value_counts(normalize=True)
    shares = ", ".join(f"{group} {share.get(group, 0):.0%}" for group in ["patient", "misc adult", "client", "other adult"])
    print(f"At {t:.0%}: of the flags, {shares}; positive patients caught: "
          f"{(flag & patient_positive).sum()} of {patient_positive.sum()}")

# %% [markdown] nbgrader={"grade": false, "grade_id": "q6_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 6: calibration in the silent period (2 points)
#
# Before go-live, check that the model's probabilities still mean what they say. Store in
# `observed_expected` the ratio of the number of positive tests observed in the silent period to the number
# the model expected (the sum of `risk`), and in `oe_by_gender` a dictionary with the same ratio for
# `"female"` and `"male"` (the values of the `gender` column).
#
# A ratio close to 1 overall does not mean the number is right where flags are raised. Store in
# `flagged_calibration` a dictionary for the tests flagged at the threshold of Question 5, **0.07** (`risk` at
# or above 0.07): `"observed"`, the fraction of them that were positive, and `"predicted"`, the model's mean
# `risk` among them. **Compute** all three answers. The cell then prints the observed share with its 95%
# (Wilson) interval: when the mean predicted risk lies inside it, the silent period shows no clear error
# where flags are raised.

# %% nbgrader={"grade": false, "grade_id": "q6_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
observed_expected = float(silent["positive"].sum() / silent["risk"].sum())
oe_by_gender = {g: float(part["positive"].sum() / part["risk"].sum()) for g, part in silent.groupby("gender")}
flagged_tests = silent[silent["risk"] >= 0.07]
flagged_calibration = {"observed": float(flagged_tests["positive"].mean()), "predicted": float(flagged_tests["risk"].mean())}
### END SOLUTION
print(f"O/E {observed_expected:.2f}; female {oe_by_gender['female']:.2f}, male {oe_by_gender['male']:.2f}")
# extra code – the observed share among the flagged tests, with its 95% (Wilson) interval
n_flagged = int((silent["risk"] >= 0.07).sum())
k_flagged = min(max(round(float(flagged_calibration["observed"]) * n_flagged), 0), n_flagged)
low, high = binomtest(k_flagged, n_flagged).proportion_ci(method="wilson")
print(f"Flagged tests: {flagged_calibration['observed']:.1%} positive (95% CI {low:.1%} to {high:.1%}); "
      f"mean predicted risk {flagged_calibration['predicted']:.1%}")

# %% nbgrader={"grade": true, "grade_id": "q6_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M5.5"}
"""Check the observed-to-expected ratio in the silent period, overall and by gender."""
assert isinstance(observed_expected, (int, float)), "observed_expected should be a number."
assert 0.2 < observed_expected < 5, (
    "An observed/expected ratio is a ratio of two counts of positive tests, near 1 for a calibrated model: "
    "check that you divided the count of positives by the sum of the predicted risks."
)
assert isinstance(oe_by_gender, dict) and set(oe_by_gender) == {"female", "male"}, (
    "oe_by_gender should be a dictionary with the keys 'female' and 'male'."
)
assert all(isinstance(v, (int, float)) and 0.2 < v < 5 for v in oe_by_gender.values()), (
    "Each value of oe_by_gender should be an observed/expected ratio (a number near 1)."
)
assert isinstance(flagged_calibration, dict) and set(flagged_calibration) == {"observed", "predicted"}, (
    "flagged_calibration should be a dictionary with the keys 'observed' and 'predicted'."
)
assert all(isinstance(v, (int, float)) and 0 <= v <= 1 for v in flagged_calibration.values()), (
    "Give the observed share and the mean predicted risk as fractions between 0 and 1."
)
assert flagged_calibration["predicted"] >= 0.07, (
    "Every flagged test has a risk of at least 0.07, so their mean predicted risk cannot be lower: keep only "
    "the tests with risk >= 0.07."
)
assert float(observed_expected) <= 0 or fingerprint(1 / float(observed_expected), 2) != "28b478ce4970", (
    "Your ratio is upside down: observed positives on top."
)
assert fingerprint(observed_expected, 2) == "28b478ce4970", "observed_expected is off: positives / sum of risk."
for _g, _key in [("female", "00fef940a6aa"), ("male", "640f6107ab12")]:
    assert fingerprint(oe_by_gender[_g], 2) == _key, (
        f"oe_by_gender['{_g}'] is off: that gender's positives / that gender's sum of risk."
    )
assert fingerprint(flagged_calibration["observed"], 2) == "b4af9cbcd052", (
    "flagged_calibration['observed'] is off: the share positive among the tests with risk >= 0.07 only."
)
assert fingerprint(flagged_calibration["predicted"], 3) == "eb71a7e914e0", (
    "flagged_calibration['predicted'] is off: the mean risk of ALL the tests with risk >= 0.07, positive or not."
)
### BEGIN HIDDEN TESTS
import importlib as _il

_pd = _il.import_module("pandas")
_np = _il.import_module("numpy")
_cmp = _il.import_module("sklearn.compose")
_imp = _il.import_module("sklearn.impute")
_lm = _il.import_module("sklearn.linear_model")
_pl = _il.import_module("sklearn.pipeline")
_pre = _il.import_module("sklearn.preprocessing")
_c = _pd.read_csv("covid_testing.csv")
_c = _c[_c["result"].isin(["positive", "negative"])].copy()
_c["pos"] = _c["result"] == "positive"
_c.loc[_c["age"] >= 100, "age"] = _np.nan
_c["patient_class"] = _c["patient_class"].fillna("not recorded")
_c[["drive_thru_ind", "orderset"]] = _c[["drive_thru_ind", "orderset"]].replace({1: "yes", 0: "no"})
_cols = ["age", "gender", "demo_group", "patient_class", "drive_thru_ind", "orderset"]
_m = _pl.make_pipeline(_cmp.make_column_transformer(
    (_pl.make_pipeline(_imp.SimpleImputer(strategy="median"), _pre.StandardScaler()), ["age"]),
    (_pre.OneHotEncoder(handle_unknown="ignore"), _cols[1:])), _lm.LogisticRegression(max_iter=1000))
_m.fit(_c.loc[_c["pan_day"] <= 74, _cols], _c.loc[_c["pan_day"] <= 74, "pos"])
_s = _c[_c["pan_day"] > 74]
_rows = list(zip((bool(v) for v in _s["pos"]), (float(v) for v in _m.predict_proba(_s[_cols])[:, 1]), _s["gender"]))
_oe = sum(1 for t, _, _ in _rows if t) / sum(r for _, r, _ in _rows)
assert abs(float(observed_expected) - _oe) < 0.01, (
    "observed_expected is off: the number of positive tests divided by the sum of the predicted risks "
    "(not the other way round)."
)
for _g in ["female", "male"]:
    _o = sum(1 for t, _, g in _rows if t and g == _g) / sum(r for _, r, g in _rows if g == _g)
    assert abs(float(oe_by_gender[_g]) - _o) < 0.01, f"oe_by_gender['{_g}'] is off."
_flag = [(t, r) for t, r, _ in _rows if r >= 0.07]
assert abs(float(flagged_calibration["observed"]) - sum(1 for t, _ in _flag if t) / len(_flag)) <= 0.005 + 1e-9, (
    "flagged_calibration['observed'] is off: the positive tests among those flagged / all flagged tests."
)
assert abs(float(flagged_calibration["predicted"]) - sum(r for _, r in _flag) / len(_flag)) <= 0.005 + 1e-9, (
    "flagged_calibration['predicted'] is off: the mean risk of the flagged tests."
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q7_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Part C. Checking a language model's work (synthetic corpus)
#
# ### Question 7: check each summary against its source record (2 points)
#
# Each row of `summaries` holds a source record (`allergy`, `medication`, `dose`, `dose_unit`, `side`,
# `follow_up`) and the model-style `summary` written from it. Build a DataFrame `check_flags` with one row
# per summary (same order as `summaries`) and four True/False columns, True when the summary has that error:
#
# - `"omitted_allergy"`: the record has an allergy (not `"none"`) that the summary does not mention;
# - `"wrong_dose_unit"`: the summary does not contain the medicine, dose and unit as recorded (for example
#   `"apixaban 10 mg "`);
# - `"laterality_swap"`: the summary names a side (`left`/`right`) other than the recorded one;
# - `"invented_follow_up"`: the record has no follow-up (`"none"`) but the summary's `Follow-up:` sentence
#   is not `"Follow-up: none arranged."`.
#
# Work from the text and the record, as a clinician would: do not use the `error_type` column here (you
# will compare your checks with it in the next question). **Compute** (a function applied to each row, as in
# the lab; `summaries` holds the patients aged 60 and over).

# %% nbgrader={"grade": false, "grade_id": "q7_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
def check(row):
    text = row["summary"]
    return {
        "omitted_allergy": row["allergy"] != "none" and row["allergy"] not in text,
        "wrong_dose_unit": f"{row['medication']} {row['dose']} {row['dose_unit']} " not in text,
        "laterality_swap": set(re.findall(r"\b(left|right)\b", text)) != {row["side"]},
        "invented_follow_up": row["follow_up"] == "none" and "Follow-up: none arranged." not in text,
    }


check_flags = pd.DataFrame([check(row) for _, row in summaries.iterrows()])
### END SOLUTION
check_flags.sum()

# %% nbgrader={"grade": true, "grade_id": "q7_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M5.6"}
"""Check the four checks of each summary against its source record."""
assert isinstance(check_flags, pd.DataFrame), "check_flags should be a DataFrame."
assert len(check_flags) == len(summaries), "check_flags needs one row per summary."
assert set(check_flags.columns) == {"omitted_allergy", "wrong_dose_unit", "laterality_swap", "invented_follow_up"}, (
    "check_flags needs exactly the four columns named in the question."
)
assert check_flags.isin([True, False]).all().all(), "Each check should be True or False."
assert check_flags.any(axis=0).all(), (
    "One of your checks finds no summary at all: each kind of error occurs in the corpus. Check that column's condition."
)
assert check_flags.any(axis=1).sum() < len(summaries), (
    "Your checks flag every summary: some summaries are faithful to their record. Check each condition."
)
for _c, _key in [("omitted_allergy", "4e07408562be"),
                 ("wrong_dose_unit", "8527a891e224"),
                 ("laterality_swap", "2c624232cdd2"),
                 ("invented_follow_up", "4b227777d4dd")]:
    assert fingerprint(int(check_flags[_c].sum()), 0) == _key, (
        f"Your {_c} check flags too many or too few summaries: read its condition in the question again "
        "(an allergy of 'none' is not omitted; the medicine, dose AND unit; a summary naming the other side)."
    )
### BEGIN HIDDEN TESTS
import importlib as _il

_pd = _il.import_module("pandas")
_s = _pd.read_csv("genai_summaries.csv", keep_default_na=False)
_s = _s[_s["age"] >= 60]
_re = _il.import_module("re")
for _i, (_, _row) in enumerate(_s.iterrows()):
    _text = _row["summary"]
    _exp = {
        "omitted_allergy": _row["allergy"] != "none" and _text.find(_row["allergy"]) < 0,
        "wrong_dose_unit": _text.find(f"{_row['medication']} {_row['dose']} {_row['dose_unit']} ") < 0,
        "laterality_swap": set(_re.findall(r"\b(left|right)\b", _text)) != {_row["side"]},
        "invented_follow_up": _row["follow_up"] == "none" and _text.find("Follow-up: none arranged.") < 0,
    }
    for _k, _v in _exp.items():
        assert bool(check_flags.iloc[_i][_k]) == _v, (
            f"The check '{_k}' gives the wrong answer for summary {_row['summary_id']}: compare its text with its record."
        )
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q8_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 8: error rates with a confidence interval (2 points)
#
# The `error_type` column holds the label of each summary: the error that was planted in it, or `"none"`.
# From these labels, store in `errors_by_type` a dictionary with the number of summaries with each of the
# four errors (keys as in `check_flags`), in `overall_error_rate` the fraction of summaries with at least one error, and in
# `overall_ci` a pair `(low, high)`: its **Wilson** 95% confidence interval (for example
# `binomtest(k, n).proportion_ci(method="wilson")` from `scipy.stats`). **Compute** all three (from
# `summaries`, the patients aged 60 and over).

# %% nbgrader={"grade": false, "grade_id": "q8_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
errors_by_type = {k: int((summaries["error_type"] == k).sum()) for k in check_flags.columns}
n_with_error = int((summaries["error_type"] != "none").sum())
overall_error_rate = n_with_error / len(summaries)
ci = binomtest(n_with_error, len(summaries)).proportion_ci(method="wilson")
overall_ci = (float(ci.low), float(ci.high))
### END SOLUTION
print(errors_by_type, f"overall {overall_error_rate:.0%} (95% CI {overall_ci[0]:.0%} to {overall_ci[1]:.0%})")

# %% nbgrader={"grade": true, "grade_id": "q8_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M5.6"}
"""Check the error counts by type and the overall error rate with its Wilson interval."""
assert isinstance(errors_by_type, dict) and set(errors_by_type) == {
    "omitted_allergy", "wrong_dose_unit", "laterality_swap", "invented_follow_up"}, (
    "errors_by_type should be a dictionary with the four error names as keys."
)
assert all(isinstance(v, (int, np.integer)) and 0 <= v <= len(summaries) for v in errors_by_type.values()), (
    "Each value of errors_by_type should be a count of summaries (a whole number)."
)
for _c, _key in [("omitted_allergy", "4e07408562be"),
                 ("wrong_dose_unit", "8527a891e224"),
                 ("laterality_swap", "2c624232cdd2"),
                 ("invented_follow_up", "4b227777d4dd")]:
    assert fingerprint(int(errors_by_type[_c]), 0) == _key, (
        f"errors_by_type['{_c}'] is off: the number of summaries whose error_type is '{_c}'."
    )
assert isinstance(overall_error_rate, (int, float)) and 0 <= overall_error_rate <= 1, (
    "overall_error_rate should be a fraction between 0 and 1."
)
assert len(overall_ci) == 2 and overall_ci[0] <= overall_error_rate <= overall_ci[1], (
    "overall_ci should be a pair (low, high) around overall_error_rate."
)
assert overall_ci[1] <= 1, "Give the interval as fractions, not percentages."
assert fingerprint(overall_error_rate, 2) == "6669743c77ff", (
    "overall_error_rate is off: summaries whose error_type is not 'none' / all summaries."
)
_wald_ex = 1.96 * (float(overall_error_rate) * (1 - float(overall_error_rate)) / len(summaries)) ** 0.5
assert abs(float(overall_ci[1]) - float(overall_error_rate) - _wald_ex) > 1e-6, (
    "That is the Wald interval (rate +/- 1.96 standard errors), which is symmetric and too short near 0 or 1: "
    "use the Wilson interval, proportion_ci(method='wilson')."
)
assert fingerprint(overall_ci[0], 2) == "b440d5b1227f" and fingerprint(overall_ci[1], 2) == "5ecbc825ba5c", (
    "overall_ci is not the Wilson interval: proportion_ci(method='wilson') (not 'exact', not p +/- 1.96 SE)."
)
### BEGIN HIDDEN TESTS
import importlib as _il

_pd = _il.import_module("pandas")
_s = _pd.read_csv("genai_summaries.csv", keep_default_na=False)
_s = _s[_s["age"] >= 60]
_counts = _s["error_type"].value_counts()
for _k in ["omitted_allergy", "wrong_dose_unit", "laterality_swap", "invented_follow_up"]:
    assert int(errors_by_type[_k]) == int(_counts.get(_k, 0)), f"errors_by_type['{_k}'] is off."
_n = len(_s)
_k = int((_s["error_type"] != "none").sum())
_p = _k / _n
assert abs(float(overall_error_rate) - _p) <= 0.005 + 1e-9, "overall_error_rate is off: summaries with at least one error / all summaries."
# Wilson score interval by hand (z = 1.959964)
_z = 1.959963984540054
_centre = (_p + _z**2 / (2 * _n)) / (1 + _z**2 / _n)
_half = _z * ((_p * (1 - _p) / _n + _z**2 / (4 * _n**2)) ** 0.5) / (1 + _z**2 / _n)
assert abs(float(overall_ci[0]) - (_centre - _half)) <= 0.005 + 1e-9 and abs(float(overall_ci[1]) - (_centre + _half)) <= 0.005 + 1e-9, (
    "overall_ci is not the Wilson 95% interval for the overall error rate."
)
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q9_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 9: references that do not exist (1 point)
#
# A reference is **fabricated** when its title is not in the catalogue, and **inaccurate** when its title is
# in the catalogue but its authors, journal, year or DOI differ from the catalogue record. Store in
# `fraction_fabricated` the fraction of `references` that are fabricated, and in `n_inaccurate` the number
# that are inaccurate. Use the catalogue, not the `status` column. **Compute** both (`references` holds the
# references dated 2020 or later).

# %% nbgrader={"grade": false, "grade_id": "q9_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
record = catalogue.set_index("title")
in_catalogue = references["title"].isin(record.index)
fraction_fabricated = float((~in_catalogue).mean())
n_inaccurate = 0
for _, ref in references[in_catalogue].iterrows():
    true = record.loc[ref["title"]]
    if any(str(ref[f]) != str(true[f]) for f in ["authors", "journal", "year", "doi"]):
        n_inaccurate += 1
### END SOLUTION
print(f"{fraction_fabricated:.0%} fabricated; {n_inaccurate} inaccurate")

# %% nbgrader={"grade": true, "grade_id": "q9_tests", "locked": true, "points": 1, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M5.7"}
"""Check the share of fabricated references and the number of inaccurate ones."""
assert isinstance(fraction_fabricated, (int, float)) and 0 <= fraction_fabricated <= 1, (
    "fraction_fabricated should be a fraction between 0 and 1, not a percentage or a count."
)
assert isinstance(n_inaccurate, (int, np.integer)) and 0 <= n_inaccurate <= len(references), (
    "n_inaccurate should be a count of references."
)
assert fingerprint(fraction_fabricated, 2) == "b440d5b1227f", (
    "fraction_fabricated is off: references whose title is not in the catalogue / all references."
)
assert fingerprint(n_inaccurate, 0) == "4e07408562be", (
    "n_inaccurate is off: of the titles in the catalogue, those whose authors, journal, year OR DOI differ."
)
### BEGIN HIDDEN TESTS
import importlib as _il

_pd = _il.import_module("pandas")
_r = _pd.read_csv("genai_references.csv", keep_default_na=False)
_r = _r[_r["year"] >= 2020]
_cat = _pd.read_csv("genai_catalogue.csv")
_titles = set(_cat["title"])
_fab = sum(1 for t in _r["title"] if t not in _titles) / len(_r)
_recs = {row["title"]: row for _, row in _cat.iterrows()}
_inacc = sum(1 for _, ref in _r.iterrows() if ref["title"] in _recs
             and any(str(ref[f]) != str(_recs[ref["title"]][f]) for f in ["authors", "journal", "year", "doi"]))
assert abs(float(fraction_fabricated) - _fab) <= 0.005 + 1e-9, "fraction_fabricated is off: titles not in the catalogue / all references."
assert int(n_inaccurate) == _inacc, "n_inaccurate is off: titles in the catalogue with any field that differs."
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q10_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 10: a paired audit by sex and race (2 points)
#
# In `paired`, each `pair_id` holds two answers to prompts that differ only in the patient's stated sex
# (`scenario == "chest_pain"`) or race (`scenario == "kidney"`). `escalates` is 1 when the answer recommends
# what the case calls for.
#
# - `diff_women_men`: for chest pain, the share of answers that escalate for women **minus** the share for
#   men (a fraction; negative if women are escalated less often);
# - `discordant_pairs`: the number of chest-pain pairs whose two answers differ in `escalates`;
# - `race_based_share`: for kidney, the fraction of the answers for the Black patient with `race_based == 1`.
#
# **Compute** all three (`paired` holds the pairs about patients aged 60 and over).

# %% nbgrader={"grade": false, "grade_id": "q10_answer", "locked": false, "schema_version": 3, "solution": true, "task": false}
### BEGIN SOLUTION
chest = paired[paired["scenario"] == "chest_pain"].pivot(index="pair_id", columns="stated", values="escalates")
diff_women_men = float(chest["woman"].mean() - chest["man"].mean())
discordant_pairs = int((chest["woman"] != chest["man"]).sum())
kidney = paired[(paired["scenario"] == "kidney") & (paired["stated"] == "Black")]
race_based_share = float(kidney["race_based"].mean())
### END SOLUTION
print(f"difference {diff_women_men:+.1%}; {discordant_pairs} discordant pairs; race-based {race_based_share:.0%}")

# %% nbgrader={"grade": true, "grade_id": "q10_tests", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false} autograder={"objective": "M5.7"}
"""Check the paired differences by sex and the share of race-based answers."""
assert isinstance(diff_women_men, (int, float)) and -1 <= diff_women_men <= 1, (
    "diff_women_men should be a difference of two fractions, between -1 and 1 (not percentage points)."
)
assert isinstance(discordant_pairs, (int, np.integer)) and 0 <= discordant_pairs <= (paired["scenario"] == "chest_pain").sum() / 2, (
    "discordant_pairs should be a count of chest-pain pairs (at most one per pair)."
)
assert isinstance(race_based_share, (int, float)) and 0 <= race_based_share <= 1, (
    "race_based_share should be a fraction between 0 and 1."
)
assert fingerprint(-float(diff_women_men), 2) != "cbbd6d155a04", "The sign is reversed: women minus men."
assert fingerprint(diff_women_men, 2) == "cbbd6d155a04", "diff_women_men is off: chest-pain answers only, women minus men."
assert fingerprint(discordant_pairs, 0) == "ef2d127de37b", (
    "discordant_pairs is off: count the chest-pain pairs whose two answers differ (each pair once)."
)
assert fingerprint(race_based_share, 2) == "dfef75e45d0c", (
    "race_based_share is off: kidney answers for the Black patient only."
)
### BEGIN HIDDEN TESTS
import importlib as _il

_pd = _il.import_module("pandas")
_p = _pd.read_csv("genai_paired_outputs.csv")
_p = _p[_p["prompt"].str.extract(r"(\d+)-year-old", expand=False).astype(int) >= 60]
_ch = _p[_p["scenario"] == "chest_pain"]
_w = {int(r["pair_id"]): int(r["escalates"]) for _, r in _ch[_ch["stated"] == "woman"].iterrows()}
_m = {int(r["pair_id"]): int(r["escalates"]) for _, r in _ch[_ch["stated"] == "man"].iterrows()}
assert abs(float(diff_women_men) - (sum(_w.values()) / len(_w) - sum(_m.values()) / len(_m))) <= 0.005 + 1e-9, (
    "diff_women_men is off: the share escalated for women minus the share for men."
)
assert int(discordant_pairs) == sum(1 for k in _w if _w[k] != _m[k]), "discordant_pairs is off."
_b = _p[(_p["scenario"] == "kidney") & (_p["stated"] == "Black")]["race_based"]
assert abs(float(race_based_share) - float(_b.mean())) <= 0.005 + 1e-9, "race_based_share is off."
### END HIDDEN TESTS

# %% [markdown] nbgrader={"grade": false, "grade_id": "q11_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ## Part D. Two documents for the committee
#
# ### Question 11: an appraisal memo (5 points, graded by your instructor)
#
# The committee asks whether to switch on the sepsis alert of Part A. From the study as described on the
# course page *Appraising the evidence for a model* and your answers to Questions 1 and 2, write a memo of
# 250 to 400 words:
#
# 1. where the evidence stands on the evidence ladder;
# 2. three TRIPOD+AI items the study lets you check, and two you would need to find in the full paper
#    (or that a vendor's report omits);
# 3. the risk of bias and the applicability to your hospital, by PROBAST+AI domain (participants and
#    data, predictors, outcome, analysis);
# 4. your numbers, in natural frequencies (of 100 alerts…; of 100 patients with sepsis…);
# 5. what evidence you require before go-live, and your recommendation.

# %% [markdown] nbgrader={"grade": true, "grade_id": "q11_written", "locked": false, "points": 5, "schema_version": 3, "solution": true, "task": false} autograder={"objective": "M5.2"}
# YOUR ANSWER HERE

# %% [markdown] nbgrader={"grade": false, "grade_id": "q12_text", "locked": true, "schema_version": 3, "solution": false, "task": false}
# ### Question 12: a model facts label for the course's heart-disease model (5 points, graded by your instructor)
#
# The course's heart-disease model (module 1) estimates the probability of coronary artery disease from
# age, sex, type of chest pain, resting blood pressure, highest heart rate, exercise angina and ST
# depression. It was built on Cleveland patients and taken to the other three hospitals of the UCI study
# (module 2). The cell below refits it and measures it at each hospital. Using these measurements and
# what you found in modules 1 to 4, write its **model facts label** (about 250 to 400 words) with the
# sections: summary and intended use; mechanism (inputs, data, sites); performance with uncertainty;
# calibration by site and by sex, and among the patients flagged at the threshold; directions (threshold
# and action); warnings; when not to use it.

# %% nbgrader={"grade": false, "grade_id": "q12_data", "locked": true, "schema_version": 3, "solution": false, "task": false}
# Run this cell to see the measurements for your label, but please don't change it.
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split

heart = pd.read_csv("heart_disease.csv")
heart["cad"] = (heart["num"] > 0).astype(int)
h_numeric, h_categorical = ["age", "trestbps", "thalach", "oldpeak"], ["sex", "cp", "exang"]
cleveland = heart[heart["site"] == "Cleveland"]
train, test = train_test_split(cleveland, test_size=0.4, stratify=cleveland["cad"], random_state=0)
heart_model = make_pipeline(
    make_column_transformer(
        (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), h_numeric),
        (make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")), h_categorical),
    ),
    LogisticRegression(max_iter=1000),
)
heart_model.fit(train[h_numeric + h_categorical], train["cad"])

# extra code – AUC with a bootstrap 95% interval, observed/expected, and sensitivity/specificity at 0.5
rng = np.random.default_rng(0)
evaluation = {"Cleveland (held out)": test, **{s: heart[heart["site"] == s] for s in ["Hungary", "VA Long Beach", "Switzerland"]}}
rows = []
for site, part in evaluation.items():
    y, p = part["cad"].to_numpy(), heart_model.predict_proba(part[h_numeric + h_categorical])[:, 1]
    boot = [roc_auc_score(y[i], p[i]) for i in (rng.integers(0, len(y), len(y)) for _ in range(300)) if 0 < y[i].mean() < 1]
    for sex in ["all", "Female", "Male"]:
        keep = np.ones(len(y), bool) if sex == "all" else (part["sex"] == sex).to_numpy()
        yk, pk = y[keep], p[keep]
        rows.append({
            "site": site, "sex": sex, "patients": int(keep.sum()), "with CAD": f"{yk.mean():.0%}",
            "AUC (95% CI)": (f"{roc_auc_score(y, p):.2f} ({np.percentile(boot, 2.5):.2f}-{np.percentile(boot, 97.5):.2f})"
                             if sex == "all" else ""),
            "observed/expected": round(yk.sum() / pk.sum(), 2),
            "sensitivity at 0.5": f"{(pk[yk == 1] >= 0.5).mean():.0%}" if (yk == 1).any() else "-",
            "specificity at 0.5": f"{(pk[yk == 0] < 0.5).mean():.0%}" if (yk == 0).any() else "-",
            "flagged at 0.5: observed / predicted": (f"{yk[pk >= 0.5].mean():.0%} / {pk[pk >= 0.5].mean():.0%}"
                                                     if (pk >= 0.5).any() else "-"),
        })
pd.DataFrame(rows).set_index(["site", "sex"])

# %% [markdown] nbgrader={"grade": true, "grade_id": "q12_written", "locked": false, "points": 5, "schema_version": 3, "solution": true, "task": false} autograder={"objective": "M5.3"}
# YOUR ANSWER HERE
