"""Numbers Module 1 states, checked against independent references (dcurves, scikit-learn, the data).

The chapter pages compute and glue their own numbers; these tests pin the ones a reader would quote and
that a change of code could silently move: where the decision curve's model line beats both default
strategies (a figure's alt text states it), what the rubric tells graders to expect, and that question 6
accepts an answer in whole patients and nothing further off.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import precision_score, recall_score, roc_auc_score

from autograder import course
from tests.repo import REPO

CHAPTER = REPO / "book" / "m01_diagnostic_models"


@pytest.fixture(scope="module")
def chapter_model():
    sys.path.insert(0, str(CHAPTER))
    try:
        from _helpers import fit
        return fit()
    finally:
        sys.path.remove(str(CHAPTER))


def test_the_decision_curve_alt_text_states_the_crossing_dcurves_finds(chapter_model):
    from dcurves import dca

    test = chapter_model.test.assign(cad=lambda d: d["cad"].astype(int))
    thresholds = [round(t, 2) for t in np.arange(0.01, 0.81, 0.01)]
    curves = dca(data=test[["cad", "p"]], outcome="cad", modelnames=["p"], thresholds=thresholds)
    nb = curves.pivot(index="threshold", columns="model", values="net_benefit")
    beats = nb["p"] > np.maximum(nb["all"], nb["none"]) + 1e-12
    first = beats.idxmax()
    assert beats.loc[first:].all(), "the model's curve dips below a default strategy after it first beats both"
    page = (CHAPTER / "04_thresholds.md").read_text(encoding="utf-8")
    assert f"for thresholds from about {first:.0%} upward" in page, f"dcurves: the model beats both from {first:.0%}"
    assert first == pytest.approx(0.03)


def test_the_prevalence_page_counts_add_up_with_the_stated_prevalence(chapter_model):
    """Check that 1,000 patients at the test set's prevalence are 455 with CAD, stated as 45.5% (not 46%)."""
    prevalence = chapter_model.test["cad"].mean()
    assert f"{100 * prevalence:.1f}%" == "45.5%" and round(1000 * prevalence) == 455
    page = (CHAPTER / "02_prevalence.md").read_text(encoding="utf-8")
    assert 'pct(prev, 1 if tag == "hi" else 0)' in page


@pytest.fixture(scope="module")
def a01():
    """The assignment's setup cell and solutions run in one namespace, with the test cells' sources."""
    a = course.find_assignment("a01")
    nb = course.master_notebook(a)
    ns, tests = {}, {}
    cwd = Path.cwd()
    import os

    os.chdir(REPO / "datasets")
    try:
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type != "code":
                continue
            source = re.sub(r"^\s*### (BEGIN|END) SOLUTION\s*$", "", cell.source, flags=re.M)
            if meta.get("grade"):
                tests[meta["grade_id"]] = source
            else:
                exec(compile(source, meta.get("grade_id", "cell"), "exec"), ns)
    finally:
        os.chdir(cwd)
    return ns, tests


def run_test(a01, grade_id, **answers):
    ns, tests = a01
    scope = dict(ns, **answers)
    cwd = Path.cwd()
    import os

    os.chdir(REPO / "datasets")
    try:
        exec(compile(tests[grade_id], grade_id, "exec"), scope)
    finally:
        os.chdir(cwd)


def test_question_6_accepts_whole_patients_and_nothing_further(a01):
    ns, _ = a01
    exact = ns["missed_per_1000"]
    assert exact == pytest.approx(14.2857, abs=1e-3)
    run_test(a01, "q6_tests", missed_per_1000=14)
    run_test(a01, "q6_tests", missed_per_1000=round(exact, 1))
    for wrong in (13, 15, 25):
        with pytest.raises(AssertionError):
            run_test(a01, "q6_tests", missed_per_1000=wrong)


def test_the_new_questions_accept_the_right_answers_and_reject_the_model_lr(a01):
    ns, _ = a01
    run_test(a01, "q9_tests")
    with pytest.raises(AssertionError):
        run_test(a01, "q9_tests", post_test_mrs_k=0.2 * 4)
    run_test(a01, "q10_tests")
    with pytest.raises(AssertionError):
        run_test(a01, "q10_tests", nb_everyone=float(np.mean(ns["y_test"])))


def test_the_rubric_states_the_numbers_the_questions_give(a01):
    ns, _ = a01
    y, risk = np.asarray(ns["y_test"]), ns["risk"]
    sens = recall_score(y, risk >= 0.5)
    spec = recall_score(y, risk >= 0.5, pos_label=0)
    ppv_10 = 0.1 * sens / (0.1 * sens + 0.9 * (1 - spec))
    missed_03 = 1000 * 0.1 * (1 - recall_score(y, risk >= 0.3))
    auc = roc_auc_score(y, risk)
    assert precision_score(y, risk >= 0.5) > ppv_10          # the clinic's PPV is below Cleveland's
    rubric = (REPO / "instructors" / "rubrics" / "a01_diagnostic_models.md").read_text(encoding="utf-8")
    for stated in [f"sensitivity {sens:.2f}", f"specificity {spec:.2f}", f"about {ppv_10:.2f}",
                   f"about {100 * ppv_10:.0f} have", f"about {missed_03:.0f} of every", f"{missed_03:.1f} exactly",
                   f"AUC about {auc:.2f}", f"{1000 * 0.1 * (1 - sens):.0f} per 1,000"]:
        assert stated in rubric, f"the rubric should state {stated!r}"


def test_the_covid_numbers_on_the_prevalence_page_follow_from_the_data():
    from clinical_data import load

    covid = load("covid_testing")
    valid = covid[covid["result"] != "invalid"]
    assert (len(covid), len(valid), int((valid["result"] == "positive").sum())) == (15524, 15223, 865)
    by_group = valid.assign(pos=valid["result"] == "positive").groupby("demo_group")["pos"].mean()
    assert f"{by_group['patient']:.1%}" == "4.5%" and f"{by_group['misc adult']:.1%}" == "9.8%"
    card = (REPO / "datasets" / "cards" / "covid_testing.md").read_text(encoding="utf-8")
    assert "865 / 15,223 valid tests" in card and "Module 1: Diagnostic models" in card
