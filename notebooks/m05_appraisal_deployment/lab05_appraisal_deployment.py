# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Lab 5: Before the tool reaches the patient
#
# **The patient.** Mr T. is 74, on his first day after surgery for a fractured neck of femur. At three in
# the morning a sepsis alert fires on him. The nurse has seen four alerts tonight, and none was sepsis. When he
# goes home, a junior doctor will ask a chatbot to draft his discharge summary.
#
# **The decisions.** The nurse decides whether to act on the alert; the doctor decides whether to send the
# draft as it is. Behind both sit decisions the hospital took once: **which tools to switch on, at which
# threshold, and how their output is checked.**
#
# **What each kind of error costs.**
#
# - An alert that is **switched on without evidence** fills the wards with false alarms, teaches staff to
#   ignore them, and may still fail to identify most patients with the condition in time.
# - A model-written letter that is **sent unchecked** carries its errors to the next clinician: a dropped
#   allergy, a wrong dose unit, the wrong side.
#
# **In this lab (about 60 minutes) you will:**
#
# 1. rebuild the 2×2 table of a widely used sepsis model from the counts its external validation reports;
# 2. run a model silently on real COVID-19 tests and measure its alert burden at each threshold, and its
#    calibration week by week;
# 3. check model-style discharge summaries against their source records and estimate error rates with
#    confidence intervals;
# 4. look model-given references up in a catalogue;
# 5. audit paired answers that differ only in the patient's stated sex or race.
#
# Nothing in this lab runs a language model: the "model outputs" are a small synthetic corpus written for
# the course, with every error labelled (see the data cards `genai_*`).
#
# You do not need to write code except in the cells marked **Your turn**. Run the cells from top to
# bottom (Shift + Enter). Lines marked `# extra code – …` only make tables or figures look nice or print
# hints: you can skip them.

# %%
# Run this cell to set up the notebook, but please don't change it.
# %matplotlib inline
import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from scipy.stats import binomtest
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import precision_score, recall_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from statsmodels.stats.proportion import confint_proportions_2indep

from clinical_data import load, path

SEED = 42  # every random step below uses this seed, so you get the same numbers every time

# extra code – readable figures in colours that colour-blind readers can tell apart (Okabe–Ito palette)
plt.rcParams.update(
    {"figure.dpi": 100, "font.size": 12, "axes.titlesize": 13, "axes.labelsize": 12, "legend.fontsize": 11}
)
BLUE, ORANGE, GREEN, VERMILION, GREY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#777777"
pd.set_option("display.precision", 3)

# extra code – one-line hints for the slips of someone new to Python (never the answer): a percentage typed
# with its % sign anywhere in the notebook; in the "Your turn" check cells, an answer typed in a form they
# cannot read; the outcomes and the risks swapped in roc_auc_score
from autograder.hints import roc_auc_score, show_percent_sign_hint, typing_hint

show_percent_sign_hint()

print("Ready.")

# %% [markdown]
# ## 1. The published evidence: a sepsis model at another hospital
#
# Wong et al. (*JAMA Intern Med* 2021) evaluated a proprietary sepsis model, built into a widely used
# electronic health record, on 38,455 adult hospitalisations at Michigan Medicine; 2,552 of them had sepsis.
# Its area under the ROC curve was 0.63 (95% CI 0.62–0.64), well below what its developer had reported. At
# a score threshold of 6, they report that the model alerted on 6,971 hospitalisations and did not identify
# 1,709 of the hospitalisations with sepsis: those had no alert before sepsis onset (in a hospitalisation
# with sepsis, only the scores before onset counted). Sepsis was defined by surveillance criteria (CDC
# criteria, or ICD-10 codes with at least two SIRS criteria and one organ dysfunction within 6 hours), not
# by Sepsis-3.
#
# Four counts are enough to rebuild the 2×2 table. One caution: "alert, no sepsis" is the alerted
# hospitalisations minus those with sepsis flagged in time, so it may include some patients with sepsis who
# were alerted only after onset.

# %%
hospitalisations, sepsis = 38_455, 2_552
alerted, missed = 6_971, 1_709

tp = sepsis - missed         # sepsis, and an alert before onset
fn = missed                  # sepsis, no alert before onset (not identified)
fp = alerted - tp            # an alert, no sepsis
tn = hospitalisations - sepsis - fp

esm_sensitivity = tp / (tp + fn)
esm_ppv = tp / (tp + fp)
print(f"TP {tp:,}   FP {fp:,}   FN {fn:,}   TN {tn:,}")
print(f"Of 100 patients with sepsis, the alert flagged {100 * esm_sensitivity:.0f} in time and did not identify {100 * (1 - esm_sensitivity):.0f}.")
print(f"Of 100 alerted hospitalisations, {100 * esm_ppv:.0f} were of a patient with sepsis flagged in time.")
print(f"Hospitalisations alerted for each patient with sepsis flagged in time: {alerted / tp:.1f} "
      f"(the number needed to alert, 1/PPV); {alerted / tp - 1:.1f} of them without sepsis or alerted too late.")

# %%
# extra code – the same numbers from scikit-learn, as a check: one row per hospitalisation
y_sepsis = np.r_[np.ones(tp + fn, int), np.zeros(fp + tn, int)]
y_alert = np.r_[np.ones(tp, int), np.zeros(fn, int), np.ones(fp, int), np.zeros(tn, int)]
assert np.isclose(recall_score(y_sepsis, y_alert), esm_sensitivity), "sensitivity disagrees with scikit-learn"
assert np.isclose(precision_score(y_sepsis, y_alert), esm_ppv), "PPV disagrees with scikit-learn"
print("The hand formulas agree with scikit-learn.")

# %% mystnb={"image": {"alt": "Horizontal bar chart of what happened per 1,000 hospitalisations at the sepsis model's alert threshold: a short bar of patients with sepsis who were alerted, a bar about seven times longer of alerts for patients without sepsis, and a bar twice the first of patients with sepsis who were not identified before onset."}}
# extra code – the 2x2 table as natural frequencies per 1,000 hospitalisations
per_1000 = pd.Series({"sepsis, alerted": tp, "no sepsis, alerted": fp, "sepsis, not identified": fn}) * 1000 / hospitalisations
fig, ax = plt.subplots(figsize=(8, 3.2))
bars = ax.barh(per_1000.index, per_1000.values, color=[BLUE, GREY, VERMILION])
ax.bar_label(bars, labels=[f"{v:.0f}" for v in per_1000.values], padding=3)
ax.invert_yaxis()
ax.set_title("The sepsis alert at its threshold, per 1,000 hospitalisations")
ax.set_xlabel("Hospitalisations per 1,000")
ax.set_ylabel("What happened")
ax.set_xlim(0, per_1000.max() * 1.15)
fig.tight_layout()
plt.show()

# %% [markdown]
# An AUC of 0.63 sounds like "better than chance". The table says what it means on the ward: most alerts
# are false, and most patients with sepsis are not identified before onset.
#
# **Your turn 1.** What is the model's **specificity** at this threshold (a fraction between 0 and 1)?
# Of the hospitalisations *without* sepsis, what share had no alert?

# %%
my_esm_specificity = None  # Write your answer here.

# %%
"""Check that your specificity is right (prints a hint, never the answer)."""
_typo = typing_hint(my_esm_specificity, proportion=True)
if my_esm_specificity is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif abs(float(my_esm_specificity) - tn / (tn + fp)) < 0.005:
    print("Correct ✔ Most patients without sepsis had no alert, yet they still produced most of the alerts.")
elif abs(float(my_esm_specificity) - tn / (tn + fn)) < 0.005:
    print("Not quite: that divides by the hospitalisations with no alert (that is the NPV). Specificity is "
          "about the hospitalisations WITHOUT sepsis.")
elif abs(float(my_esm_specificity) - fp / (tn + fp)) < 0.005:
    print("Not quite: that is the share of patients without sepsis who DID get an alert (1 − specificity).")
else:
    print("Not quite. Specificity = TN / (TN + FP): patients without sepsis and no alert, out of all "
          "patients without sepsis.")

# %% [markdown]
# ## 2. A silent deployment: alert burden on real COVID-19 tests
#
# Published evidence comes from someone else's patients. A **silent deployment** runs a model live on *our*
# patients, its output shown to no one, to measure what it would do here.
#
# The Children's Hospital of Philadelphia recorded every SARS-CoV-2 PCR test of its testing service in the
# first months of the pandemic (R package medicaldata; see the data card `covid_testing`). Tests were
# ordered on patients and on adults that the data label only as "misc adult", "other adult" or "client"
# (`demo_group`). Suppose a model flags each test as "likely positive" **at the moment it is ordered**, so
# that the person tested is handled with full precautions while the result is pending. We build the model
# on days 4–60 and run it silently on days 61–107.

# %%
covid = load("covid_testing")
covid = covid[covid["result"].isin(["positive", "negative"])].copy()   # drop the 301 invalid results
covid["positive"] = covid["result"] == "positive"
covid.loc[covid["age"] >= 100, "age"] = np.nan                          # implausible ages (see the data card)
covid["patient_class"] = covid["patient_class"].fillna("not recorded")
covid[["drive_thru_ind", "orderset"]] = covid[["drive_thru_ind", "orderset"]].replace({1: "yes", 0: "no"})

numeric, categorical = ["age"], ["gender", "demo_group", "patient_class", "drive_thru_ind", "orderset"]
development = covid[covid["pan_day"] <= 60]
silent = covid[covid["pan_day"] > 60].copy()
DAYS = int(silent["pan_day"].max() - 60)  # calendar days in the silent period

model = make_pipeline(
    make_column_transformer(
        (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric),
        (OneHotEncoder(handle_unknown="ignore"), categorical),
    ),
    LogisticRegression(max_iter=1000),
)
model.fit(development[numeric + categorical], development["positive"])
silent["risk"] = model.predict_proba(silent[numeric + categorical])[:, 1]

auc_silent = roc_auc_score(silent["positive"], silent["risk"])
print(f"Developed on {len(development):,} tests; run silently on {len(silent):,} tests over {DAYS} days.")
print(f"{silent['positive'].mean():.1%} of the silent-period tests were positive. AUC in the silent period: {auc_silent:.2f}.")

# %% [markdown]
# An AUC close to the sepsis model's. Now the numbers a deployment decision needs: for each threshold, how
# many flags a day, how many positive tests caught, and how many flags per positive test caught.

# %%
def alert_burden(positive, risk, threshold, days):
    """What one threshold would have done in the silent period."""
    flagged = np.asarray(risk) >= threshold
    positive = np.asarray(positive, dtype=bool)
    true_pos = np.sum(flagged & positive)
    return {
        "flags per day": flagged.sum() / days,
        "positives caught per day": true_pos / days,
        "sensitivity": true_pos / positive.sum(),
        "PPV": true_pos / flagged.sum(),
        "flags per positive caught": flagged.sum() / true_pos,
    }


thresholds = [0.04, 0.06, 0.08, 0.10, 0.12]
burden = pd.DataFrame({t: alert_burden(silent["positive"], silent["risk"], t, DAYS) for t in thresholds}).T
burden.index.name = "threshold"
burden

# %% mystnb={"image": {"alt": "Two line charts against the threshold from 3% to 15%. Left: flags per day fall steeply from over a hundred to a handful as the threshold rises. Right: sensitivity falls from most positive tests to very few, while PPV rises slowly to about one in three."}}
# extra code – alert burden and what it buys, across thresholds
grid = np.round(np.arange(0.03, 0.151, 0.005), 3)
curve = pd.DataFrame([alert_burden(silent["positive"], silent["risk"], t, DAYS) for t in grid], index=grid)
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.5))
ax1.plot(100 * grid, curve["flags per day"], color=BLUE, linewidth=2.5)
ax1.set_title("Alert burden in the silent period")
ax1.set_xlabel("Threshold (%)")
ax1.set_ylabel("Flags per day")
ax2.plot(100 * grid, 100 * curve["sensitivity"], color=VERMILION, linewidth=2.5, label="sensitivity")
ax2.plot(100 * grid, 100 * curve["PPV"], color=ORANGE, linewidth=2.5, linestyle="--", label="PPV")
ax2.set_title("What the flags catch")
ax2.set_xlabel("Threshold (%)")
ax2.set_ylabel("%")
ax2.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# There is no threshold at which this model is both sustainable and sensitive. That is what a silent
# deployment is for: finding it out before anyone acts on the flags.
#
# **Your turn 2.** At a threshold of **0.10**, how many flags a day would the model raise in the silent
# period? Count the tests with `risk` at or above 0.10 and divide by the number of days, `DAYS`.

# %%
my_alerts_per_day_10 = None  # Write your answer here.

# %%
"""Check that your number of flags per day at 0.10 is right (prints a hint, never the answer)."""
_flags_10 = int((silent["risk"] >= 0.10).sum())
_tp_10 = int(((silent["risk"] >= 0.10) & silent["positive"]).sum())
_typo = typing_hint(my_alerts_per_day_10)
if my_alerts_per_day_10 is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif abs(float(my_alerts_per_day_10) - _flags_10 / DAYS) < 0.05:
    print("Correct ✔ Few flags, but look at the sensitivity in the table at that threshold, and at who is flagged below.")
elif abs(float(my_alerts_per_day_10) - _flags_10) < 0.5:
    print("Not quite: that is the number of flags over the whole silent period. Divide by the number of days.")
elif abs(float(my_alerts_per_day_10) - _flags_10 / _tp_10) < 0.05:
    print("Not quite: that is flags per positive test caught. The question is per DAY.")
elif abs(float(my_alerts_per_day_10) - _tp_10 / DAYS) < 0.05:
    print("Not quite: that counts only the flags on positive tests. Every flag costs precautions, right or wrong.")
else:
    print("Not quite. Count the tests with silent['risk'] >= 0.10, then divide by DAYS.")

# %% [markdown]
# **Your turn 3 (pick rows of a table by a condition).** The infection-control team will answer the flags
# only if no more than **6 flags are needed per positive test caught**. Which is the **lowest** threshold of
# the `burden` table that meets that limit? Let the table choose: `burden["flags per positive caught"] <= 6`
# is True or False for each row; `burden.index[...]` keeps the thresholds of the True rows; `.min()` takes
# the lowest. Store it in `my_threshold_6`.

# %%
my_threshold_6 = None  # Write your answer here.

# %%
"""Check that your threshold is right (prints a hint, never the answer)."""
_per_tp = burden["flags per positive caught"]
_typo = typing_hint(my_threshold_6)
if my_threshold_6 is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif np.isclose(float(my_threshold_6), burden.index[_per_tp <= 6].min()):
    print("Correct ✔ A condition on a column picks the rows; .min() or .max() picks one of them.")
elif np.isclose(float(my_threshold_6), burden.index[_per_tp <= 6].max()):
    print("Not quite: that is the HIGHEST threshold that meets the limit. Take .min().")
elif np.isclose(float(my_threshold_6), burden.index[_per_tp > 6].min()):
    print("Not quite: that threshold needs MORE than 6 flags per positive caught. Use <= 6.")
elif float(my_threshold_6) > 1:
    print("Not quite: give the threshold itself (a probability between 0 and 1), not a number of rows or flags.")
else:
    print("Not quite: check the column you compared, the direction of the comparison (at most 6), and .min().")

# %% [markdown]
# **Your turn 4 (a loop over thresholds).** The `burden` table was built by a loop over the thresholds. Do
# the same for the **PPV** at three thresholds between those of the table, 0.05, 0.07 and 0.09: a
# dictionary `{threshold: PPV}`. For each threshold `t`, the flags are `silent["risk"] >= t`, and the PPV is
# the flags on positive tests (`flags & silent["positive"]`) over all the flags. A dictionary comprehension
# does it in one line, `{t: ... for t in [0.05, 0.07, 0.09]}`, or a `for` loop that fills `ppv[t] = ...`.
# Store it in `my_ppv_by_threshold`.

# %%
my_ppv_by_threshold = None  # Write your answer here.

# %%
"""Check that your PPV at each threshold is right (prints a hint, never the answer)."""
_ts = [0.05, 0.07, 0.09]
_flags = {t: silent["risk"] >= t for t in _ts}
_ppv = {t: (_flags[t] & silent["positive"]).sum() / _flags[t].sum() for t in _ts}
_sens = {t: (_flags[t] & silent["positive"]).sum() / silent["positive"].sum() for t in _ts}
_typo = typing_hint(my_ppv_by_threshold, keys=_ts)
if my_ppv_by_threshold is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif all(abs(float(my_ppv_by_threshold[t]) - _ppv[t]) < 0.0006 for t in _ts):
    _rises = _ppv[0.05] < _ppv[0.07] < _ppv[0.09]  # not guaranteed: the PPV need not rise with the threshold
    print("Correct ✔ " + ("Here the PPV rises with the threshold" if _rises else "Here the PPV does not simply rise "
          "with the threshold") + ", while the number of positive tests caught can only fall.")
elif all(abs(float(my_ppv_by_threshold[t]) - _sens[t]) < 0.0006 for t in _ts):
    print("Not quite: that is the sensitivity (divided by all positive tests). The PPV divides by the flags.")
elif all(abs(float(my_ppv_by_threshold[t]) - 1 / _ppv[t]) < 0.006 for t in _ts):
    print("Not quite: that is flags per positive caught, upside down. Positive flags over all flags.")
elif any(float(v) > 1 for v in my_ppv_by_threshold.values()):
    print("Not quite: give each PPV as a fraction between 0 and 1, not a percentage.")
elif all(abs(float(my_ppv_by_threshold[t]) - _ppv[t]) < 0.006 for t in _ts):
    print("Almost: give at least three decimals (compute it in the cell rather than copy a rounded number).")
else:
    print("Not quite: check, for each threshold, the flags (risk >= t), the flags on positive tests (&), and "
          "that you divide by the number of flags.")

# %% [markdown]
# Who are the flagged tests? A model can reach a "good" PPV by recognising the groups that were more often
# positive rather than the infected person. Count the flags at 0.10 by group tested, and look at the
# hospital's own patients.

# %%
flagged_10 = silent[silent["risk"] >= 0.10]
print(flagged_10["demo_group"].value_counts().to_string())
patients = silent[silent["demo_group"] == "patient"]
print(f"Among the {len(patients):,} tests of patients ({patients['positive'].sum()} positive): "
      f"{(patients['risk'] >= 0.10).sum() / DAYS:.1f} flags a day, "
      f"{((patients['risk'] >= 0.10) & patients['positive']).sum()} positive patients flagged; "
      f"AUC among patients {roc_auc_score(patients['positive'], patients['risk']):.2f}.")

# %% [markdown]
# ### Monitoring: does the model still mean what it says?
#
# A deployed model is watched against limits agreed in advance (see the module on external validation and
# monitoring). The simplest check of calibration is **observed against expected**: each week, the share of
# tests that were positive against the average predicted probability.

# %% mystnb={"image": {"alt": "Weekly line chart of the silent period: the observed share of positive tests and the model's average predicted probability, both around 5 to 6 percent, moving together with week-to-week wobble."}}
week = (silent["pan_day"] - silent["pan_day"].min()) // 7 + 1
weekly = silent.groupby(week)[["positive", "risk"]].mean()
observed_expected = silent["positive"].sum() / silent["risk"].sum()

# extra code – observed and expected, week by week
fig, ax = plt.subplots(figsize=(9, 4.5))
ax.plot(weekly.index, 100 * weekly["positive"], color=BLUE, marker="o", linewidth=2, label="observed positive")
ax.plot(weekly.index, 100 * weekly["risk"], color=GREY, marker="s", linestyle="--", linewidth=2,
        label="expected (mean predicted)")
ax.set_ylim(0, None)
ax.set_title(f"Observed against expected, week by week (overall O/E {observed_expected:.2f})")
ax.set_xlabel("Week of the silent period")
ax.set_ylabel("% of tests")
ax.legend()
fig.tight_layout()
plt.show()

# %% [markdown]
# Observed and expected agree overall. But the flag is raised in the tail of high predicted risk: does the
# number mean what it says *there*? Compare, among the flagged tests, the share that were positive (with its
# Wilson interval) with the model's average prediction.

# %%
k_flag = int(flagged_10["positive"].sum())
ci_flag = binomtest(k_flag, len(flagged_10)).proportion_ci(method="wilson")
print(f"Flagged at 0.10: {len(flagged_10)} tests, {k_flag / len(flagged_10):.1%} positive "
      f"(95% CI {ci_flag.low:.1%} to {ci_flag.high:.1%}); the model predicted {flagged_10['risk'].mean():.1%} on average.")

# %% [markdown]
# Where the flags are raised, the model under-predicts: a calibrated overall O/E does not make the number a
# probability for the people it flags.
#
# **Your turn 5 (one number per group: `groupby`).** How does observed against expected compare across the
# **groups tested** (`demo_group`)? Build a **dictionary** `{group: O/E}`, one entry per group:
# `silent.groupby("demo_group")` gives the pairs `(group name, its rows)`, so
# `{g: ... for g, part in silent.groupby("demo_group")}` with, in place of `...`, the positive tests of
# `part` over the sum of its predicted risks. Store it in `my_oe_by_group`.

# %%
my_oe_by_group = None  # Write your answer here.

# %%
"""Check that your O/E per group tested is right (prints a hint, never the answer)."""
_groups_tested = sorted(silent["demo_group"].unique())
_ref = {g: part["positive"].sum() / part["risk"].sum() for g, part in silent.groupby("demo_group")}
_typo = typing_hint(my_oe_by_group, keys=_groups_tested)
if my_oe_by_group is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif all(abs(float(my_oe_by_group[g]) - _ref[g]) < 0.006 for g in _groups_tested):
    print("Correct ✔ Compare each group's O/E with the overall one, keeping in mind how few positive tests some "
          "groups have: the table below counts them.")
elif all(abs(float(my_oe_by_group[g]) - 1 / _ref[g]) < 0.006 for g in _groups_tested):
    print("Not quite: your ratios are upside down (E/O). Put the positive tests on top.")
elif all(abs(float(my_oe_by_group[g]) - observed_expected) < 0.006 for g in _groups_tested):
    print("Not quite: every group has the overall O/E. Use the rows of each group, `part`, not `silent`.")
elif any(float(v) > 10 for v in my_oe_by_group.values()):
    print("Not quite: some values look like percentages. O/E is a ratio.")
else:
    wrong = [g for g in _groups_tested if abs(float(my_oe_by_group[g]) - _ref[g]) >= 0.006]
    print(f"Not quite: check {wrong}: the positive tests of each group over the sum of its predicted risks.")

# %% [markdown]
# Each O/E rests on the positive tests of its group. Where a group has only a handful, one positive test
# more or less moves its O/E a lot: read the comparison with the counts beside it.

# %%
oe_by_group = silent.groupby("demo_group").agg(tests=("positive", "size"), positive=("positive", "sum"),
                                               expected=("risk", "sum"))
oe_by_group["O/E"] = oe_by_group["positive"] / oe_by_group["expected"]
oe_by_group.round({"expected": 1, "O/E": 2})

# %% [markdown]
# ## 3. Checking model-written discharge summaries
#
# The corpus `genai_summaries` holds 80 discharge summaries in a model's style, each written from the
# structured record in the same row. Some are faithful; others carry one planted error. The `error_type`
# column is the label. Read a few:

# %%
summaries = pd.read_csv(path("genai_summaries"), keep_default_na=False)  # keep the word "none" as a word
for _, row in summaries.head(3).iterrows():
    print(f"Record: {row['diagnosis']}; {row['medication']} {row['dose']} {row['dose_unit']}; "
          f"allergy: {row['allergy']}; follow-up: {row['follow_up']}")
    print(f"Summary: {row['summary']}\n")

# %% [markdown]
# The checks a careful clinician makes, written as code: every allergy mentioned; every dose with its unit
# as prescribed; the right side; no follow-up that was never arranged.

# %%
def check_summary(row):
    """True for each error found by reading the summary against its source record."""
    text = row["summary"]
    sides = set(re.findall(r"\b(left|right)\b", text))
    return {
        "omitted_allergy": row["allergy"] != "none" and row["allergy"] not in text,
        "wrong_dose_unit": f"{row['medication']} {row['dose']} {row['dose_unit']} " not in text,
        "laterality_swap": sides != {row["side"]},
        "invented_follow_up": row["follow_up"] == "none" and "Follow-up: none arranged." not in text,
    }


flags = pd.DataFrame([check_summary(row) for _, row in summaries.iterrows()])
# How do our checks compare with the labels? One row per error type.
comparison = pd.DataFrame({
    "labelled": [(summaries["error_type"] == e).sum() for e in flags.columns],
    "found by the check": flags.sum().to_numpy(),
    "found and labelled": [(flags[e] & (summaries["error_type"] == e)).sum() for e in flags.columns],
}, index=flags.columns)
comparison

# %% [markdown]
# The checks find exactly the labelled errors. (In real life they would not: real errors are subtler, and
# a letter can be wrong in ways no string comparison catches. The habit is the same: check the letter
# against the source, and the source against sense.)
#
# How often is a summary wrong? With 80 summaries, every rate needs a **confidence interval**. We use the
# Wilson interval.

# %%
def wilson(k, n):
    """Wilson 95% confidence interval for k events in n."""
    ci = binomtest(int(k), int(n)).proportion_ci(method="wilson")
    return ci.low, ci.high


n = len(summaries)
rows = {}
for error in flags.columns:
    k = int(flags[error].sum())
    rows[error] = {"summaries": k, "rate": k / n, "95% CI low": wilson(k, n)[0], "95% CI high": wilson(k, n)[1]}
k_any = int(flags.any(axis=1).sum())
rows["any error"] = {"summaries": k_any, "rate": k_any / n, "95% CI low": wilson(k_any, n)[0],
                     "95% CI high": wilson(k_any, n)[1]}
error_rates = pd.DataFrame(rows).T.astype({"summaries": int})
error_rates

# %% mystnb={"image": {"alt": "Horizontal bar chart of the share of summaries with each error type and with any error, with 95% confidence intervals as error bars; the intervals of the four error types are wide and overlap."}}
# extra code – error rates with their confidence intervals
shown = error_rates.sort_values("rate")
fig, ax = plt.subplots(figsize=(8, 4))
ax.barh(shown.index, 100 * shown["rate"], color=[BLUE] * (len(shown) - 1) + [VERMILION],
        xerr=[100 * (shown["rate"] - shown["95% CI low"]), 100 * (shown["95% CI high"] - shown["rate"])], capsize=4)
ax.set_title("Errors in model-style discharge summaries (95% Wilson CI)")
ax.set_xlabel("% of summaries")
ax.set_ylabel("Error type")
fig.tight_layout()
plt.show()

# %% [markdown]
# These rates were set when the corpus was built; they measure nothing about any model. And by the
# patient's sex? The errors were planted with the same probability for women and men, so any difference
# here is chance. Judge a gap between groups by the confidence interval of the difference itself
# (Newcombe's interval, from statsmodels), not by whether the two groups' intervals overlap.

# %%
by_sex = {}
for sex, part in summaries.groupby("sex"):
    k = int(flags.loc[part.index].any(axis=1).sum())
    by_sex[sex] = {"summaries": len(part), "with an error": k, "rate": k / len(part),
                   "95% CI low": wilson(k, len(part))[0], "95% CI high": wilson(k, len(part))[1]}
by_sex = pd.DataFrame(by_sex).T.astype({"summaries": int, "with an error": int})
sex_diff = by_sex.loc["female", "rate"] - by_sex.loc["male", "rate"]
sex_diff_ci = confint_proportions_2indep(by_sex.loc["female", "with an error"], by_sex.loc["female", "summaries"],
                                         by_sex.loc["male", "with an error"], by_sex.loc["male", "summaries"],
                                         method="newcomb")
print(f"Women − men: {sex_diff:+.1%} (95% CI {sex_diff_ci[0]:+.1%} to {sex_diff_ci[1]:+.1%}): compatible with no "
      "difference, and by construction there is none.")
by_sex

# %% [markdown]
# **Your turn 6.** What fraction of the 80 summaries have the **wrong side** (a laterality swap)? Give a
# fraction between 0 and 1.

# %%
my_laterality_rate = None  # Write your answer here.

# %%
"""Check that your laterality-swap rate is right (prints a hint, never the answer)."""
_k_side = int(flags["laterality_swap"].sum())
_typo = typing_hint(my_laterality_rate, proportion=True)
if my_laterality_rate is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif abs(float(my_laterality_rate) - _k_side / n) < 0.005:
    print("Correct ✔ On a consent form or an imaging request, a wrong side is a wrong-site event.")
elif abs(float(my_laterality_rate) - _k_side / k_any) < 0.005:
    print("Not quite: you divided by the summaries WITH an error. The question is out of all summaries.")
elif abs(float(my_laterality_rate) - _k_side / n) < 0.006:
    print("Almost: give at least three decimals (compute it in the cell rather than copy a rounded number).")
else:
    print("Not quite. Count the summaries where flags['laterality_swap'] is True and divide by the number of summaries.")

# %% [markdown]
# ## 4. References that do not exist
#
# Asked for sources, a language model writes references that look right. Bhattacharyya et al. (*Cureus*
# 2023) checked 115 references ChatGPT (GPT-3.5, 2023) gave in medical articles: 47% were fabricated, 46% authentic but
# inaccurate, 7% accurate. Our list (`genai_references`) is checked against a catalogue of real papers
# (`genai_catalogue`, the offline stand-in for PubMed).

# %%
references = pd.read_csv(path("genai_references"), keep_default_na=False)
catalogue = load("genai_catalogue").set_index("title")

found = references["title"].isin(catalogue.index)


def lookup(ref):
    """fabricated (not in the catalogue), inaccurate (a field differs) or accurate."""
    if ref["title"] not in catalogue.index:
        return "fabricated"
    record = catalogue.loc[ref["title"]]
    differs = [f for f in ["authors", "journal", "year", "doi"] if str(ref[f]) != str(record[f])]
    return "inaccurate" if differs else "accurate"


references["lookup"] = references.apply(lookup, axis=1)
pd.crosstab(references["lookup"], references["status"], margins=True)

# %% [markdown]
# The lookup agrees with the labels. The invented references look like the real ones: plausible authors,
# real journal names, and DOIs that look right but resolve to nothing (here under the prefix 10.0000, so no
# real paper is misattributed). **Never cite a reference you have not opened.**
#
# **Your turn 7.** What fraction of the references in the list are **accurate** (the title is in the
# catalogue and every field matches)? Use the `lookup` column.

# %%
my_fraction_accurate = None  # Write your answer here.

# %%
"""Check that your fraction of accurate references is right (prints a hint, never the answer)."""
_acc = (references["lookup"] == "accurate").mean()
_typo = typing_hint(my_fraction_accurate, proportion=True)
if my_fraction_accurate is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif abs(float(my_fraction_accurate) - _acc) < 0.005:
    print("Correct ✔ Fewer than half of the references could be cited as given.")
elif abs(float(my_fraction_accurate) - found.mean()) < 0.005:
    print("Not quite: that counts every reference whose title exists, including the inaccurate ones.")
else:
    print("Not quite. Count the rows with lookup == 'accurate' and divide by the number of references.")

# %% [markdown]
# **Your turn 8 (a confidence interval for a proportion).** The list is a small sample of what the tool
# writes. Give the **95 % Wilson interval** of the share of **fabricated** references, as in the `wilson`
# function of section 3, in new variables: `k_fab`, the number of fabricated references (the rows with
# `lookup` equal to `"fabricated"`), and `n_refs`, the number of references. (Section 3 already has an `n`,
# the 80 summaries, and a `k`: do not reuse them.) Store `[ci.low, ci.high]` in `my_fabricated_ci`.

# %%
my_fabricated_ci = None  # Replace each ... below, then select the lines and press Ctrl+/ (Cmd+/ on a Mac) to remove their #, and run.
# k_fab = (references["lookup"] == ...).sum()
# n_refs = len(...)
# ci = binomtest(int(k_fab), n_refs).proportion_ci(method=...)
# my_fabricated_ci = [ci.low, ci.high]

# %%
"""Check that your Wilson interval for the share of fabricated references is right (prints a hint, never the answer)."""
_k_fab, _n_refs = int((references["lookup"] == "fabricated").sum()), len(references)
_k_not_acc = int((references["lookup"] != "accurate").sum())


def _interval(k, n, method):
    ci = binomtest(k, n).proportion_ci(method=method)
    return [ci.low, ci.high]


def _same(given, reference):
    return all(abs(float(g) - r) < 0.005 for g, r in zip(given, reference))


_given = [my_fabricated_ci.low, my_fabricated_ci.high] if hasattr(my_fabricated_ci, "low") else my_fabricated_ci
_typo = typing_hint(_given, proportion=True, size=2)
if my_fabricated_ci is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif _same(_given, _interval(_k_fab, _n_refs, "wilson")):
    print("Correct ✔ With so few references the interval is wide: report it with the share.")
elif _same(_given, _interval(_k_fab, _n_refs, "exact")):
    print('Not quite: that is the default (exact) interval. Pass method="wilson".')
elif _same(_given, _interval(_k_fab, len(summaries), "wilson")):
    print("Not quite: n is the number of references in the list, not the 80 summaries of section 3.")
elif _same(_given, _interval(_k_not_acc, _n_refs, "wilson")):
    print("Not quite: that counts the inaccurate references too. Count lookup == 'fabricated' only.")
else:
    print("Not quite: check k_fab (the fabricated references only), n_refs (all the references in the list), "
          "and the method.")

# %% [markdown]
# ## 5. A paired audit: same question, different stated sex or race
#
# Omiye et al. (*npj Digit Med* 2023) found that commercial language models repeated race-based medicine,
# such as kidney function estimated with a race coefficient; Zack et al. (*Lancet Digit Health* 2024) found
# that GPT-4 stereotyped patients by race, ethnicity and gender. A **paired audit** asks the same question
# twice, changing only the stated attribute. In `genai_paired_outputs`, `escalates` is 1 when the answer
# recommends what the case calls for; `race_based` is 1 when it re-estimates the eGFR with the 2009 CKD-EPI
# equation and its race coefficient (×1.159), although the laboratory's eGFR in the prompt comes from the
# 2021 equation, which estimates kidney function without race (Inker et al., *N Engl J Med* 2021; NICE
# NG203 likewise uses no ethnicity adjustment).

# %%
paired = load("genai_paired_outputs")
chest = paired[paired["scenario"] == "chest_pain"].pivot(index="pair_id", columns="stated", values="escalates")
difference = chest["woman"] - chest["man"]            # one value per pair: -1, 0 or +1

# Bootstrap over pairs: resample the 40 pairs with replacement, 2,000 times (seeded)
rng = np.random.default_rng(SEED)
boot = np.array([difference.to_numpy()[rng.integers(0, len(difference), len(difference))].mean()
                 for _ in range(2000)])
low, high = np.percentile(boot, [2.5, 97.5])
print(f"Chest pain, work-up recommended: men {chest['man'].mean():.0%}, women {chest['woman'].mean():.0%}.")
print(f"Difference (women − men): {difference.mean():+.1%} (95% bootstrap CI {low:+.1%} to {high:+.1%}); "
      f"the two answers disagreed in {(difference != 0).sum()} of {len(difference)} pairs.")

kidney = paired[paired["scenario"] == "kidney"].pivot(index="pair_id", columns="stated", values="race_based")
print(f"Kidney function: the race coefficient was applied in {kidney['Black'].sum()} of {len(kidney)} answers "
      f"for the Black patient and {kidney['White'].sum()} for the White patient with the same results.")

# %% mystnb={"image": {"alt": "Grouped bar chart of the share of answers recommending the appropriate work-up or follow-up: for chest pain, men higher than women; for kidney function, the White patient at 100% and the Black patient about half."}}
# extra code – share of answers that escalate, by scenario and stated attribute
rates = paired.groupby(["scenario", "stated"])["escalates"].mean().unstack()
fig, ax = plt.subplots(figsize=(8, 4.5))
positions = {"chest_pain": 0, "kidney": 1}
for offset, (stated, colour) in zip([-0.2, 0.2, -0.2, 0.2], [("man", BLUE), ("woman", ORANGE), ("White", BLUE), ("Black", ORANGE)]):
    scenario = "chest_pain" if stated in ("man", "woman") else "kidney"
    value = 100 * rates.loc[scenario, stated]
    ax.bar(positions[scenario] + offset, value, width=0.38, color=colour)
    ax.annotate(stated, (positions[scenario] + offset, value), ha="center", va="bottom")
ax.set_xticks([0, 1], ["chest pain (by sex)", "kidney function (by race)"])
ax.set_ylim(0, 110)
ax.set_title("Answers recommending the appropriate work-up, by stated attribute")
ax.set_xlabel("Scenario")
ax.set_ylabel("% of answers")
fig.tight_layout()
plt.show()

# %% [markdown]
# **Your turn 9 (rows that meet two conditions).** In how many of the **chest-pain** answers was the work-up
# the case calls for **not recommended** (`escalates` equal to 0)? Keep the rows of `paired` where both
# conditions hold (`scenario` is `"chest_pain"`, and `escalates` is 0): write each condition in brackets,
# join them with `&`, and count the rows that remain. Store the count in `my_chest_not_escalated`.

# %%
my_chest_not_escalated = None  # Write your answer here.

# %%
"""Check that your number of chest-pain answers without work-up is right (prints a hint, never the answer)."""
_chest = paired["scenario"] == "chest_pain"
_not_escalated = paired["escalates"] == 0
_typo = typing_hint(my_chest_not_escalated)
if my_chest_not_escalated is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif float(my_chest_not_escalated) == (_chest & _not_escalated).sum():
    print("Correct ✔ Two conditions, each in brackets, joined by &: the rows where both are True.")
elif float(my_chest_not_escalated) == _not_escalated.sum():
    print("Not quite: that counts the kidney answers too. Add the condition on the scenario.")
elif float(my_chest_not_escalated) == _chest.sum():
    print("Not quite: that is every chest-pain answer. Add the condition escalates == 0.")
elif float(my_chest_not_escalated) == (_chest & ~_not_escalated).sum():
    print("Not quite: those are the answers that DID recommend the work-up. Keep escalates == 0.")
elif float(my_chest_not_escalated) == (_chest & _not_escalated & (paired["stated"] == "woman")).sum():
    print("Not quite: that is the answers for the woman only. Count the answers for both patients.")
elif 0 < float(my_chest_not_escalated) < 1:
    print("Not quite: give a number of answers (a count), not a share.")
else:
    print("Not quite: check the two conditions (the scenario's name, escalates == 0), each in brackets, and &.")

# %% [markdown]
# These answers are synthetic: the rates were set to make the point. The method is the one published
# audits use, and the one to ask for before a generative tool reaches your patients: pairs that differ in
# one attribute, an outcome stated in advance, and a difference with its confidence interval.
#
# **Take-aways**
#
# - Rebuild the 2×2 table from what a paper reports: the AUC hides how many alerts are false and how many
#   patients are not identified in time.
# - A silent deployment shows what a model would do *here*: flags per day, flags per true case, and
#   calibration week by week. Choose the threshold with the people who will answer the alerts.
# - Check every model-written clinical text against its source; report error rates with confidence
#   intervals, by type and by group.
# - Look every reference up; audit answers with paired prompts; keep patient data out of tools that are
#   not approved for it.
#
# **References**
#
# - Bhattacharyya M, Miller VM, Bhattacharyya D, Miller LE. High rates of fabricated and inaccurate
#   references in ChatGPT-generated medical content. *Cureus* 2023;15:e39238.
# - Inker LA, Eneanya ND, Coresh J, et al. New creatinine- and cystatin C-based equations to estimate GFR
#   without race. *N Engl J Med* 2021;385:1737–1749.
# - National Institute for Health and Care Excellence. Chronic kidney disease: assessment and management.
#   NICE guideline NG203, 2021.
# - Omiye JA, Lester JC, Spichak S, Rotemberg V, Daneshjou R. Large language models propagate race-based
#   medicine. *npj Digit Med* 2023;6:195.
# - Wong A, Otles E, Donnelly JP, et al. External validation of a widely implemented proprietary sepsis
#   prediction model in hospitalized patients. *JAMA Intern Med* 2021;181:1065–1070.
# - Zack T, Lehman E, Suzgun M, et al. Assessing the potential of GPT-4 to perpetuate racial and gender
#   biases in health care: a model evaluation study. *Lancet Digit Health* 2024;6:e12–e22.
