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
# # Lab 3: Why does the model say this patient is at high risk?
#
# **The patient.** Mr R. is 57. For three months he has been short of breath when he walks uphill, without
# chest pain, and his general practitioner has referred him to the chest-pain clinic: breathlessness on
# exertion can be an anginal equivalent. His blood pressure is 130 mmHg systolic and his cholesterol
# 240 mg/dL. CT coronary angiography and stress imaging could not be booked for some weeks, so the clinic
# started with an exercise ECG: his heart rate peaked at 125 beats per minute, he had no angina, and his ST
# segment fell by 2 mm.
#
# **The decision.** The ESC guidelines (2019, 2024) on chronic coronary syndromes estimate the pre-test
# (clinical) likelihood of coronary artery disease (CAD) from age, sex and symptoms (and, in 2024, risk
# factors), then, unless it is very low, offer a non-invasive test, **CT coronary angiography** or
# **functional imaging** (stress echocardiography, a perfusion scan, stress MRI); **invasive coronary
# angiography** comes after, for high-risk findings or symptoms that medicines do not control. NICE CG95
# (2016) offers CT coronary angiography when clinical assessment suggests typical or atypical angina, or
# non-anginal pain with an abnormal resting ECG. A model flags Mr R. as **high risk of
# CAD**. How much weight does the flag deserve in choosing his next step: a non-invasive test (how soon?),
# treatment while he waits, or straight to an invasive angiogram? Before you lean on a flag you want to know
# *why* the model raised it, whether that reason makes clinical sense, and whether its number can be read
# as a probability at all.
#
# **What each kind of error costs.**
#
# - Acting on a **false alarm** by going straight to invasive angiography: a test he did not need, with its
#   risks (bleeding, contrast injury to the kidneys, rarely stroke). With a non-invasive test the harms are
#   smaller (the radiation and contrast of CT, worry).
# - Discounting a **true flag** and stopping there: untreated coronary disease, symptoms that go on, a risk
#   of heart attack, prevention never started.
#
# (Had Mr R. had no symptoms and simply been due for a knee replacement, no stress test would be indicated
# at all: the ACC/AHA 2014 and ESC 2022 guidelines advise against routine stress testing before non-cardiac
# surgery in patients without symptoms and with good exercise capacity, and in the CARP trial, opening
# narrowed coronary arteries before major vascular surgery did not improve survival.)
#
# **In this lab (about 45 minutes) you will:**
#
# 1. fit two models on 303 Cleveland patients who all had angiography: a logistic regression and a random
#    forest;
# 2. read the logistic regression's **odds ratios**;
# 3. measure **permutation importance**: how much worse the forest gets when one input is scrambled;
# 4. compute **SHAP values** for the forest: which inputs matter across all patients (global), and which
#    pushed Mr R.'s score up or down (local);
# 5. see two ways explanations mislead: **correlated inputs** and **leakage** (an input that already
#    contains the answer);
# 6. check whether the forest's score can be read as a probability (its **calibration**) before you say
#    it to a patient;
# 7. put one patient's explanation into plain words.
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
import shap
from sklearn.ensemble import RandomForestClassifier
from sklearn.inspection import permutation_importance
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

from clinical_data import load

SEED = 0  # every random step below uses this seed, so you get the same numbers every time

# extra code – readable figures in colours that colour-blind readers can tell apart (Okabe–Ito palette)
plt.rcParams.update(
    {"figure.dpi": 100, "font.size": 12, "axes.titlesize": 13, "axes.labelsize": 12, "legend.fontsize": 11}
)
BLUE, ORANGE, GREEN, VERMILION, GREY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#777777"
pd.set_option("display.float_format", lambda v: f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.3f}")

# extra code – one-line hints for the slips of someone new to Python (never the answer): a percentage typed
# with its % sign anywhere in the notebook; in the "Your turn" check cells, an answer typed in a form they
# cannot read; the outcomes and the risks swapped in roc_auc_score
from autograder.hints import roc_auc_score, show_percent_sign_hint, typing_hint

show_percent_sign_hint()

print("Ready.")

# %% [markdown]
# ## 1. The patients and two models
#
# We use the 303 Cleveland Clinic patients of the UCI Heart Disease data (Detrano et al., *Am J Cardiol*
# 1989), all referred for coronary angiography, our reference standard. We keep only what is known
# **before** the angiogram: the history, a blood test and the exercise ECG. Each input becomes a number
# the models can use: yes/no becomes 1/0, and the type of chest pain becomes three yes/no columns
# (a patient with typical angina has 0 in all three: typical angina is the *reference*).

# %%
heart = load("heart_disease")
cleveland = heart[heart["site"] == "Cleveland"].reset_index(drop=True)


def encode(df):
    """The inputs as numbers, one row per patient (yes = 1, no = 0)."""
    yes = {"True": 1, "False": 0, True: 1, False: 0}
    return pd.DataFrame({
        "age": df["age"].astype(float),                        # years
        "male": (df["sex"] == "Male").astype(int),
        "atypical_angina": (df["cp"] == "atypical angina").astype(int),
        "non_anginal_pain": (df["cp"] == "non-anginal").astype(int),
        "no_chest_pain": (df["cp"] == "asymptomatic").astype(int),
        "resting_bp": df["trestbps"].astype(float),            # mmHg systolic
        "cholesterol": df["chol"].astype(float),               # mg/dL
        "high_fasting_sugar": df["fbs"].map(yes).astype(int),  # fasting glucose > 120 mg/dL
        "max_heart_rate": df["thalach"].astype(float),         # peak on the treadmill, beats/min
        "exercise_angina": df["exang"].map(yes).astype(int),   # angina brought on by the treadmill
        "st_depression": df["oldpeak"].astype(float),          # mm
    })


X = encode(cleveland)
y = (cleveland["num"] > 0).astype(int)  # 1 = CAD on angiography
print(f"{len(X)} patients, {y.sum()} with CAD ({y.mean():.0%}); {X.shape[1]} inputs.")
X.head()

# %% [markdown]
# We keep a third of the patients aside as a **test set** (stratified: the same share with CAD in both
# parts), then fit the two models on the other two thirds:
#
# - a **logistic regression**: a weighted sum of the inputs turned into a probability, like many clinical
#   risk scores;
# - a **random forest**: 200 decision trees, each grown on a random sample of patients; the forest's
#   probability is the average of the trees' answers.

# %%
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=1 / 3, stratify=y, random_state=SEED)

logreg = LogisticRegression(C=np.inf, solver="newton-cholesky")  # C=np.inf: a plain, unpenalised fit
logreg.fit(X_train, y_train)
forest = RandomForestClassifier(n_estimators=200, min_samples_leaf=5, random_state=SEED)
forest.fit(X_train, y_train)

auc_logreg = roc_auc_score(y_test, logreg.predict_proba(X_test)[:, 1])
auc_forest = roc_auc_score(y_test, forest.predict_proba(X_test)[:, 1])
print(f"Test patients: {len(y_test)}. AUC: logistic regression {auc_logreg:.2f}, random forest {auc_forest:.2f}.")

# %% [markdown]
# Both models rank patients about equally well (the AUC is the chance that a random patient with CAD
# gets a higher score than a random patient without; Module 1). Now Mr R.:

# %%
mr_r = pd.DataFrame([{
    "age": 57, "male": 1, "atypical_angina": 0, "non_anginal_pain": 0, "no_chest_pain": 1,
    "resting_bp": 130, "cholesterol": 240, "high_fasting_sugar": 0,
    "max_heart_rate": 125, "exercise_angina": 0, "st_depression": 2.0,
}])
p_mr_r = forest.predict_proba(mr_r)[0, 1]
print(f"Random forest:       Mr R.'s score (predicted probability of CAD) is {p_mr_r:.0%}.")
print(f"Logistic regression: Mr R.'s score (predicted probability of CAD) is {logreg.predict_proba(mr_r)[0, 1]:.0%}.")
print(f"(Among the Cleveland training patients, {y_train.mean():.0%} had CAD.)")

# %% [markdown]
# ## 2. What an explanation is, and what it is not
#
# An *explanation* of a model describes **how the model uses its inputs**: which inputs move its output,
# in which direction, by how much. It answers "why did the **model** say this?", not "why does the
# **patient** have this disease?". Three things to keep in mind throughout:
#
# - **Not causation.** The model learned associations in 303 referred patients. An input can matter to the
#   model because it is a marker of something else (how patients were referred, which tests were done),
#   not a cause. Changing the input (lowering a number with a drug) need not change the risk.
# - **About the model, not the truth.** A faithful explanation of a wrong model is still an explanation of
#   a wrong model.
# - **Many kinds.** Global explanations describe the model over all patients; local ones describe one
#   prediction. Different methods answer different questions and can disagree (Ghassemi, Oakden-Rayner &
#   Beam, *Lancet Digit Health* 2021).
#
# ## 3. Odds ratios of the logistic regression
#
# A logistic regression adds up `coefficient × input` to give the **log-odds** of CAD. So `exp(coefficient)`
# is an **odds ratio (OR)**: how many times the odds of CAD are multiplied when that input goes up by one
# unit *and every other input stays the same*. A yes/no input's OR compares yes with no. The three
# chest-pain columns are one question coded against a **reference category, typical angina**: each of their
# ORs compares that kind of chest pain with typical angina. For a number we choose a step that means
# something clinically (10 years, 10 beats per minute).

# %%
per_step = {"age": 10, "resting_bp": 10, "cholesterol": 50, "max_heart_rate": 10}  # units per step; others 1
steps = np.array([per_step.get(name, 1) for name in X.columns])
odds_ratios = pd.Series(np.exp(logreg.coef_[0] * steps), index=X.columns)

# extra code – a readable table, sorted from "raises the odds most" to "lowers them most"
unit = {"age": "per 10 years", "resting_bp": "per 10 mmHg", "cholesterol": "per 50 mg/dL",
        "max_heart_rate": "per 10 beats/min", "st_depression": "per 1 mm",
        "atypical_angina": "vs typical angina", "non_anginal_pain": "vs typical angina",
        "no_chest_pain": "vs typical angina"}
or_table = pd.DataFrame({"odds ratio": odds_ratios,
                         "for": [unit.get(name, "yes vs no") for name in X.columns]})
or_table.sort_values("odds ratio", ascending=False)

# %% mystnb={"image": {"alt": "Horizontal bar chart of the logistic regression's odds ratio of CAD for each input, on a log scale centred on 1: male sex, no chest pain, exercise angina and ST depression raise the odds most, while a higher peak heart rate, high fasting sugar and non-anginal pain lower them."}}
# extra code – the odds ratios on a log scale (a ratio of 2 and of 1/2 are the same distance from 1)
ordered = odds_ratios.sort_values()
fig, ax = plt.subplots(figsize=(8, 5.5))
colours = [VERMILION if v > 1 else BLUE for v in ordered]
ax.barh([f"{name} ({unit.get(name, 'yes vs no')})" for name in ordered.index], np.log2(ordered), color=colours)
ax.axvline(0, color="black", linewidth=1)
ticks = [0.25, 0.5, 1, 2, 4, 8]
ax.set_xticks(np.log2(ticks), [f"{t:g}" for t in ticks])
ax.set_title("Logistic regression: odds ratio of CAD for each input")
ax.set_xlabel("odds ratio (log scale; right of 1 = higher odds of CAD)")
ax.set_ylabel("input")
fig.tight_layout()
plt.show()

# %% [markdown]
# Read one as a clinician would. The OR for `st_depression` means: *for two patients alike in every other
# input, one with 1 mm more ST depression on the treadmill, the odds of CAD are about that many times
# higher.* Two cautions, both of which matter again in section 7:
#
# - "Every other input stays the same" is a thought experiment. If two inputs always move together, it is
#   an experiment no patient can be in.
# - An OR multiplies **odds**, not probability. A doubling of the odds moves a probability of 10% to 18%,
#   but a probability of 50% to 67%.
#
# **Your turn 1 (an odds ratio from a coefficient).** The cell below puts the model's coefficients in a
# **dictionary** keyed by input name, `coef_by_input`. A coefficient is a change in **log-odds** per one
# unit of the input. What is the **odds ratio of CAD for 5 more years of age**, everything else the same?
# Recipe: take the coefficient of age, multiply it by the step in years, and turn the resulting change
# in log-odds into an odds ratio with the exponential function (`np.exp`).

# %%
coef_by_input = dict(zip(X.columns, logreg.coef_[0]))  # {input name: coefficient}
print(f"Coefficient of age: {coef_by_input['age']:.4f} per year (a change in log-odds, not an odds ratio).")

# %%
my_or_age_5 = None  # Write your answer here.

# %%
"""Check that your odds ratio per 5 years of age is right (prints a hint, never the answer)."""
_b_age = coef_by_input["age"]
_typo = typing_hint(my_or_age_5)
if my_or_age_5 is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif np.isclose(float(my_or_age_5), np.exp(5 * _b_age), atol=0.001):
    print("Correct ✔ Odds ratios multiply: per 5 years it is the square root of the OR per 10 years.")
elif np.isclose(float(my_or_age_5), 5 * _b_age, atol=0.0005):
    print("Not quite: that is still a change in log-odds. Take np.exp of it to get an odds ratio.")
elif np.isclose(float(my_or_age_5), np.exp(_b_age), atol=0.0005):
    print("Not quite: that is the odds ratio per 1 year. Multiply the coefficient by 5 before np.exp.")
elif np.isclose(float(my_or_age_5), 5 * np.exp(_b_age), atol=0.0005):
    print("Not quite: multiply the COEFFICIENT by 5, then take np.exp; not the other way round.")
elif np.isclose(float(my_or_age_5), odds_ratios["age"], atol=0.0005):
    print("Not quite: that is the odds ratio per 10 years, from the table. The question asks per 5 years.")
elif abs(float(my_or_age_5) - np.exp(5 * _b_age)) < 0.006:
    print("Almost: give at least three decimals (compute it in the cell rather than copy a rounded number).")
else:
    print("Not quite: check the step (5 years), that it multiplies the coefficient of age, and the np.exp.")

# %% [markdown]
# Why not simply compare the sizes of the ORs? Because they depend on the step we chose (per 10 beats/min
# or per 1?). We need a measure in the same units for every input. Here are two.
#
# ## 4. Permutation importance: what if we scramble one input?
#
# Take the test patients and shuffle one column (say, everyone's cholesterol), leaving the rest alone. If
# the model relied on that input, its AUC falls; if not, nothing changes. Repeat the shuffle 10 times and
# average (Breiman, *Machine Learning* 2001). scikit-learn's `permutation_importance` does this for every
# input.

# %%
perm = permutation_importance(forest, X_test, y_test, scoring="roc_auc", n_repeats=10, random_state=SEED)
perm_importance = pd.Series(perm.importances_mean, index=X.columns).sort_values(ascending=False)
perm_importance.rename("fall in AUC when shuffled").to_frame()

# %% [markdown]
# Let us check what `permutation_importance` does by doing it by hand for one input: shuffle
# `st_depression` 10 times and average the fall in AUC. Our shuffles are other random ones than
# scikit-learn's, so the two averages differ: with 10 shuffles of about 100 patients, permutation
# importance is noisy. Keep that in mind before you read much into small differences.

# %%
rng = np.random.RandomState(SEED)
falls = []
column = list(X.columns).index("st_depression")
for _ in range(10):
    shuffled = X_test.copy()
    shuffled["st_depression"] = X_test["st_depression"].to_numpy()[rng.permutation(len(X_test))]
    falls.append(auc_forest - roc_auc_score(y_test, forest.predict_proba(shuffled)[:, 1]))
print(f"By hand: the AUC falls by {np.mean(falls):.3f} on average when ST depression is shuffled.")
print(f"permutation_importance says {perm.importances_mean[column]:.3f} (same method, other shuffles).")

# %% mystnb={"image": {"alt": "Horizontal bar chart of how much the random forest's AUC on the test patients falls when each input is shuffled, with lines of plus or minus one standard deviation over 10 shuffles: no chest pain and ST depression matter most, and the last few inputs are close to zero, their lines crossing it."}}
# extra code – bar chart of permutation importance, with the spread over the 10 shuffles
fig, ax = plt.subplots(figsize=(8, 5))
order = perm_importance.index[::-1]
spread = pd.Series(perm.importances_std, index=X.columns)[order]
ax.barh(order, perm_importance[order], xerr=spread, color=BLUE, ecolor=GREY)
ax.axvline(0, color="black", linewidth=1)
ax.set_title("Random forest: how much the AUC falls when one input is shuffled")
ax.set_xlabel("fall in AUC on the test patients (bar = mean, line = ± 1 SD over 10 shuffles)")
ax.set_ylabel("input")
fig.tight_layout()
plt.show()

# %% [markdown]
# Permutation importance is a **global** measure: one number per input, for the model as a whole, on these
# test patients. It says nothing about Mr R. in particular, and, with only about 100 test patients, small
# values are within the noise (look at the error lines).
#
# **Your turn 2 (`permutation_importance` on another model).** Does ST depression matter as much to the
# **logistic regression**? Call `permutation_importance` on `logreg` with the same settings as for the
# forest above (`X_test`, `y_test`, `scoring="roc_auc"`, `n_repeats=10`, `random_state=SEED`), put its
# `importances_mean` in a `pd.Series` with `index=X_test.columns`, and store its value for
# `"st_depression"` in `my_perm_st_logreg`. Replace each `...` in the answer cell.

# %%
my_perm_st_logreg = None  # Replace each ... below, then select the lines and press Ctrl+/ (Cmd+/ on a Mac) to remove their #, and run.
# perm_lr = permutation_importance(..., X_test, y_test, scoring="roc_auc", n_repeats=10, random_state=SEED)
# perm_lr_by_input = pd.Series(perm_lr.importances_mean, index=X_test.columns)
# my_perm_st_logreg = perm_lr_by_input[...]  # the input's name, in quotes

# %%
"""Check that your permutation importance of ST depression for the logistic regression is right (prints a hint, never the answer)."""
_st = list(X_test.columns).index("st_depression")
_lr_auc = permutation_importance(logreg, X_test, y_test, scoring="roc_auc", n_repeats=10, random_state=SEED)
_lr_acc = permutation_importance(logreg, X_test, y_test, n_repeats=10, random_state=SEED)
_typo = typing_hint(my_perm_st_logreg)
if my_perm_st_logreg is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif np.isclose(float(my_perm_st_logreg), _lr_auc.importances_mean[_st], atol=0.0006):
    print("Correct ✔ Each model has its own importances: compare with the forest's bar for st_depression.")
elif np.isclose(float(my_perm_st_logreg), perm_importance["st_depression"], atol=0.0006):
    print("Not quite: that is the FOREST's value. Pass logreg as the first argument.")
elif np.isclose(float(my_perm_st_logreg), _lr_acc.importances_mean[_st], atol=0.0006):
    print('Not quite: without scoring="roc_auc" it measures the fall in accuracy. Add scoring="roc_auc".')
elif np.isclose(float(my_perm_st_logreg), _lr_auc.importances_std[_st], atol=0.0006):
    print("Not quite: that is the spread over the shuffles (importances_std). Take importances_mean.")
elif abs(float(my_perm_st_logreg) - _lr_auc.importances_mean[_st]) < 0.006:
    print("Almost: give at least three decimals (compute it in the cell rather than copy a rounded number).")
else:
    print("Not quite: check the model you passed (the logistic regression), the settings (the same as for "
          "the forest), and the input you picked from the Series.")

# %% [markdown]
# ## 5. SHAP: sharing out one prediction among the inputs
#
# SHAP (Lundberg & Lee, *NeurIPS* 2017) starts from the **base value**, E[f(X)]: the *mean of the model's
# predictions* over its background data (here, the training patients as the trees recorded them). It is not
# the prediction for an "average patient" with the mean of every input. SHAP gives each input a share of
# the difference between the base value and this patient's prediction:
#
# $$\begin{aligned}\text{prediction} = {} & \text{base value} + \text{SHAP}_\text{age} + \text{SHAP}_\text{male} \\
# & + \dots + \text{SHAP}_\text{ST depression}\end{aligned}$$
#
# For our forest, predictions are probabilities, so each SHAP value is a number of **percentage points**
# that input added to (or took away from) this patient's score. The shares come from game theory (Shapley
# values): each input gets its average contribution over all the orders in which inputs could be added.
# For tree models, `shap.TreeExplainer` computes them exactly and fast (Lundberg et al., *Nat Mach Intell*
# 2020).

# %%
explainer = shap.TreeExplainer(forest)
shap_test = explainer(X_test)[:, :, 1]  # [:, :, 1]: the SHAP values for the probability of CAD (class 1)
base_value = shap_test.base_values[0]
average_patient = X_train.mean().to_frame().T
print(f"Base value: {base_value:.3f}, the mean prediction E[f(X)] ({y_train.mean():.3f} of training patients had CAD).")
print(f"Not the same thing: the forest's score for a made-up 'average patient' is "
      f"{forest.predict_proba(average_patient)[0, 1]:.3f}.")

# The SHAP values of every test patient add up to that patient's prediction:
p_test = forest.predict_proba(X_test)[:, 1]
assert np.allclose(shap_test.base_values + shap_test.values.sum(axis=1), p_test), "SHAP values do not add up"
print("Checked: base value + sum of SHAP values = the forest's probability, for every test patient.")


def in_points(explanation):
    """extra code – the same SHAP values in percentage points (× 100), for SHAP's plots."""
    return shap.Explanation(values=100 * explanation.values, base_values=100 * explanation.base_values,
                            data=explanation.data, feature_names=explanation.feature_names)

# %% [markdown]
# ### Global: which inputs matter across patients?
#
# Averaging the **size** of each input's SHAP values (ignoring the sign) over the test patients gives a
# global importance, in percentage points.

# %%
mean_abs_shap = pd.Series(np.abs(shap_test.values).mean(axis=0), index=X.columns).sort_values(ascending=False)
comparison = pd.DataFrame({"mean |SHAP| (points)": 100 * mean_abs_shap,
                           "permutation importance (AUC)": perm_importance[mean_abs_shap.index]})
comparison

# %% mystnb={"image": {"alt": "SHAP bar chart of the random forest's mean absolute SHAP value for each input, in percentage points of the score: no chest pain and ST depression come first, followed by exercise angina, peak heart rate and age, with high fasting sugar last."}}
# extra code – SHAP's bar plot of the mean |SHAP| values, in percentage points
shap.plots.bar(in_points(shap_test), max_display=12, show=False)
ax = plt.gca()
ax.set_title("Random forest: average size of each input's SHAP value")
ax.set_xlabel("mean |SHAP value| (percentage points of the score)")
ax.set_ylabel("input")
plt.show()

# %% [markdown]
# The **beeswarm plot** shows every test patient as one dot per input: the horizontal position is that
# input's SHAP value for that patient (right = pushed the score up), the colour is the input's value (red =
# high, blue = low; for yes/no inputs, red = yes).

# %% mystnb={"image": {"alt": "SHAP beeswarm plot with one dot per test patient for each input, placed by its SHAP value in percentage points of the score and coloured by the input's value (red high, blue low): much ST depression, having no chest pain, exercise angina, a low peak heart rate, older age and male sex sit on the right, pushing the score up."}}
# extra code – SHAP's beeswarm plot
shap.plots.beeswarm(in_points(shap_test), max_display=12, show=False)
ax = plt.gca()
ax.set_title("Random forest: each dot is one test patient")
ax.set_xlabel("SHAP value (percentage points added to the score)")
ax.set_ylabel("input")
plt.show()

# %% [markdown]
# How to read it, row by row: for `st_depression`, red dots (much ST depression) sit on the right (higher
# score) and blue dots on the left. That matches cardiology. For `max_heart_rate`, blue dots (a low peak
# heart rate) sit on the right: patients who could not reach a high heart rate were more often found to
# have CAD.
#
# Now look at `no_chest_pain`: **having no chest pain pushes the score up.** Is that medicine? No: in this
# data set, patients with no chest pain who were nonetheless sent for angiography must have had other
# strong reasons to be referred, and most of them had CAD. The explanation faithfully shows what the
# model learned, and what it learned is partly **how patients came to be referred**. An explanation can
# show you a problem; it does not fix it.
#
# ### Local: why Mr R.?
#
# The **waterfall plot** starts at the base value at the bottom and adds one input's SHAP value per bar
# until it reaches Mr R.'s prediction at the top.

# %% mystnb={"image": {"alt": "SHAP waterfall plot for Mr R.: starting from the base value (the mean of the forest's predictions) at the bottom, one bar per input adds or takes away percentage points up to his score at the top. His ST depression, low peak heart rate, absence of chest pain, age and male sex push the score up; the absence of angina on the treadmill pulls it down."}}
shap_mr_r = explainer(mr_r)[0, :, 1]
assert np.isclose(shap_mr_r.base_values + shap_mr_r.values.sum(), p_mr_r), "SHAP values do not add up"

# extra code – SHAP's waterfall plot, in percentage points
shap.plots.waterfall(in_points(shap_mr_r), max_display=12, show=False)
ax = plt.gca()
ax.set_title(f"Mr R.: from the base value (mean prediction) to his score of {p_mr_r:.0%}")
ax.set_xlabel("score (%)")
ax.set_ylabel("input = Mr R.'s value")
plt.show()

# %%
mr_r_table = pd.DataFrame({"Mr R.'s value": [f"{v:g}" for v in mr_r.iloc[0]],  # as entered: 57, 1 = yes
                           "SHAP (points)": 100 * shap_mr_r.values},
                          index=X.columns).sort_values("SHAP (points)", ascending=False)
mr_r_table

# %% [markdown]
# Read the waterfall as a sentence: *"The mean of the model's predictions is the base value at the bottom;
# Mr R.'s ST depression, his low peak heart rate, the absence of chest pain and his age add to it; the
# absence of angina on the treadmill takes some away."* Then ask, as a clinician: **do these reasons make
# sense for him?** The ST depression does. "No chest pain raises the score" has two honest readings: the
# referral artefact we met above, or, for a man whose symptom is breathlessness on exertion (an anginal
# equivalent), a partly real signal, since the data's "no chest pain" group will have held patients like
# him. The data cannot tell the two apart, so it is a reason you cannot check.
#
# **You cannot simply take a reason's points away.** The type of chest pain is one input spread over three
# columns, and a SHAP value is a share of the distance from the base value, not what the model would say
# if the input were different or missing. The next cell compares "his score minus the chest-pain points"
# with what the model actually says for the same man with each other kind of chest pain.

# %%
chest_pain = ["atypical_angina", "non_anginal_pain", "no_chest_pain"]
pain_points = shap_mr_r.values[[list(X.columns).index(c) for c in chest_pain]].sum()
print(f"His score minus the points of the three chest-pain columns: {p_mr_r - pain_points:.0%}")
for kind in ["typical angina (the reference)"] + chest_pain:
    other = mr_r.copy()
    other[chest_pain] = 0
    if kind in chest_pain:
        other[kind] = 1
    print(f"The forest's score for the same man coded with {kind}: {forest.predict_proba(other)[0, 1]:.0%}")

# %% [markdown]
# None of the other answers gives "his score minus the points". To ask "what if?", change the input and
# ask the model again.
#
# **Your turn 3.** Which input pushed **Mr R.'s** score **up** the most? Type its column name as text,
# for example `"age"`.

# %%
my_top_input = None  # Write your answer here, in quotes.

# %%
"""Check that your answer names the input that raised Mr R.'s score most (prints a hint, never the answer)."""
if my_top_input is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif not isinstance(my_top_input, str) or my_top_input not in X.columns:
    print("Not quite: give one of the column names of X, in quotes, for example \"age\".")
elif my_top_input == mr_r_table["SHAP (points)"].idxmax():
    print("Correct ✔ It has the largest positive SHAP value: the longest bar pointing right in the waterfall.")
elif mr_r_table.loc[my_top_input, "SHAP (points)"] < 0:
    print("Not quite: that input LOWERED Mr R.'s score (its SHAP value is negative). Look for the largest "
          "positive value.")
elif my_top_input == mean_abs_shap.idxmax():
    print("Not quite: that input matters most ON AVERAGE over the test patients (global). The question is "
          "about Mr R. alone (local): use his waterfall or mr_r_table.")
else:
    print("Not quite: that input raised his score, but another raised it more. Sort by his SHAP values.")

# %% [markdown]
# **Your turn 4 (mean |SHAP| in a group of patients).** The global importance above averages the **size**
# of the SHAP values (`np.abs`) over the test patients, input by input (`.mean(axis=0)`: down the rows,
# one number per column). Does the peak heart rate weigh as much in the scores of the **women**? Take the
# rows of `shap_test.values` for the women (`shap_test.values[women]`), compute their mean |SHAP| per input
# as a `pd.Series` with `index=X.columns`, and store the value for `"max_heart_rate"` in
# `my_shap_hr_women`. SHAP values are in **probability units** (0.05 = 5 percentage points): give it in those
# units, as `shap_test.values` holds it (do not multiply by 100, as the plots do to show percentage points).
# Replace each `...` in the answer cell.

# %%
women = X_test["male"].to_numpy() == 0  # True for each woman among the test patients
print(f"{women.sum()} of the {len(X_test)} test patients are women.")

# %%
my_shap_hr_women = None  # Replace each ... below, then select the lines and press Ctrl+/ (Cmd+/ on a Mac) to remove their #, and run.
# shap_women = shap_test.values[...]  # the rows of the women
# mean_abs_shap_women = pd.Series(np.abs(...).mean(axis=0), index=X.columns)
# my_shap_hr_women = mean_abs_shap_women[...]  # the input's name, in quotes

# %%
"""Check that your mean |SHAP| of the peak heart rate in women is right (prints a hint, never the answer)."""
_hr = list(X.columns).index("max_heart_rate")
_ref = np.abs(shap_test.values[women][:, _hr]).mean()
_typo = typing_hint(my_shap_hr_women)
if my_shap_hr_women is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif np.isclose(float(my_shap_hr_women), _ref, atol=0.001):
    print("Correct ✔ Compare it with the same input's mean |SHAP| over all test patients, in mean_abs_shap.")
elif np.isclose(float(my_shap_hr_women), 100 * _ref, atol=0.05):
    print("Not quite: that is in percentage points. Give it in probability units: do not multiply by 100.")
elif np.isclose(float(my_shap_hr_women), shap_test.values[women][:, _hr].mean(), atol=0.0005):
    print("Not quite: positive and negative values cancel out in a plain mean. Take np.abs first.")
elif np.isclose(float(my_shap_hr_women), mean_abs_shap["max_heart_rate"], atol=0.0005):
    print("Not quite: that is over ALL test patients. Keep the rows of the women: shap_test.values[women].")
elif np.isclose(float(my_shap_hr_women), np.abs(shap_test.values[~women][:, _hr]).mean(), atol=0.0005):
    print("Not quite: that is the men. `women` is True for the women; ~women selects the men.")
elif abs(float(my_shap_hr_women) - _ref) < 0.006:
    print("Almost: give at least three decimals (compute it in the cell rather than copy a rounded number).")
else:
    print("Not quite: check the rows you kept (the women), the absolute value before the mean, and the "
          "input you picked.")

# %% [markdown]
# ## 6. Three explanations side by side
#
# We now have three rankings of the inputs: the logistic regression's odds ratios (per step we chose),
# the forest's permutation importance, and the forest's mean |SHAP|. They answer different questions:
#
# | method | question it answers | model |
# |---|---|---|
# | odds ratio | how are the odds multiplied per step of this input, others held fixed? | logistic regression only |
# | permutation importance | how much worse does the model rank patients without this input's information? | any model, global |
# | SHAP | how many points did this input add to this patient's score? | any model (fast for trees), global and local |

# %%
rank = pd.DataFrame({
    "SHAP rank": mean_abs_shap.rank(ascending=False).astype(int),
    "permutation rank": perm_importance.rank(ascending=False, method="first").astype(int),
    "odds ratio, size of effect rank": np.abs(np.log(odds_ratios)).rank(ascending=False).astype(int),
}).sort_values("SHAP rank")
rank

# %% [markdown]
# The top inputs broadly agree; the order of the others shifts. The odds-ratio column depends on the steps
# we chose, and permutation importance on a few random shuffles of about 100 patients. No ranking is "the"
# importance.
#
# ## 7. Pitfall 1: correlated inputs
#
# When two inputs carry the same information, a model can use either, both, or a mixture, and
# explanations that look at one input at a time are misled. The Wisconsin breast-cancer data (569 fine-needle
# aspirates; Street, Wolberg & Mangasarian 1993) has a textbook case: the **radius**, **perimeter** and
# **area** of the cell nuclei are geometry of the same circles.

# %%
breast = load("breast_cancer")
malignant = (breast["diagnosis"] == "malignant").astype(int)
size_columns = ["mean_radius", "mean_perimeter", "mean_area"]
other_columns = ["mean_texture", "mean_concave_points", "mean_smoothness"]
print(f"{len(breast)} aspirates, {malignant.mean():.0%} malignant.")
breast[size_columns].corr().round(3)

# %% [markdown]
# Correlations of 0.99: knowing one, you know the others. Watch what this does to the odds ratios. We fit
# two logistic regressions on standardised inputs (so each OR is **per standard deviation**): one with
# the radius only, one with radius, perimeter and area.

# %%
B_train, B_test, m_train, m_test = train_test_split(
    breast[size_columns + other_columns], malignant, test_size=1 / 3, stratify=malignant, random_state=SEED
)


def odds_ratios_per_sd(columns):
    """A plain logistic regression on standardised inputs; odds ratio per SD of each input."""
    scaler = StandardScaler().fit(B_train[columns])
    model = LogisticRegression(C=np.inf, solver="newton-cholesky").fit(scaler.transform(B_train[columns]), m_train)
    auc = roc_auc_score(m_test, model.predict_proba(scaler.transform(B_test[columns]))[:, 1])
    return pd.Series(np.exp(model.coef_[0]), index=columns), auc


or_radius_only, auc_radius_only = odds_ratios_per_sd(["mean_radius"] + other_columns)
or_all_three, auc_all_three = odds_ratios_per_sd(size_columns + other_columns)
print(f"AUC with radius only: {auc_radius_only:.3f}; with radius, perimeter and area: {auc_all_three:.3f}")
pd.DataFrame({"radius only": or_radius_only, "radius + perimeter + area": or_all_three}).loc[size_columns]

# %% [markdown]
# With the radius alone, a bigger nucleus means much higher odds of cancer, as pathologists would expect.
# Add perimeter and area and the model predicts just as well, but the OR for the radius falls **below 1**:
# read naively, "bigger nuclei are *protective*". The perimeter's OR is close to 0 and the area's is
# enormous. None of this is biology: "a bigger radius with the same perimeter and area" is geometrically
# impossible, so the model is free to share the effect among the three in any way that fits, even with
# opposite signs.
#
# Now the random forest with all three sizes, and its permutation importance, one input at a time and
# then with the three sizes **shuffled together**.

# %%
breast_forest = RandomForestClassifier(n_estimators=200, min_samples_leaf=5, random_state=SEED)
breast_forest.fit(B_train, m_train)
auc_breast = roc_auc_score(m_test, breast_forest.predict_proba(B_test)[:, 1])
one_at_a_time = permutation_importance(breast_forest, B_test, m_test, scoring="roc_auc", n_repeats=10,
                                       random_state=SEED)
perm_one = pd.Series(one_at_a_time.importances_mean, index=B_test.columns)


def group_importance(model, X_eval, y_eval, columns, n_repeats=10, seed=SEED):
    """Mean fall in AUC when the given columns are shuffled TOGETHER (the same shuffle for all of them)."""
    rng = np.random.RandomState(seed)
    reference = roc_auc_score(y_eval, model.predict_proba(X_eval)[:, 1])
    falls = []
    for _ in range(n_repeats):
        shuffled = X_eval.copy()
        order = rng.permutation(len(X_eval))
        shuffled[columns] = X_eval[columns].to_numpy()[order]
        falls.append(reference - roc_auc_score(y_eval, model.predict_proba(shuffled)[:, 1]))
    return float(np.mean(falls))


size_together = group_importance(breast_forest, B_test, m_test, size_columns)
print(f"Forest AUC {auc_breast:.3f}. Fall in AUC when shuffled:")
for name in size_columns:
    print(f"  {name} alone: {perm_one[name]:.3f}")
print(f"  the three sizes together: {size_together:.3f}")

# %% mystnb={"image": {"alt": "Two horizontal bar charts for the breast-cancer random forest. Left, permutation importance: radius, perimeter and area (orange) each look almost unimportant when shuffled alone, but the three sizes shuffled together give the largest fall in AUC of all; right, mean absolute SHAP spreads the credit among the three sizes, with mean concave points the largest single input."}}
# extra code – SHAP for the breast-cancer forest: how the credit is shared among the three sizes
breast_shap = shap.TreeExplainer(breast_forest)(B_test)[:, :, 1]
shap_share = pd.Series(np.abs(breast_shap.values).mean(axis=0), index=B_test.columns)

fig, (ax_perm, ax_shap) = plt.subplots(1, 2, figsize=(12, 4.5), sharey=True)
names = size_columns + other_columns
colours = [ORANGE] * 3 + [BLUE] * 3
ax_perm.barh(names + ["3 sizes together"], list(perm_one[names]) + [size_together], color=colours + [VERMILION])
ax_perm.set_title("Permutation importance")
ax_perm.set_xlabel("fall in AUC when shuffled")
ax_perm.set_ylabel("input")
ax_shap.barh(names + ["3 sizes together"], list(100 * shap_share[names]) + [0], color=colours + [VERMILION])
ax_shap.set_title("Mean |SHAP| (sizes shown one by one)")
ax_shap.set_xlabel("percentage points of the score")
fig.suptitle("Breast-cancer forest: three near-identical size inputs (orange)")
fig.tight_layout()
plt.show()

# %% [markdown]
# Shuffled one at a time, each size seems almost **unimportant**: the model falls back on the other two.
# Shuffled together, the sizes turn out to matter a great deal. SHAP, meanwhile, spreads the credit among
# the three, and how it spreads depends on chance in the fitting (try another `random_state`).
#
# **Which explanation to trust?** None of the one-input-at-a-time numbers, for any of the three sizes.
# Trust statements about the **group** ("nuclear size matters a lot"), or refit with one representative
# of the group (the radius-only model above), and check that explanations agree with what is known about
# the disease. When two explanations of the same model disagree, look for correlated inputs first.
#
# **Your turn 5.** How much does the breast-cancer forest's AUC fall when `mean_concave_points` and
# `mean_texture` are shuffled **together**? Use `group_importance` (same model, test data and defaults as
# above) and store the fall in AUC.

# %%
my_pair_fall = None  # Write your answer here.

# %%
"""Check that your fall in AUC for the two inputs shuffled together is right (prints a hint, never the answer)."""
_pair = ["mean_concave_points", "mean_texture"]
_ref = group_importance(breast_forest, B_test, m_test, _pair)
_typo = typing_hint(my_pair_fall)
if my_pair_fall is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif np.isclose(float(my_pair_fall), _ref, atol=0.0006):
    print("Correct ✔ Shuffled together they matter more than either alone: compare with perm_one.")
elif any(np.isclose(float(my_pair_fall), perm_one[name], atol=0.0006) for name in _pair):
    print("Not quite: that is ONE input shuffled on its own. Pass both column names in a list.")
elif np.isclose(float(my_pair_fall), perm_one[_pair].sum(), atol=0.0006):
    print("Not quite: you added the two one-at-a-time values. Shuffle the two columns together instead.")
elif float(my_pair_fall) < 0:
    print("Not quite: a fall in AUC should be positive here. Did you subtract the wrong way round?")
elif abs(float(my_pair_fall) - _ref) < 0.006:
    print("Almost: give at least three decimals (compute it in the cell rather than copy a rounded number).")
else:
    print("Not quite. Call group_importance(breast_forest, B_test, m_test, [...]) with the two column "
          "names in a list.")

# %% [markdown]
# ## 8. Pitfall 2: leakage, when an input already contains the answer
#
# Suppose a colleague builds the heart-disease model from a hospital data extract, and the extract holds one
# more column: the **angiography grade** (`num`, 0–4), the grade of coronary narrowing written in the
# angiography report. It is recorded **after** the angiogram, the very test whose result we want to
# predict, so a patient in clinic never has it. Leaving it in is *leakage* (Kaufman et al., *ACM Trans
# Knowl Discov Data* 2012). Watch what the explanations say.

# %%
X_leaky = X.assign(angiography_grade=cleveland["num"])  # recorded after the diagnosis: a leak
leaky_forest = RandomForestClassifier(n_estimators=200, min_samples_leaf=5, random_state=SEED)
leaky_forest.fit(X_leaky.loc[X_train.index], y_train)
auc_leaky = roc_auc_score(y_test, leaky_forest.predict_proba(X_leaky.loc[X_test.index])[:, 1])
shap_leaky = shap.TreeExplainer(leaky_forest)(X_leaky.loc[X_test.index])[:, :, 1]
leaky_importance = pd.Series(np.abs(shap_leaky.values).mean(axis=0), index=X_leaky.columns)
print(f"AUC with the extra column: {auc_leaky:.3f} (without it: {auc_forest:.3f}).")

# %% mystnb={"image": {"alt": "SHAP bar chart of the leaky model's mean absolute SHAP value for each input: the angiography grade towers over every other input, all of which have small values."}}
# extra code – SHAP bar plot of the leaky model
shap.plots.bar(in_points(shap_leaky), max_display=8, show=False)
ax = plt.gca()
ax.set_title("Leaky model: average size of each input's SHAP value")
ax.set_xlabel("mean |SHAP value| (percentage points of the score)")
ax.set_ylabel("input")
plt.show()

# %% [markdown]
# A near-perfect AUC is the first warning; the explanation is the second: one input towers over all the
# others. Whenever the top input of an explanation is something you would only know **after** the
# diagnosis (a test result, a treatment started, a specialist's referral, a billing code), suspect
# leakage. Here the explanation was *useful*: it pointed straight at the problem. It cannot tell you that
# the column is a leak; only knowing **when** each input is recorded can.
#
# **Your turn 6.** Without looking at the code above, imagine you were given only `leaky_importance`.
# Which column would you remove? Type its name as text.

# %%
my_leak = None  # Write your answer here, in quotes.

# %%
"""Check that your answer names the leaking column (prints a hint, never the answer)."""
if my_leak is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif not isinstance(my_leak, str) or my_leak not in X_leaky.columns:
    print("Not quite: give one of the column names of X_leaky, in quotes.")
elif my_leak == leaky_importance.idxmax():
    print("Correct ✔ The top input is only known after the angiogram: the model was reading the answer.")
elif my_leak == mean_abs_shap.idxmax():
    print("Not quite: that input was the most important one in the HONEST model too. Which input is new, "
          "and dwarfs all the others in leaky_importance?")
else:
    print("Not quite: look for the input with by far the largest value in leaky_importance, and ask "
          "whether a clinician would know it before the angiogram.")

# %% [markdown]
# **Your turn 7 (remove a column and refit).** Once a leak is found, the model is refitted without it. The
# answer cell below has the lines; replace each `...`:
#
# 1. `honest`, the list of the honest columns, with a **list comprehension** that keeps every name but the
#    leak;
# 2. `refit_forest`, a random forest with the **same settings as the leaky forest** (`n_estimators=200`,
#    `min_samples_leaf=5`, `random_state=SEED`), fitted on the honest columns of the training patients;
# 3. `my_auc_refit`, its test AUC, from its `predict_proba(...)[:, 1]` for the honest columns of the test
#    patients (`X_test.index`). Compare it with `auc_leaky`.

# %%
my_auc_refit = None  # Replace each ... below, then select the lines and press Ctrl+/ (Cmd+/ on a Mac) to remove their #, and run.
# honest = [name for name in X_leaky.columns if name != ...]  # the leaking column's name, in quotes
# refit_forest = RandomForestClassifier(n_estimators=200, min_samples_leaf=5, random_state=SEED)
# refit_forest.fit(X_leaky.loc[X_train.index, honest], ...)
# my_auc_refit = roc_auc_score(y_test, refit_forest.predict_proba(X_leaky.loc[..., honest])[:, 1])

# %%
"""Check that your AUC after removing the leak is right (prints a hint, never the answer)."""
_honest = [name for name in X_leaky.columns if name != "angiography_grade"]
_refit = RandomForestClassifier(n_estimators=200, min_samples_leaf=5, random_state=SEED)
_refit.fit(X_leaky.loc[X_train.index, _honest], y_train)
_ref = roc_auc_score(y_test, _refit.predict_proba(X_leaky.loc[X_test.index, _honest])[:, 1])
_typo = typing_hint(my_auc_refit, proportion=True)
if my_auc_refit is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif np.isclose(float(my_auc_refit), _ref, atol=0.001):
    print(f"Correct ✔ Without the leak, the AUC falls from {auc_leaky:.3f} back to the honest model's level: "
          "same settings, same inputs, so the same forest as in section 1.")
elif float(my_auc_refit) > 0.98:
    print("Not quite: an AUC this close to 1 means the leak is still in. Leave angiography_grade out of the list.")
elif np.isclose(float(my_auc_refit), roc_auc_score(y_test, _refit.predict(X_leaky.loc[X_test.index, _honest])),
                atol=0.0005):
    print("Not quite: you passed 0/1 calls (predict). Pass the probabilities: predict_proba(...)[:, 1].")
elif np.isclose(float(my_auc_refit), auc_logreg, atol=0.0005):
    print("Not quite: that is the logistic regression. Refit a random forest with the leaky forest's settings.")
elif abs(float(my_auc_refit) - _ref) < 0.006:
    print("Almost: give at least three decimals (compute it in the cell rather than copy a rounded number).")
else:
    print("Not quite: check the column you left out, the forest's settings, and that it is fitted on the "
          "training patients and scored on the test patients.")

# %% [markdown]
# ## 9. Can Mr R.'s score be read as a probability? Check the calibration
#
# The forest gives Mr R. a high score (`p_mr_r`, section 1). It is tempting to tell him "of 100 people like
# you, about that many had narrowed arteries". That is true only if the model is **calibrated**: if, among
# patients given scores around his, about that share really had CAD (Module 2). Nothing in how a random forest is fitted makes
# its averaged votes match observed frequencies, so check it on the test patients the forest never saw:
# sort them by score into five equal groups (fifths) and compare each group's mean score with the share who
# had CAD.

# %%
p_test = forest.predict_proba(X_test)[:, 1]
fifth = pd.qcut(pd.Series(p_test).rank(method="first"), 5, labels=False).to_numpy() + 1  # 1 = lowest scores
calibration = pd.DataFrame({"score": p_test, "cad": y_test.to_numpy(), "fifth": fifth}).groupby("fifth").agg(
    patients=("cad", "size"), had_cad=("cad", "sum"), mean_score=("score", "mean"), observed=("cad", "mean"))

# Observed / expected: how many had CAD, against how many the scores add up to (1 is ideal)
oe_ratio = y_test.sum() / p_test.sum()
# Calibration slope: a logistic regression of the outcome on the logit of the score (1 is ideal;
# above 1, the scores are too timid, too close to the middle; below 1, too extreme)
logit = np.log(p_test / (1 - p_test))
cal_slope = LogisticRegression(C=np.inf).fit(logit.reshape(-1, 1), y_test).coef_[0, 0]
print(f"O/E = {oe_ratio:.2f}; calibration slope = {cal_slope:.2f}")
calibration

# %% mystnb={"image": {"alt": "Calibration plot of the random forest on the test patients: five points, one per fifth of the score, plot the share who had CAD against the mean score, beside a dashed diagonal of perfect calibration. The low fifths lie below the diagonal and the high fifths above it: the points rise more steeply than the diagonal."}}
# extra code – the calibration plot
fig, ax = plt.subplots(figsize=(6, 5.5))
ax.plot([0, 1], [0, 1], linestyle="--", color=GREY, label="perfect calibration")
ax.plot(calibration["mean_score"], calibration["observed"], marker="o", color=VERMILION, label="forest, by fifth")
ax.set_xlim(0, 1)
ax.set_ylim(0, 1)
ax.set_title("Random forest: calibration on the test patients")
ax.set_xlabel("mean score of the forest, by fifth")
ax.set_ylabel("share who had CAD at angiography")
ax.legend(loc="upper left")
fig.tight_layout()
plt.show()

# %% [markdown]
# On average the scores are about right (O/E close to 1), but the slope is well above 1: the forest's scores
# are **too timid**, too high for the patients it scores low and too low for those it scores high.
# With about 20 patients per fifth these shares are very uncertain too. And every one of
# these patients had **already been referred for coronary angiography at the Cleveland Clinic**: they are
# not people like Mr R. coming to a chest-pain clinic today, in whom CAD is less common.
#
# So Mr R.'s number is **the model's score**, not "so many in 100 people like you". To quote a frequency you would
# need a model whose calibration has been checked on patients like him, and recalibrated if needed
# (Module 2 shows how; with a couple of hundred patients to learn from, even that is hard).
#
# **Your turn 8 (a calibration slope with scikit-learn).** Is the **logistic regression** calibrated on the
# same test patients? The answer cell follows the steps of the calibration cell above, but for `logreg`,
# in new variables `p_lr`, `lp_lr` and `my_slope_logreg`. Do not reuse the names `p_test`, `logit` or
# `cal_slope`: they hold the forest's values. Replace each `...`:
#
# 1. `p_lr`, the logistic regression's probabilities for the test patients;
# 2. `lp_lr`, their log-odds, log(p / (1 − p));
# 3. `my_slope_logreg`, the calibration slope: `LogisticRegression(C=np.inf)` (no penalty) fitted on the
#    log-odds as a single column and the test outcomes; its `.coef_[0, 0]`.

# %%
my_slope_logreg = None  # Replace each ... below, then select the lines and press Ctrl+/ (Cmd+/ on a Mac) to remove their #, and run.
# p_lr = logreg.predict_proba(...)[:, 1]
# lp_lr = np.log(... / (1 - ...))
# my_slope_logreg = LogisticRegression(C=np.inf).fit(lp_lr.reshape(-1, 1), ...).coef_[0, 0]

# %%
"""Check that the calibration slope of the logistic regression is right (prints a hint, never the answer)."""
_p_lr = logreg.predict_proba(X_test)[:, 1]
_lp_lr = np.log(_p_lr / (1 - _p_lr)).reshape(-1, 1)
_fit = LogisticRegression(C=np.inf).fit(_lp_lr, y_test)
_typo = typing_hint(my_slope_logreg)
if my_slope_logreg is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif np.isclose(float(my_slope_logreg), _fit.coef_[0, 0], atol=0.005):
    print("Correct ✔ Compare it with the forest's slope, cal_slope: 1 is ideal for both.")
elif np.isclose(float(my_slope_logreg), cal_slope, atol=0.005):
    print("Not quite: that is the FOREST's slope. Use logreg.predict_proba(X_test)[:, 1].")
elif np.isclose(float(my_slope_logreg), _fit.intercept_[0], atol=0.005):
    print("Not quite: that is the intercept of the fit. The slope is .coef_[0, 0].")
elif np.isclose(float(my_slope_logreg), LogisticRegression().fit(_lp_lr, y_test).coef_[0, 0], atol=0.005):
    print("Not quite: the default LogisticRegression is penalised, which pulls the slope towards 0. Pass C=np.inf.")
elif np.isclose(float(my_slope_logreg), LogisticRegression(C=np.inf).fit(_p_lr.reshape(-1, 1), y_test).coef_[0, 0],
                atol=0.005):
    print("Not quite: you fitted on the probabilities. Fit on their log-odds, np.log(p / (1 - p)).")
else:
    print("Not quite: check that the probabilities are logreg's for X_test, the log-odds formula, and that "
          "the fit is unpenalised (C=np.inf).")

# %% [markdown]
# ## 10. Explaining a prediction to a patient
#
# Mr R. asks: *"Why does the computer think I have heart disease?"* A SHAP waterfall is not an answer for
# him. A plain-language explanation:
#
# 1. **says what the number is**: "the computer's score", not his chance of disease, unless the model's
#    calibration has been checked in patients like him; and who the computer learned from ("patients
#    already sent for an angiogram at one American hospital, years ago");
# 2. **names the two or three findings that raised it, and any that lowered it**, in his words: "your
#    heart tracing changed during the exercise test";
# 3. **says what the number is not**: not a diagnosis, not a cause ("the computer noticed a pattern in
#    past patients; it doesn't know why");
# 4. **says what happens next** and that the decision is shared: "the next step is a scan of your heart
#    arteries (a CT scan) or a scan of your heart under stress; an angiogram with a tube into the arteries
#    only comes after that, if the scan shows it is needed".

# %%
# extra code – a first draft, built from his SHAP values, for you to rewrite in your own words
# SHAP values add up, so the three chest-pain columns (one question: which kind of chest pain?) are summed.
reasons = mr_r_table["SHAP (points)"].drop(chest_pain)
reasons["chest pain type"] = mr_r_table.loc[chest_pain, "SHAP (points)"].sum()
plain = {"st_depression": "your heart tracing changed during the exercise test",
         "max_heart_rate": "your heart rate did not rise very high on the treadmill",
         "chest pain type": "your breathlessness came without chest pain (hard to interpret: in the "
                            "patients the computer learned from, this went with more heart disease)",
         "age": "your age", "male": "being a man",
         "exercise_angina": "you had no chest pain during the exercise test"}
up = reasons[reasons > 2].sort_values(ascending=False)
down = reasons[reasons < -2].sort_values()
print(f"The computer gave you a score of {100 * p_mr_r:.0f} out of 100, which is high. It is a score, not your "
      "chance of having heart disease: the patients it learned from had already been sent for an angiogram "
      "at one American hospital, and its numbers did not match how often they really had narrowed arteries.")
print("What raised the score: " + "; ".join(plain.get(name, name) for name in up.index) + ".")
print("What lowered it: " + "; ".join(plain.get(name, name) for name in down.index) + ".")
print("This is a pattern in past patients, not a diagnosis: a scan of your heart arteries is the next step.")

# %% [markdown]
# **Your turn 9 (think, no code to check).** Rewrite the draft for Mr R. in four or five sentences he would
# understand. Would you mention the "no chest pain" reason? (Honesty says the model used it; clinical
# judgement says it is hard to interpret: a referral artefact, or a trace of anginal equivalents like his
# breathlessness. A good answer says so, briefly, and gives it little weight.) Does the flag change his next
# step, given that its strongest reason, the ST depression, is one you would act on anyway?
#
# ## Summary

# %%
# extra code – the headline numbers of this lab, in one place
print(f"Cleveland: {len(X)} patients ({y.mean():.0%} with CAD); test set {len(y_test)} patients.")
print(f"AUC: logistic regression {auc_logreg:.2f}, random forest {auc_forest:.2f}.")
print(f"Mr R.: forest score {p_mr_r:.0%} from a base value of {base_value:.0%}; "
      f"top push up: {mr_r_table['SHAP (points)'].idxmax()} ({mr_r_table['SHAP (points)'].max():+.0f} points).")
print(f"Global top input: by mean |SHAP| {mean_abs_shap.index[0]}, by permutation {perm_importance.index[0]}.")
print(f"Breast cancer: OR per SD of radius {or_radius_only['mean_radius']:.1f} alone, "
      f"{or_all_three['mean_radius']:.2f} with perimeter and area.")
print(f"  Permutation importance of the three sizes: {perm_one[size_columns].round(3).tolist()} one at a "
      f"time, {size_together:.3f} together.")
print(f"Leakage: AUC {auc_forest:.2f} -> {auc_leaky:.2f}; top input {leaky_importance.idxmax()}.")
print(f"Calibration on the test patients: O/E {oe_ratio:.2f}, slope {cal_slope:.2f}: a score, not a frequency.")

# %% [markdown]
# **Take-aways**
#
# - An explanation describes **the model**, not the disease: it is not causation, and a faithful
#   explanation of a flawed model shows the flaw (here: "no chest pain raises the score").
# - **Odds ratios** hold every other input fixed; **permutation importance** measures how much the model
#   needs an input; **SHAP** shares one prediction out among the inputs, and adds up exactly to it.
# - Global explanations (mean |SHAP|, permutation) describe the model over many patients; a **local**
#   explanation (the waterfall) is about one patient. The top input globally need not be the top input
#   for your patient.
# - **Correlated inputs** split or swap credit: odds ratios can flip sign and one-at-a-time importance can
#   vanish. Judge the group, not the member.
# - A single input that dwarfs all others, with a near-perfect AUC, suggests **leakage**: ask when each
#   input is recorded.
# - A SHAP value is not a counterfactual: a category's credit is spread over its columns, and taking a
#   reason's points away is not what the model would say without it.
# - **Check calibration before a score becomes a frequency.** This forest ranks well but its scores are too
#   timid; until calibration is shown in patients like yours, say "the model's score", and say who the model
#   learned from.
# - To a patient: the number for what it is, the two or three reasons in their words, what the number is
#   not, and what happens next on the current pathway (for suspected angina, a non-invasive test before any
#   invasive angiogram).
#
# **References**
#
# - Breiman L. Random forests. *Machine Learning* 2001;45:5–32.
# - Fleisher LA, Fleischmann KE, Auerbach AD, et al. 2014 ACC/AHA guideline on perioperative cardiovascular
#   evaluation and management of patients undergoing noncardiac surgery. *Circulation* 2014;130:e278–e333.
#   doi:10.1161/CIR.0000000000000106
# - Halvorsen S, Mehilli J, Cassese S, et al. 2022 ESC Guidelines on cardiovascular assessment and management
#   of patients undergoing non-cardiac surgery. *Eur Heart J* 2022;43:3826–3924. doi:10.1093/eurheartj/ehac270
# - Knuuti J, Wijns W, Saraste A, et al. 2019 ESC Guidelines for the diagnosis and management of chronic
#   coronary syndromes. *Eur Heart J* 2020;41:407–477. doi:10.1093/eurheartj/ehz425
# - McFalls EO, Ward HB, Moritz TE, et al. Coronary-artery revascularization before elective major vascular
#   surgery. *N Engl J Med* 2004;351:2795–2804. doi:10.1056/NEJMoa041905
# - National Institute for Health and Care Excellence. Recent-onset chest pain of suspected cardiac origin:
#   assessment and diagnosis (CG95). 2010, updated 2016. https://www.nice.org.uk/guidance/cg95
# - Vrints C, Andreotti F, et al. 2024 ESC Guidelines for the management of chronic coronary syndromes.
#   *Eur Heart J* 2024;45:3415–3537. doi:10.1093/eurheartj/ehae177
# - Detrano R, Janosi A, Steinbrunn W, et al. International application of a new probability algorithm
#   for the diagnosis of coronary artery disease. *Am J Cardiol* 1989;64:304–310.
# - Ghassemi M, Oakden-Rayner L, Beam AL. The false hope of current approaches to explainable artificial
#   intelligence in health care. *Lancet Digit Health* 2021;3:e745–e750.
# - Kaufman S, Rosset S, Perlich C, Stitelman O. Leakage in data mining: formulation, detection, and
#   avoidance. *ACM Trans Knowl Discov Data* 2012;6(4):15.
# - Lundberg SM, Lee S-I. A unified approach to interpreting model predictions. *Advances in Neural
#   Information Processing Systems* 30 (NeurIPS 2017):4765–4774.
# - Lundberg SM, Erion G, Chen H, et al. From local explanations to global understanding with explainable
#   AI for trees. *Nat Mach Intell* 2020;2:56–67.
# - Rudin C. Stop explaining black box machine learning models for high stakes decisions and use
#   interpretable models instead. *Nat Mach Intell* 2019;1:206–215.
# - Street WN, Wolberg WH, Mangasarian OL. Nuclear feature extraction for breast tumor diagnosis. *Proc
#   SPIE* 1993;1905:861–870.
