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
# # Lab 4: Does the model miss more patients in one group?
#
# **The patient.** Mrs B. is 54. For a month she has had a pressure in her chest when she hurries for the
# bus. Her exercise ECG (the test the model's 1980s data come from; current guidelines no longer use it to
# diagnose angina) shows 1 mm of ST depression. Exertional chest pressure with ST depression needs a
# diagnosis: nobody should reassure her and send her home. The ESC guidelines (2019, 2024) on chronic
# coronary syndromes estimate the pre-test (clinical) likelihood of coronary artery disease (CAD) from
# age, sex and symptoms (and, in 2024, risk factors), offer a **non-invasive test** (CT coronary
# angiography, or functional imaging such as stress echocardiography), and keep **invasive coronary
# angiography** for patients whose likelihood is very high (above 85% in the ESC guidelines) or whose
# non-invasive test calls for it; NICE CG95 (2016) offers CT coronary angiography when clinical assessment
# suggests typical or atypical angina, or non-anginal pain with an abnormal resting ECG. A model that
# estimates the probability of CAD gives her 38%. The hospital sends patients at 50% or more **straight to
# invasive angiography**; below that, to a **non-invasive test first**. The 50% cut-off is for teaching.
# The ESC guidelines reserve direct invasive angiography for a very high clinical likelihood (above 85%)
# or severe symptoms, and this model's probabilities, from a 1980s population already referred for
# angiography, are not on that scale. So Mrs B. is booked for a CT coronary angiogram. If she has CAD,
# that is a slower road to her diagnosis. Was that the model's usual behaviour for a woman, or bad luck?
#
# **The decision.** Whether to use such a model to decide who goes straight to invasive angiography,
# knowing that it may be wrong more often for some patients than for others.
#
# **What each kind of error costs, and who pays.**
#
# - A **false negative** (missed by the model): a patient with CAD is not sent straight to angiography.
#   The diagnosis is delayed by a further test, and missed if that test misses the disease too.
#   The **false-negative rate (FNR)** is the share of patients *with* the disease whom the model misses:
#   FNR = FN / (FN + TP) = 1 − sensitivity.
# - A **false positive** (unneeded work-up): a patient without CAD has an invasive angiogram (an arterial
#   puncture, a small risk of bleeding or stroke) that a non-invasive test could have spared. The
#   **false-positive rate (FPR)** is the share of patients *without* the disease whom the model flags:
#   FPR = FP / (FP + TN) = 1 − specificity.
#
# A model is unfair in the sense that matters clinically when these harms fall more heavily on one
# group of patients.
#
# **In this lab (about 50 minutes) you will:**
#
# 1. audit a chest-pain model's FNR and FPR by sex and by hospital with fairlearn's `MetricFrame`;
# 2. check whether its probabilities are calibrated in women and in men, across the range of risk;
# 3. use a synthetic cohort, where the true answer is known, to see four ways bias gets into a model:
#    the label, under-representation, measurement and missing data;
# 4. try two fixes (`ThresholdOptimizer` and `ExponentiatedGradient`) and count what they cost;
# 5. see why calibration and equal error rates cannot both hold when prevalence differs, and what removing
#    sex from the model's inputs trades.
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
import statsmodels.api as sm
from fairlearn.metrics import MetricFrame, count, false_negative_rate, false_positive_rate, selection_rate
from fairlearn.postprocessing import ThresholdOptimizer
from fairlearn.reductions import ExponentiatedGradient, TruePositiveRateParity
from matplotlib.ticker import PercentFormatter
from scipy.stats import binomtest
from sklearn.calibration import calibration_curve
from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression, LogisticRegression
from sklearn.metrics import accuracy_score, confusion_matrix
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from clinical_data import load

SEED = 42  # every random step below uses this seed, so you get the same numbers every time

# extra code – readable figures in colours that colour-blind readers can tell apart (Okabe–Ito palette)
plt.rcParams.update(
    {"figure.dpi": 100, "font.size": 12, "axes.titlesize": 13, "axes.labelsize": 12, "legend.fontsize": 11}
)
BLUE, ORANGE, GREEN, VERMILION, PURPLE, GREY = "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#777777"
pd.set_option("display.float_format", lambda v: f"{v:.0f}" if float(v).is_integer() else f"{v:.2f}")  # counts: no ".0"

# extra code – one-line hints for the slips of someone new to Python (never the answer): a percentage typed
# with its % sign anywhere in the notebook; in the "Your turn" check cells, an answer typed in a form they
# cannot read; the outcomes and the risks swapped in roc_auc_score
from autograder.hints import roc_auc_score, show_percent_sign_hint, typing_hint

show_percent_sign_hint()

print("Ready.")

# %% [markdown]
# ## 1. The chest-pain model
#
# We use the UCI Heart Disease data again (Detrano et al., *Am J Cardiol* 1989): 920 patients referred for
# angiography at four hospitals, so we know who truly had CAD. This time we train on patients from all
# four hospitals and keep half of them aside as a test set. The split keeps the same mix of hospital, sex
# and disease in both halves. (The book's chapter fits the same kind of model on a different random half,
# and the assignment on a 60/40 split: with only a few dozen women with or without CAD in a test set, one
# or two patients move a woman's rate by several points, so their numbers differ from yours.)

# %%
df = load("heart_disease")
df["cad"] = (df["num"] > 0).astype(int)  # 1 = CAD on angiography
numeric_features = ["age", "trestbps", "thalach", "oldpeak"]
categorical_features = ["sex", "cp", "exang"]
features = numeric_features + categorical_features

strata = df["site"] + df["sex"] + df["cad"].astype(str)
train, test = train_test_split(df, test_size=0.5, stratify=strata, random_state=SEED)

preprocess = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric_features),
    (make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore", sparse_output=False)),
     categorical_features),
)
model = make_pipeline(preprocess, LogisticRegression(max_iter=1000))
model.fit(train[features], train["cad"])

THRESHOLD = 0.5
p_test = model.predict_proba(test[features])[:, 1]  # probability of CAD for each test patient
y_true = test["cad"].to_numpy()
y_pred = (p_test >= THRESHOLD).astype(int)          # 1 = straight to invasive angiography
sex = test["sex"].to_numpy()
site = test["site"].to_numpy()

print(f"{len(test)} test patients; AUC {roc_auc_score(y_true, p_test):.2f}; "
      f"accuracy at {THRESHOLD}: {accuracy_score(y_true, y_pred):.0%}")
pd.crosstab(test["sex"], test["cad"].map({0: "no CAD", 1: "CAD"}), margins=True)

# %% [markdown]
# The table already holds the first warning: there are far fewer women than men, and far fewer women
# with CAD. Whatever we say about women will rest on a few dozen patients.
#
# ## 2. Error rates by sex, by hand and with fairlearn
#
# First by hand: split the test patients by sex and count the 2×2 table in each group.

# %%
fnr_hand, fpr_hand = {}, {}
for group in ["Female", "Male"]:
    in_group = sex == group
    t, p = y_true[in_group], y_pred[in_group]
    tp = np.sum((t == 1) & (p == 1))
    fn = np.sum((t == 1) & (p == 0))
    fp = np.sum((t == 0) & (p == 1))
    tn = np.sum((t == 0) & (p == 0))
    fnr_hand[group] = fn / (fn + tp)  # missed disease, among those WITH CAD
    fpr_hand[group] = fp / (fp + tn)  # unneeded angiograms, among those WITHOUT CAD
    print(f"{group:6s}: {tp + fn:3d} with CAD, {fn:2d} missed (FNR {fnr_hand[group]:.0%}); "
          f"{fp + tn:3d} without, {fp:2d} referred anyway (FPR {fpr_hand[group]:.0%})")

# %% [markdown]
# fairlearn's `MetricFrame` does the same for any metric and any grouping: give it the metrics, the
# truth, the calls and the *sensitive feature* (here, sex). `.by_group` is the table per group;
# `.difference()` the largest gap between groups for each metric.

# %%
metrics = {
    "patients": count,
    "FNR (missed CAD)": false_negative_rate,
    "FPR (unneeded angiogram)": false_positive_rate,
    "referred": selection_rate,
}
by_sex = MetricFrame(metrics=metrics, y_true=y_true, y_pred=y_pred, sensitive_features=pd.Series(sex, name="sex"))
assert np.isclose(by_sex.by_group.loc["Female", "FNR (missed CAD)"], fnr_hand["Female"]), "FNR disagrees"
assert np.isclose(by_sex.by_group.loc["Male", "FPR (unneeded angiogram)"], fpr_hand["Male"]), "FPR disagrees"
by_sex.by_group

# %%
print("Largest gap between the sexes:")
by_sex.difference()

# %% [markdown]
# Read it as a clinician: of 100 **women** with CAD the model misses about the FNR × 100; of 100 **men**
# with CAD, far fewer. The error goes the other way for patients *without* CAD: men are sent for more
# unneeded invasive angiograms.
#
# These rates come from small numbers, so we draw them with 95% confidence intervals (Wilson's method):
# the range of rates compatible with what we saw.

# %% mystnb={"image": {"alt": "Two bar charts with 95% confidence intervals for the chest-pain model at threshold 0.5 on the test patients, each bar labelled with its counts. Left, the false-negative rate (patients with CAD who are missed) is higher in women than in men, with a wide interval for women; right, the false-positive rate (patients without CAD who are referred) is higher in men than in women."}}
# extra code – FNR and FPR by sex with 95% confidence intervals
def rate_with_ci(errors, total):
    ci = binomtest(int(errors), int(total)).proportion_ci(method="wilson")
    return errors / total, ci.low, ci.high


fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), sharey=True)
for ax, (title, disease) in zip(axes, [("FNR: patients WITH CAD who are missed", 1),
                                        ("FPR: patients WITHOUT CAD who are referred", 0)]):
    for i, (group, colour) in enumerate([("Female", ORANGE), ("Male", BLUE)]):
        cell = (sex == group) & (y_true == disease)
        wrong = np.sum(y_pred[cell] != disease)
        rate, low, high = rate_with_ci(wrong, cell.sum())
        ax.bar(i, rate, color=colour, width=0.6)
        ax.errorbar(i, rate, yerr=[[rate - low], [high - rate]], color="black", capsize=6)
        ax.annotate(f"{wrong} of {cell.sum()}", (i, high), xytext=(0, 4), textcoords="offset points",
                    ha="center", fontsize=11)
    ax.set_xticks([0, 1], ["women", "men"])
    ax.set_title(title, fontsize=12)
    ax.set_xlabel("Sex")
axes[0].set_ylabel("Rate (95% confidence interval)")
axes[0].yaxis.set_major_formatter(PercentFormatter(1.0))
axes[0].set_ylim(0, 1)
fig.suptitle(f"Chest-pain model at threshold {THRESHOLD}, test patients")
fig.tight_layout()
plt.show()

# %% [markdown]
# The same audit by hospital, and by hospital and sex together. Intersections get small fast: look at
# the `patients` column before you believe a rate.

# %%
by_site = MetricFrame(metrics=metrics, y_true=y_true, y_pred=y_pred, sensitive_features=pd.Series(site, name="hospital"))
by_site.by_group

# %%
by_site_sex = MetricFrame(metrics=metrics, y_true=y_true, y_pred=y_pred,
                          sensitive_features=pd.DataFrame({"site": site, "sex": sex}))
by_site_sex.by_group

# %% [markdown]
# Sex is tangled with hospital. Count, in all 920 patients, how many women and men come from the two
# hospitals where CAD was most common among the patients referred (Switzerland and VA Long Beach):

# %%
high_prevalence_site = df["site"].isin(["Switzerland", "VA Long Beach"])
pd.crosstab(df["sex"], high_prevalence_site.map({True: "Switzerland or VA", False: "Cleveland or Hungary"}),
            margins=True)

# %% [markdown]
# Few women, but many men, come from the sites where most patients had CAD, so part of the gap between
# women and men is a gap between hospitals. Look back at the table by hospital and sex: within Cleveland
# and within Hungary, CAD is still rarer in women and the model still misses more of them, but on very few
# women. Read an audit by one attribute beside the others it is tangled with.
#
# ## 3. Is the model calibrated in women and in men?
#
# A gap in error rates does not by itself mean the model's probabilities are wrong for one group. Check
# **calibration within each group**, across the whole range of risk: among the women the model gives about
# 30%, do about 30 in 100 have CAD? And among those it gives 70%, about 70? (Module 2 teaches calibration
# in detail.) Comparing the *average* prediction with the share who had CAD (calibration-in-the-large) is
# not enough: for a logistic regression that has sex among its inputs, the two match in each sex on the
# training patients almost by construction, and on new patients an average can hide predictions that are
# too extreme or too timid. Two numbers per group summarise calibration across the range:
#
# - the **calibration slope**: regress the outcome on the model's log-odds (its *linear predictor*). A
#   slope of 1 means the predictions spread as much as the outcomes do; below 1, they are too extreme;
#   above 1, too timid (too close to the average);
# - the **calibration intercept**: the same regression with the log-odds as a fixed *offset*. 0 means the
#   predictions are right on average.
#
# statsmodels fits both as logistic regressions (a `GLM` with the `Binomial` family).

# %%
def calibration_intercept_slope(outcome, probability):
    """Calibration intercept (log-odds as offset) and slope (log-odds as covariate)."""
    log_odds = np.log(probability / (1 - probability))
    intercept = sm.GLM(outcome, np.ones(len(outcome)), family=sm.families.Binomial(), offset=log_odds).fit().params[0]
    slope = sm.GLM(outcome, sm.add_constant(log_odds), family=sm.families.Binomial()).fit().params[1]
    return intercept, slope


calibration_summary = {}
for group in ["Female", "Male"]:
    in_group = sex == group
    intercept, slope = calibration_intercept_slope(y_true[in_group], p_test[in_group])
    calibration_summary[group] = {"patients": in_group.sum(), "mean predicted": p_test[in_group].mean(),
                                  "observed with CAD": y_true[in_group].mean(),
                                  "calibration intercept": intercept, "calibration slope": slope}
pd.DataFrame(calibration_summary).T

# %% [markdown]
# And the curve: `calibration_curve` bins each group's patients by predicted probability and returns, for
# each bin, the mean predicted probability and the observed share with CAD.

# %%
calibration = {}
for group in ["Female", "Male"]:
    in_group = sex == group
    observed, predicted = calibration_curve(y_true[in_group], p_test[in_group], n_bins=4, strategy="quantile")
    calibration[group] = pd.DataFrame({"mean predicted": predicted, "observed with CAD": observed})
pd.concat(calibration, names=["sex", "bin"])

# %% mystnb={"image": {"alt": "Calibration plot of the observed share of patients with CAD against the mean predicted probability, in four groups of equal size for each sex, with the diagonal of perfect calibration and a dashed line at the threshold 0.5. The men's points lie close to the diagonal across the whole range; the women's points sit mostly at low predicted probabilities, left of the threshold, near or somewhat below the diagonal."}}
# extra code – calibration curves by sex
fig, ax = plt.subplots(figsize=(5.8, 5.6))
ax.plot([0, 1], [0, 1], linestyle=":", color=GREY, label="perfect calibration")
for group, colour, marker in [("Female", ORANGE, "o"), ("Male", BLUE, "s")]:
    table = calibration[group]
    ax.plot(table["mean predicted"], table["observed with CAD"], marker=marker, color=colour,
            label=f"{'women' if group == 'Female' else 'men'} (4 groups of equal size)")
ax.axvline(THRESHOLD, color="black", linestyle="--", linewidth=1, label=f"threshold {THRESHOLD}")
ax.set_title("Calibration within each sex, test patients")
ax.set_xlabel("Mean predicted probability of CAD")
ax.set_ylabel("Observed share with CAD")
for axis in (ax.xaxis, ax.yaxis):
    axis.set_major_formatter(PercentFormatter(1.0))
ax.set_xlim(0, 1)
ax.set_ylim(0, 1)
ax.legend(loc="upper left", fontsize=10)
fig.tight_layout()
plt.show()

# %% [markdown]
# The men's points lie close to the diagonal, and their slope is close to 1. The women's points sit mostly
# at low probabilities and, with only about two dozen women in each bin, scatter around it; their slope is
# below 1 (the model's probabilities for women are somewhat too extreme: where it gave women a higher risk,
# fewer of them had CAD than it predicted), with a wide uncertainty on under 100 women. On average the
# probabilities match in both sexes, and that average alone would have hidden the slope. Even so,
# miscalibration does not explain the gap in missed disease. **Fewer women have CAD**, so more women with
# CAD have probabilities below the single threshold of 50%. A model calibrated in each group, one
# threshold and different prevalence give different error rates. Section 6 shows that this is not an
# accident of this model.
#
# ## 4. Where does bias come from? A cohort where the truth is known
#
# With real patients we cannot know *why* a model errs more in one group: nobody knows each patient's true
# disease or true need. The course's synthetic cohort knows. It is 10,000 emergency patients in two social
# groups, G0 and G1, generated by `clinical_data.make_cohort`. Each committed file is **the same patients**
# with one bias mechanism switched on, and a second file, the *truth*, holds what no hospital record shows.
#
# | file | mechanism switched on |
# |---|---|
# | `cohort_baseline` | none |
# | `cohort_label_cost` | the care label is next year's **cost**; G1 gets less care for the same need |
# | `cohort_underrep` | G1 is only 5% of the training patients |
# | `cohort_spo2_bias` | the pulse oximeter over-reads on darker skin |
# | `cohort_missing` | lactate is ordered less often for G1 at the same severity |
#
# ### 4a. The label: a care-management programme
#
# A programme offers extra nursing support to the fifth of patients a model ranks highest, as in the
# algorithm studied by Obermeyer et al. (*Science* 2019). The model predicts a label for next year from
# age, sex, this year's chronic conditions and this year's cost. Which label? The number of chronic
# conditions (need), or the cost of care?

# %%
truth = load("cohort_baseline_truth")  # the same for every cohort file: the knobs change only what is recorded


def care_programme(seen, places=0.2):
    """Train on the cohort's training patients; enrol the top `places` of its test patients."""
    data = seen.merge(truth, on="patient_id")
    train_c, test_c = data[data["split"] == "train"], data[data["split"] == "test"].copy()

    def inputs(d):  # extra code – the model's four inputs
        return pd.DataFrame({"age": d["age"], "female": (d["sex"] == "F").astype(int),
                             "conditions_prior": d["conditions_prior"],
                             "log_cost_prior": np.log1p(d["cost_prior"])})

    ranker = make_pipeline(StandardScaler(), LinearRegression())
    ranker.fit(inputs(train_c), np.log1p(train_c["care_label"]))
    test_c["score"] = ranker.predict(inputs(test_c))
    test_c["enrolled"] = (test_c["score"] >= test_c["score"].quantile(1 - places)).astype(int)
    # The patients the programme is meant for: the top fifth by TRUE need (known only to the oracle)
    test_c["high_need"] = (test_c["need"] >= test_c["need"].quantile(1 - places)).astype(int)
    return test_c


programme = {"need": care_programme(load("cohort_baseline")), "cost": care_programme(load("cohort_label_cost"))}
audit = pd.concat({
    f"label = {label}": MetricFrame(
        metrics={"patients": count, "high-need patients missed (FNR)": false_negative_rate, "enrolled": selection_rate},
        y_true=frame["high_need"], y_pred=frame["enrolled"], sensitive_features=frame["group"]).by_group
    for label, frame in programme.items()
})
audit

# %% [markdown]
# With need as the label, high-need patients in G0 and G1 are missed about equally often. With **cost** as
# the label, the model misses far more high-need G1 patients, although it never saw the group: cost
# measures the care people *received*, and G1 received less for the same illness. Obermeyer's figure makes
# this visible: at the same model score, how sick are the patients of each group?

# %% mystnb={"image": {"alt": "Line chart of the mean true chronic need of patients in groups G0 and G1 by model score decile when the label is cost, with the enrolled top fifth (deciles 9 and 10) shaded: need rises with the score in both groups, but the G1 line lies above the G0 line at every decile."}}
# extra code – true need by score decile and group (after Obermeyer et al. 2019, figure 1)
fig, ax = plt.subplots(figsize=(8, 4.8))
cost_programme = programme["cost"]
decile = pd.qcut(cost_programme["score"], 10, labels=False) + 1
mean_need = cost_programme.groupby([decile, "group"])["need"].mean().unstack()
ax.plot(mean_need.index, mean_need["G0"], marker="o", color=BLUE, label="G0")
ax.plot(mean_need.index, mean_need["G1"], marker="s", color=VERMILION, label="G1")
ax.axvspan(8.5, 10.5, color=GREY, alpha=0.15, label="enrolled (top fifth)")
ax.set_xlim(0.5, 10.5)
ax.set_xticks(range(1, 11))
ax.set_title("Label = cost: at the same score, G1 patients are sicker")
ax.set_xlabel("Model score decile (1 = lowest predicted cost)")
ax.set_ylabel("True chronic need (conditions / year)")
ax.legend(loc="upper left")
fig.tight_layout()
plt.show()

# %% [markdown]
# ### 4b. Under-representation
#
# In `cohort_underrep`, G1 is about a quarter of the cohort, as in every file, but most G1 patients were
# put in the test half, so the model learns from very few of them. Does the programme (label = need) now
# miss more G1 patients?

# %%
underrep_seen = load("cohort_underrep")
underrep = care_programme(underrep_seen)
share_g1_train = (underrep_seen.loc[underrep_seen["split"] == "train", "group"] == "G1").mean()
print(f"G1 is {(underrep_seen['group'] == 'G1').mean():.0%} of the cohort, {share_g1_train:.0%} of the training "
      f"patients and {(underrep['group'] == 'G1').mean():.0%} of the test patients.")
MetricFrame(metrics={"patients": count, "high-need patients missed (FNR)": false_negative_rate},
            y_true=underrep["high_need"], y_pred=underrep["enrolled"], sensitive_features=underrep["group"]).by_group

# %% [markdown]
# Hardly more than in the baseline. In this cohort, illness works the same way in both groups, so a
# model that learned on G0 works for G1 too. Under-representation can harm when the groups **differ** in
# how disease shows or is measured: then the model never learns the rarer group's pattern. Real
# disparities are easier to show than their causes: chest X-ray classifiers under-diagnosed female, Black,
# Hispanic and Medicaid-insured patients (Seyyed-Kalantari et al., *Nat Med* 2021), a disparity the study
# measured without establishing its cause. An audit cannot assume either way: it has to look.
#
# ### 4c. Measurement: the pulse oximeter
#
# Pulse oximeters can over-read arterial saturation: Sjoding et al. (*N Engl J Med* 2020) found occult
# hypoxaemia more often in Black than in White patients (by self-reported race), with skin pigmentation the
# likely mechanism. The cohort's knob makes the oximeter over-read with skin tone.
# A nurse takes a blood gas when SpO2 is below 92%; the patients who need one are those whose true
# saturation, SaO2, is below 88% (hypoxaemia). We compare the rule's FNR in the baseline cohort and in the
# cohort where the oximeter is biased.

# %%
oximetry = {}
for name in ["baseline", "spo2_bias"]:
    data = load(f"cohort_{name}").merge(truth, on="patient_id")
    hypoxaemic = (data["sao2"] < 88).astype(int)
    flagged = (data["spo2"] < 92).astype(int)
    oximetry[name] = MetricFrame(metrics={"hypoxaemic patients": lambda t, p: int(np.sum(t)),
                                          "missed hypoxaemia (FNR)": false_negative_rate},
                                 y_true=hypoxaemic, y_pred=flagged, sensitive_features=data["group"]).by_group
pd.concat(oximetry, names=["cohort", "group"])

# %% [markdown]
# The patients and their true saturation are identical in the two files; only the device changed, and
# with it the share of G1's hypoxaemic patients that the rule misses. No model was trained: a biased
# **input** is enough. Any model that learns from SpO2 inherits the bias.
#
# ### 4d. Missing data: lactate ordered less often
#
# In `cohort_missing`, clinicians order a lactate less often for G1 patients at the same severity. Look at
# how often a lactate is recorded among patients with sepsis in each group:

# %%
missing = {}
for name in ["baseline", "missing"]:
    data = load(f"cohort_{name}").merge(truth, on="patient_id")
    septic = data[data["sepsis"] == 1]
    missing[name] = septic.groupby("group")["lactate"].apply(lambda s: s.notna().mean())
pd.DataFrame(missing).rename_axis("group").rename(columns=lambda c: f"{c}: lactate recorded")

# %% [markdown]
# A model that uses lactate, or that learns "no lactate ordered → probably well", sees less evidence of
# sepsis in G1 patients who have it (Gianfrancesco et al., *JAMA Intern Med* 2018).
#
# ## 5. Two fixes, and what they cost
#
# Back to the chest-pain model, whose FNR is higher in women. fairlearn offers two kinds of fix.
#
# - **Post-processing** with `ThresholdOptimizer` (Hardt, Price & Srebro 2016) keeps the model and picks a
#   threshold for each group so that a fairness constraint holds on the patients it is fitted on. Here:
#   the same true-positive rate (so the same FNR) in women and men. It needs each patient's sex **at the
#   moment of the decision**.
# - **Reduction** with `ExponentiatedGradient` (Agarwal et al. 2018) retrains the model under the
#   constraint; it uses sex during training only. It can be slow, so we cap it at 50 iterations.
#
# **Where to fit the thresholds.** Not on the training patients: the model's scores on the patients it
# learned from are better separated than they will be on anyone else, so thresholds chosen there are tuned
# to scores the model will not produce again. We split the test patients in two, with the same mix of sex
# and disease: a **tuning** half to fit the thresholds on, and an **evaluation** half, which neither the
# model nor the thresholds have seen, to judge every approach on.

# %%
tune, evaluate = train_test_split(test, test_size=0.5, stratify=test["sex"] + test["cad"].astype(str),
                                  random_state=SEED)
print(f"tuning half: {len(tune)} patients ({tune.loc[tune['sex'] == 'Female', 'cad'].sum()} women with CAD); "
      f"evaluation half: {len(evaluate)} patients")

postprocessed = ThresholdOptimizer(estimator=model, constraints="true_positive_rate_parity",
                                   objective="accuracy_score", predict_method="predict_proba", prefit=True)
postprocessed.fit(tune[features], tune["cad"], sensitive_features=tune["sex"])
y_eval = evaluate["cad"].to_numpy()
sex_eval = evaluate["sex"].to_numpy()
y_pred_eval = (model.predict_proba(evaluate[features])[:, 1] >= THRESHOLD).astype(int)
y_pred_threshold = postprocessed.predict(evaluate[features], sensitive_features=sex_eval, random_state=SEED)

# extra code – ExponentiatedGradient needs numbers, so we prepare the inputs first
prep = preprocess.fit(train[features])
reduction = ExponentiatedGradient(LogisticRegression(max_iter=1000), constraints=TruePositiveRateParity(),
                                  max_iter=50)
reduction.fit(prep.transform(train[features]), train["cad"], sensitive_features=train["sex"])
y_pred_reduction = reduction.predict(prep.transform(evaluate[features]), random_state=SEED)

# %%
# extra code – FNR and FPR by sex and overall accuracy, for each approach, on the patients it was fitted
# on (training patients for the model and ExponentiatedGradient, the tuning half for ThresholdOptimizer)
# and on new patients (the evaluation half)
calls = {
    ("model at 0.5", "fitted on"): (model.predict_proba(train[features])[:, 1] >= THRESHOLD).astype(int),
    ("model at 0.5", "new"): y_pred_eval,
    ("ThresholdOptimizer", "fitted on"): postprocessed.predict(tune[features], sensitive_features=tune["sex"],
                                                               random_state=SEED),
    ("ThresholdOptimizer", "new"): y_pred_threshold,
    ("ExponentiatedGradient", "fitted on"): reduction.predict(prep.transform(train[features]), random_state=SEED),
    ("ExponentiatedGradient", "new"): y_pred_reduction,
}
fitted_on = {"model at 0.5": train, "ThresholdOptimizer": tune, "ExponentiatedGradient": train}
rows = {}
for (name, patients), predicted in calls.items():
    data = fitted_on[name] if patients == "fitted on" else evaluate
    frame = MetricFrame(metrics={"FNR": false_negative_rate, "FPR": false_positive_rate},
                        y_true=data["cad"], y_pred=predicted, sensitive_features=data["sex"]).by_group
    rows[(name, patients)] = {"FNR women": frame.loc["Female", "FNR"], "FNR men": frame.loc["Male", "FNR"],
                              "FPR women": frame.loc["Female", "FPR"], "FPR men": frame.loc["Male", "FPR"],
                              "accuracy": accuracy_score(data["cad"], predicted)}
comparison = pd.DataFrame(rows).T.rename_axis(["approach", "patients"])
comparison

# %% mystnb={"image": {"alt": "Grouped bar charts of the false-negative rate (missed CAD) in women and men for three approaches: the model at 0.5, ThresholdOptimizer and ExponentiatedGradient. On the patients each was fitted on (left) both fixes bring the women's and men's rates close together; on new patients (right) the model and ExponentiatedGradient again miss more women than men, while ThresholdOptimizer now misses more men than women."}}
# extra code – FNR by sex for each approach, on the patients it was fitted on and on new patients
fig, axes = plt.subplots(1, 2, figsize=(11, 4.6), sharey=True)
for ax, patients in zip(axes, ["fitted on", "new"]):
    table = comparison.xs(patients, level="patients")
    x = np.arange(len(table))
    ax.bar(x - 0.2, table["FNR women"], width=0.4, color=ORANGE, label="women")
    ax.bar(x + 0.2, table["FNR men"], width=0.4, color=BLUE, label="men")
    ax.set_xticks(x, ["model\nat 0.5", "Threshold\nOptimizer", "Exponentiated\nGradient"])
    ax.set_title({"fitted on": "Patients it was fitted on", "new": "New patients (evaluation half)"}[patients],
                 fontsize=12)
    ax.set_xlabel("Approach")
axes[0].set_ylabel("False-negative rate (missed CAD)")
axes[0].yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
axes[0].legend(loc="upper right")
fig.suptitle("Missed CAD by sex: the model and two fixes")
fig.tight_layout()
plt.show()

# %% [markdown]
# Look at the whole table, not only the gap, and at both halves of the figure.
#
# - On the patients each fix was **fitted on**, the FNR of women and men is close to equal: that is what
#   the constraint asks for.
# - On **new** patients it need not hold. The gap can come back, or even turn round: only about a dozen
#   women with CAD were in the tuning half to fit the women's threshold on. A fairness constraint, like
#   accuracy, must be checked on patients the fix has not seen.
# - A fix can narrow a gap by catching more patients in one group, by missing more in the other, or
#   both, and it moves the false positives too: read the FPR columns and the accuracy.
#
# And on the wrong label, no fix helps: equalising the cost programme's error rates against *cost*
# leaves the gap in true need where it was. Fix the label first.
#
# ## 6. Why calibration and equal error rates cannot both hold
#
# Chouldechova (*Big Data* 2017) showed that in any group, at a given threshold, with prevalence $p$:
#
# $$\text{FPR} = \frac{p}{1-p}\cdot\frac{1-\text{PPV}}{\text{PPV}}\cdot(1-\text{FNR})$$
#
# So if two groups have **different prevalence**, a model cannot give them the same PPV (*predictive
# parity*), the same FNR *and* the same FPR at a threshold, unless it is perfect. The identity is about
# PPV, not calibration. Kleinberg, Mullainathan & Raghavan (*ITCS* 2017) proved a related result for the
# scores themselves: calibration within groups cannot hold together with *balance* (the same mean score,
# in every group, among the patients with the disease, and the same among those without), unless
# prediction is perfect or prevalence is equal. Neither theorem says which group must come off worse:
# which way a gap goes depends on the model, the threshold and the data. One criterion has to give.

# %%
def implied_fpr(prevalence, ppv, fnr):
    """The FPR forced by prevalence, PPV and FNR (Chouldechova 2017)."""
    return prevalence / (1 - prevalence) * (1 - ppv) / ppv * (1 - fnr)


# Check the identity on the model's own numbers, for each sex
for group in ["Female", "Male"]:
    t, p = y_true[sex == group], y_pred[sex == group]
    tn_g, fp_g, fn_g, tp_g = confusion_matrix(t, p, labels=[0, 1]).ravel()
    ppv_g, fnr_g = tp_g / (tp_g + fp_g), fn_g / (fn_g + tp_g)
    assert np.isclose(implied_fpr(t.mean(), ppv_g, fnr_g), fp_g / (fp_g + tn_g)), "the identity should hold exactly"
    print(f"{group:6s}: prevalence {t.mean():.0%}, PPV {ppv_g:.0%}, FNR {fnr_g:.0%} -> FPR {fp_g / (fp_g + tn_g):.0%}")

# %% mystnb={"image": {"alt": "Line chart of the false-positive rate forced by the prevalence of CAD when PPV and FNR are held equal in every group (two green curves, for PPV 80% and 70% with FNR 20%), rising steeply as prevalence rises. Vertical lines at the prevalence in women and in men show that the same PPV and FNR force a much higher FPR in men than in women."}}
# extra code – the FPR forced by prevalence when PPV and FNR are held equal
prevalences = np.linspace(0.05, 0.9, 100)
fig, ax = plt.subplots(figsize=(7.5, 4.8))
for ppv_value, fnr_value, style in [(0.8, 0.2, "-"), (0.7, 0.2, "--")]:
    ax.plot(prevalences, implied_fpr(prevalences, ppv_value, fnr_value), linestyle=style, color=GREEN,
            label=f"PPV {ppv_value:.0%}, FNR {fnr_value:.0%} in every group")
for group, colour in [("Female", ORANGE), ("Male", BLUE)]:
    ax.axvline(y_true[sex == group].mean(), color=colour, linewidth=2,
               label=f"{'women' if group == 'Female' else 'men'}: prevalence {y_true[sex == group].mean():.0%}")
ax.set_title("Equal PPV and FNR force unequal FPR when prevalence differs")
ax.set_xlabel("Prevalence of CAD in the group")
ax.set_ylabel("False-positive rate forced")
for axis in (ax.xaxis, ax.yaxis):
    axis.set_major_formatter(PercentFormatter(1.0))
ax.set_ylim(0, 1)
ax.legend(loc="upper left", fontsize=10)
fig.tight_layout()
plt.show()

# %% [markdown]
# ### The trade-off in real patients: "remove sex to make it fair"
#
# The cardiology service, told that the model misses more women, asks for the obvious fix: take `sex` out
# of the inputs. Refit the same model on the same training patients without it, and audit both models on
# the same test patients, for error rates *and* calibration.

# %%
features_no_sex = [f for f in features if f != "sex"]
preprocess_no_sex = make_column_transformer(
    (make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), numeric_features),
    (make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore", sparse_output=False)),
     ["cp", "exang"]),
)
model_no_sex = make_pipeline(preprocess_no_sex, LogisticRegression(max_iter=1000))
model_no_sex.fit(train[features_no_sex], train["cad"])
p_test_no_sex = model_no_sex.predict_proba(test[features_no_sex])[:, 1]

trade_off = {}
for label, probability in [("with sex", p_test), ("without sex", p_test_no_sex)]:
    call = (probability >= THRESHOLD).astype(int)
    for group in ["Female", "Male"]:
        in_group = sex == group
        intercept, slope = calibration_intercept_slope(y_true[in_group], probability[in_group])
        trade_off[(label, group)] = {
            "FNR": false_negative_rate(y_true[in_group], call[in_group]),
            "FPR": false_positive_rate(y_true[in_group], call[in_group]),
            "mean predicted": probability[in_group].mean(), "observed with CAD": y_true[in_group].mean(),
            "calibration intercept": intercept,
        }
trade_off = pd.DataFrame(trade_off).T.rename_axis(["model", "sex"])
trade_off

# %% [markdown]
# Removing sex does what the service hoped for the error rates: the women's and men's FNR come closer. It
# pays with calibration: the model now gives each woman the risk of a patient of unknown sex, pulled up by
# the men, so it predicts far more CAD in women than the women have (compare the mean predicted with the
# observed share; the calibration intercept moves well below 0), and it sends more women without CAD to
# invasive angiography (their FPR rises). That is the trade-off of the theorems, in real patients: equal
# error rates bought with calibration within groups. Neither model is "the fair one"; the choice depends on
# how the number is used, and it must be made in the open.
#
# Which criterion to give up is not a statistical question. For a test whose miss means untreated
# disease, equal FNR may matter most; for an invasive work-up, equal FPR or equal PPV may; for a scarce,
# beneficial programme (the care programme of section 4), the harm is exclusion, so the FNR among those
# in need matters most. When a probability is read out to guide a patient's tests, calibration within
# her group comes first. Say which you chose and why, and report all of them by group.
#
# ## 7. Your turn
#
# Write your answer in place of `None`, run the cell, then run the check cell below it. The check cell
# tells you whether you are right and gives a hint if not; it never shows the answer. These exercises are
# not graded.
#
# **Your turn 1.** Using the model at threshold 0.5 (section 2): **of 100 women with CAD, how many does
# the model miss?** You can type a number or use `by_sex` or `fnr_hand`.

# %%
my_missed_women_per_100 = None  # Write your answer here.

# %%
"""Check that your number of missed women per 100 with CAD is right (prints a hint, never the answer)."""
_typo = typing_hint(my_missed_women_per_100)
if my_missed_women_per_100 is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif abs(float(my_missed_women_per_100) - 100 * fnr_hand["Female"]) <= 1:
    print("Correct ✔ That is the women's false-negative rate, read as patients out of 100.")
elif abs(float(my_missed_women_per_100) - 100 * fnr_hand["Male"]) <= 1:
    print("Not quite: that is the rate for men. Look at the row for women.")
elif abs(float(my_missed_women_per_100) - 100 * fpr_hand["Female"]) <= 1:
    print("Not quite: that is the false-POSITIVE rate, among women WITHOUT CAD. Missed disease is the FNR.")
elif 0 < float(my_missed_women_per_100) < 1:
    print("Not quite: this asks for a number of patients out of 100, not a proportion. Multiply by 100.")
else:
    print("Not quite. Missed patients have CAD but are not referred: which rate counts them, and in which "
          "group?")

# %% [markdown]
# **Your turn 2.** Sjoding et al. measured *occult hypoxaemia*: a true saturation below 88% while the
# oximeter reads 92–96%, counted among *paired readings* (an oximeter reading with an arterial blood gas).
# In `cohort_spo2_bias`, count the same way: among patients who had a blood gas (`sao2_abg` is not empty)
# and whose SpO2 is between 92 and 96 (inclusive), **how many times more often is a G1 patient occultly
# hypoxaemic (`sao2` below 88) than a G0 patient?** (The share in G1 divided by the share in G0.) Use
# `load("cohort_spo2_bias")`, `truth` and the columns `spo2`, `sao2_abg`, `sao2` and `group`.

# %%
my_occult_ratio = None  # Write your answer here.

# %%
"""Check that your occult-hypoxaemia ratio is right (prints a hint, never the answer)."""
_ox = load("cohort_spo2_bias").merge(truth, on="patient_id")
_reassuring = _ox[_ox["spo2"].between(92, 96) & _ox["sao2_abg"].notna()]
_share = (_reassuring["sao2"] < 88).groupby(_reassuring["group"]).mean()
_all_share = (_ox["sao2"] < 88).groupby(_ox["group"]).mean()
_unpaired = _ox[_ox["spo2"].between(92, 96)]
_unpaired_share = (_unpaired["sao2"] < 88).groupby(_unpaired["group"]).mean()
_typo = typing_hint(my_occult_ratio)
if my_occult_ratio is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif np.isclose(float(my_occult_ratio), _share["G1"] / _share["G0"], rtol=0.01):
    print("Correct ✔ The same true saturation, a reassuring reading far more often in G1.")
elif np.isclose(float(my_occult_ratio), _share["G0"] / _share["G1"], rtol=0.01):
    print("Not quite: you divided the other way round. G1's share goes on top.")
elif np.isclose(float(my_occult_ratio), _all_share["G1"] / _all_share["G0"], rtol=0.01):
    print("Not quite: keep only the patients whose SpO2 reads 92 to 96 before you compare the groups.")
elif np.isclose(float(my_occult_ratio), _unpaired_share["G1"] / _unpaired_share["G0"], rtol=0.01):
    print("Not quite: count only paired readings, the patients who had a blood gas (sao2_abg not empty).")
elif float(my_occult_ratio) <= 1:
    print("Not quite: in the cohort with a biased oximeter, G1 should come out worse.")
else:
    print("Not quite. Keep patients with a blood gas and SpO2 from 92 to 96; in each group take the share with "
          "SaO2 below 88; divide G1's share by G0's.")

# %% [markdown]
# **Your turn 3.** In section 5, `ThresholdOptimizer` was fitted to make the FNR of women and men equal on
# the tuning half. **On the new patients (the evaluation half), how large is the gap it leaves: women's FNR
# minus men's, in percentage points?** Use `comparison.loc[("ThresholdOptimizer", "new")]`.

# %%
my_gap_after_test = None  # Write your answer here.

# %%
"""Check that your FNR gap on the new patients is right (prints a hint, never the answer)."""
_test = comparison.loc[("ThresholdOptimizer", "new")]
_train = comparison.loc[("ThresholdOptimizer", "fitted on")]
_before = comparison.loc[("model at 0.5", "new")]
_typo = typing_hint(my_gap_after_test)
if my_gap_after_test is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif abs(float(my_gap_after_test) - 100 * (_test["FNR women"] - _test["FNR men"])) <= 0.5:
    print("Correct ✔ A constraint fitted on a dozen women with CAD need not hold on new patients: check it there.")
elif abs(float(my_gap_after_test) + 100 * (_test["FNR women"] - _test["FNR men"])) <= 0.5:
    print("Not quite: check the sign. Take the women's FNR minus the men's.")
elif abs(float(my_gap_after_test) - (_test["FNR women"] - _test["FNR men"])) < 0.005:
    print("Not quite: that is a fraction. Give percentage points (multiply by 100).")
elif abs(float(my_gap_after_test) - 100 * (_train["FNR women"] - _train["FNR men"])) <= 0.5:
    print("Not quite: that is the gap on the TUNING half, where it was fitted. The question is about new patients.")
elif abs(float(my_gap_after_test) - 100 * (_before["FNR women"] - _before["FNR men"])) <= 0.5:
    print("Not quite: that is the gap of the model BEFORE the fix. Use the ThresholdOptimizer row.")
else:
    print("Not quite. Find the row for ThresholdOptimizer on the new patients, and subtract the men's FNR "
          "from the women's.")

# %% [markdown]
# ### The Python that assignment 4 asks for
#
# The assignment asks you to write a small **function** that returns a **dictionary** of rates, to keep one
# group's patients with a **mask** (`y_true[sex == "Female"]`: the rows where the mask is True), and to
# call fairlearn's `MetricFrame` and `ThresholdOptimizer` yourself. Here is each of them once, on other
# quantities.
#
# **Your turn 4 (a function that returns a dictionary).** Complete the two lines marked `None` in
# `predictive_values` (the true negatives; the NPV, TN / (TN + FN)), run the cell, then store in
# `my_npv_women` the NPV among the **women** of the test set:
# `predictive_values(y_true[sex == "Female"], y_pred[sex == "Female"])["NPV"]`. Of the women the model
# does not send to angiography, what share have no CAD?

# %%
def predictive_values(y_true, y_pred):
    """PPV and NPV of 0/1 calls (1 = referred), as a dictionary."""
    tp = np.sum((y_true == 1) & (y_pred == 1))
    fp = np.sum((y_true == 0) & (y_pred == 1))
    fn = np.sum((y_true == 1) & (y_pred == 0))
    tn = None  # complete this line: no CAD, not referred
    return {"PPV": tp / (tp + fp), "NPV": None}  # complete the NPV

# %%
my_npv_women = None  # Write your answer here.

# %%
"""Check that your NPV among women is right (prints a hint, never the answer)."""


def _counts(t, p):
    return {"tp": np.sum((t == 1) & (p == 1)), "fp": np.sum((t == 0) & (p == 1)),
            "fn": np.sum((t == 1) & (p == 0)), "tn": np.sum((t == 0) & (p == 0))}


_w, _m, _a = _counts(y_true[sex == "Female"], y_pred[sex == "Female"]), _counts(y_true[sex == "Male"], y_pred[sex == "Male"]), _counts(y_true, y_pred)
_typo = typing_hint(my_npv_women, proportion=True)
if my_npv_women is None:
    print("Replace None with your answer in the cell above (and complete predictive_values: until you do, "
          "its NPV is None), run it, then run this cell again.")
elif _typo:
    print(_typo)
elif abs(float(my_npv_women) - _w["tn"] / (_w["tn"] + _w["fn"])) < 0.005:
    print("Correct ✔ A function returns a dictionary; [\"NPV\"] reads one value back. The women's NPV is high "
          "partly because fewer women have CAD: compare it with their FNR, the share of women with CAD missed.")
elif abs(float(my_npv_women) - _w["fn"] / (_w["tn"] + _w["fn"])) < 0.005:
    print("Not quite: that is the share WITH CAD among the women not referred (1 − NPV). Put TN on top.")
elif abs(float(my_npv_women) - _w["tn"] / (_w["tn"] + _w["fp"])) < 0.005:
    print("Not quite: that divides by the women without CAD (specificity). NPV divides by the women NOT "
          "referred: TN + FN.")
elif abs(float(my_npv_women) - _w["tp"] / (_w["tp"] + _w["fp"])) < 0.005:
    print('Not quite: that is the PPV. Take the "NPV" key of the dictionary.')
elif abs(float(my_npv_women) - _m["tn"] / (_m["tn"] + _m["fn"])) < 0.005:
    print('Not quite: that is the men. The mask sex == "Female" keeps the women.')
elif abs(float(my_npv_women) - _a["tn"] / (_a["tn"] + _a["fn"])) < 0.005:
    print('Not quite: that is every test patient. Keep the women: y_true[sex == "Female"], y_pred[sex == "Female"].')
else:
    print("Not quite: check the two lines of predictive_values: tn counts the patients without CAD not referred.")

# %% [markdown]
# **Your turn 5 (`MetricFrame`).** A lower threshold refers more patients. Make the calls at a threshold of
# **0.3**, `(p_test >= 0.3).astype(int)`, give them to `MetricFrame` as `y_pred`, with
# `metrics=false_negative_rate`, `y_true=y_true` and `sensitive_features=sex`, and store the women's FNR,
# `.by_group["Female"]`, in `my_fnr_women_30` (a fraction). Of 100 women with CAD, how many would a
# threshold of 0.3 miss? (For one group, fairlearn's metric can also be called directly on the masked
# patients, `false_negative_rate(y_true[sex == "Female"], (p_test >= 0.3).astype(int)[sex == "Female"])`:
# the same number.)

# %%
my_fnr_women_30 = None  # Write your answer here.

# %%
"""Check that your FNR among women at a threshold of 0.3 is right (prints a hint, never the answer)."""
_calls_30 = (p_test >= 0.3).astype(int)
_fnr_30 = {g: false_negative_rate(y_true[sex == g], _calls_30[sex == g]) for g in ["Female", "Male"]}
_typo = typing_hint(my_fnr_women_30, proportion=True)
if my_fnr_women_30 is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif abs(float(my_fnr_women_30) - _fnr_30["Female"]) < 0.005:
    print("Correct ✔ A lower threshold misses fewer women with CAD; look at what it does to their FPR too.")
elif abs(float(my_fnr_women_30) - fnr_hand["Female"]) < 0.005:
    print("Not quite: that is the threshold 0.5 of section 2. Make the calls with p_test >= 0.3.")
elif abs(float(my_fnr_women_30) - _fnr_30["Male"]) < 0.005:
    print('Not quite: that is the men. Take by_group["Female"].')
elif abs(float(my_fnr_women_30) - false_positive_rate(y_true[sex == "Female"], _calls_30[sex == "Female"])) < 0.005:
    print("Not quite: that is the false-POSITIVE rate. Use metrics=false_negative_rate.")
else:
    print("Not quite: check that y_pred holds the 0/1 calls at 0.3, not the probabilities p_test.")

# %% [markdown]
# **Your turn 6 (`ThresholdOptimizer`).** Suppose the cardiology service asked instead for **equalised
# odds**: equal rates of missed disease (FNR) *and* of unneeded invasive angiograms (FPR) in women and men.
# Meeting equalised odds usually means randomising some patients' decisions (that is why `predict` needs
# a `random_state`): two identical patients can get different referrals. Redo section 5's fix with that
# constraint, in four steps. The answer cell holds them: remove the `#` in front of its lines and fill in
# each `...`:
#
# 1. `ThresholdOptimizer(...)` with the same arguments as in section 5 but `constraints="equalized_odds"`;
# 2. `.fit(...)` on the **tuning** half: `tune[features]`, `tune["cad"]`, `sensitive_features=tune["sex"]`;
# 3. `.predict(...)` on the **evaluation** half: `evaluate[features]`, `sensitive_features=sex_eval`,
#    `random_state=SEED`;
# 4. `my_accuracy_odds_fix = accuracy_score(y_eval, calls_odds)`, the accuracy of those calls.

# %%
my_accuracy_odds_fix = None  # Replace each ... below, then select the lines and press Ctrl+/ (Cmd+/ on a Mac) to remove their #, and run.
# odds_fix = ThresholdOptimizer(estimator=model, constraints=..., objective="accuracy_score",
#                               predict_method="predict_proba", prefit=True)
# odds_fix.fit(..., ..., sensitive_features=...)
# calls_odds = odds_fix.predict(..., sensitive_features=..., random_state=SEED)
# my_accuracy_odds_fix = accuracy_score(y_eval, calls_odds)

# %%
"""Check that your accuracy after the equalised-odds fix is right (prints a hint, never the answer)."""
_fix = ThresholdOptimizer(estimator=model, constraints="equalized_odds", objective="accuracy_score",
                          predict_method="predict_proba", prefit=True)
_fix.fit(tune[features], tune["cad"], sensitive_features=tune["sex"])
_calls_eval = _fix.predict(evaluate[features], sensitive_features=sex_eval, random_state=SEED)
_calls_tune = _fix.predict(tune[features], sensitive_features=tune["sex"], random_state=SEED)
_typo = typing_hint(my_accuracy_odds_fix, proportion=True)
if my_accuracy_odds_fix is None:
    print("Replace None with your answer in the cell above, run it, then run this cell again.")
elif _typo:
    print(_typo)
elif abs(float(my_accuracy_odds_fix) - accuracy_score(y_eval, _calls_eval)) < 0.005:
    print("Correct ✔ Compare it with the accuracy of the model at 0.5 and of the equal-FNR fix, in `comparison`.")
elif abs(float(my_accuracy_odds_fix) - accuracy_score(y_eval, y_pred_threshold)) < 0.005:
    print('Not quite: that is section 5\'s equal-FNR fix. Use constraints="equalized_odds".')
elif abs(float(my_accuracy_odds_fix) - accuracy_score(y_eval, y_pred_eval)) < 0.005:
    print("Not quite: that is the model at 0.5, before any fix. Use the calls of your ThresholdOptimizer.")
elif abs(float(my_accuracy_odds_fix) - accuracy_score(tune["cad"], _calls_tune)) < 0.005:
    print("Not quite: that is the tuning half, where the fix was fitted. Predict on the evaluation half.")
else:
    print("Not quite: check that the fix is fitted on the tuning half and predicts the evaluation half.")

# %% [markdown]
# **Your turn 7 (think, no code to check).** Write, in three sentences for the cardiology service, what
# removing `sex` from the inputs would change for women, using the `trade_off` table of section 6: their
# missed disease, their unneeded invasive angiograms, and what their predicted probabilities would mean.
# (Hint: it does narrow the gap in FNR; what does it cost?) And `ThresholdOptimizer` uses sex at the moment
# of the decision: would your hospital, and your patients, accept a different threshold for women and men?
#
# ## Summary

# %%
# extra code – the headline numbers of this lab, in one place
print(f"Chest-pain model, {len(y_true)} test patients, threshold {THRESHOLD}:")
for group in ["Female", "Male"]:
    print(f"  {group:6s}: prevalence {y_true[sex == group].mean():.0%}, FNR {fnr_hand[group]:.0%}, "
          f"FPR {fpr_hand[group]:.0%}, mean predicted {p_test[sex == group].mean():.0%}")
for (name, patients), row in comparison.iterrows():
    print(f"  {name:22s} ({patients:8s}): FNR women {row['FNR women']:.0%}, men {row['FNR men']:.0%}; "
          f"accuracy {row['accuracy']:.0%}")
for (label, group), row in trade_off.iterrows():
    print(f"  {label:11s} {group:6s}: FNR {row['FNR']:.0%}, FPR {row['FPR']:.0%}, "
          f"mean predicted {row['mean predicted']:.0%} vs observed {row['observed with CAD']:.0%}")
print("Care programme, high-need patients missed (G0 / G1):")
for label, frame in programme.items():
    rates = MetricFrame(metrics=false_negative_rate, y_true=frame["high_need"], y_pred=frame["enrolled"],
                        sensitive_features=frame["group"]).by_group
    print(f"  label = {label}: {rates['G0']:.0%} / {rates['G1']:.0%}")

# %% [markdown]
# **Take-aways**
#
# - Fairness in a clinical model is about **who bears the errors**: the FNR is missed disease, the FPR is
#   unneeded work-up. Report both, by group, with the number of patients behind each rate.
# - `MetricFrame` computes any metric by group (sex, race, hospital, and their intersections) in one line.
# - **Check calibration within groups, across the range of risk**: calibration intercept and slope and a
#   curve per group, on new patients, not only the mean prediction against the observed share. A model can
#   be calibrated in every group and still miss more patients in the group where the disease is rarer.
# - **Removing sex** from the inputs brought the women's and men's FNR closer, at the price of the women's
#   calibration and more unneeded invasive angiograms in women: a trade-off to choose in the open.
# - Bias enters through the **label** (cost for need), **who is in the data**, how inputs are
#   **measured**, and which tests are **done**. An audit against the recorded label can miss a label bias
#   completely: you need a better measure of the truth.
# - Fixes such as `ThresholdOptimizer` and `ExponentiatedGradient` move errors between groups and usually
#   cost accuracy. Fit a post-processing fix on held-out patients, judge every fix on patients it has not
#   seen, and state what it changes for each group.
# - When prevalence differs, calibration and equal error rates cannot all hold: choose, in the open, which
#   matters for this decision.
#
# **References**
#
# - Agarwal A, Beygelzimer A, Dudík M, Langford J, Wallach H. A reductions approach to fair classification.
#   *ICML* 2018 (PMLR 80:60–69).
# - Chouldechova A. Fair prediction with disparate impact: a study of bias in recidivism prediction
#   instruments. *Big Data* 2017;5:153–163.
# - Detrano R, Janosi A, Steinbrunn W, et al. International application of a new probability algorithm
#   for the diagnosis of coronary artery disease. *Am J Cardiol* 1989;64:304–310.
# - Gianfrancesco MA, Tamang S, Yazdany J, Schmajuk G. Potential biases in machine learning algorithms
#   using electronic health record data. *JAMA Intern Med* 2018;178:1544–1547.
# - Hardt M, Price E, Srebro N. Equality of opportunity in supervised learning. *NeurIPS* 2016.
# - Knuuti J, Wijns W, Saraste A, et al. 2019 ESC Guidelines for the diagnosis and management of chronic
#   coronary syndromes. *Eur Heart J* 2020;41:407–477. doi:10.1093/eurheartj/ehz425.
# - Kleinberg J, Mullainathan S, Raghavan M. Inherent trade-offs in the fair determination of risk scores.
#   *ITCS* 2017 (arXiv:1609.05807).
# - National Institute for Health and Care Excellence. Recent-onset chest pain of suspected cardiac origin:
#   assessment and diagnosis. Clinical guideline CG95, 2010, updated 2016.
# - Obermeyer Z, Powers B, Vogeli C, Mullainathan S. Dissecting racial bias in an algorithm used to
#   manage the health of populations. *Science* 2019;366:447–453.
# - Seyyed-Kalantari L, Zhang H, McDermott MBA, Chen IY, Ghassemi M. Underdiagnosis bias of artificial
#   intelligence algorithms applied to chest radiographs in under-served patient populations. *Nat Med*
#   2021;27:2176–2182.
# - Sjoding MW, Dickson RP, Iwashyna TJ, Gay SE, Valley TS. Racial bias in pulse oximetry measurement.
#   *N Engl J Med* 2020;383:2477–2478.
# - Vrints C, Andreotti F, Koskinas KC, et al. 2024 ESC Guidelines for the management of chronic coronary
#   syndromes. *Eur Heart J* 2024;45:3415–3537. doi:10.1093/eurheartj/ehae177.
# - Weerts H, Dudík M, Edgar R, Jalali A, Lutz R, Madaio M. Fairlearn: assessing and improving fairness of
#   AI systems. *J Mach Learn Res* 2023;24(257):1–8.
