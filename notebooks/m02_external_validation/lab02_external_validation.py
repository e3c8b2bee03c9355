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
# # Lab 2: Does it work here?
#
# **The patient.** Mr L. is 61, a veteran. For two months he has had chest pain when he walks fast; on an
# exercise ECG his heart rate peaks at 120 beats per minute and his ST segment drops by 2 mm. He is seen at
# the VA Medical Center in Long Beach, California.
#
# **The decision.** As in Module 1: refer for CT coronary angiography (or a functional imaging test), or
# not? The VA's cardiologists are offered the model of Module 1, built on patients of the Cleveland
# Clinic, to help make that decision. (Every patient in these 1980s data had *invasive* coronary
# angiography: that is only how we know who truly had CAD, the data's reference standard. Today the
# first test for stable chest pain is non-invasive.) Its AUC in Cleveland was
# excellent. But **does it work here**, on VA patients? Can its risk for Mr L. be read as "of 100 men like
# him, about N have coronary artery disease (CAD)", and would acting on it do more good than harm?
#
# **What each kind of error costs.** A risk that is too **low** sends home patients with CAD, untreated; a
# risk that is too **high** sends patients without CAD for a CT coronary angiogram they did not need:
# radiation and iodinated contrast with their small risks (rarely an allergic reaction or kidney injury),
# incidental findings that lead to more tests, cost and worry.
#
# **In this lab (about 60 minutes) you will:**
#
# 1. take the Cleveland model, unchanged, to three other hospitals;
# 2. draw calibration plots and compute O/E, the calibration intercept and slope, and the (scaled) Brier
#    score;
# 3. see that good discrimination (AUC) does not mean good calibration;
# 4. update the model on part of the VA patients and check the update on the rest;
# 5. put a bootstrap confidence interval around what you found;
# 6. weigh the model with net benefit and decision curves, per hospital, before and after recalibration;
# 7. monitor a model after go-live, and see a change in the hospital coming.
#
# You do not need to write code except in the cells marked **Your turn**. Run the cells from top to
# bottom (Shift + Enter). Lines marked `# extra code – …` only fit the model, make tables and figures
# look nice or print hints: you can skip them.

# %%
# Run this cell to set up the notebook, but please don't change it.
# %matplotlib inline
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import statsmodels.api as sm
from sklearn.calibration import calibration_curve
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import brier_score_loss
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from clinical_data import load

SEED = 42  # every random step below uses this seed, so you get the same numbers every time

# extra code – readable figures in colours that colour-blind readers can tell apart (Okabe–Ito palette)
plt.rcParams.update(
    {"figure.dpi": 100, "font.size": 12, "axes.titlesize": 13, "axes.labelsize": 12, "legend.fontsize": 10}
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
# ## 1. The Cleveland model, taken to four groups of patients
#
# The UCI Heart Disease data (Detrano et al., *Am J Cardiol* 1989) hold patients referred for coronary
# angiography at four hospitals: the Cleveland Clinic, the Hungarian Institute of Cardiology in Budapest,
# the VA Medical Center in Long Beach and University Hospitals in Zurich and Basel. The outcome is CAD on
# angiography (at least one major vessel narrowed by more than 50 %).
#
# The next cell fits **exactly the model of Module 1's chapter**: a logistic regression on age, sex, type
# of chest pain, highest heart rate and ST depression on the exercise test, and angina brought on by
# exercise, fitted on two thirds of the Cleveland patients. The other third (the *Cleveland test*
# patients) and the three other hospitals were never seen by the model.

# %%
# extra code – Module 1's chapter model, fitted the same way (same patients, same seed), so numbers match
heart = load("heart_disease")
heart["cad"] = (heart["num"] > 0).astype(int)  # 1 = CAD on angiography
heart["exang"] = heart["exang"].map({True: "yes", False: "no", "True": "yes", "False": "no"})
NUMERIC, CATEGORICAL = ["age", "thalach", "oldpeak"], ["sex", "cp", "exang"]
FEATURES = NUMERIC + CATEGORICAL
cleveland = heart[heart["site"] == "Cleveland"]
train_idx, test_idx = train_test_split(cleveland.index, test_size=1 / 3, stratify=cleveland["cad"], random_state=0)
model = make_pipeline(
    ColumnTransformer([
        ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), NUMERIC),
        ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")),
         CATEGORICAL),
    ]),
    LogisticRegression(max_iter=1000),
)
model.fit(heart.loc[train_idx, FEATURES], heart.loc[train_idx, "cad"])

# The model's probability of CAD for every patient of the four hospitals
heart["risk"] = model.predict_proba(heart[FEATURES])[:, 1]
groups = {"Cleveland test": heart.loc[test_idx]} | {
    site: heart[heart["site"] == site] for site in ["Hungary", "VA Long Beach", "Switzerland"]
}
va = groups["VA Long Beach"]

overview = pd.DataFrame({
    name: {"patients": len(g), "with CAD (%)": 100 * g["cad"].mean(), "mean predicted risk (%)": 100 * g["risk"].mean(),
           "AUC": roc_auc_score(g["cad"], g["risk"])}
    for name, g in groups.items()
}).T
overview["patients"] = overview["patients"].astype(int)
overview

# %% [markdown]
# Read the table row by row. In Cleveland the model ranks patients very well (AUC around 0.9); in Hungary
# almost as well; at the VA and in Switzerland clearly less well. And look at the two middle columns: the
# share of patients with CAD and the model's average risk are not always close. That gap is a first sign
# of **miscalibration**: the risks are too high or too low on average.
#
# ## 2. The calibration plot
#
# A model is **calibrated** when, of 100 patients given a risk of 30 %, about 30 have the disease. To see
# it, we sort patients by their predicted risk, cut them into five groups of equal size, and plot the
# share who had CAD in each group against their average predicted risk (`calibration_curve` in
# scikit-learn). A smoothed curve (LOWESS, a local average) shows the same without the arbitrary groups.
# Points on the diagonal mean "as many as predicted"; points **above** it mean more patients had CAD than
# the model predicted (risks too low), **below** it fewer (risks too high).

# %%
def smoothed_calibration(y, risk):
    """A smoothed calibration curve: the observed share with the outcome, as a function of predicted risk."""
    curve = sm.nonparametric.lowess(y, risk, frac=2 / 3, it=0)  # columns: sorted risk, smoothed share
    return curve[:, 0], curve[:, 1]


# %% mystnb={"image": {"alt": "Two calibration plots side by side, observed share with CAD against predicted risk, with the diagonal of perfect calibration. Left, Cleveland test patients: the five binned points and the smoothed curve lie close to the diagonal. Right, VA Long Beach: at low predicted risks the observed share is well above the diagonal, and the curve is flatter than the diagonal."}}
fig, axes = plt.subplots(1, 2, figsize=(12, 5.5), sharey=True)
for ax, name in zip(axes, ["Cleveland test", "VA Long Beach"]):
    g = groups[name]
    observed, predicted = calibration_curve(g["cad"], g["risk"], n_bins=5, strategy="quantile")
    x_smooth, y_smooth = smoothed_calibration(g["cad"], g["risk"])
    ax.plot([0, 1], [0, 1], color=GREY, linestyle=":", label="perfect calibration")
    ax.plot(x_smooth, y_smooth, color=BLUE, linewidth=2.5, label="smoothed (LOWESS)")
    ax.plot(predicted, observed, "o", color=VERMILION, markersize=9, markeredgecolor="black",
            label="five groups of equal size")
    # extra code – a rug of the predicted risks along the bottom shows where the patients are
    ax.plot(g["risk"], np.full(len(g), 0.01), "|", color="black", alpha=0.4)
    ax.set_title(f"{name} ({len(g)} patients)")
    ax.set_xlabel("Predicted risk of CAD")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.set_aspect("equal")
axes[0].set_ylabel("Observed share with CAD")
axes[0].legend(loc="upper left")
fig.suptitle("Calibration of the Cleveland model: at home and at the VA")
fig.tight_layout()
plt.show()

# %% [markdown]
# In Cleveland the points follow the diagonal. At the VA, patients given low risks had CAD far more
# often than predicted (points well above the line on the left), and the curve is **flatter** than the
# diagonal: the model's risks spread too far apart for VA patients. With only 200 patients, each point is
# uncertain (we come back to that in section 6). Calibration is judged from a plot like this first; the
# numbers below summarise it (Van Calster et al., *BMC Med* 2019).
#
# ## 3. Observed over expected (O/E)
#
# The simplest summary: the number of patients **observed** with CAD divided by the number the model
# **expected**, which is the sum of their predicted risks.
#
# - O/E = 1: as many as predicted, on average;
# - O/E > 1: more than predicted, the risks are too **low** on average (under-prediction);
# - O/E < 1: fewer than predicted, the risks are too **high** (over-prediction).
#
# For the Cleveland test patients:

# %%
g = groups["Cleveland test"]
observed = g["cad"].sum()  # patients with CAD
expected = g["risk"].sum()  # what the model expected: the sum of the risks
oe_cleveland = observed / expected
print(f"Cleveland test: {observed} observed, {expected:.1f} expected, O/E = {oe_cleveland:.2f}")

# %% [markdown]
# **Your turn 1.** Compute **O/E for the VA patients** (`va`): a number, like `oe_cleveland` above. You
# can copy the cell above and change the group.

# %%
my_oe_va = None  # Write your answer here.

# %%
"""Check that your O/E at the VA is right (prints a hint, never the answer)."""
_obs, _exp = va["cad"].sum(), va["risk"].sum()
_typo = typing_hint(my_oe_va)
if my_oe_va is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif abs(float(my_oe_va) - _obs / _exp) < 0.006:
    print("Correct ✔ Above 1: at the VA the model's risks are too low on average.")
elif abs(float(my_oe_va) - _exp / _obs) < 0.006:
    print("Not quite: your ratio is upside down. O/E puts the OBSERVED patients with CAD on top.")
elif float(my_oe_va) > 10:
    print("Not quite: this looks like a percentage. O/E is a ratio, equal to one when the model is right on average.")
elif abs(float(my_oe_va) - oe_cleveland) < 0.006:
    print("Not quite: that is the Cleveland value. Use the VA patients, `va`.")
else:
    print("Not quite. Observed: the number of VA patients with CAD. Expected: the sum of their predicted risks.")

# %% [markdown]
# **Your turn 2.** Now for the three external hospitals at once. Build a **dictionary**
# `{hospital: O/E}` with the keys `"Hungary"`, `"VA Long Beach"` and `"Switzerland"`. A loop does it in
# one line: `{name: ... for name, g in groups.items() if name != "Cleveland test"}`.

# %%
my_oe_by_site = None  # Write your answer here.

# %%
"""Check that your dictionary of O/E per hospital is right (prints a hint, never the answer)."""
_sites = ["Hungary", "VA Long Beach", "Switzerland"]
_ref = {s: groups[s]["cad"].sum() / groups[s]["risk"].sum() for s in _sites}
_typo = typing_hint(my_oe_by_site, keys=_sites)
if my_oe_by_site is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif all(abs(float(my_oe_by_site[s]) - _ref[s]) < 0.006 for s in _sites):
    print("Correct ✔ One hospital below 1 (over-prediction), two above it (under-prediction).")
elif all(abs(float(my_oe_by_site[s]) - 1 / _ref[s]) < 0.006 for s in _sites):
    print("Not quite: your ratios are upside down (E/O). Put the observed count on top.")
elif any(float(v) > 10 for v in my_oe_by_site.values()):
    print("Not quite: some values look like percentages. O/E is a ratio.")
else:
    wrong = [s for s in _sites if abs(float(my_oe_by_site[s]) - _ref[s]) >= 0.006]
    print(f"Not quite: check {wrong}. For each hospital: patients with CAD / sum of predicted risks.")

# %% [markdown]
# ## 4. Calibration intercept and slope
#
# O/E says whether the risks are right **on average**; the calibration **slope** says whether they are
# too extreme or too modest. Both come from a logistic regression of the outcome on the model's
# **linear predictor**, its log-odds: LP = log(risk / (1 − risk)).
#
# - **Calibration slope**: fit logit P(CAD) = a + b × LP. Ideal b = 1. A slope **below 1** means the risks
#   are too extreme (high risks too high, low risks too low), the signature of a model overfitted to its
#   training patients or used where patients differ; above 1, too modest.
# - **Calibration intercept** (calibration-in-the-large): fit logit P(CAD) = a + LP, with the slope
#   **fixed at 1**. LP enters as an **offset**, a term whose coefficient is not estimated. Ideal a = 0;
#   a > 0 means the risks are too low on average, a < 0 too high.
#
# The function below fits both with statsmodels. Read it, then use it.

# %%
def logit(p):
    """The linear predictor (log-odds) of a risk p."""
    return np.log(p / (1 - p))


def calibration_intercept_slope(y, risk):
    """Calibration intercept (slope fixed at 1: LP as an offset) and calibration slope, as a dictionary."""
    lp = logit(np.asarray(risk, dtype=float))
    y = np.asarray(y, dtype=float)
    binomial = sm.families.Binomial()
    intercept = sm.GLM(y, np.ones_like(lp), family=binomial, offset=lp).fit().params[0]
    slope = sm.GLM(y, sm.add_constant(lp), family=binomial).fit().params[1]
    return {"intercept": float(intercept), "slope": float(slope)}


cal_cleveland = calibration_intercept_slope(groups["Cleveland test"]["cad"], groups["Cleveland test"]["risk"])
print(f"Cleveland test: calibration intercept {cal_cleveland['intercept']:.2f}, slope {cal_cleveland['slope']:.2f}")

# extra code – a common slip: the intercept of the model WITH a slope is not the calibration intercept
lp_cl = logit(groups["Cleveland test"]["risk"].to_numpy())
not_it = sm.GLM(groups["Cleveland test"]["cad"].to_numpy(), sm.add_constant(lp_cl), family=sm.families.Binomial()).fit()
print(f"(The intercept of a + b × LP is {not_it.params[0]:.2f}: a different number, and not the calibration intercept.)")

# %% [markdown]
# **Your turn 3.** Call `calibration_intercept_slope` for the VA patients (`va["cad"]`, `va["risk"]`)
# and store the **calibration slope** in `my_slope_va`. Is it below or above 1, and what does that mean
# for Mr L.'s risk?

# %%
my_slope_va = None  # Write your answer here.

# %%
"""Check that your calibration slope at the VA is right (prints a hint, never the answer)."""
_lp = logit(va["risk"].to_numpy())
_fit = sm.GLM(va["cad"].to_numpy(), sm.add_constant(_lp), family=sm.families.Binomial()).fit().params
_offset = sm.GLM(va["cad"].to_numpy(), np.ones_like(_lp), family=sm.families.Binomial(), offset=_lp).fit().params[0]
_typo = typing_hint(my_slope_va)
if my_slope_va is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif abs(float(my_slope_va) - _fit[1]) < 0.006:
    print("Correct ✔ Below 1: the Cleveland risks are too extreme for VA patients.")
elif abs(float(my_slope_va) - _offset) < 0.006 or abs(float(my_slope_va) - _fit[0]) < 0.006:
    print("Not quite: that is an intercept. The function returns a dictionary: take its 'slope'.")
elif abs(float(my_slope_va) - 1 / _fit[1]) < 0.006:
    print("Not quite: your value is the inverse of the slope. Regress the outcome on the linear predictor.")
elif abs(float(my_slope_va) - cal_cleveland["slope"]) < 0.006:
    print("Not quite: that is the Cleveland value. Use the VA patients, `va`.")
else:
    print("Not quite. Pass the VA outcomes and risks to calibration_intercept_slope and take 'slope'.")

# %% [markdown]
# **Your turn 4 (write the statsmodels calls yourself).** The graded assignment asks you to write the
# `sm.GLM` fits, not only to call `calibration_intercept_slope`. Practise them on the patients of
# **Hungary**. The answer cell holds the two fits ready-made: remove the `#` in front of its lines and
# fill in each `...` with `y_hungary` (the outcome) or `lp_hungary` (the linear predictor):
#
# - the **intercept**: the outcome first, a column of ones (`np.ones_like(lp_hungary)`) as the only
#   covariate, `family=sm.families.Binomial()`, and the linear predictor as the `offset`; `.fit().params[0]`;
# - the **slope**: the outcome, then `sm.add_constant(lp_hungary)` (an intercept and the linear predictor),
#   no offset; `.fit().params[1]`.
#
# The last line stores the two numbers in a dictionary, `my_calibration_hungary`.

# %%
hungary = groups["Hungary"]
y_hungary = hungary["cad"].to_numpy()  # outcome: 1 = CAD
lp_hungary = logit(hungary["risk"].to_numpy())  # the linear predictor of each Hungarian patient
print(f"Hungary: {len(hungary)} patients, {y_hungary.sum()} with CAD.")

# %%
my_calibration_hungary = None  # Replace each ... below, then select the lines and press Ctrl+/ (Cmd+/ on a Mac) to remove their #, and run.
# intercept = sm.GLM(..., np.ones_like(...), family=sm.families.Binomial(), offset=...).fit().params[0]
# slope = sm.GLM(..., sm.add_constant(...), family=sm.families.Binomial()).fit().params[1]
# my_calibration_hungary = {"intercept": intercept, "slope": slope}

# %%
"""Check that your calibration intercept and slope for Hungary are right (prints a hint, never the answer)."""
_binomial = sm.families.Binomial()
_intercept = sm.GLM(y_hungary, np.ones_like(lp_hungary), family=_binomial, offset=lp_hungary).fit().params[0]
_no_offset = sm.GLM(y_hungary, np.ones_like(lp_hungary), family=_binomial).fit().params[0]
_with_slope = sm.GLM(y_hungary, sm.add_constant(lp_hungary), family=_binomial).fit().params


def _near(value, reference):
    return np.size(value) == 1 and abs(float(np.ravel(value)[0]) - reference) < 0.006


_typo = typing_hint(my_calibration_hungary, keys=["intercept", "slope"])
if my_calibration_hungary is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif _near(my_calibration_hungary["intercept"], _intercept) and _near(my_calibration_hungary["slope"], _with_slope[1]):
    print("Correct ✔ Intercept below 0: in Hungary the risks are too high on average, as its O/E below 1 said.")
elif _near(my_calibration_hungary["intercept"], _with_slope[1]) and _near(my_calibration_hungary["slope"], _intercept):
    print("Not quite: the two values are swapped.")
elif _near(my_calibration_hungary["intercept"], _no_offset):
    print("Not quite: without the offset, the intercept is the log-odds of the prevalence. Add offset=lp_hungary.")
elif _near(my_calibration_hungary["intercept"], _with_slope[0]):
    print("Not quite: your intercept comes from the fit that also estimates a slope. For the calibration "
          "intercept the linear predictor is the offset, and a column of ones the only covariate.")
elif not _near(my_calibration_hungary["intercept"], _intercept):
    print("Not quite: check the intercept: y_hungary as the outcome, and lp_hungary as the offset.")
elif _near(my_calibration_hungary["slope"], _with_slope[0]):
    print("Not quite: for the slope take the coefficient of the linear predictor, the second of the fit's "
          "params, not its intercept (the first).")
else:
    print("Not quite: check the slope: the GLM of y_hungary on sm.add_constant(lp_hungary), no offset, and the "
          "second of its params.")

# %% [markdown]
# ## 5. The Brier score and the scaled Brier score
#
# The **Brier score** is the mean squared difference between the predicted risk and the outcome (0 or 1):
# 0 is perfect. It mixes discrimination and calibration, and its size depends on the prevalence, so it is
# easier to read **scaled**: compared with a "model" that gives every patient the prevalence ȳ, whose Brier
# score is ȳ(1 − ȳ):
#
# $$\text{scaled Brier} = 1 - \frac{\text{Brier}}{\bar y (1 - \bar y)}$$
#
# 1 is perfect, 0 is no better than quoting the prevalence to everyone, and below 0 is worse.

# %%
g = groups["Cleveland test"]
brier_cleveland = brier_score_loss(g["cad"], g["risk"])
print(f"Cleveland test: Brier score {brier_cleveland:.3f}, prevalence {g['cad'].mean():.2f}")

brier_va = brier_score_loss(va["cad"], va["risk"])
prevalence_va = va["cad"].mean()
print(f"VA Long Beach:  Brier score {brier_va:.3f}, prevalence {prevalence_va:.2f}")

# %% [markdown]
# **Your turn 5.** Write the formula above in one line to get the **scaled Brier score at the VA**,
# from `brier_va` and `prevalence_va`.

# %%
my_scaled_brier_va = None  # Write your answer here.

# %%
"""Check that your scaled Brier score at the VA is right (prints a hint, never the answer)."""
_ref = 1 - brier_va / (prevalence_va * (1 - prevalence_va))
_typo = typing_hint(my_scaled_brier_va)
if my_scaled_brier_va is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif abs(float(my_scaled_brier_va) - _ref) < 0.006:
    print("Correct ✔ Close to 0: at the VA the model barely beats quoting the prevalence to every patient.")
elif abs(float(my_scaled_brier_va) - (1 - brier_va)) < 0.006:
    print("Not quite: the prevalence is missing. Divide the Brier score by prevalence × (1 − prevalence).")
elif abs(float(my_scaled_brier_va) - brier_va) < 0.006:
    print("Not quite: that is the Brier score itself. Scale it as in the formula.")
elif abs(float(my_scaled_brier_va) - 100 * _ref) < 0.6:
    print("Not quite: give a fraction (at most 1), not a percentage.")
else:
    print("Not quite. 1 − Brier / (prevalence × (1 − prevalence)), with the VA values.")

# %% [markdown]
# ## 6. Discrimination is not calibration
#
# All the measures, for the four groups, side by side:

# %%
def validation_table(groups):
    """AUC, O/E, calibration intercept and slope, and scaled Brier score for each group of patients."""
    rows = {}
    for name, g in groups.items():
        prevalence = g["cad"].mean()
        rows[name] = {
            "patients": len(g),
            "prevalence": prevalence,
            "AUC": roc_auc_score(g["cad"], g["risk"]),
            "O/E": g["cad"].sum() / g["risk"].sum(),
            **calibration_intercept_slope(g["cad"], g["risk"]),
            "scaled Brier": 1 - brier_score_loss(g["cad"], g["risk"]) / (prevalence * (1 - prevalence)),
        }
    table = pd.DataFrame(rows).T
    table["patients"] = table["patients"].astype(int)
    return table


validation = validation_table(groups)
validation

# %% [markdown]
# Hungary ranks almost as well as Cleveland, yet its risks are too high on average (O/E below 1). In
# Switzerland, where nearly every referred patient had CAD, the risks are far too low, and the scaled
# Brier score is negative: quoting the prevalence would do better. At the VA, the AUC fell and the slope
# is well below 1. The AUC only says whether patients are **ranked** in the right order; a clinician who
# reads a risk as a frequency needs calibration too. Differences in **case mix** (who is referred, how
# sick they are) and in **prevalence** between hospitals move both.
#
# ## 7. Updating the model for the VA
#
# Before dropping a model, try to **update** it on local patients (Van Calster et al. 2019). The least
# you can change is the intercept; then the intercept and the slope together (*logistic recalibration*);
# at most, refit everything. To judge an update honestly, fit it on some VA patients and check it on
# others. We split the VA patients in two halves (stratified on CAD).

# %%
update_idx, check_idx = train_test_split(va.index, test_size=0.5, stratify=va["cad"], random_state=0)
va_update, va_check = va.loc[update_idx], va.loc[check_idx]

# Intercept update: re-estimate the intercept only, with LP as an offset (slope stays 1)
lp_update = logit(va_update["risk"].to_numpy())
intercept_update = sm.GLM(va_update["cad"].to_numpy(), np.ones_like(lp_update), family=sm.families.Binomial(),
                          offset=lp_update).fit().params[0]

# Logistic recalibration: re-estimate intercept a and slope b
a, b = sm.GLM(va_update["cad"].to_numpy(), sm.add_constant(lp_update), family=sm.families.Binomial()).fit().params


def updated_risk(risk, intercept=0.0, slope=1.0):
    """Risks after recalibration: 1 / (1 + exp(-(intercept + slope × LP)))."""
    return 1 / (1 + np.exp(-(intercept + slope * logit(np.asarray(risk, dtype=float)))))


print(f"Intercept update: add {intercept_update:.2f} to every patient's log-odds.")
print(f"Logistic recalibration: new log-odds = {a:.2f} + {b:.2f} × old log-odds.")
risk_update_after = updated_risk(va_update["risk"], intercept_update)
print(f"O/E in the update half after the intercept update: {va_update['cad'].sum() / risk_update_after.sum():.3f}")

# %% [markdown]
# **Your turn 6 (one patient's risk after the update).** The model gives a VA patient a risk of **15 %**.
# What is his risk after the **intercept update**? Three steps, as in `updated_risk`: his log-odds,
# `logit(0.15)`; add `intercept_update`; turn the log-odds back into a risk, `1 / (1 + np.exp(-(...)))`.
# Store it in `my_risk_15_updated` (a proportion between 0 and 1).

# %%
my_risk_15_updated = None  # Write your answer here.

# %%
"""Check that your updated risk is right (prints a hint, never the answer)."""
_lo = logit(0.15) + intercept_update
_typo = typing_hint(my_risk_15_updated, proportion=True)
if my_risk_15_updated is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif abs(float(my_risk_15_updated) - 1 / (1 + np.exp(-_lo))) < 0.0015:  # also from intercept_update as printed
    print("Correct ✔ At the VA, the update raises a risk that the Cleveland model put too low.")
elif abs(float(my_risk_15_updated) - _lo) < 0.0006:
    print("Not quite: that is still on the log-odds scale. Turn it back into a risk: 1 / (1 + np.exp(-x)).")
elif abs(float(my_risk_15_updated) - (0.15 + intercept_update)) < 0.0006:
    print("Not quite: the intercept is added to the LOG-ODDS, not to the risk. Start from logit(0.15).")
elif abs(float(my_risk_15_updated) - 1 / (1 + np.exp(-(a + b * logit(0.15))))) < 0.0006:
    print("Not quite: that is logistic recalibration (a and b). The question asks for the intercept update.")
elif abs(float(my_risk_15_updated) - 1 / (1 + np.exp(-_lo))) < 0.006:
    print("Almost: give at least three decimals (compute it in the cell rather than copy a rounded number).")
else:
    print("Not quite: check each of the three steps: log-odds, plus intercept_update, back to a risk.")

# %% [markdown]
# On the patients it was fitted on, the intercept update makes O/E exactly 1: that is what fitting an
# intercept does, so it proves nothing. The **check half** is the honest test:

# %%
versions = {
    "original": va_check["risk"].to_numpy(),
    "intercept updated": updated_risk(va_check["risk"], intercept_update),
    "recalibrated": updated_risk(va_check["risk"], a, b),
}
check_table = validation_table({name: pd.DataFrame({"cad": va_check["cad"], "risk": r}) for name, r in versions.items()})
check_table.drop(columns=["patients", "prevalence"])

# %% [markdown]
# In the check half both updates move O/E across 1 (from above to below: the two halves differ by chance)
# and improve the scaled Brier score a little, and the AUC does **not move at all**: recalibration with a
# positive slope keeps every patient in the same order, so ranking is unchanged. It can fix how the risks read, not how well the model tells patients apart. Note
# also that the slope estimated on 100 patients (above) and the slope seen in the other 100 differ a lot:
# small samples make noisy updates, the subject of the next section.
#
# **Your turn 7.** Compute the **AUC of the recalibrated risks** in the check half,
# `versions["recalibrated"]` against `va_check["cad"]`, with `roc_auc_score`.

# %%
my_auc_recalibrated = None  # Write your answer here.

# %%
"""Check that your AUC after recalibration is right (prints a hint, never the answer)."""
_ref = roc_auc_score(va_check["cad"], versions["recalibrated"])
_calls = roc_auc_score(va_check["cad"], (versions["recalibrated"] >= 0.5).astype(int))
_typo = typing_hint(my_auc_recalibrated, proportion=True)
if my_auc_recalibrated is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif abs(float(my_auc_recalibrated) - _ref) < 0.006:
    print("Correct ✔ The same as before recalibration: the ranking of patients did not change.")
elif abs(float(my_auc_recalibrated) - _calls) < 0.006:
    print("Not quite: you passed 0/1 calls at a threshold. The AUC is computed from the risks themselves.")
elif abs(float(my_auc_recalibrated) - (1 - _ref)) < 0.006:
    print("Not quite: below 0.5 means the arguments are the wrong way round: roc_auc_score(outcomes, risks).")
else:
    print("Not quite. roc_auc_score(va_check['cad'], versions['recalibrated']).")

# %% [markdown]
# ## 8. How sure are we? A bootstrap confidence interval
#
# 200 VA patients is a small validation sample. A rule of thumb asks for at least 100 patients with and
# 100 without the outcome (Vergouwe et al., *J Clin Epidemiol* 2005); Collins, Ogundimu & Altman (*Stat
# Med* 2016) asked for at least 100 events, ideally 200 or more. A simulation study showed that such rules
# of thumb can be too small or too large (Snell et al., *J Clin Epidemiol* 2021), and Riley et al. (*BMJ*
# 2024) advise calculating the size a validation needs. The
# **bootstrap** shows how much a number could move: draw patients **with replacement** to make a new sample
# of the same size, recompute the number, repeat many times, and take the middle 95 % of the results.
#
# The function below draws **all** the resamples at once (one row of patient indices per resample) with a
# seeded random generator, so anyone who runs it gets the same interval.

# %%
def bootstrap_ci(y, risk, statistic, n_boot=1000, seed=SEED):
    """95% bootstrap interval of statistic(y, risk): percentiles 2.5 and 97.5 over n_boot resamples."""
    y, risk = np.asarray(y), np.asarray(risk)
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, len(y), size=(n_boot, len(y)))  # every resample at once: n_boot × n indices
    values = np.array([statistic(y[i], risk[i]) for i in rows])
    return np.percentile(values, [2.5, 97.5])


def slope(y, risk):
    """The calibration slope alone (one fit per resample)."""
    return sm.GLM(y, sm.add_constant(logit(risk)), family=sm.families.Binomial()).fit().params[1]


print(f"The VA has {va['cad'].sum()} patients with CAD and {(va['cad'] == 0).sum()} without.")
auc_ci = bootstrap_ci(va["cad"], va["risk"], roc_auc_score)
slope_ci = bootstrap_ci(va["cad"], va["risk"], slope)
print(f"VA AUC {validation.loc['VA Long Beach', 'AUC']:.2f}, 95% interval {auc_ci[0]:.2f} to {auc_ci[1]:.2f}")
print(f"VA calibration slope {validation.loc['VA Long Beach', 'slope']:.2f}, "
      f"95% interval {slope_ci[0]:.2f} to {slope_ci[1]:.2f}")

# %% [markdown]
# Read the slope's interval: does it include 1? If it does not, a slope of 1 (risks as extreme as they
# should be) is not compatible with these 200 patients; if its upper limit only just reaches 1 (another
# seed may put it just above), the data cannot rule out near-correct spread, though the estimate points to
# risks that are too extreme. The interval is wide: with so few patients, the
# VA figures are rough, and an update fitted on 100 of them is rougher still. At development, the same
# idea measures **optimism**: a model always looks better on the patients it was fitted on.
#
# **Your turn 8 (a bootstrap by hand).** The assignment asks you to write a bootstrap yourself. Practise on
# another number: **O/E at the VA** (Your turn 1). The cell below draws the 1,000 resamples for you, all
# at once: each row of `resamples` holds the positions of the 200 patients drawn. In the answer cell, write
# two lines:
#
# 1. a list of the 1,000 O/E values, one per resample: `[... for i in resamples]`, where `y_va[i]` and
#    `risk_va[i]` are the outcomes and the risks of the patients of resample `i`;
# 2. `my_oe_interval = np.percentile(your_list, [2.5, 97.5])`: the middle 95 % of them.
#
# Does the interval include 1?

# %%
y_va, risk_va = va["cad"].to_numpy(), va["risk"].to_numpy()
resamples = np.random.default_rng(SEED).integers(0, len(va), size=(1000, len(va)))  # 1,000 rows of 200
print(f"{resamples.shape[0]} resamples of {resamples.shape[1]} patients; the first starts with patients "
      f"{resamples[0, :5].tolist()}")

# %%
my_oe_interval = None  # Write your answer here.

# %%
"""Check that your bootstrap interval of O/E at the VA is right (prints a hint, never the answer)."""
_oe_boot = np.array([y_va[i].sum() / risk_va[i].sum() for i in resamples])
_ref = np.percentile(_oe_boot, [2.5, 97.5])


def _close(pair, reference):
    return all(abs(float(v) - r) < 0.006 for v, r in zip(pair, reference))


_typo = typing_hint(my_oe_interval, size=2)
if my_oe_interval is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif _close(my_oe_interval, _ref):
    print("Correct ✔ An interval, not a single number: report it with the O/E.")
elif _close(my_oe_interval, np.percentile(_oe_boot, [0.025, 0.975])):
    print("Not quite: np.percentile takes percentages, 2.5 and 97.5, not fractions.")
elif _close(my_oe_interval, np.percentile(_oe_boot, [5, 95])):
    print("Not quite: the 5th and 95th percentiles make a 90 % interval. Take the 2.5th and the 97.5th.")
elif _close(my_oe_interval, np.percentile(1 / _oe_boot, [2.5, 97.5])):
    print("Not quite: your ratios are upside down (E/O). Observed on top, in every resample.")
elif float(np.ravel(my_oe_interval)[0]) > float(np.ravel(my_oe_interval)[1]):
    print("Not quite: give the lower limit first.")
else:
    print("Not quite. O/E in resample i is y_va[i].sum() / risk_va[i].sum(); then the 2.5th and 97.5th "
          "percentiles of the values, one per resample.")

# %% [markdown]
# ## 9. Net benefit and decision curves
#
# A risk is used to **act**: refer Mr L. for CT coronary angiography when his risk is at least a threshold
# $p_t$. As in Module 1, the threshold expresses harms: at $p_t = 0.2$ an unneeded CT angiogram is judged
# a quarter as harmful as a missed CAD (odds $p_t/(1-p_t) = 1/4$). The **net benefit** counts true positives and
# subtracts false positives weighted by those odds (Vickers & Elkin, *Med Decis Making* 2006):
#
# $$\text{NB} = \frac{TP}{n} - \frac{FP}{n}\cdot\frac{p_t}{1-p_t}$$
#
# It reads as "net true positives per patient": 0.30 means the equivalent of 30 patients with CAD found
# per 100, with no unneeded CT angiogram. Two default strategies serve as references: **refer no one**
# (NB = 0) and **refer everyone** (TP = all with CAD, FP = all without).

# %%
PT = 0.2
refer = va["risk"].to_numpy() >= PT
has_cad = va["cad"].to_numpy() == 1
tp = int(np.sum(refer & has_cad))  # referred, with CAD
fp = int(np.sum(refer & ~has_cad))  # referred, without CAD
n = len(va)
print(f"At the VA, threshold {PT}: {tp} true positives and {fp} false positives among {n} patients.")

# %% [markdown]
# **Your turn 9.** Write the formula in one line: the **net benefit of the model at the VA** at
# $p_t = 0.2$, from `tp`, `fp`, `n` and `PT`.

# %%
my_nb_va = None  # Write your answer here.

# %%
"""Check that your net benefit at the VA is right (prints a hint, never the answer)."""
_ref = tp / n - fp / n * PT / (1 - PT)
_typo = typing_hint(my_nb_va)
if my_nb_va is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif abs(float(my_nb_va) - _ref) < 0.0006:
    print("Correct ✔ Now compare it with referring everyone, in the cells below.")
elif abs(float(my_nb_va) - (tp / n - fp / n)) < 0.0006:
    print("Not quite: each false positive counts as pt / (1 − pt) of a true positive, not as a whole one.")
elif abs(float(my_nb_va) - (tp - fp * PT / (1 - PT))) < 0.06:
    print("Not quite: divide the counts by the number of patients, n.")
elif abs(float(my_nb_va) - 100 * _ref) < 0.06:
    print("Not quite: give net true positives per patient (a fraction), not per 100.")
elif abs(float(my_nb_va) - (tp / n - fp / n * PT)) < 0.0006:
    print("Not quite: the weight is the odds of the threshold, pt / (1 − pt), not pt itself.")
elif abs(float(my_nb_va) - (has_cad.mean() - (1 - has_cad.mean()) * PT / (1 - PT))) < 0.0006:
    print("Not quite: that is referring everyone. The model's net benefit uses its own tp and fp.")
elif abs(float(my_nb_va) - _ref) < 0.006:
    print("Almost: give at least three decimals (compute it in the cell rather than copy a rounded number).")
else:
    print("Not quite: check that both counts are divided by n and that only the false positives are weighted.")

# %% [markdown]
# **Your turn 10 (the same, as a function).** The assignment asks you to write net benefit as a small
# **function**, to reuse it on other patients and other ways of deciding. Complete the two lines marked
# `None` in `nb_at` (the false positives, and the net benefit: inside `nb_at` use `true_pos`, `false_pos`,
# `n_patients` and `pt`, the function's own counts, not the VA's `tp`, `fp`, `n` and `PT`), run the cell,
# then store in `my_nb_hungary` the net benefit of the model **in Hungary** at 0.2:
# `nb_at(groups["Hungary"]["cad"], groups["Hungary"]["risk"], 0.2)`. (To refer everyone, you would pass
# risks that are all 1: `np.ones(len(y))`.)

# %%
def nb_at(y, risk, pt):
    """Net benefit of referring the patients whose risk is at least pt."""
    has_disease = np.asarray(y) == 1
    referred = np.asarray(risk) >= pt
    true_pos = np.sum(referred & has_disease)  # referred, with the disease
    false_pos = None  # complete this line: referred, without the disease
    n_patients = len(has_disease)
    return None  # complete this line: true positives per patient, minus false positives weighted by the odds

# %%
my_nb_hungary = None  # Write your answer here.

# %%
"""Check that your net benefit in Hungary is right (prints a hint, never the answer)."""
_hu = groups["Hungary"]
_y_hu, _referred = _hu["cad"].to_numpy() == 1, _hu["risk"].to_numpy() >= PT
_tp_hu, _fp_hu, _n_hu = np.sum(_referred & _y_hu), np.sum(_referred & ~_y_hu), len(_hu)
_ref = _tp_hu / _n_hu - _fp_hu / _n_hu * PT / (1 - PT)


def _nb_own(patients):
    try:
        return float(nb_at(patients["cad"], patients["risk"], PT))
    except Exception:  # nb_at not completed yet
        return None


_nb_own_hu, _nb_own_va = _nb_own(_hu), _nb_own(va)
_uses_globals = None not in (_nb_own_hu, _nb_own_va) and abs(_nb_own_hu - _nb_own_va) < 1e-12
_typo = typing_hint(my_nb_hungary)
if my_nb_hungary is None:
    print("Replace None with your answer in the cell above (and complete nb_at: until you do, it gives back "
          "None), run it, then run this cell again.")
elif _typo:
    print(_typo)
elif abs(float(my_nb_hungary) - _ref) < 0.0006:
    print("Correct ✔ The same function now works for any hospital, any threshold and any risks.")
elif abs(float(my_nb_hungary) - (_tp_hu / _n_hu - _fp_hu / _n_hu)) < 0.0006:
    print("Not quite: each false positive counts as pt / (1 − pt) of a true positive, not as a whole one.")
elif abs(float(my_nb_hungary) - (_tp_hu / _n_hu - _fp_hu / _n_hu * PT)) < 0.0006:
    print("Not quite: the weight is the odds of the threshold, pt / (1 − pt), not pt itself.")
elif abs(float(my_nb_hungary) - (_y_hu.mean() - (1 - _y_hu.mean()) * PT / (1 - PT))) < 0.0006:
    print("Not quite: that is referring everyone. Pass the model's risks, groups['Hungary']['risk'].")
elif _uses_globals:
    print("Not quite: your function uses Your turn 9's tp, fp, n, PT instead of its own counts: inside nb_at "
          "use true_pos, false_pos, n_patients and pt.")
elif abs(float(my_nb_hungary) - 100 * _ref) < 0.06:
    print("Not quite: give net true positives per patient (a fraction), not per 100.")
elif abs(float(my_nb_hungary) - (tp / n - fp / n * PT / (1 - PT))) < 0.0006:
    print("Not quite: that is the VA value of Your turn 9. Pass the Hungarian patients to nb_at.")
elif abs(float(my_nb_hungary) - _ref) < 0.006:
    print("Almost: give at least three decimals (compute it in the cell rather than copy a rounded number).")
else:
    print("Not quite: check nb_at: false_pos counts referred patients WITHOUT the disease (~has_disease).")

# %% [markdown]
# A **decision curve** draws the net benefit at every reasonable threshold, with the two defaults. The
# functions below compute it for any risks; the figure shows it for each external hospital.

# %%
def net_benefit(y, risk, thresholds):
    """Net benefit of referring when risk >= pt, for every pt in thresholds (an array)."""
    y = np.asarray(y, dtype=bool)
    refer = np.asarray(risk)[:, np.newaxis] >= thresholds[np.newaxis, :]  # patients × thresholds
    tp = (refer & y[:, np.newaxis]).sum(axis=0)
    fp = (refer & ~y[:, np.newaxis]).sum(axis=0)
    return tp / len(y) - fp / len(y) * thresholds / (1 - thresholds)


def net_benefit_all(y, thresholds):
    """Net benefit of referring everyone: prevalence − (1 − prevalence) × pt / (1 − pt)."""
    prevalence = np.mean(y)
    return prevalence - (1 - prevalence) * thresholds / (1 - thresholds)


thresholds = np.round(np.arange(0.05, 0.81, 0.01), 2)
nb_va_all = net_benefit_all(va["cad"], np.array([PT]))[0]
print(f"At the VA, threshold {PT}: model {net_benefit(va['cad'], va['risk'], np.array([PT]))[0]:.3f}, "
      f"refer everyone {nb_va_all:.3f}.")
print(f"Net referrals avoided per 1,000 VA patients by using the model instead of referring everyone: "
      f"{(net_benefit(va['cad'], va['risk'], np.array([PT]))[0] - nb_va_all) / (PT / (1 - PT)) * 1000:.0f}")

# %% mystnb={"image": {"alt": "Three decision curves, net benefit against threshold probability, for Hungary, VA Long Beach and Switzerland: the Cleveland model, refer everyone, and refer no one. In Hungary the model is above both defaults over most thresholds; at the VA and in Switzerland, where most patients have CAD, referring everyone is as good as or better than the model at low thresholds."}}
fig, axes = plt.subplots(1, 3, figsize=(15, 4.8), sharey=True)
for ax, name in zip(axes, ["Hungary", "VA Long Beach", "Switzerland"]):
    g = groups[name]
    ax.plot(thresholds, net_benefit(g["cad"], g["risk"], thresholds), color=BLUE, linewidth=2.5, label="Cleveland model")
    ax.plot(thresholds, net_benefit_all(g["cad"], thresholds), color=ORANGE, linestyle="--", linewidth=2,
            label="refer everyone")
    ax.axhline(0, color=GREY, linestyle=":", linewidth=2, label="refer no one")
    ax.set_title(f"{name} ({g['cad'].mean():.0%} with CAD)")
    ax.set_xlabel("Threshold probability for referral")
    ax.set_ylim(-0.1, 1)
axes[0].set_ylabel("Net benefit (per patient)")
axes[0].legend(loc="upper right")
fig.suptitle("Decision curves of the Cleveland model at three other hospitals")
fig.tight_layout()
plt.show()

# %% [markdown]
# Where most referred patients have CAD (the VA, Switzerland), referring everyone is hard to beat at low
# thresholds: the model only helps where its "no" spares enough unneeded CT angiograms to be worth the
# cases it misses. Remember who these patients are: all had already been referred for angiography. How the
# model does in the patients it would actually be used on (before referral, at a lower prevalence) needs a
# validation in those patients. And Switzerland has very few patients without CAD: its curve is very rough. In Hungary, with fewer patients with CAD, the model beats both defaults over a wide range.
#
# Does recalibration change the picture at the VA? Net benefit depends on calibration (a threshold on a
# risk that is too low acts at the wrong patients), so we compare the original and recalibrated risks on
# the **check half**:

# %% mystnb={"image": {"alt": "Decision curves in the VA check half: the original Cleveland model, the same model after logistic recalibration on the update half, refer everyone and refer no one. The recalibrated curve follows the refer-everyone line up to a threshold of about 0.4, where the original model falls below it; above about 0.55 both model curves are above the refer-everyone line."}}
fig, ax = plt.subplots(figsize=(8, 5.5))
ax.plot(thresholds, net_benefit(va_check["cad"], versions["original"], thresholds), color=BLUE, linewidth=2.5,
        label="original model")
ax.plot(thresholds, net_benefit(va_check["cad"], versions["recalibrated"], thresholds), color=GREEN, linewidth=2.5,
        linestyle="-.", label="recalibrated on the update half")
ax.plot(thresholds, net_benefit_all(va_check["cad"], thresholds), color=ORANGE, linestyle="--", linewidth=2,
        label="refer everyone")
ax.axhline(0, color=GREY, linestyle=":", linewidth=2, label="refer no one")
ax.axvline(PT, color="black", linewidth=1)
ax.set_title(f"VA check half ({len(va_check)} patients): before and after recalibration")
ax.set_xlabel("Threshold probability for referral")
ax.set_ylabel("Net benefit (per patient)")
ax.set_ylim(-0.1, 0.85)
ax.legend(loc="lower left")
fig.tight_layout()
plt.show()

# %%
# extra code – the same at the threshold 0.2, in numbers
at_pt = pd.Series({
    "refer everyone": net_benefit_all(va_check["cad"], np.array([PT]))[0],
    "original model": net_benefit(va_check["cad"], versions["original"], np.array([PT]))[0],
    "recalibrated": net_benefit(va_check["cad"], versions["recalibrated"], np.array([PT]))[0],
}, name=f"net benefit at {PT}, VA check half")
at_pt.round(3).to_frame()

# %%
# extra code – the difference in whole patients: the original model against referring everyone
_refer = versions["original"] >= PT
_cad = va_check["cad"].to_numpy() == 1
missed, spared = int(np.sum(~_refer & _cad)), int(np.sum(~_refer & ~_cad))
print(f"Against referring all {len(va_check)} patients of the check half, the original model at {PT} "
      f"misses {missed} patient(s) with CAD and spares {spared} CT angiogram(s) in patients without CAD.")

# %% [markdown]
# At $p_t = 0.2$ the original model does slightly **worse** than referring every VA patient: the cell above
# counts the difference in whole patients: a handful of patients in 100, well within the noise of so small a
# sample, so "no better than referring everyone" is the fair reading, not "harmful". After recalibration its risks are higher, nearly
# every patient is above 0.2, and it does about as well as referring everyone. At this threshold, at the
# VA, the model adds nothing over referring everyone. It could help only where CT angiography is kept for
# patients at higher risk (thresholds above about 0.55 on the curves), and with 100 patients in the check
# half these curves are uncertain too.
#
# ## 10. After go-live: monitoring
#
# A model that works on the day it is switched on can stop working later: patients change, tests
# change, and even how the outcome is **recorded** changes. The course's synthetic emergency-department
# cohort lets us watch that happen, because it also holds the **truth**. A sepsis model is built at
# hospital A (`cohort_baseline`, site A, training split). It then goes live at hospital B; we monitor it
# month by month. Six months in, hospital B changes (`cohort_shift`, described in the cohort's data
# card): older patients, more sepsis, a lactate analyser that reads 0.5 mmol/L higher, and a coding change
# that records sepsis only in severe cases.

# %%
# extra code – the sepsis model of hospital A (logistic regression on triage signs and blood tests)
baseline, shifted = load("cohort_baseline"), load("cohort_shift")
truth_baseline, truth_shifted = load("cohort_baseline_truth"), load("cohort_shift_truth")
SIGNS = ["age", "heart_rate", "resp_rate", "temp_c", "sbp", "wbc", "lactate", "creatinine"]
train_a = baseline[(baseline["site"] == "A") & (baseline["split"] == "train")]
sepsis_model = make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler(),
                             LogisticRegression(max_iter=1000))
sepsis_model.fit(train_a[SIGNS], train_a["sepsis_recorded"])

# extra code – hospital B after go-live: 12 months of about 250 patients each, in arrival order; months 1-6
# come from the unchanged hospital (baseline), months 7-12 from the changed one (shift)
both = pd.concat([
    baseline.merge(truth_baseline[["patient_id", "sepsis"]], on="patient_id").assign(period="before"),
    shifted.merge(truth_shifted[["patient_id", "sepsis"]], on="patient_id").assign(period="after"),
])
both = both[both["site"] == "B"]
ids_b = np.sort(both["patient_id"].unique())
month_of = pd.Series(1 + np.arange(len(ids_b)) * 12 // len(ids_b), index=ids_b)
both["month"] = both["patient_id"].map(month_of)
live = both[(both["month"] <= 6) == (both["period"] == "before")].sort_values("patient_id").copy()
live["risk"] = sepsis_model.predict_proba(live[SIGNS])[:, 1]

# What a monitoring report shows each month: inputs, predictions and recorded outcomes
monthly = live.groupby("month").agg(
    patients=("risk", "size"), mean_age=("age", "mean"), mean_lactate=("lactate", "mean"),
    predicted=("risk", "sum"), recorded=("sepsis_recorded", "sum"), true_sepsis=("sepsis", "sum"),
)
monthly["O/E (recorded)"] = monthly["recorded"] / monthly["predicted"]
monthly["O/E (true)"] = monthly["true_sepsis"] / monthly["predicted"]
monthly.round(2)

# %% [markdown]
# A monitoring plan fixes in advance what to watch, how often, and the **stop rule**. Here: every month,
# the inputs (mean age, mean lactate) and O/E against the recorded outcome; pause the model and investigate
# if O/E leaves the band 0.8 to 1.25 (a band chosen for illustration, not a standard) in any month.

# %% mystnb={"image": {"alt": "Two panels over twelve months at hospital B. Left, O/E of the sepsis model: against recorded sepsis it stays near 1 for six months and then drops to about 0.7, below the band from 0.8 to 1.25, while against true sepsis it rises above 1. Right, mean lactate jumps by about half a mmol/L from month 7."}}
fig, (ax_oe, ax_in) = plt.subplots(1, 2, figsize=(13, 4.8))
ax_oe.axhspan(0.8, 1.25, color=GREEN, alpha=0.15, label="band: keep using the model")
ax_oe.plot(monthly.index, monthly["O/E (recorded)"], "o-", color=BLUE, linewidth=2.5, label="against recorded sepsis")
ax_oe.plot(monthly.index, monthly["O/E (true)"], "s--", color=VERMILION, linewidth=2,
           label="against true sepsis (unknown in practice)")
ax_oe.axvline(6.5, color=GREY, linestyle=":", linewidth=2)
ax_oe.set_title("Hospital B: observed over expected, by month")
ax_oe.set_xlabel("Month after go-live")
ax_oe.set_ylabel("O/E")
ax_oe.set_ylim(0.4, 1.6)
ax_oe.legend(loc="lower left", fontsize=9)
ax_in.plot(monthly.index, monthly["mean_lactate"], "o-", color=ORANGE, linewidth=2.5)
ax_in.axvline(6.5, color=GREY, linestyle=":", linewidth=2)
ax_in.set_title("Hospital B: an input, by month")
ax_in.set_xlabel("Month after go-live")
ax_in.set_ylabel("Mean lactate (mmol/L)")
fig.tight_layout()
plt.show()

# %% [markdown]
# From month 7 the recorded O/E falls below the band: the stop rule fires. But look at the red line:
# against the **true** diagnosis the model now **under**-predicts. The record had changed, not only the
# patients: sepsis was coded only when severe, so milder cases vanished from the "observed" count. A
# monitoring plan that watched only the recorded O/E would draw the wrong conclusion (the model predicts
# too much sepsis). Watching the inputs (lactate jumped), auditing a sample of charts against the record,
# and asking what changed at the hospital are part of the plan too.
#
# **Your turn 11.** Compute **O/E against recorded sepsis over months 7 to 12 together** (one number:
# recorded cases over the sum of predicted risks, for those months of `live`).

# %%
my_oe_recorded_after = None  # Write your answer here.

# %%
"""Check that your O/E after the change is right (prints a hint, never the answer)."""
_after = live[live["month"] >= 7]
_ref = _after["sepsis_recorded"].sum() / _after["risk"].sum()
_typo = typing_hint(my_oe_recorded_after)
if my_oe_recorded_after is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif abs(float(my_oe_recorded_after) - _ref) < 0.006:
    print("Correct ✔ Below the band: the stop rule fires, and the chart audit shows why.")
elif abs(float(my_oe_recorded_after) - 1 / _ref) < 0.006:
    print("Not quite: your ratio is upside down. Observed (recorded) cases on top.")
elif abs(float(my_oe_recorded_after) - _after["sepsis"].sum() / _after["risk"].sum()) < 0.006:
    print("Not quite: that uses the true sepsis, which a hospital does not know. Use `sepsis_recorded`.")
elif abs(float(my_oe_recorded_after) - live["sepsis_recorded"].sum() / live["risk"].sum()) < 0.006:
    print("Not quite: that is all twelve months. Keep months 7 to 12 only.")
elif float(my_oe_recorded_after) > 10:
    print("Not quite: this looks like a percentage. O/E is a ratio, equal to one when the model is right on average.")
else:
    print("Not quite. Select live['month'] >= 7, then recorded cases / sum of risks.")

# %% [markdown]
# ## What to take away
#
# - A model's AUC at home says little about its **calibration** elsewhere. Check the calibration plot,
#   O/E, intercept and slope at every new hospital, with the patients it will be used on.
# - **Update** before discarding: an intercept update fixes the average; logistic recalibration also the
#   spread. Neither changes the AUC. Judge any update on patients it was not fitted on.
# - Small samples give wide **intervals**: report them.
# - **Net benefit** asks whether acting on the model beats referring everyone or no one, at the thresholds
#   clinicians would use; the answer can differ by hospital.
# - After go-live, **monitor** inputs, predictions and outcomes on a schedule with a stop rule fixed in
#   advance, and check how the outcome is recorded.
#
# The graded assignment asks you to do this for the VA and to advise its AI committee.
