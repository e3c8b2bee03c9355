"""Every rubric tells graders the numbers a correct notebook shows: they are the numbers its master computes.

Each master runs once on a fresh kernel (solutions and all its tests), and the test reads back the values it
needs; every number the rubric states is then formatted as the rubric prints it and looked for as a phrase,
so that a change in the master fails here with a message naming the phrase. Counts and rates the master
does not store are computed here from its variables (scikit-learn, fairlearn and statsmodels as the
references), never typed in.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import numpy as np
import pytest

from autograder import course
from tests.repo import REPO

pytestmark = pytest.mark.e2e  # runs the masters in kernels


def master_values(a: course.Assignment, expressions: dict[str, str], directory: Path) -> dict:
    """Run the master (solutions and all its tests) on a fresh kernel, then read back each expression's value.

    The values cross as JSON: numpy and pandas values as lists and numbers, dictionary keys as strings.
    """
    from nbclient import NotebookClient

    nb = course.master_notebook(a)
    dump = ", ".join(f"{name!r}: {expression}" for name, expression in expressions.items())
    nb.cells.append(nbformat.v4.new_code_cell(
        "import json as _j\n"
        f"print(_j.dumps({{{dump}}}, default=lambda o: o.tolist() if hasattr(o, 'tolist') else str(o)))"))
    for name in a.data:
        shutil.copy2(REPO / "datasets" / name, directory / name)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(directory)}}).execute()
    return json.loads("".join(o.get("text", "") for o in nb.cells[-1].outputs))


def rubric_text(a: course.Assignment) -> str:
    """The rubric with its line breaks and runs of spaces read as one space."""
    return " ".join((REPO / "instructors" / "rubrics" / f"{a.id}.md").read_text(encoding="utf-8").split())


def missing(a: course.Assignment, phrases: list[str]) -> list[str]:
    text = rubric_text(a)
    return [phrase for phrase in phrases if phrase not in text]


def says_all(a: course.Assignment, phrases: list[str]) -> None:
    absent = missing(a, phrases)
    assert not absent, f"instructors/rubrics/{a.id}.md should say: " + " | ".join(absent)


def minus(text: str) -> str:
    """A number as the rubrics print it: with a true minus sign."""
    return text.replace("-", "\N{MINUS SIGN}")


def pct(fraction: float, decimals: int = 0) -> str:
    return f"{100 * fraction:.{decimals}f}%"


WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}


# ---------------------------------------------------------------- Assignment 1

A01 = course.find_assignment("a01")


@pytest.fixture(scope="module")
def a01(tmp_path_factory):
    names = ["sens_05", "spec_05", "ppv_clinic", "missed_per_1000", "pt_cad", "auc_test"]
    return master_values(A01, {n: f"float({n})" for n in names}, tmp_path_factory.mktemp("a01"))


def test_the_a01_rubric_gives_the_numbers_the_master_computes(a01):
    """Check that every number the a01 rubric tells graders to expect is what the master's solution gives."""
    v = a01
    flagged_with_cad = round(100 * v["ppv_clinic"])
    misses_at_05 = round(100 * (1 - v["sens_05"]))  # per 1,000 at 10% prevalence: 1,000 x 0.1 x (1 - sensitivity)
    says_all(A01, [
        f"sensitivity {v['sens_05']:.2f} and specificity {v['spec_05']:.2f} at 0.5",
        f"PPV at 10% prevalence about {v['ppv_clinic']:.2f}",
        f"of 100 patients flagged about {flagged_with_cad} have CAD and {100 - flagged_with_cad} have a CT",
        f"about {round(v['missed_per_1000'])} of every 1,000 clinic patients have CAD and are missed "
        f"(Q6: {v['missed_per_1000']:.1f} exactly; {round(v['missed_per_1000'])} is accepted)",
        f"a miss judged as bad as {round((1 - v['pt_cad']) / v['pt_cad'])} unneeded CT angiograms gives a threshold "
        f"of {v['pt_cad']:.2f}",
        f"AUC about {v['auc_test']:.2f}",
        f"misses at 0.5: {misses_at_05} per 1,000 (100 × (1 − {v['sens_05']:.2f}))",
        # the criteria table
        f'"of 100 patients flagged, about {flagged_with_cad} have CAD"',
        f"(Q6, about {round(v['missed_per_1000'])} at 0.3, or about {misses_at_05} at 0.5)",
    ])


# ---------------------------------------------------------------- Assignment 2

A02 = course.find_assignment("a02")


@pytest.fixture(scope="module")
def a02(tmp_path_factory):
    names = ["oe", "calibration", "scaled_brier", "intercept_update", "oe_after_update", "recalibration",
             "auc_check", "slope_ci", "net_benefit_20", "avoided_per_1000", "PT"]
    return master_values(A02, {n: n for n in names} | {
        "resamples": "len(resamples)",
        "groups": "{k: {'cad': g['cad'].tolist(), 'risk': g['risk'].tolist()} for k, g in groups.items()}",
        "halves": "{'update': len(va_update), 'check': len(va_check)}",
        "check": "{'cad': va_check['cad'].tolist(), 'risk': va_check['risk'].tolist()}",
    }, tmp_path_factory.mktemp("a02"))


def test_the_a02_rubric_table_gives_each_hospitals_numbers(a02):
    """Check the a02 rubric's table: group sizes, prevalence, AUC (scikit-learn), O/E, calibration, scaled Brier."""
    from sklearn.metrics import roc_auc_score

    groups, sites = a02["groups"], list(a02["groups"])
    assert sites == ["Cleveland test", "Hungary", "VA Long Beach", "Switzerland"]
    auc = {s: roc_auc_score(g["cad"], g["risk"]) for s, g in groups.items()}

    def row(label, values):
        return f"| {label} | " + " | ".join(values) + " |"

    def two(label, values):  # the rows with a Cleveland and a VA value only
        return row(label, [f"{values['Cleveland test']:.2f}", "", f"{values['VA Long Beach']:.2f}", ""]).replace("|  |", "| |")

    says_all(A02, [
        "| | " + " | ".join(f"{s} ({len(groups[s]['cad'])})" for s in sites) + " |",
        row("prevalence of CAD", [f"{np.mean(groups[s]['cad']):.2f}" for s in sites]),
        row("AUC", [f"{auc[s]:.2f}" for s in sites]),
        row("O/E (Q1)", [f"{a02['oe'][s]:.2f}" for s in sites]),
        two("calibration intercept (Q3)", {s: c["intercept"] for s, c in a02["calibration"].items()}),
        two("calibration slope (Q3)", {s: c["slope"] for s, c in a02["calibration"].items()}),
        two("scaled Brier (Q4)", a02["scaled_brier"]),
    ])


def test_the_a02_rubric_gives_the_masters_answers_to_questions_2_to_9(a02):
    """Check the a02 rubric's Q2 and Q5-Q9 lines, the Q9 counts from the check half's table at 0.2 (scikit-learn)."""
    from sklearn.metrics import confusion_matrix

    oe = a02["oe"]
    external = {s: v for s, v in oe.items() if s != "Cleveland test"}
    over, under = min(external, key=external.get), max(external, key=external.get)
    assert oe[over] < 1 < oe[under]
    pt, nb, low_high = a02["PT"], a02["net_benefit_20"], a02["slope_ci"]
    weight = pt / (1 - pt)
    avoided = minus(f"{a02['avoided_per_1000']:.0f}")
    y, risk = np.asarray(a02["check"]["cad"]), np.asarray(a02["check"]["risk"])
    tn, fp, fn, tp = confusion_matrix(y, risk >= pt, labels=[0, 1]).ravel()
    n = len(y)
    # against referring everyone (no TN, no FN): the model misses its FN and spares its TN
    per_100 = (-fn + tn * weight) * 100 / n
    assert per_100 / 100 / weight * 1000 == pytest.approx(a02["avoided_per_1000"])
    assert 0.9 < low_high[1] < 1 < 1.1, "the rubric reads the slope interval's upper limit as near 1, below it"
    says_all(A02, [
        f"Q2: over-predicts at {over} (O/E < 1); under-predicts most in {under}.",
        f"(VA update half, {a02['halves']['update']} patients; check half, {a02['halves']['check']}): "
        f"intercept update {a02['intercept_update']:.2f}; O/E after it {a02['oe_after_update']['update']:.2f} in the "
        f"update half (by construction), {a02['oe_after_update']['check']:.2f} in the check half.",
        f"Q6: logistic recalibration intercept {a02['recalibration']['intercept']:.2f}, slope "
        f"{a02['recalibration']['slope']:.2f}; AUC in the check half {a02['auc_check']['before']:.2f} before and after.",
        f"about {low_high[0]:.2f} to {low_high[1]:.2f} (seed 42, {a02['resamples']:,} resamples;",
        f"Q8 (check half, threshold {pt:g}): net benefit of referring everyone {nb['treat all']:.3f}, of the model "
        f"{nb['model']:.3f}, of the recalibrated model {nb['recalibrated']:.3f}.",
        f"Q9: {avoided} net interventions avoided per 1,000. In whole patients: in the {n}-patient check half at "
        f"{pt:g} the original model has TP {tp}, FP {fp}, FN {fn}, TN {tn}, so against referring everyone it misses {fn} "
        f"patient with CAD and spares {tn} CT angiograms ({minus(f'-{fn}')} + {tn} × {weight:g} = "
        f"{minus(f'{per_100:.1f}')} true positives in 100 patients, i.e. {avoided} per 1,000).",
    ])
    assert auc_unchanged(a02)


def auc_unchanged(a02) -> bool:
    """A recalibration with a positive slope keeps the order of the patients, so the AUC the rubric quotes once."""
    return a02["recalibration"]["slope"] > 0 and a02["auc_check"]["before"] == pytest.approx(a02["auc_check"]["after"])


def test_the_a02_rubric_criteria_quote_the_same_numbers(a02):
    """Check the numbers the a02 criteria and red flags quote (VA against Cleveland, updating, net benefit)."""
    from sklearn.metrics import confusion_matrix, roc_auc_score

    groups, cal = a02["groups"], a02["calibration"]
    va, cle = groups["VA Long Beach"], groups["Cleveland test"]
    pt, nb = a02["PT"], a02["net_benefit_20"]
    y, risk = np.asarray(a02["check"]["cad"]), np.asarray(a02["check"]["risk"])
    tn, _, fn, _ = confusion_matrix(y, risk >= pt, labels=[0, 1]).ravel()
    says_all(A02, [
        f"contrasts the VA AUC ({roc_auc_score(va['cad'], va['risk']):.2f}, against "
        f"{roc_auc_score(cle['cad'], cle['risk']):.2f} in Cleveland) with calibration: O/E about "
        f"{a02['oe']['VA Long Beach']:.2f} (risks too low on average), slope about {cal['VA Long Beach']['slope']:.2f} "
        f"(risks too extreme), scaled Brier about {a02['scaled_brier']['VA Long Beach']:.2f}",
        f"the VA's high prevalence ({pct(np.mean(va['cad']))})",
        f"reports the check half (O/E {a02['oe_after_update']['check']:.2f}, AUC unchanged at "
        f"{a02['auc_check']['before']:.2f}:",
        f"(slope interval about {a02['slope_ci'][0]:.2f} to {a02['slope_ci'][1]:.2f} from {len(va['cad'])} patients;",
        f"at a {pct(pt)} threshold the model ({nb['model']:.3f}) is no better than referring everyone "
        f"({nb['treat all']:.3f}), and that the difference ({fn} missed CAD against {tn} scans spared in {len(y)} patients)",
        f"at a threshold of {pct(pt)} it does no better than referring everyone",
        f"{WORDS[fn]} missed CAD against {WORDS[tn]} scans spared in {len(y)} patients",
    ])
    assert a02["oe"]["VA Long Beach"] > 1 and cal["VA Long Beach"]["slope"] < 1  # "too low", "too extreme"
    assert nb["recalibrated"] == pytest.approx(nb["treat all"])  # "equal after recalibration"
