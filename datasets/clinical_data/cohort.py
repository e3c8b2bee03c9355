"""A seeded synthetic patient cohort for teaching bias, where the true answer is known.

    from clinical_data import make_cohort

    seen, truth = make_cohort(20_000, seed=0)                 # no bias anywhere
    seen, truth = make_cohort(20_000, seed=0, spo2_bias=True)  # one mechanism on

`seen` is what a student (or a deployed model) gets: the recorded table.
`truth` is the oracle an instructor or autograder uses: true disease, true
arterial saturation, true care need. Both share `patient_id`, row for row.

Why synthetic: with real data we can show *that* a model treats groups
differently, but not *why*, because nobody knows the true disease or the
true need. Here each bias mechanism is one knob, off by default, so an
exercise can switch on exactly one and compare what was recorded with what
was true.

The story (one row = one adult seen in an emergency department):

    site (A, B) --> age, sex --> acute severity --> true sepsis (disease)
    group (G0, G1), with a separate skin-tone score (Monk 1-10): group is a
        social category, skin tone is what a pulse oximeter "sees"; they are
        correlated but not the same thing, so the two must not be conflated
    acute severity, sepsis --> heart rate, breathing rate, temperature,
        blood pressure, SaO2, white cells, lactate, creatinine
    age, group --> chronic care need --> next year's chronic conditions;
        need x access to care --> healthcare cost

With every knob off, the groups differ only in skin tone and in chronic need
(G1 carries more chronic illness, as Black patients did at every risk score
in Obermeyer 2019); disease, its signs and how they are measured are the same
in both groups, so any fair model has equal TPR, FPR and calibration by
group (tests/test_cohort.py checks this).

The knobs, one per mechanism (each documented with its anchor in
datasets/cards/cohort.md):

label_proxy="cost"    The care-management label is next year's cost instead
                      of next year's chronic conditions. G1 gets less care
                      for the same need (access 0.6), so cost under-states
                      G1's need (Obermeyer et al., Science 2019;366:447).
g1_train_share=0.05   G1 is only this share of the "train" split, while the
                      "test" split (deployment) has more G1 than the
                      population (Seyyed-Kalantari et al., Nat Med 2021).
spo2_bias=True        The pulse oximeter over-reads SaO2 on darker skin, so
                      occult hypoxaemia (SaO2 < 88% while SpO2 is 92-96%) is
                      about 3x as frequent in G1 as in G0 (Sjoding et al.,
                      NEJM 2020;383:2477: 11.7% vs 3.6%).
missing_by_group=True Lactate is ordered less often for G1 patients at the
                      same severity (Gianfrancesco et al., JAMA Intern Med
                      2018;178:1544).
shift=True            Site B differs from site A: older patients (covariate
                      shift), more sepsis (prevalence shift), a lactate
                      analyser that reads 0.5 mmol/L high (device shift) and
                      sepsis recorded only when severe (label-definition
                      shift). Pass a subset, e.g. shift={"device"}, for one.

Every random draw is made in the same order whatever the knobs, so turning a
knob on changes only what that knob touches: the same seed gives the same
patients, and `seen` with a knob on can be compared row by row with `seen`
with it off. Same seed and knobs give the same bytes on every machine.
Only numpy and pandas are used.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

__all__ = ["make_cohort", "SHIFT_PARTS", "COHORT_VERSION"]

# Bump when a change alters any generated value, so snapshots are rebuilt.
COHORT_VERSION = 1

SHIFT_PARTS = ("covariate", "prevalence", "device", "label")

# ---- population --------------------------------------------------------------
SITE_B_SHARE = 0.30  # share of patients seen at the second hospital
G1_SHARE = 0.25  # share of the population in group G1
TRAIN_SHARE = 0.70  # share of patients in the "train" split when no knob is on

# ---- sepsis (the diagnostic target) ------------------------------------------
# Logit of true sepsis; the intercept gives a prevalence of about 16% at site A
# (a teaching choice: common enough to study, rare enough for PPV to matter).
SEPSIS_INTERCEPT = -2.45

# ---- chronic care need and cost (the Obermeyer mechanism) ----------------------
NEED_G1_LOG_EXCESS = 0.30  # G1 carries more chronic illness (log scale)
ACCESS_G1 = 0.60  # care received per unit of need, G1 relative to G0
COST_PER_CONDITION = 3_000  # USD a year per unit of need at full access
COST_HABIT_SD = 0.7  # lasting patient-to-patient spread in care use (log scale)
COST_YEAR_SD = 0.3  # year-to-year noise in cost (log scale)

# ---- pulse oximetry ------------------------------------------------------------
SPO2_NOISE_SD = 1.5  # usual oximeter error, SaO2 points (SD)
SPO2_WIDE_SHARE = 0.20  # share of readings with a large error...
SPO2_WIDE_SD = 5.0  # ...of this SD
SPO2_OVERREAD_LOW = 2.0  # over-reading on any skin at low saturation, points
SPO2_BIAS_DARKEST = 2.5  # extra over-reading at Monk tone 10 when spo2_bias is on

# ---- missing lactate ------------------------------------------------------------
LACTATE_G1_ORDER_ODDS = 0.25  # odds ratio of ordering lactate for G1 when the knob is on

# ---- site B shift ----------------------------------------------------------------
SHIFT_AGE_YEARS = 10  # covariate shift: site B's patients are older
SHIFT_SEPSIS_LOGIT = 0.9  # prevalence shift: more sepsis at site B
SHIFT_LACTATE_OFFSET = 0.5  # device shift: site B's analyser reads high, mmol/L
SHIFT_LABEL_SEVERITY = 0.5  # label shift: site B records sepsis only above this severity


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _shift_parts(shift: bool | Iterable[str]) -> frozenset[str]:
    if shift is True:
        return frozenset(SHIFT_PARTS)
    if shift is False or shift is None:
        return frozenset()
    if isinstance(shift, str):
        shift = [shift]
    parts = frozenset(shift)
    unknown = sorted(parts - set(SHIFT_PARTS))
    if unknown:
        raise ValueError(
            f"unknown shift part {', '.join(unknown)}; choose from {', '.join(SHIFT_PARTS)}"
        )
    return parts


def make_cohort(
    n: int = 20_000,
    seed: int = 0,
    *,
    label_proxy: str = "need",
    g1_train_share: float | None = None,
    spo2_bias: bool = False,
    missing_by_group: bool = False,
    shift: bool | Iterable[str] = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (seen, truth) for `n` synthetic emergency-department patients.

    Knobs are all off by default; see the module docstring and
    datasets/cards/cohort.md for what each one does and the study it mimics.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive whole number of patients, got {n!r}")
    if label_proxy not in ("need", "cost"):
        raise ValueError(f"label_proxy must be 'need' or 'cost', got {label_proxy!r}")
    if g1_train_share is not None and not 0 < g1_train_share < G1_SHARE:
        raise ValueError(
            f"g1_train_share must be between 0 and {G1_SHARE} (G1's population share), "
            f"got {g1_train_share!r}"
        )
    parts = _shift_parts(shift)
    n = int(n)

    # One independent stream per part of the story, so a knob that changes how
    # one part is drawn can never shift the random numbers of another.
    (r_pop, r_sev, r_vitals, r_labs, r_need, r_spo2, r_missing, r_split) = [
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(8)
    ]

    # ---- who the patients are ------------------------------------------------
    site_b = r_pop.random(n) < SITE_B_SHARE
    g1 = r_pop.random(n) < G1_SHARE
    # Monk Skin Tone scale 1 (lightest) to 10 (darkest). The groups overlap:
    # some G0 patients have dark skin and some G1 patients light skin.
    tone_latent = np.where(g1, r_pop.beta(5.0, 2.0, n), r_pop.beta(2.0, 5.0, n))
    skin_tone = np.clip(np.ceil(tone_latent * 10), 1, 10).astype(int)
    female = r_pop.random(n) < 0.5
    age = r_pop.normal(57.0, 17.0, n)
    if "covariate" in parts:
        age = age + SHIFT_AGE_YEARS * site_b
    age = np.clip(np.round(age), 18, 95).astype(int)

    # ---- true disease: sepsis ----------------------------------------------------
    # Acute severity is a standard-normal latent; older age and male sex raise
    # the risk of sepsis, as in population studies of sepsis incidence.
    severity = r_sev.normal(0.0, 1.0, n)
    logit = (
        SEPSIS_INTERCEPT
        + 0.025 * (age - 57)
        + 0.25 * (~female)
        + 1.6 * severity
        + ("prevalence" in parts) * SHIFT_SEPSIS_LOGIT * site_b
    )
    sepsis_risk = _sigmoid(logit)
    sepsis = r_sev.random(n) < sepsis_risk

    # ---- signs and labs (identical mechanism in both groups) ---------------------
    s, d = severity, sepsis.astype(float)
    heart_rate = 84 + 3 * s + 9 * d + r_vitals.normal(0, 13, n)
    resp_rate = 17 + 0.6 * s + 2.5 * d + r_vitals.normal(0, 3.5, n)
    temp_c = 37.0 + 0.15 * s + 0.5 * d + r_vitals.normal(0, 0.6, n)
    sbp = 132 + 0.25 * (age - 57) - 2 * s - 8 * d + r_vitals.normal(0, 18, n)
    # True arterial saturation (SaO2): most patients are 94-99%, sicker and
    # septic patients lower.
    desat = np.exp(np.log(2.6) + 0.6 * s + 0.55 * d + r_vitals.normal(0, 0.6, n))
    sao2 = np.clip(100 - desat, 60, 100)
    wbc = np.clip(8.5 + 0.4 * s + 2.5 * d + r_labs.normal(0, 3.5, n), 0.5, None)
    lactate = np.exp(np.log(1.3) + 0.06 * s + 0.3 * d + r_labs.normal(0, 0.4, n))
    creatinine = np.exp(
        np.log(0.85) + 0.15 * (~female) + 0.006 * (age - 57) + 0.15 * d + r_labs.normal(0, 0.25, n)
    )

    # ---- measurement: pulse oximetry and blood gases ----------------------------
    # Oximeter error: mostly small, but one reading in five is far off (motion,
    # poor perfusion, minutes between the oximeter and the blood gas). All
    # oximeters over-read when the patient is truly hypoxaemic, on any skin.
    wide = r_spo2.random(n) < SPO2_WIDE_SHARE
    spo2_noise = np.where(wide, r_spo2.normal(0, SPO2_WIDE_SD, n), r_spo2.normal(0, SPO2_NOISE_SD, n))
    low_sat = np.clip((97 - sao2) / 7.0, 0, 1.5)
    spo2_over = SPO2_OVERREAD_LOW * low_sat
    if spo2_bias:
        # The extra over-reading grows with skin tone (zero at Monk 1) and is
        # largest when the patient is hypoxaemic, where Sjoding 2020 found it.
        spo2_over = spo2_over + SPO2_BIAS_DARKEST * ((skin_tone - 1) / 9.0) ** 2 * (0.4 + low_sat)
    spo2 = np.clip(np.round(sao2 + spo2_noise + spo2_over), 50, 100).astype(int)
    # An arterial blood gas (the reference SaO2) is drawn for the sicker
    # patients only, as in practice; a student sees SaO2 only for them.
    abg_drawn = r_spo2.random(n) < _sigmoid(-1.8 + 1.2 * s + 1.0 * d)

    # ---- measurement: lactate analyser and ordering --------------------------------
    lactate_true = lactate
    if "device" in parts:
        lactate = lactate + SHIFT_LACTATE_OFFSET * site_b
    # Clinicians order lactate when they suspect sepsis, so sicker patients are
    # tested more often (missing not at random), in both groups alike...
    order_logit = 0.6 + 1.0 * s + 1.2 * d
    if missing_by_group:
        # ...unless G1 patients are tested less often at the same severity.
        order_logit = order_logit + np.log(LACTATE_G1_ORDER_ODDS) * g1
    lactate_ordered = r_missing.random(n) < _sigmoid(order_logit)

    # ---- the recorded diagnosis ------------------------------------------------------
    # At site B with label shift, sepsis is coded only when severe (as when a
    # hospital codes by a stricter definition), so mild cases go unrecorded.
    recorded = sepsis.copy()
    if "label" in parts:
        recorded &= ~site_b | (severity > SHIFT_LABEL_SEVERITY)

    # ---- chronic care need and cost (care-management programme) ----------------------
    # Need = expected number of active chronic conditions next year. G1 carries
    # more chronic illness; both groups' need rises with age.
    need = np.exp(np.log(3.0) + 0.02 * (age - 57) + NEED_G1_LOG_EXCESS * g1 + r_need.normal(0, 0.55, n))
    conditions_prior = r_need.poisson(need)
    conditions_next = r_need.poisson(need)
    # Cost follows care received, not need: G1 receives less care for the same
    # need (unequal access). Each patient also has a lasting habit of using
    # care (more or less than their need), so last year's cost predicts next
    # year's cost better than it predicts need.
    access = np.where(g1, ACCESS_G1, 1.0)
    habit = np.exp(r_need.normal(0, COST_HABIT_SD, n))
    base_cost = COST_PER_CONDITION * need * access * habit
    cost_prior = base_cost * np.exp(r_need.normal(0, COST_YEAR_SD, n))
    cost_next = base_cost * np.exp(r_need.normal(0, COST_YEAR_SD, n))
    care_label = np.round(cost_next, -1) if label_proxy == "cost" else conditions_next

    # ---- train / test split ----------------------------------------------------------
    if g1_train_share is None:
        p_train = np.full(n, TRAIN_SHARE)
    else:
        # Keep 70% of G0 in train; take just enough of G1 into train that G1 is
        # `g1_train_share` of it. The G1 patients left out go to test, so the
        # deployment population has more G1 than training ever saw.
        p_g1 = TRAIN_SHARE * (1 - G1_SHARE) * g1_train_share / ((1 - g1_train_share) * G1_SHARE)
        p_train = np.where(g1, p_g1, TRAIN_SHARE)
    split = np.where(r_split.random(n) < p_train, "train", "test")

    patient_id = np.arange(1, n + 1)
    seen = pd.DataFrame(
        {
            "patient_id": patient_id,
            "site": np.where(site_b, "B", "A"),
            "split": split,
            "age": age,
            "sex": np.where(female, "F", "M"),
            "group": np.where(g1, "G1", "G0"),
            "skin_tone": skin_tone,
            "heart_rate": np.round(heart_rate).astype(int),
            "resp_rate": np.clip(np.round(resp_rate), 6, None).astype(int),
            "temp_c": np.round(temp_c, 1),
            "sbp": np.round(sbp).astype(int),
            "spo2": spo2,
            "sao2_abg": np.where(abg_drawn, np.round(sao2, 1), np.nan),
            "wbc": np.round(wbc, 1),
            "lactate": np.where(lactate_ordered, np.round(lactate, 1), np.nan),
            "creatinine": np.round(creatinine, 2),
            "sepsis_recorded": recorded.astype(int),
            "conditions_prior": conditions_prior,
            "cost_prior": np.round(cost_prior, -1).astype(int),
            "care_label": care_label.astype(int),
        }
    )
    truth = pd.DataFrame(
        {
            "patient_id": patient_id,
            "sepsis": sepsis.astype(int),
            "sepsis_risk": np.round(sepsis_risk, 4),
            "severity": np.round(severity, 3),
            "sao2": np.round(sao2, 1),
            "lactate_true": np.round(lactate_true, 1),
            "need": np.round(need, 3),
            "conditions_next": conditions_next,
            "cost_next": np.round(cost_next, -1).astype(int),
        }
    )
    return seen, truth
