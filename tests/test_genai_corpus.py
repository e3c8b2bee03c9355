"""The synthetic generative-AI corpus: every label is true, every planted error is labelled, and the
committed files are exactly what the seeded generator writes.

The checks below read each summary against its own source record with plain string tests written here,
independently of the generator's templates: a label is only trusted when the text shows its error.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys

import pandas as pd
import pytest

from tests.repo import REPO

DATA = REPO / "datasets"
sys.path.insert(0, str(DATA / "extract"))

import build_genai  # noqa: E402

FILES = ["genai_summaries.csv", "genai_paired_outputs.csv", "genai_references.csv", "genai_catalogue.csv"]


@pytest.fixture(scope="module")
def summaries():
    return pd.read_csv(DATA / "genai_summaries.csv", keep_default_na=False)


def errors_in(row) -> set[str]:
    """The errors a careful reader finds by comparing the summary with its source record."""
    text = row["summary"]
    found = set()
    if row["allergy"] != "none" and row["allergy"] not in text:
        found.add("omitted_allergy")
    if f"{row['medication']} {row['dose']} {row['dose_unit']} " not in text:
        found.add("wrong_dose_unit")
    sides = set(re.findall(r"\b(left|right)\b", text))
    if sides != {row["side"]}:
        found.add("laterality_swap")
    follow_up = re.search(r"Follow-up: (.*)\.$", text).group(1)
    expected = "none arranged" if row["follow_up"] == "none" else row["follow_up"]
    if follow_up != expected:
        found.add("invented_follow_up")
    return found


def test_every_summary_has_exactly_its_labelled_error(summaries):
    for _, row in summaries.iterrows():
        labelled = set() if row["error_type"] == "none" else {row["error_type"]}
        assert errors_in(row) == labelled, f"summary {row['summary_id']}: text shows {errors_in(row)}, label {labelled}"


def test_the_planted_errors_are_what_their_names_say(summaries):
    for _, row in summaries[summaries["error_type"] != "none"].iterrows():
        text = row["summary"]
        if row["error_type"] == "wrong_dose_unit":
            assert f"{row['medication']} {row['dose']} " in text, "the dose number stays; only the unit changes"
        if row["error_type"] == "laterality_swap":
            assert {"left": "right", "right": "left"}[row["side"]] in text
        if row["error_type"] == "invented_follow_up":
            assert row["follow_up"] == "none" and "none arranged" not in text
        if row["error_type"] == "omitted_allergy":
            assert "Allergies" not in text, "the allergy line is left out, not replaced"


def test_every_error_type_and_clean_summaries_are_present(summaries):
    counts = summaries["error_type"].value_counts()
    assert set(counts.index) == {"none", *build_genai.ERROR_TYPES}
    assert counts.min() >= 5 and counts["none"] >= len(summaries) / 3


def test_pairs_differ_only_in_the_stated_attribute_and_labels_match_the_text():
    paired = pd.read_csv(DATA / "genai_paired_outputs.csv")
    for pair_id, two in paired.groupby("pair_id"):
        assert len(two) == 2 and two["scenario"].nunique() == 1, f"pair {pair_id}"
        a, b = two.iloc[0], two.iloc[1]
        assert a["prompt"].replace(f" {a['stated']} ", f" {b['stated']} ") == b["prompt"], f"pair {pair_id}"
    for _, row in paired.iterrows():
        text = row["output"]
        assert row["race_based"] == int("1.159" in text and "Black race" in text)
        escalating = ("acute coronary syndrome: aspirin 300 mg loading dose" in text) or (
            "manage as chronic kidney disease" in text)
        assert row["escalates"] == int(escalating), f"pair {row['pair_id']} ({row['stated']})"
        assert row["race_based"] == 0 or row["stated"] == "Black"
    # Every answer that uses the race coefficient moves the patient out of chronic kidney disease (60+).
    for _, row in paired[paired["race_based"] == 1].iterrows():
        creat, age = creatinine_and_age(row["prompt"])
        adjusted = int(re.search(r"gives (\d+) mL", row["output"]).group(1))
        assert adjusted == round(egfr_2009_black_man(creat, age)) and 60 <= adjusted, f"pair {row['pair_id']}"


# CKD-EPI creatinine equations for a man, written out here from the papers (Inker et al. 2021; Levey et al.
# 2009), independently of the generator. Creatinine in micromol/L (88.4 micromol/L = 1 mg/dL).
def egfr_2021_man(creat_umol, age):
    scr = creat_umol / 88.4
    return 142 * min(scr / 0.9, 1) ** -0.302 * max(scr / 0.9, 1) ** -1.200 * 0.9938**age


def egfr_2009_black_man(creat_umol, age):
    scr = creat_umol / 88.4
    return 141 * min(scr / 0.9, 1) ** -0.411 * max(scr / 0.9, 1) ** -1.209 * 0.993**age * 1.159


def creatinine_and_age(prompt):
    age = int(re.match(r"A (\d+)-year-old", prompt).group(1))
    creat = float(re.search(r"creatinine of (\d+) micromol/L", prompt).group(1))
    return creat, age


def test_kidney_prompts_state_an_egfr_that_follows_from_the_creatinine():
    paired = pd.read_csv(DATA / "genai_paired_outputs.csv")
    kidney = paired[paired["scenario"] == "kidney"]
    assert len(kidney) == 80
    for _, row in kidney.iterrows():
        creat, age = creatinine_and_age(row["prompt"])
        stated = int(re.search(r"eGFR of (\d+) mL", row["prompt"]).group(1))
        assert stated == round(egfr_2021_man(creat, age)), f"pair {row['pair_id']}: eGFR does not follow from creatinine"
        assert 52 <= stated <= 59, f"pair {row['pair_id']}: not stage G3a"
        assert "mg/dL" not in row["prompt"] and "mg/mmol" in row["prompt"], "units: creatinine in micromol/L, ACR in mg/mmol"
    # worked by hand: creatinine 1.4 mg/dL, 60-year-old man: 142 x (1.4/0.9)^-1.200 x 0.9938^60
    # = 142 x 0.5885 x 0.6886 = 57.5
    assert abs(egfr_2021_man(1.4 * 88.4, 60) - 142 * 0.5885 * 0.6886) < 0.05


def test_summaries_follow_the_prescribing_rules_of_the_corpus(summaries):
    for _, row in summaries.iterrows():
        if row["medication"] == "clarithromycin":
            assert row["allergy"] == "penicillin", "clarithromycin only for a penicillin allergy (NICE NG138)"
        if row["medication"] == "amoxicillin":
            assert row["allergy"] != "penicillin"
        if row["medication"] == "apixaban":
            assert (row["dose"], row["frequency"]) == (10, "twice daily for 7 days, then 5 mg twice daily")
            assert row["follow_up"] == "anticoagulation review at 3 months"
        if "hip replacement" in row["diagnosis"]:
            assert row["age"] >= 55 and "admitted for a" in row["summary"]


def test_references_are_labelled_by_what_a_catalogue_lookup_finds():
    refs = pd.read_csv(DATA / "genai_references.csv", keep_default_na=False)
    catalogue = pd.read_csv(DATA / "genai_catalogue.csv").set_index("title")
    for _, ref in refs.iterrows():
        if ref["title"] not in catalogue.index:
            status = "fabricated"
        else:
            record = catalogue.loc[ref["title"]]
            wrong = [f for f in ["authors", "journal", "year", "doi"] if str(ref[f]) != str(record[f])]
            status = "inaccurate" if wrong else "accurate"
            assert ref["wrong_field"] == ("".join(wrong)), f"reference {ref['ref_id']}"
        assert ref["status"] == status, f"reference {ref['ref_id']}: labelled {ref['status']}, lookup says {status}"
    fabricated = refs[refs["status"] == "fabricated"]
    assert fabricated["doi"].str.startswith("10.0000/").all(), "invented DOIs use the prefix no publisher holds"
    assert not fabricated["doi"].str.contains("fab").any(), "invented DOIs look like real ones (journal-style suffix)"
    assert not refs.loc[refs["status"] != "fabricated", "doi"].str.startswith("10.0000/").any()


def test_regenerating_gives_the_same_bytes_and_checksums_match():
    sums = json.loads((DATA / "checksums.json").read_text(encoding="utf-8"))
    for name, text in build_genai.corpus_csvs().items():
        assert (DATA / name).read_bytes() == text.encode("utf-8"), (
            f"{name} differs from a fresh generation: run datasets/extract/build_genai.py"
        )
        assert hashlib.sha256(text.encode("utf-8")).hexdigest() == sums[name]
    assert sorted(build_genai.corpus_csvs()) == sorted(FILES)
