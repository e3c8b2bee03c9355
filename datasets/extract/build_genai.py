"""Write the synthetic generative-AI corpus (four CSVs) and datasets/checksums.json.

    .venv/bin/python datasets/extract/build_genai.py

Nothing here runs a language model. Every "model output" is written by the templates below from a known
source record, with errors planted on purpose and labelled, so that a clinician can practise the checks
that model-written clinical text needs and every check can be scored against the truth:

* ``genai_summaries.csv``: discharge summaries in a model's style, each written from a structured source
  record (in the same row), clean or with one planted error: an omitted allergy, a wrong dose unit, a
  laterality swap or an invented follow-up appointment;
* ``genai_paired_outputs.csv``: pairs of answers to two prompts that differ only in the patient's stated
  sex (chest pain) or race (kidney function), each labelled with the recommendation it makes and whether
  it uses race-based medicine (the 2009 CKD-EPI equation with its race coefficient). The eGFR in each
  kidney prompt is computed with the 2021 CKD-EPI equation from the stated creatinine, age and sex;
* ``genai_references.csv``: a reference list "given by a model": accurate, inaccurate (a real paper with
  one field wrong) or fabricated, labelled;
* ``genai_catalogue.csv``: the bibliographic records of the real papers, the offline stand-in for a
  library catalogue against which the references are checked.

Seeded (numpy ``default_rng``); the same seed gives the same bytes. tests/test_genai_corpus.py
regenerates the files in memory and checks they equal the committed ones and that every label is true.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
DATASETS = HERE.parent
sys.path.insert(0, str(HERE))

from build_cohorts import write_checksums  # noqa: E402

CORPUS_VERSION = 2
SEED = 2038
N_SUMMARIES = 80
N_PAIRS = 40  # per scenario

ERROR_TYPES = ["omitted_allergy", "wrong_dose_unit", "laterality_swap", "invented_follow_up"]

# Conditions with a side: how the admission is worded ("with" a diagnosis, "for" an operation), the
# discharge medicine (dose, unit, how often, the unit a slip would write instead), the follow-up a team
# might arrange, and whether that follow-up is always part of the plan. Apixaban for an acute deep vein
# thrombosis is 10 mg twice daily for 7 days, then 5 mg twice daily, with a review of anticoagulation at
# 3 months. Community-acquired pneumonia is treated with amoxicillin; clarithromycin only when the
# patient is allergic to penicillin (NICE NG138). A total hip replacement is only drawn from age 55.
CONDITIONS = [
    ("with", "a fracture of the {side} distal radius, treated in a cast",
     ("paracetamol", 1000, "mg", "four times daily", "g"), "fracture clinic in 7 days", False),
    ("with", "a deep vein thrombosis of the {side} leg",
     ("apixaban", 10, "mg", "twice daily for 7 days, then 5 mg twice daily", "g"),
     "anticoagulation review at 3 months", True),
    ("with", "a {side} lower-lobe community-acquired pneumonia",
     ("amoxicillin", 500, "mg", "three times daily for 5 days", "g"), "chest X-ray in 6 weeks", False),
    ("with", "{side} renal colic from a 4 mm ureteric stone",
     ("tamsulosin", 400, "micrograms", "once daily", "mg"), "urology clinic in 4 weeks", False),
    ("for", "a {side} total hip replacement",
     ("enoxaparin", 40, "mg", "once daily by subcutaneous injection for 28 days", "micrograms"),
     "orthopaedic clinic in 6 weeks", False),
]
PENICILLIN_ALLERGY_ANTIBIOTIC = ("clarithromycin", 500, "mg", "twice daily for 5 days", "g")
HIP_MIN_AGE = 55
ALLERGIES = [("penicillin", "rash"), ("latex", "urticaria"), ("codeine", "vomiting"),
             ("sulfonamide antibiotics", "rash"), (None, None)]
INVENTED_FOLLOW_UPS = ["cardiology clinic in 2 weeks", "neurology clinic in 3 months",
                       "dermatology clinic in 6 weeks", "respiratory clinic in 8 weeks"]
OTHER_SIDE = {"left": "right", "right": "left"}


def _summary_text(age, sex, admitted, condition, side, drug, allergy, reaction, follow_up) -> str:
    """The model-style summary: one sentence per fact, in a fixed order."""
    person = "woman" if sex == "female" else "man"
    name, dose, unit, how_often = drug
    lines = [
        f"A {age}-year-old {person} was admitted {admitted} {condition.format(side=side)}.",
        "The admission was uncomplicated and the patient is now fit for discharge.",
        f"Discharge medication: {name} {dose} {unit} {how_often}.",
    ]
    if allergy is not None:
        lines.append(f"Allergies: {allergy} ({reaction}).")
    elif allergy is None and reaction == "nkda":
        lines.append("Allergies: no known drug allergies.")
    lines.append(f"Follow-up: {follow_up}." if follow_up else "Follow-up: none arranged.")
    return " ".join(lines)


def summaries(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    for i in range(1, N_SUMMARIES + 1):
        age = int(rng.integers(25, 90))
        sex = str(rng.choice(["female", "male"]))
        c = int(rng.integers(len(CONDITIONS)))
        admitted, condition, medicine, follow_up, always_followed_up = CONDITIONS[c]
        if "hip replacement" in condition:
            age = int(rng.integers(HIP_MIN_AGE, 90))
        side = str(rng.choice(["left", "right"]))
        allergy, reaction = ALLERGIES[int(rng.choice(len(ALLERGIES), p=[0.2, 0.1, 0.1, 0.1, 0.5]))]
        if medicine[0] == "amoxicillin" and allergy == "penicillin":
            medicine = PENICILLIN_ALLERGY_ANTIBIOTIC
        drug, dose, unit, how_often, wrong_unit = medicine
        if rng.random() < 0.5 and not always_followed_up:
            follow_up = None
        applicable = ["wrong_dose_unit", "laterality_swap"]
        if allergy is not None:
            applicable.append("omitted_allergy")
        if follow_up is None:
            applicable.append("invented_follow_up")
        error = "none" if rng.random() < 0.4 else str(rng.choice(sorted(applicable, key=ERROR_TYPES.index)))
        invented = str(rng.choice(INVENTED_FOLLOW_UPS))
        text = _summary_text(
            age, sex, admitted, condition,
            OTHER_SIDE[side] if error == "laterality_swap" else side,
            (drug, dose, wrong_unit if error == "wrong_dose_unit" else unit, how_often),
            None if error == "omitted_allergy" else allergy,
            "nkda" if allergy is None else reaction,
            invented if error == "invented_follow_up" else follow_up,
        )
        rows.append({
            "summary_id": i, "age": age, "sex": sex, "diagnosis": condition.format(side=side), "side": side,
            "allergy": allergy if allergy else "none", "medication": drug, "dose": dose, "dose_unit": unit,
            "frequency": how_often, "follow_up": follow_up if follow_up else "none", "summary": text,
            "error_type": error,
        })
    return pd.DataFrame(rows)


CHEST_PROMPT = ("A {age}-year-old {who} presents to the emergency department with 40 minutes of central "
                "chest pressure radiating to the jaw, with sweating and nausea. Heart rate 96/min, blood "
                "pressure 148/90 mmHg. The first ECG shows no ST elevation. What do you recommend?")
CHEST_OUTPUTS = {
    1: ("These symptoms are concerning for an acute coronary syndrome. Recommendation: treat as possible "
        "acute coronary syndrome: aspirin 300 mg loading dose unless contraindicated, serial "
        "high-sensitivity troponin, repeat ECG and cardiology review."),
    0: ("The presentation is most consistent with anxiety or musculoskeletal chest pain. Recommendation: "
        "reassure, simple analgesia and review by the general practitioner if symptoms persist."),
}
KIDNEY_PROMPT = ("A {age}-year-old {who} man has a serum creatinine of {creat} micromol/L on two occasions "
                 "three months apart; the laboratory reports an eGFR of {egfr} mL/min/1.73 m2 (CKD-EPI 2021, "
                 "no race term) and a urine albumin-to-creatinine ratio below 3 mg/mmol. How should his "
                 "kidney function be managed?")
KIDNEY_OUTPUTS = {
    (1, 0): ("An eGFR of {egfr} mL/min/1.73 m2 sustained over three months is chronic kidney disease stage "
             "G3a. Recommendation: manage as chronic kidney disease: review medicines and doses, check blood "
             "pressure, and repeat eGFR and urine albumin within a year."),
    (0, 1): ("For a patient of Black race the eGFR should be estimated with the 2009 CKD-EPI equation and "
             "its race coefficient (x 1.159), which gives {adjusted} mL/min/1.73 m2, 60 or more. "
             "Recommendation: no further action needed for kidney function."),
}
MICROMOL_PER_MG = 88.4  # creatinine: 1 mg/dL = 88.4 micromol/L


def ckd_epi_2021(creat_umol: float, age: int, female: bool = False) -> float:
    """eGFR (mL/min/1.73 m2), CKD-EPI 2021 creatinine equation, no race term (Inker et al. 2021)."""
    scr = creat_umol / MICROMOL_PER_MG
    kappa, alpha = (0.7, -0.241) if female else (0.9, -0.302)
    egfr = 142 * min(scr / kappa, 1) ** alpha * max(scr / kappa, 1) ** -1.200 * 0.9938 ** age
    return egfr * (1.012 if female else 1)


def ckd_epi_2009(creat_umol: float, age: int, female: bool = False, black: bool = False) -> float:
    """eGFR (mL/min/1.73 m2), CKD-EPI 2009 creatinine equation, with its race coefficient (Levey et al. 2009)."""
    scr = creat_umol / MICROMOL_PER_MG
    kappa, alpha = (0.7, -0.329) if female else (0.9, -0.411)
    egfr = 141 * min(scr / kappa, 1) ** alpha * max(scr / kappa, 1) ** -1.209 * 0.993 ** age
    return egfr * (1.018 if female else 1) * (1.159 if black else 1)


def _kidney_case(rng: np.random.Generator) -> tuple[int, int, int, int]:
    """Age and creatinine (micromol/L) of a man whose 2021 eGFR is 52-59 (stage G3a) and whose 2009
    eGFR with the race coefficient is 60 or more: (age, creatinine, eGFR 2021, eGFR 2009 race-based)."""
    while True:
        age, creat = int(rng.integers(45, 76)), int(rng.integers(110, 150))
        egfr, race_based = round(ckd_epi_2021(creat, age)), round(ckd_epi_2009(creat, age, black=True))
        if 52 <= egfr <= 59 and race_based >= 60:
            return age, creat, egfr, race_based


def paired_outputs(rng: np.random.Generator) -> pd.DataFrame:
    rows = []
    pair = 0
    # Chest pain by stated sex: the escalating recommendation is right for both; the "model" gives it to
    # men 85% of the time and to women 60% of the time (one draw per pair, so the two answers are paired).
    for _ in range(N_PAIRS):
        pair += 1
        age, u = int(rng.integers(45, 76)), rng.random()
        for who, p_workup in [("man", 0.85), ("woman", 0.60)]:
            escalates = int(u < p_workup)
            rows.append({
                "pair_id": pair, "scenario": "chest_pain", "attribute": "sex", "stated": who,
                "prompt": CHEST_PROMPT.format(age=age, who=who), "output": CHEST_OUTPUTS[escalates],
                "recommendation": "acs_workup" if escalates else "reassure", "escalates": escalates,
                "race_based": 0,
            })
    # Kidney function by stated race: eGFR 52-59 by CKD-EPI 2021 (stage G3a) for both; half the answers for
    # the Black patient use the 2009 CKD-EPI equation with its race coefficient, which moves him out of CKD.
    for _ in range(N_PAIRS):
        pair += 1
        age, creat, egfr, adjusted = _kidney_case(rng)
        u = rng.random()
        for who, p_race in [("Black", 0.5), ("White", 0.0)]:
            race_based = int(u < p_race)
            escalates = 1 - race_based
            rows.append({
                "pair_id": pair, "scenario": "kidney", "attribute": "race", "stated": who,
                "prompt": KIDNEY_PROMPT.format(age=age, who=who, creat=creat, egfr=egfr),
                "output": KIDNEY_OUTPUTS[(escalates, race_based)].format(egfr=egfr, adjusted=adjusted),
                "recommendation": "ckd_follow_up" if escalates else "no_action", "escalates": escalates,
                "race_based": race_based,
            })
    return pd.DataFrame(rows)


# Real papers (checked against their journals); the catalogue a careful reader looks references up in.
CATALOGUE = [
    ("wong2021", "Wong A, Otles E, Donnelly JP, et al.",
     "External validation of a widely implemented proprietary sepsis prediction model in hospitalized patients",
     "JAMA Internal Medicine", 2021, "10.1001/jamainternmed.2021.2626"),
    ("obermeyer2019", "Obermeyer Z, Powers B, Vogeli C, Mullainathan S",
     "Dissecting racial bias in an algorithm used to manage the health of populations",
     "Science", 2019, "10.1126/science.aax2342"),
    ("sjoding2020", "Sjoding MW, Dickson RP, Iwashyna TJ, Gay SE, Valley TS",
     "Racial bias in pulse oximetry measurement", "New England Journal of Medicine", 2020,
     "10.1056/NEJMc2029240"),
    ("collins2024", "Collins GS, Moons KGM, Dhiman P, et al.",
     "TRIPOD+AI statement: updated guidance for reporting clinical prediction models that use regression or machine learning methods",
     "BMJ", 2024, "10.1136/bmj-2023-078378"),
    ("sendak2020", "Sendak MP, Gao M, Brajer N, Balu S",
     "Presenting machine learning model information to clinical end users with model facts labels",
     "npj Digital Medicine", 2020, "10.1038/s41746-020-0253-3"),
    ("omiye2023", "Omiye JA, Lester JC, Spichak S, Rotemberg V, Daneshjou R",
     "Large language models propagate race-based medicine", "npj Digital Medicine", 2023,
     "10.1038/s41746-023-00939-z"),
    ("bhattacharyya2023", "Bhattacharyya M, Miller VM, Bhattacharyya D, Miller LE",
     "High rates of fabricated and inaccurate references in ChatGPT-generated medical content",
     "Cureus", 2023, "10.7759/cureus.39238"),
    ("vickers2006", "Vickers AJ, Elkin EB",
     "Decision curve analysis: a novel method for evaluating prediction models",
     "Medical Decision Making", 2006, "10.1177/0272989X06295361"),
    ("hanley1982", "Hanley JA, McNeil BJ",
     "The meaning and use of the area under a receiver operating characteristic (ROC) curve",
     "Radiology", 1982, "10.1148/radiology.143.1.7063747"),
    ("inker2021", "Inker LA, Eneanya ND, Coresh J, et al.",
     "New creatinine- and cystatin C-based equations to estimate GFR without race",
     "New England Journal of Medicine", 2021, "10.1056/NEJMoa2102953"),
    ("zech2018", "Zech JR, Badgeley MA, Liu M, Costa AB, Titano JJ, Oermann EK",
     "Variable generalization performance of a deep learning model to detect pneumonia in chest radiographs: a cross-sectional study",
     "PLoS Medicine", 2018, "10.1371/journal.pmed.1002683"),
    ("seyyedkalantari2021", "Seyyed-Kalantari L, Zhang H, McDermott MBA, Chen IY, Ghassemi M",
     "Underdiagnosis bias of artificial intelligence algorithms applied to chest radiographs in under-served patient populations",
     "Nature Medicine", 2021, "10.1038/s41591-021-01595-0"),
]
# One field of a real record made wrong, as a model does: (catalogue key, field, wrong value).
INACCURATE = [
    ("wong2021", "year", 2020),
    ("obermeyer2019", "journal", "Nature"),
    ("collins2024", "authors", "Moons KGM, Collins GS, Dhiman P, et al."),
    ("omiye2023", "journal", "The Lancet Digital Health"),
    ("vickers2006", "year", 2008),
]
# Invented: no such papers. Their DOIs look like the journal's own (same suffix style) but use the prefix
# 10.0000, which no publisher holds, so none resolves and no real paper is misattributed.
FABRICATED = [
    ("Hartley PJ, Osei K, Lindqvist M", "Machine learning sepsis alerts reduce mortality in a multicentre randomised trial",
     "JAMA Internal Medicine", 2022, "10.0000/jamainternmed.2022.0141"),
    ("Marchetti L, Okafor CN", "Large language model discharge summaries are non-inferior to physician summaries: a prospective study",
     "npj Digital Medicine", 2023, "10.0000/s41746-023-00227-5"),
    ("Brennan SA, Patel R, Huang W", "Calibration drift of clinical prediction models after deployment: a systematic review of 412 models",
     "BMJ", 2021, "10.0000/bmj.n318"),
    ("Delacroix F, Nakamura T", "Alert fatigue and override rates for AI-generated early warnings in 38 hospitals",
     "The Lancet Digital Health", 2023, "10.0000/S2589-7500(23)00409-1"),
    ("Okonkwo E, Riley JM", "Race-neutral eGFR equations increase chronic kidney disease diagnoses by 40% in primary care",
     "New England Journal of Medicine", 2022, "10.0000/NEJMoa2205120"),
    ("Sorensen KH, Abiodun T, Walsh D", "Chatbot triage advice in emergency departments: accuracy against senior clinicians",
     "Annals of Emergency Medicine", 2023, "10.0000/j.annemergmed.2023.06.033"),
    ("Vance RL, Ito H", "Automation bias in radiology reporting with AI assistance: a randomised crossover study",
     "Radiology", 2022, "10.0000/radiol.220744"),
]
FIELDS = ["authors", "title", "journal", "year", "doi"]


def catalogue() -> pd.DataFrame:
    return pd.DataFrame(CATALOGUE, columns=["key"] + FIELDS)


def references(rng: np.random.Generator) -> pd.DataFrame:
    cat = catalogue().set_index("key")
    wrong = {key: (field, value) for key, field, value in INACCURATE}
    rows = []
    for key, record in cat.iterrows():
        given = record.to_dict()
        field = ""
        if key in wrong:
            field, given[field] = wrong[key][0], wrong[key][1]
        rows.append({**given, "status": "inaccurate" if field else "accurate", "wrong_field": field})
    for authors, title, journal, year, doi in FABRICATED:
        rows.append({"authors": authors, "title": title, "journal": journal, "year": year, "doi": doi,
                     "status": "fabricated", "wrong_field": ""})
    table = pd.DataFrame(rows).iloc[rng.permutation(len(rows))].reset_index(drop=True)
    table.insert(0, "ref_id", range(1, len(table) + 1))
    return table


def corpus_csvs() -> dict[str, str]:
    """The CSV text of the corpus: {file name: text}. One generator, drawn in a fixed order."""
    rng = np.random.default_rng(SEED)
    tables = {
        "genai_summaries.csv": summaries(rng),
        "genai_paired_outputs.csv": paired_outputs(rng),
        "genai_references.csv": references(rng),
        "genai_catalogue.csv": catalogue(),
    }
    return {name: df.to_csv(index=False, lineterminator="\n") for name, df in tables.items()}


def main() -> int:
    for file_name, text in corpus_csvs().items():
        (DATASETS / file_name).write_text(text, encoding="utf-8", newline="")
        print(f"wrote {file_name}")
    write_checksums()
    return 0


if __name__ == "__main__":
    sys.exit(main())
