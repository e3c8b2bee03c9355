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
# # Lab 1: Does this patient have coronary artery disease?
#
# **The patient.** Mr A. is 58. For three weeks he has felt a tightness behind his breastbone when he
# walks uphill; it eases within minutes when he rests. His resting ECG is normal. On an exercise ECG his
# heart rate peaks at 140 beats per minute, the chest pain comes back, and his ST segment drops by 1.5 mm.
# His blood pressure is 140 mmHg systolic and his cholesterol 250 mg/dL.
#
# **The decision.** Do we refer him for CT coronary angiography, the non-invasive test that shows whether
# his coronary arteries are narrowed (coronary artery disease, CAD)? The ESC guidelines (2019, 2024) on
# chronic coronary syndromes estimate the pre-test (clinical) likelihood of CAD from age, sex and symptoms
# (and, in 2024, risk factors), then offer CT coronary angiography or a functional imaging test, and keep
# invasive coronary angiography for those whose non-invasive tests call for it; NICE CG95 (2016) offers CT
# coronary angiography when clinical assessment suggests typical or atypical angina, or non-anginal pain
# with an abnormal resting ECG. His exercise ECG is there because the patients in our data were seen in
# the 1980s, when it came first; NICE no longer uses it alone to diagnose or exclude angina.
#
# **What each kind of error costs.**
#
# - A **false negative** (we say "no CAD" and he has it): no further testing, and he goes home without
#   treatment for a disease that can end in a heart attack.
# - A **false positive** (we say "CAD" and he does not have it): a CT coronary angiogram he did not need,
#   with its radiation, its contrast (rarely an allergic reaction or kidney injury), incidental findings
#   that lead to more tests, its cost and his worry.
#
# **In this lab (about 45 minutes) you will:**
#
# 1. load 920 real patients from four hospitals, all of whom had angiography;
# 2. train two models on one hospital (Cleveland) to estimate the probability of CAD;
# 3. compute sensitivity, specificity, PPV, NPV and likelihood ratios **by hand** from the 2×2 table, and
#    read them as "of 100 patients like this, …";
# 4. see how the same model's PPV changes with prevalence, at a GP surgery and at three other hospitals;
# 5. draw ROC and precision–recall curves and find out what the AUC really means;
# 6. choose a threshold from how bad each kind of error is.
#
# You do not need to write code except in the cells marked **Your turn**. Run the cells from top to
# bottom (Shift + Enter). Lines marked `# extra code – …` only make tables or figures look nice or print
# hints: you can skip them.

# %%
# Run this cell to set up the notebook, but please don't change it.
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator
from scipy.stats import binomtest
from sklearn.base import clone
from sklearn.compose import make_column_transformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (
    average_precision_score,
    class_likelihood_ratios,
    confusion_matrix,
    precision_recall_curve,
    precision_score,
    recall_score,
    roc_curve,
)
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from clinical_data import load

SEED = 42  # every random step below uses this seed, so you get the same numbers every time

# extra code – readable figures in colours that colour-blind readers can tell apart (Okabe–Ito palette)
plt.rcParams.update(
    {"figure.dpi": 100, "font.size": 12, "axes.titlesize": 13, "axes.labelsize": 12, "legend.fontsize": 11}
)
BLUE, ORANGE, GREEN, VERMILION, GREY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#777777"
pd.set_option("display.precision", 2)

# extra code – one-line hints for the slips of someone new to Python (never the answer): a percentage typed
# with its % sign anywhere in the notebook; in the "Your turn" check cells, an answer typed in a form they
# cannot read; the outcomes and the risks swapped in roc_auc_score
from autograder.hints import roc_auc_score, show_percent_sign_hint, typing_hint

show_percent_sign_hint()

print("Ready.")

# %% [markdown]
# ## 1. The patients
#
# The UCI Heart Disease data (Detrano et al., *Am J Cardiol* 1989) holds patients with suspected CAD from
# four hospitals: the Cleveland Clinic (USA), the Hungarian Institute of Cardiology (Budapest), University
# Hospitals of Zurich and Basel (Switzerland) and the VA Medical Center in Long Beach (USA). Every patient
# had coronary angiography, our reference standard. The columns we will use:
#
# | column | meaning |
# |---|---|
# | `age`, `sex` | age in years; Male / Female |
# | `cp` | chest pain type: typical angina, atypical angina, non-anginal, asymptomatic |
# | `trestbps` | resting systolic blood pressure (mmHg) |
# | `chol` | serum cholesterol (mg/dL); **0 means "not recorded"** |
# | `fbs` | fasting blood sugar > 120 mg/dL (True / False) |
# | `restecg` | resting ECG: normal, ST-T abnormality, LV hypertrophy |
# | `thalach` | maximum heart rate on the exercise test (beats/min) |
# | `exang` | chest pain brought on by the exercise test (True / False) |
# | `oldpeak` | ST depression on exercise (mm) |
# | `num` | angiography result: 0 = no vessel narrowed by more than 50 %, 1–4 = CAD |
#
# An empty cell means the value was not recorded.

# %%
df = load("heart_disease")
df.head()

# %%
# extra code – a cholesterol of 0 means "not recorded" (see the data card), so we mark it as missing
df["chol"] = df["chol"].replace(0, np.nan)

# The outcome: CAD on angiography (num 1-4) = 1, no CAD (num 0) = 0
df["cad"] = (df["num"] > 0).astype(int)

by_site = df.groupby("site")["cad"].agg(patients="size", with_cad="sum", prevalence="mean")
by_site

# %% mystnb={"image": {"alt": "Bar chart of the percentage of referred patients with CAD on angiography at each of the four hospitals, labelled with the counts: Cleveland (highlighted in blue) and Hungary are below one half, VA Long Beach is about three quarters and Switzerland is over nine in ten."}}
# extra code – bar chart of the prevalence of CAD at each hospital
fig, ax = plt.subplots(figsize=(8, 4.5))
bars = ax.bar(by_site.index, 100 * by_site["prevalence"], color=[BLUE, GREY, GREY, GREY])
for bar, (n, k) in zip(bars, zip(by_site["patients"], by_site["with_cad"])):
    ax.annotate(f"{k} of {n}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                ha="center", va="bottom", fontsize=11)
ax.set_title("How many referred patients had CAD on angiography, by hospital")
ax.set_xlabel("Hospital")
ax.set_ylabel("Patients with CAD (%)")
ax.set_ylim(0, 105)
plt.show()

# %% [markdown]
# The hospitals saw very different patients: the share with CAD (the **prevalence**) ranges from about
# a third to over nine in ten. Keep this in mind: it will matter a lot in section 4.
#
# We build our models on **Cleveland** (in blue) and keep the other three hospitals for later.

# %%
cleveland = df[df["site"] == "Cleveland"]
n_patients, n_cad = len(cleveland), cleveland["cad"].sum()
print(f"Cleveland: {n_patients} patients, {n_cad} with CAD.")
print(f"Of 100 Cleveland patients, about {100 * n_cad / n_patients:.0f} had CAD on angiography.")

# %% [markdown]
# ### Which measurements go into the model?
#
# We use what a clinician knows after the history, a blood test and an exercise ECG. We leave out two
# columns that come from further tests: `ca` (number of major vessels seen on fluoroscopy) and `thal`
# (thallium stress scan). The table shows why: outside Cleveland they were almost never recorded, so a
# model that relies on them could not be used anywhere else.

# %%
numeric_features = ["age", "trestbps", "chol", "thalach", "oldpeak"]
categorical_features = ["sex", "cp", "fbs", "restecg", "exang"]
features = numeric_features + categorical_features

# extra code – percentage of patients with no value recorded, per hospital
missing = 100 * df[features + ["ca", "thal"]].isna().groupby(df["site"]).mean()
missing.T.round(0).astype(int).rename_axis("% not recorded")

# %% [markdown]
# ## 2. Two models
#
# We keep 30 % of the Cleveland patients aside as a **test set**: the models never see them during
# training, so they play the part of new patients. The split is *stratified*, so both parts have the same
# share of patients with CAD. (The book's chapter builds its model from six of these inputs and tests it on
# a different random split of the patients (a third for testing), so its sensitivity, PPV and AUC differ a little from yours: with about
# 90 test patients, one or two patients move a percentage by a few points.)

# %%
X = cleveland[features]
y = cleveland["cad"]
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, stratify=y, random_state=SEED)
print(f"Training set: {len(y_train)} patients ({y_train.mean():.0%} with CAD)")
print(f"Test set:     {len(y_test)} patients ({y_test.mean():.0%} with CAD)")

# %% [markdown]
# Each model is a **pipeline**: the same preparation steps run on every patient, in training and later.
#
# - Numbers: a missing value is filled with the median of the training patients, then every number is put
#   on the same scale.
# - Categories (such as the chest pain type): a missing value is filled with the most common category,
#   then each category becomes its own yes/no column.
#
# The first model is a **logistic regression** (a weighted score turned into a probability, like many
# clinical risk scores). The second is a **random forest** (a vote of 200 decision trees).

# %%
preprocess = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric_features),
    (make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")),
     categorical_features),
)
logreg = make_pipeline(preprocess, LogisticRegression(max_iter=1000))
forest = make_pipeline(
    clone(preprocess), RandomForestClassifier(n_estimators=200, min_samples_leaf=5, random_state=SEED)
)
logreg.fit(X_train, y_train)
forest.fit(X_train, y_train)

# Each model's estimated probability of CAD for every test patient
p_logreg = logreg.predict_proba(X_test)[:, 1]
p_forest = forest.predict_proba(X_test)[:, 1]
print("First five test patients, probability of CAD (logistic regression):", p_logreg[:5].round(2))

# %% [markdown]
# What do the models say about Mr A.? His chest pain is behind the breastbone, brought on by exertion and
# relieved by rest: all three features of **typical angina** (Diamond, *J Am Coll Cardiol* 1983).

# %%
mr_a = pd.DataFrame([{
    "age": 58, "trestbps": 140, "chol": 250, "thalach": 140, "oldpeak": 1.5,
    "sex": "Male", "cp": "typical angina", "fbs": False, "restecg": "normal", "exang": True,
}])
p_mr_a = logreg.predict_proba(mr_a)[0, 1]
print(f"Logistic regression: Mr A.'s probability of CAD is {p_mr_a:.0%}.")
print(f"Random forest:       Mr A.'s probability of CAD is {forest.predict_proba(mr_a)[0, 1]:.0%}.")

# %% [markdown]
# Is that lower than you expected for typical angina? Look at how often each chest pain type came with
# CAD among the Cleveland patients:

# %%
by_pain = cleveland.groupby("cp")["cad"].agg(patients="size", prevalence="mean").sort_values("prevalence")
by_pain

# %%
# extra code – put the table into words
print(f"In Cleveland, {by_pain.loc['typical angina', 'prevalence']:.0%} of patients with typical angina had CAD, "
      f"but {by_pain.loc['asymptomatic', 'prevalence']:.0%} of the 'asymptomatic' ones did.")

# %% [markdown]
# Patients with **no** chest pain who were still sent for angiography must have had other reasons to be
# referred, and in this data set they were the ones most likely to have CAD. A model learns the patterns of the
# patients it was trained on, not textbook medicine: always ask *who* those patients were.
#
# A probability is not yet a decision. To act, we pick a **threshold**: above it, the model says "CAD,
# refer"; below it, "no CAD". Let us start with the usual default, 0.5, and see how the test patients fall
# on either side of it.

# %% mystnb={"image": {"alt": "Two stacked histograms of the logistic regression's predicted probability of CAD for the Cleveland test patients, with a dashed line at the threshold 0.5: patients without CAD (top) cluster at low probabilities with a few to the right of the line, while patients with CAD (bottom) lie mostly to the right of the line, some of them to the left."}}
THRESHOLD = 0.5

# extra code – histograms of the predicted probabilities: patients without CAD above, with CAD below
fig, (ax_no, ax_cad) = plt.subplots(2, 1, figsize=(8, 6), sharex=True, sharey=True)
bins = np.linspace(0, 1, 21)
ax_no.hist(p_logreg[y_test == 0], bins=bins, color=BLUE, edgecolor="white")
ax_cad.hist(p_logreg[y_test == 1], bins=bins, color=ORANGE, edgecolor="white")
for ax, group in [(ax_no, "No CAD on angiography"), (ax_cad, "CAD on angiography")]:
    ax.axvline(THRESHOLD, color="black", linestyle="--", linewidth=2)
    ax.set_title(group, loc="left", fontsize=12)
    ax.set_ylabel("Patients")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
ax_no.text(THRESHOLD + 0.01, ax_no.get_ylim()[1] * 0.85, f"threshold {THRESHOLD}: refer →", fontsize=11)
ax_cad.set_xlabel("Predicted probability of CAD (logistic regression)")
fig.suptitle("Cleveland test patients: what the model predicted, by angiography result")
fig.tight_layout()
plt.show()

# %% [markdown]
# Patients with CAD (orange, bottom) to the **left** of the dashed line would be told they do not have it:
# false negatives. Patients without CAD (blue, top) to the **right** would be referred without needing it:
# false positives.
#
# ## 3. The 2×2 table, by hand
#
# We count the four kinds of patients in the test set, using the logistic regression at threshold 0.5.

# %%
y_true = y_test.to_numpy()
y_pred = (p_logreg >= THRESHOLD).astype(int)  # 1 = "CAD, refer", 0 = "no CAD"

tp = int(np.sum((y_pred == 1) & (y_true == 1)))  # true positives: CAD, and the model says CAD
fp = int(np.sum((y_pred == 1) & (y_true == 0)))  # false positives: no CAD, but the model says CAD
tn = int(np.sum((y_pred == 0) & (y_true == 0)))  # true negatives: no CAD, and the model says no CAD
fn = int(np.sum((y_pred == 0) & (y_true == 1)))  # false negatives: CAD, but the model says no CAD

# extra code – show the counts as the 2x2 table used in clinical papers (test result in rows)
pd.DataFrame(
    [[tp, fp], [fn, tn]],
    index=["model says CAD", "model says no CAD"],
    columns=["CAD on angiography", "no CAD on angiography"],
)

# %% [markdown]
# scikit-learn has its own `confusion_matrix`. Careful: it puts the **truth in rows** and lists "no CAD"
# first, so its layout is `[[TN, FP], [FN, TP]]`. The `assert` line stops the notebook with an error if
# our counts ever disagree with it.

# %%
print(confusion_matrix(y_true, y_pred))
assert confusion_matrix(y_true, y_pred).tolist() == [[tn, fp], [fn, tp]], "our counts disagree with scikit-learn"

# %% [markdown]
# Now the six numbers every diagnostic test is judged by:
#
# | measure | formula | question it answers |
# |---|---|---|
# | sensitivity | TP / (TP + FN) | of the patients **with** CAD, how many does the model catch? |
# | specificity | TN / (TN + FP) | of the patients **without** CAD, how many does it correctly reassure? |
# | PPV (positive predictive value) | TP / (TP + FP) | of the patients it flags, how many truly have CAD? |
# | NPV (negative predictive value) | TN / (TN + FN) | of the patients it reassures, how many are truly free of CAD? |
# | LR+ (positive likelihood ratio) | sensitivity / (1 − specificity) | how much does a positive result raise the odds of CAD? |
# | LR− (negative likelihood ratio) | (1 − sensitivity) / specificity | how much does a negative result lower the odds of CAD? |

# %%
sensitivity = tp / (tp + fn)
specificity = tn / (tn + fp)
ppv = tp / (tp + fp)
npv = tn / (tn + fn)
lr_pos = sensitivity / (1 - specificity)
lr_neg = (1 - sensitivity) / specificity

# Check each hand formula against scikit-learn's reference implementation
assert np.isclose(sensitivity, recall_score(y_true, y_pred)), "sensitivity disagrees with scikit-learn"
assert np.isclose(specificity, recall_score(y_true, y_pred, pos_label=0)), "specificity disagrees"
assert np.isclose(ppv, precision_score(y_true, y_pred)), "PPV disagrees with scikit-learn"
assert np.isclose(npv, precision_score(y_true, y_pred, pos_label=0)), "NPV disagrees with scikit-learn"
sk_lr_pos, sk_lr_neg = class_likelihood_ratios(y_true, y_pred)
assert np.isclose(lr_pos, sk_lr_pos) and np.isclose(lr_neg, sk_lr_neg), "likelihood ratios disagree"

pd.Series(
    {"sensitivity": sensitivity, "specificity": specificity, "PPV": ppv, "NPV": npv, "LR+": lr_pos, "LR−": lr_neg},
    name=f"logistic regression, threshold {THRESHOLD}",
).to_frame()

# %% [markdown]
# All six hand formulas agree with scikit-learn. Percentages are hard to picture; counts of patients are
# easier (Hoffrage et al., *Science* 2000). Here are the same numbers as **natural frequencies**:

# %%
print(f"Of 100 patients WITH CAD, the model flags {100 * sensitivity:.0f} and misses {100 * (1 - sensitivity):.0f}.")
print(f"Of 100 patients WITHOUT CAD, it reassures {100 * specificity:.0f} "
      f"and sends {100 * (1 - specificity):.0f} for a CT angiogram they do not need.")
print(f"Of 100 patients it flags, {100 * ppv:.0f} truly have CAD.")
print(f"Of 100 patients it reassures, {100 * npv:.0f} are truly free of CAD.")

# extra code – 95% confidence intervals (Wilson): how precise are numbers from so few test patients?
sens_ci = binomtest(tp, tp + fn).proportion_ci(method="wilson")
spec_ci = binomtest(tn, tn + fp).proportion_ci(method="wilson")
print(f"\nWith only {tp + fn} test patients with CAD, the true sensitivity could lie anywhere from "
      f"{sens_ci.low:.0%} to {sens_ci.high:.0%};")
print(f"with {tn + fp} without CAD, the specificity from {spec_ci.low:.0%} to {spec_ci.high:.0%} (95% intervals).")

# %% [markdown]
# **Likelihood ratios** turn a pre-test probability into a post-test probability:
# post-test odds = pre-test odds × LR, where odds = p / (1 − p). As a rule of thumb, an LR+ above 10 or an
# LR− below 0.1 changes the probability a lot; 5–10 or 0.1–0.2, moderately; 2–5 or 0.2–0.5, a little
# (Jaeschke, Guyatt & Sackett, *JAMA* 1994).
#
# This works for a **single test** added to what you already know. It does **not** work for our model:
# its inputs (age, sex, type of chest pain, the exercise test) are the very findings a clinician's own
# pre-test estimate rests on, so multiplying that estimate by the model's `lr_pos` would count the same
# evidence twice. A model moved to patients with a different prevalence is adjusted another way: its
# baseline risk (the intercept) is updated to the local prevalence, and its calibration is checked in local
# patients (module 2, *Does it work here?*).
#
# A single test from the same patients: **ST depression of 1 mm or more on the exercise ECG**, on its own.
# Its likelihood ratio, from the Cleveland training patients:

# %%
st_positive = (X_train["oldpeak"] >= 1).astype(int)  # 1 = ST depression of 1 mm or more
st_sensitivity = recall_score(y_train, st_positive)
st_specificity = recall_score(y_train, st_positive, pos_label=0)
lr_st = st_sensitivity / (1 - st_specificity)
print(f"ST depression ≥ 1 mm: sensitivity {st_sensitivity:.0%}, specificity {st_specificity:.0%}, "
      f"LR+ {lr_st:.1f}. You will use it in Your turn 3.")

# %% [markdown]
#
# ## 4. Same model, other patients: prevalence and PPV
#
# Sensitivity and specificity describe the model among patients who do, or do not, have CAD. PPV and NPV
# also depend on **how common CAD is** where the model is used. Bayes' theorem links them:
#
# $$\text{PPV} = \frac{\text{sens} \times \text{prev}}{\text{sens} \times \text{prev} + (1 - \text{spec}) \times (1 - \text{prev})}$$
#
# Picture 1,000 patients: `prev × 1000` have CAD, and the model flags `sens` of them (true positives);
# `(1 − prev) × 1000` do not, and it wrongly flags `1 − spec` of them (false positives). PPV is the true
# positives among everyone flagged.

# %%
def ppv_from_bayes(sens, spec, prevalence):
    """PPV of a test with this sensitivity and specificity, used where CAD has this prevalence."""
    true_positives = sens * prevalence
    false_positives = (1 - spec) * (1 - prevalence)
    return true_positives / (true_positives + false_positives)


def npv_from_bayes(sens, spec, prevalence):
    """NPV of a test with this sensitivity and specificity, used where CAD has this prevalence."""
    true_negatives = spec * (1 - prevalence)
    false_negatives = (1 - sens) * prevalence
    return true_negatives / (true_negatives + false_negatives)


# Check: at the test set's own prevalence, the formula gives back the PPV and NPV we counted by hand
assert np.isclose(ppv_from_bayes(sensitivity, specificity, y_true.mean()), ppv), "Bayes PPV formula is wrong"
assert np.isclose(npv_from_bayes(sensitivity, specificity, y_true.mean()), npv), "Bayes NPV formula is wrong"
print("The Bayes formulas reproduce the PPV and NPV counted in the Cleveland test set.")

# %% [markdown]
# Suppose the same model (same sensitivity and specificity) were used at a GP surgery where, say, 10 % of
# the patients with chest pain have CAD (a round number to illustrate, not a measured one):

# %%
prev_gp = 0.10
print(f"Of 1,000 GP patients, {1000 * prev_gp:.0f} have CAD; the model flags {1000 * prev_gp * sensitivity:.0f} of them.")
print(f"Of the {1000 * (1 - prev_gp):.0f} without CAD, it wrongly flags {1000 * (1 - prev_gp) * (1 - specificity):.0f}.")
print(f"PPV at the GP surgery: {ppv_from_bayes(sensitivity, specificity, prev_gp):.0%} "
      f"(it was {ppv:.0%} in Cleveland). NPV: {npv_from_bayes(sensitivity, specificity, prev_gp):.0%}.")

# %% [markdown]
# Same model, same sensitivity and specificity, yet far fewer of the flagged patients have CAD: most
# referrals would now be false alarms.
#
# ### A first taste of external validation
#
# For the other three hospitals we do not have to imagine: we can **apply the Cleveland model to their
# patients** and count. For each hospital the table shows the PPV that Bayes predicts from the Cleveland
# sensitivity and specificity, and the PPV we actually observe there.

# %%
rows = {}
for site in ["Hungary", "Switzerland", "VA Long Beach"]:
    patients = df[df["site"] == site]
    truth = patients["cad"].to_numpy()
    flagged = (logreg.predict_proba(patients[features])[:, 1] >= THRESHOLD).astype(int)
    site_sens = recall_score(truth, flagged)
    site_spec = recall_score(truth, flagged, pos_label=0)
    site_ppv = precision_score(truth, flagged)
    # Check: Bayes with this hospital's own sensitivity, specificity and prevalence gives its observed PPV
    assert np.isclose(ppv_from_bayes(site_sens, site_spec, truth.mean()), site_ppv), f"Bayes check failed for {site}"
    rows[site] = {
        "patients": len(truth),
        "prevalence": truth.mean(),
        "PPV predicted (Cleveland sens/spec)": ppv_from_bayes(sensitivity, specificity, truth.mean()),
        "PPV observed": site_ppv,
        "sensitivity observed": site_sens,
        "specificity observed": site_spec,
    }
external = pd.DataFrame(rows).T
external["patients"] = external["patients"].astype(int)
external

# %%
# extra code – put the biggest surprise into words
worst = (external["PPV observed"] - external["PPV predicted (Cleveland sens/spec)"]).abs().idxmax()
print("From the lowest prevalence to the highest:")
for site, row in external.sort_values("prevalence").iterrows():
    print(f"  {site}: {row['prevalence']:.0%} with CAD, PPV observed {row['PPV observed']:.0%}")
print(f"Biggest gap between prediction and observation: {worst}, where specificity is "
      f"{external.loc[worst, 'specificity observed']:.0%} (Cleveland: {specificity:.0%}) and sensitivity "
      f"{external.loc[worst, 'sensitivity observed']:.0%} (Cleveland: {sensitivity:.0%}).")

# %% [markdown]
# Two lessons from one table:
#
# 1. **PPV follows prevalence.** Where most referred patients have CAD, almost every flag is right, even
#    for a mediocre model; where few do, many flags are false alarms.
# 2. **Sensitivity and specificity do not always travel either.** The Bayes prediction assumes the model
#    works as well at the new hospital as in Cleveland. Different patients, and measurements that were
#    never recorded there (look back at the missing-values table), change sensitivity and specificity
#    too. That is why a model must be validated on patients from the place where it will be used
#    (*external validation*, the subject of module 2, *Does it work here?*).
#
# ## 5. ROC and precision–recall curves
#
# A threshold of 0.5 is one choice among many. Sliding the threshold from 1 down to 0 traces a curve:
#
# - the **ROC curve** plots sensitivity against 1 − specificity (the false-positive rate);
# - the **precision–recall (PR) curve** plots PPV (precision) against sensitivity (recall). Its
#   "no skill" line sits at the prevalence, which makes it more informative when the disease is rare
#   (Saito & Rehmsmeier, *PLoS One* 2015).
#
# The **area under the ROC curve (AUC)** sums up the whole curve in one number; the **average precision
# (AP)** does the same for the PR curve. The dot on each curve is the threshold 0.5 we used above.

# %% mystnb={"image": {"alt": "Left, ROC curves (sensitivity against 1 minus specificity) of the logistic regression and the random forest on the Cleveland test patients, both far above the diagonal no-skill line; right, their precision-recall curves (PPV against sensitivity), both well above the no-skill line at the prevalence. The two models' curves nearly overlap, and a marker on each curve shows its operating point at threshold 0.5."}}
models = {"Logistic regression": (p_logreg, BLUE, "-", "o"), "Random forest": (p_forest, VERMILION, "--", "s")}
auc = {name: roc_auc_score(y_true, p) for name, (p, *_) in models.items()}
ap = {name: average_precision_score(y_true, p) for name, (p, *_) in models.items()}

fig, (ax_roc, ax_pr) = plt.subplots(1, 2, figsize=(13, 5.5))
for name, (p, colour, style, marker) in models.items():
    fpr, tpr, _ = roc_curve(y_true, p)
    precision, recall, _ = precision_recall_curve(y_true, p)
    ax_roc.plot(fpr, tpr, color=colour, linestyle=style, linewidth=2, label=f"{name} (AUC {auc[name]:.2f})")
    ax_pr.plot(recall, precision, color=colour, linestyle=style, linewidth=2, drawstyle="steps-post",
               label=f"{name} (AP {ap[name]:.2f})")
    # extra code – mark the operating point at THRESHOLD on both curves
    pred = (p >= THRESHOLD).astype(int)
    sens_here = recall_score(y_true, pred)
    spec_here = recall_score(y_true, pred, pos_label=0)
    ppv_here = precision_score(y_true, pred)
    for ax, (x_point, y_point) in [(ax_roc, (1 - spec_here, sens_here)), (ax_pr, (sens_here, ppv_here))]:
        ax.plot(x_point, y_point, marker=marker, markersize=10, color=colour, markeredgecolor="black",
                linestyle="none", label=f"{name} at threshold {THRESHOLD}")

# extra code – reference lines, titles and labels
ax_roc.plot([0, 1], [0, 1], color=GREY, linestyle=":", label="no skill (coin toss)")
ax_roc.set_title("ROC curve, Cleveland test set")
ax_roc.set_xlabel("1 − specificity (false-positive rate)")
ax_roc.set_ylabel("Sensitivity (true-positive rate)")
ax_pr.axhline(y_true.mean(), color=GREY, linestyle=":", label=f"no skill (prevalence {y_true.mean():.0%})")
ax_pr.set_title("Precision–recall curve, Cleveland test set")
ax_pr.set_xlabel("Sensitivity (recall)")
ax_pr.set_ylabel("PPV (precision)")
for ax in (ax_roc, ax_pr):
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_aspect("equal")
    ax.legend(loc="lower left" if ax is ax_pr else "lower right", fontsize=10)
fig.tight_layout()
plt.show()

# %% [markdown]
# ### What the AUC means
#
# Take one patient **with** CAD and one **without**, at random. The AUC is the probability that the model
# gives the patient with CAD the higher score (Hanley & McNeil, *Radiology* 1982). It lies between 0 and 1:
# 1.0 means every patient with CAD scores above every patient without, 0.5 is a coin toss, and below 0.5
# the model ranks patients the wrong way round (0 would put every patient without CAD above every patient
# with it).
#
# Let us check that by brute force: compare **every** such pair in the test set (a tie counts as half).

# %%
scores_cad = p_logreg[y_true == 1]
scores_no_cad = p_logreg[y_true == 0]
differences = scores_cad[:, np.newaxis] - scores_no_cad[np.newaxis, :]  # one entry per pair
n_pairs = differences.size
n_correct = np.sum(differences > 0) + 0.5 * np.sum(differences == 0)

print(f"{len(scores_cad)} patients with CAD × {len(scores_no_cad)} without = {n_pairs} pairs.")
print(f"In {n_correct:.0f} of them the patient with CAD got the higher score: {n_correct / n_pairs:.3f}.")
print(f"roc_auc_score gives {auc['Logistic regression']:.3f}.")
assert np.isclose(n_correct / n_pairs, auc["Logistic regression"]), "the pair count should equal the AUC"

# %% [markdown]
# The AUC says how well the model **ranks** patients. It does not say which threshold to use, nor how
# many patients will be missed at that threshold: for that we need a threshold and its 2×2 table.
#
# ## 6. Choosing a threshold from harms
#
# Which threshold is right depends on how bad each error is. Ask yourself: **how many unnecessary CT
# angiograms would I accept to avoid missing one patient with CAD?** Call that number the *harm ratio*.
#
# Refer when the probability of CAD, *p*, makes referring the smaller harm. Referring harms the patient
# only if he has no CAD (probability 1 − *p*, harm of a false positive); not referring harms him only if
# he has CAD (probability *p*, harm of a false negative). The two are equal at the **threshold
# probability** *p*ₜ where
#
# $$\begin{aligned}\frac{p_t}{1 - p_t} &= \frac{\text{harm of a false positive}}{\text{harm of a false negative}} \\
# &= \frac{1}{\text{harm ratio}} \\
# \text{so}\quad p_t &= \frac{1}{1 + \text{harm ratio}}\end{aligned}$$
#
# (Pauker & Kassirer, *N Engl J Med* 1980). The value below is only a starting point for discussion,
# not a guideline: change it and re-run the cells of this section.

# %%
HARM_RATIO = 4  # unnecessary CT angiograms you would accept to avoid missing one patient with CAD

harm_threshold = 1 / (1 + HARM_RATIO)
print(f"Harm ratio {HARM_RATIO}: refer when the probability of CAD is at least {harm_threshold:.2f}.")
print(f"Mr A. (probability {p_mr_a:.0%}) would {'be' if p_mr_a >= harm_threshold else 'NOT be'} referred.")

# %%
def per_1000(y_true, probabilities, threshold):
    """Sensitivity, specificity and what happens to 1,000 patients like these, at one threshold."""
    pred = (probabilities >= threshold).astype(int)
    sens = recall_score(y_true, pred)
    spec = recall_score(y_true, pred, pos_label=0)
    prev = np.mean(y_true)
    return {
        "sensitivity": sens,
        "specificity": spec,
        "missed CAD per 1,000": 1000 * prev * (1 - sens),
        "unneeded CT angiograms per 1,000": 1000 * (1 - prev) * (1 - spec),
        "CT angiograms per 1,000": 1000 * np.mean(pred),
    }


comparison = pd.DataFrame({
    f"threshold {THRESHOLD}": per_1000(y_true, p_logreg, THRESHOLD),
    f"threshold {harm_threshold:.2f} (harm ratio {HARM_RATIO})": per_1000(y_true, p_logreg, harm_threshold),
})
# extra code – show rates as percentages and counts as whole patients
is_rate = comparison.index.isin(["sensitivity", "specificity"])
comparison.apply(lambda column: column.where(~is_rate, column.map("{:.0%}".format))
                 .where(is_rate, column.map("{:.0f}".format)))

# %%
# extra code – put the comparison into words
at_default, at_harm = comparison.iloc[:, 0], comparison.iloc[:, 1]
print(f"Among 1,000 patients like Cleveland's ({y_true.mean():.0%} with CAD), moving the threshold from "
      f"{THRESHOLD} to {harm_threshold:.2f}")
print(f"  misses {at_default['missed CAD per 1,000']:.0f} → {at_harm['missed CAD per 1,000']:.0f} patients with CAD,")
print(f"  and sends {at_default['unneeded CT angiograms per 1,000']:.0f} → "
      f"{at_harm['unneeded CT angiograms per 1,000']:.0f} patients without CAD for a CT angiogram.")

# %% mystnb={"image": {"alt": "Line chart of the logistic regression's errors per 1,000 patients like Cleveland's at every threshold: missed CAD (false negatives) rises as the threshold goes up while unneeded CT angiograms (false positives) fall, the two curves crossing in the middle. Vertical lines mark the default threshold 0.5 and the threshold chosen from the harm ratio."}}
# extra code – missed CAD and unneeded CT angiograms per 1,000 patients at every threshold
thresholds = np.linspace(0.01, 0.99, 99)
curves = pd.DataFrame([per_1000(y_true, p_logreg, t) for t in thresholds], index=thresholds)

fig, ax = plt.subplots(figsize=(9, 5.5))
ax.plot(thresholds, curves["missed CAD per 1,000"], color=ORANGE, linewidth=2.5,
        label="missed CAD (false negatives)")
ax.plot(thresholds, curves["unneeded CT angiograms per 1,000"], color=BLUE, linewidth=2.5, linestyle="--",
        label="unneeded CT angiograms (false positives)")
ax.axvline(THRESHOLD, color=GREY, linestyle=":", label=f"default threshold {THRESHOLD}")
ax.axvline(harm_threshold, color="black", linestyle="-.", label=f"your threshold {harm_threshold:.2f}")
ax.set_title("Logistic regression: errors per 1,000 patients like Cleveland's")
ax.set_xlabel("Threshold (refer when predicted probability ≥ threshold)")
ax.set_ylabel("Patients per 1,000")
ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.17), ncol=2)
fig.tight_layout()
plt.show()

# %% [markdown]
# Lowering the threshold trades unneeded CT angiograms for fewer missed patients. No threshold removes both
# kinds of error: the harm ratio, a clinical and ethical judgement, decides where to stand. Note that the
# rule *p*ₜ = 1 / (1 + harm ratio) assumes the predicted probabilities are **calibrated** (that, of 100
# patients given 20 %, about 20 have CAD), which module 2 (*Does it work here?*) shows how to check.
#
# ## 7. Your turn
#
# Write your answer in place of `None`, run the cell, then run the check cell below it. The check cell
# tells you whether you are right and gives a hint if not; it never shows the answer. These exercises are
# not graded.
#
# **Your turn 1.** Using the 2×2 table of section 3 (logistic regression, threshold 0.5): **of 100
# patients with CAD, how many does the model miss?** You can type a number or a formula using `tp`, `fp`,
# `tn` and `fn`.

# %%
my_missed_per_100 = None  # Write your answer here.

# %%
"""Check that your number of missed patients per 100 with CAD is right (prints a hint, never the answer)."""
_typo = typing_hint(my_missed_per_100)
if my_missed_per_100 is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif abs(float(my_missed_per_100) - 100 * fn / (tp + fn)) <= 1:
    print("Correct ✔ Missed patients are the false negatives, out of everyone who has CAD.")
elif abs(float(my_missed_per_100) - 100 * fn / (fn + tn)) <= 1:
    print("Not quite: you divided by the patients the model reassures. The question is about patients "
          "WITH CAD: who are they in the 2×2 table?")
elif 0 < float(my_missed_per_100) < 1:
    print("Not quite: this asks for a number of patients out of 100, not a proportion. Multiply by 100.")
else:
    print("Not quite. Missed patients have CAD but the model says 'no CAD'. Which cell of the 2×2 table is "
          "that, and how many patients have CAD in total?")

# %% [markdown]
# **Your turn 2.** A colleague wants to use the same model in a rapid-access chest pain clinic where 20 %
# of the patients have CAD. **What PPV should they expect** (as a proportion between 0 and 1) if the
# model's sensitivity and specificity stay as in Cleveland? Use the function `ppv_from_bayes` and the
# variables `sensitivity` and `specificity`.

# %%
my_ppv_clinic = None  # Write your answer here.

# %%
"""Check that your PPV for the chest pain clinic is right (prints a hint, never the answer)."""
_typo = typing_hint(my_ppv_clinic, proportion=True)
if my_ppv_clinic is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif np.isclose(float(my_ppv_clinic), ppv_from_bayes(sensitivity, specificity, 0.20), atol=0.005):
    print("Correct ✔ Fewer patients with CAD in the clinic means a lower PPV than in Cleveland.")
elif np.isclose(float(my_ppv_clinic), npv_from_bayes(sensitivity, specificity, 0.20), atol=0.005):
    print("Not quite: that is the NPV. The PPV is about the patients the model flags.")
elif np.isclose(float(my_ppv_clinic), ppv_from_bayes(specificity, sensitivity, 0.20), atol=0.005):
    print("Not quite: check the order of the arguments, ppv_from_bayes(sens, spec, prevalence).")
elif float(my_ppv_clinic) >= ppv:
    print("Not quite: CAD is rarer in the clinic than in Cleveland, so the PPV should come out lower.")
else:
    print("Not quite. Call ppv_from_bayes(sensitivity, specificity, prevalence) with the clinic's "
          "prevalence as a proportion.")

# %% [markdown]
# **Your turn 3.** Before the exercise test, from the patient's age, sex and symptoms alone, a cardiologist
# puts the probability that he has CAD at 30 %. His exercise ECG then shows ST depression of 1 mm or more.
# **What is the probability of CAD now?** Use that single test's likelihood ratio `lr_st`: turn the
# probability into odds, multiply by the LR, turn the odds back into a probability.
# (odds = p / (1 − p); p = odds / (1 + odds))

# %%
my_post_test_probability = None  # Write your answer here.

# %%
"""Check that your post-test probability is right (prints a hint, never the answer)."""
_typo = typing_hint(my_post_test_probability, proportion=True)
if my_post_test_probability is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
else:
    post_odds = 0.30 / (1 - 0.30) * lr_st
    model_odds = 0.30 / (1 - 0.30) * lr_pos
    if np.isclose(float(my_post_test_probability), post_odds / (1 + post_odds), atol=0.005):
        print("Correct ✔ A positive result raises the probability: that is what an LR+ above 1 does.")
    elif np.isclose(float(my_post_test_probability), model_odds / (1 + model_odds), atol=0.005):
        print("Not quite: you used the model's lr_pos. The model already uses age, sex and symptoms, on which the "
              "30 % rests: that would count them twice. Use the single test's lr_st.")
    elif np.isclose(float(my_post_test_probability), 0.30 * lr_st, atol=0.005):
        print("Not quite: multiply the ODDS by the LR, not the probability. Convert 30 % to odds first.")
    elif np.isclose(float(my_post_test_probability), post_odds, atol=0.005):
        print("Not quite: that is the post-test ODDS. Turn it back into a probability: odds / (1 + odds).")
    elif float(my_post_test_probability) <= 0.30:
        print("Not quite: a positive result with an LR+ above 1 should raise the probability above 30 %.")
    else:
        print("Not quite. Three steps: pre-test odds = 0.3 / (1 − 0.3); post-test odds = pre-test odds × lr_st; "
              "probability = odds / (1 + odds).")

# %% [markdown]
# ### The Python that assignment 1 asks for
#
# The assignment asks you to write a few small **functions** that return a **dictionary** or a **pair**
# of numbers, and to call `roc_auc_score`. Here is each of them once, on this lab's numbers.
#
# - A **dictionary** holds values under names (keys): `{"TP": tp, "FP": fp}`; `counts["TP"]` reads one back.
# - A **function** packs a calculation to reuse on other patients: `def name(inputs):`, the indented lines
#   under it, and `return` what it gives back. `return a, b` gives back a **pair**; `x, y = name(...)`
#   unpacks it.
# - The counting lines of section 3 work on numpy arrays of 0/1 such as `y_true` and `y_pred` (a plain
#   Python list would not: `[1, 0] == 1` is simply `False`).

# %%
def counts_of(y_true, y_pred):
    """The 2x2 table of a set of patients, as a dictionary."""
    return {
        "TP": int(np.sum((y_pred == 1) & (y_true == 1))),
        "FP": int(np.sum((y_pred == 1) & (y_true == 0))),
        "FN": int(np.sum((y_pred == 0) & (y_true == 1))),
        "TN": int(np.sum((y_pred == 0) & (y_true == 0))),
    }


def ppv_npv(counts):
    """The pair (PPV, NPV) from a 2x2 table given as a dictionary."""
    return counts["TP"] / (counts["TP"] + counts["FP"]), counts["TN"] / (counts["TN"] + counts["FN"])


table = counts_of(y_true, y_pred)
ppv_again, npv_again = ppv_npv(table)
print(table, f"PPV {ppv_again:.2f}, NPV {npv_again:.2f}")

# %% [markdown]
# **Your turn 4 (a function that returns a pair).** Complete `lr_pair` so that it returns the pair
# `(LR+, LR−)` from a sensitivity and a specificity (LR− = (1 − sensitivity) / specificity), run the cell,
# then store in `my_lr_negative` the LR− of the logistic regression: `lr_pair(sensitivity, specificity)[1]`.

# %%
def lr_pair(sens, spec):
    lr_positive = sens / (1 - spec)
    lr_negative = None  # complete this line
    return lr_positive, lr_negative

# %%
my_lr_negative = None  # Write your answer here.

# %%
"""Check that your LR− from lr_pair is right (prints a hint, never the answer)."""
_typo = typing_hint(my_lr_negative)
if my_lr_negative is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif np.isclose(float(my_lr_negative), (1 - sensitivity) / specificity, atol=0.005):
    print("Correct ✔ A function returns a pair with `return a, b`; [1] takes the second of the two.")
elif np.isclose(float(my_lr_negative), sensitivity / (1 - specificity), atol=0.005):
    print("Not quite: that is LR+, the first of the pair. Take the second one, [1].")
elif np.isclose(float(my_lr_negative), (1 - specificity) / sensitivity, atol=0.005):
    print("Not quite: the fraction is upside down. LR− = (1 − sensitivity) / specificity.")
else:
    print("Not quite. In lr_pair, lr_negative = (1 - sens) / spec; then call lr_pair(sensitivity, specificity).")

# %% [markdown]
# **Your turn 5 (`roc_auc_score`).** How well does ST depression alone (`X_test["oldpeak"]`, higher = more
# suspicious) rank the test patients? Store its AUC in `my_auc_st`: `roc_auc_score` takes the true 0/1
# outcomes **first** and the scores second.

# %%
my_auc_st = None  # Write your answer here.

# %%
"""Check that your AUC of ST depression alone is right (prints a hint, never the answer)."""
_auc_st = roc_auc_score(y_true, X_test["oldpeak"])
_typo = typing_hint(my_auc_st, proportion=True)
if my_auc_st is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif np.isclose(float(my_auc_st), _auc_st, atol=0.005):
    print("Correct ✔ A single finding ranks patients less well than the model that combines ten findings.")
elif np.isclose(float(my_auc_st), roc_auc_score(y_true, X_test["oldpeak"] >= 1), atol=0.005):
    print("Not quite: you passed 0/1 calls at a cut-off. Pass the ST depression itself, so every cut-off counts.")
elif np.isclose(float(my_auc_st), 1 - _auc_st, atol=0.005):
    print("Not quite: below 0.5 means the scores are the wrong way round: higher ST depression should rank higher.")
else:
    print('Not quite. roc_auc_score(y_true, X_test["oldpeak"]): outcomes first, scores second.')

# %% [markdown]
# **Your turn 6 (think, no code to check).** Go back to section 6 and set `HARM_RATIO` to what *you*
# think is right for a patient like Mr A.; re-run the cells of that section. Would he be referred? Would
# your answer change for an 85-year-old with severe kidney disease, for whom contrast is more dangerous?
# Which way would the harm ratio move?
#
# ## Summary

# %%
# extra code – the headline numbers of this lab, in one place
print(f"Cleveland test set: {len(y_true)} patients, {y_true.mean():.0%} with CAD.")
for name in models:
    print(f"  {name}: AUC {auc[name]:.2f}, average precision {ap[name]:.2f}")
print(f"Logistic regression at threshold {THRESHOLD}: sensitivity {sensitivity:.0%}, specificity {specificity:.0%}, "
      f"PPV {ppv:.0%}, NPV {npv:.0%}, LR+ {lr_pos:.1f}, LR− {lr_neg:.2f}")
print(f"At threshold {harm_threshold:.2f} (harm ratio {HARM_RATIO}): sensitivity {at_harm['sensitivity']:.0%}, "
      f"specificity {at_harm['specificity']:.0%}")
for site, row in external.iterrows():
    print(f"  {site}: prevalence {row['prevalence']:.0%}, PPV observed {row['PPV observed']:.0%}")

# %% [markdown]
# **Take-aways**
#
# - A model gives a **probability**; a **threshold** turns it into a decision. Sensitivity, specificity,
#   PPV, NPV and likelihood ratios all belong to one threshold.
# - Count the 2×2 table yourself and read it as natural frequencies: "of 100 patients with CAD, the
#   model misses …".
# - **PPV and NPV depend on prevalence.** A model that looks good in a referral hospital can flag mostly
#   false alarms in a population where the disease is rare.
# - Sensitivity and specificity can change too when the model meets **other patients**: validate it
#   where it will be used.
# - The **AUC** is the chance that a random patient with the disease scores higher than one without. It
#   measures ranking, not the harm done at any threshold.
# - Choose the threshold from the **harms**: if one missed patient is as bad as *k* unnecessary
#   procedures, refer above *p*ₜ = 1 / (1 + *k*).
# - Test sets are small: the 95 % intervals above are wide. Ask for them when you read a paper.
#
# **References**
#
# - Detrano R, Janosi A, Steinbrunn W, et al. International application of a new probability algorithm
#   for the diagnosis of coronary artery disease. *Am J Cardiol* 1989;64:304–310.
# - Diamond GA. A clinically relevant classification of chest discomfort. *J Am Coll Cardiol*
#   1983;1:574–575.
# - Hanley JA, McNeil BJ. The meaning and use of the area under a receiver operating characteristic (ROC)
#   curve. *Radiology* 1982;143:29–36.
# - Hoffrage U, Lindsey S, Hertwig R, Gigerenzer G. Communicating statistical information. *Science*
#   2000;290:2261–2262.
# - Jaeschke R, Guyatt GH, Sackett DL. Users' guides to the medical literature III. How to use an article
#   about a diagnostic test. B. What are the results and will they help me in caring for my patients?
#   *JAMA* 1994;271:703–707.
# - Pauker SG, Kassirer JP. The threshold approach to clinical decision making. *N Engl J Med*
#   1980;302:1109–1117.
# - Saito T, Rehmsmeier M. The precision-recall plot is more informative than the ROC plot when
#   evaluating binary classifiers on imbalanced datasets. *PLoS One* 2015;10:e0118432.
# - Knuuti J, Wijns W, Saraste A, et al. 2019 ESC Guidelines for the diagnosis and management of chronic
#   coronary syndromes. *Eur Heart J* 2020;41:407–477.
# - National Institute for Health and Care Excellence. Recent-onset chest pain of suspected cardiac origin:
#   assessment and diagnosis. Clinical guideline CG95, 2010, updated 2016.
# - Vrints C, Andreotti F, Koskinas KC, et al. 2024 ESC Guidelines for the management of chronic coronary
#   syndromes. *Eur Heart J* 2024;45:3415–3537.
