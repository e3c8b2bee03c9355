"""The grader's pure functions on small hand-made notebooks and results: no kernel, no nbgrader run.

Item analysis is checked against scipy's Pearson correlation and hand-worked shares; mastery and study
plans against sums done here; normalising, feedback and the grades CSV against notebooks and tables made
in the test. (The scan's patterns: tests/test_grading_judge.py.)
"""

from __future__ import annotations

import csv
import math

import nbformat
import pytest
from scipy.stats import pearsonr

from autograder import feedback, grading, report, results
from autograder.course import normalise_student_notebook
from autograder.layout import ERROR_LOG
from autograder.results import Result
from autograder.notebooks import render, to_notebook

MAX = {"q1": 2.0, "q2": 1.0, "q3": 1.0}


def graded(student: str, **points: float) -> Result:
    return Result(student, "graded", questions=dict(points), max_points=dict(MAX), manual_max=3.0)


CLASS = [graded("ana", q1=2, q2=1, q3=1), graded("ben", q1=2, q2=0, q3=1), graded("cai", q1=0, q2=0, q3=1),
         graded("dee", q1=1, q2=1, q3=1), Result("eve", "malformed", "not a notebook")]


def test_item_analysis_difficulty_is_the_mean_share_and_discrimination_the_rest_score_correlation():
    """Check that difficulty and discrimination match hand-worked shares and scipy's Pearson r."""
    analysis = report.item_analysis(CLASS)
    assert set(analysis) == set(MAX)
    assert analysis["q1"]["difficulty"] == pytest.approx((2 + 2 + 0 + 1) / 4 / 2)
    assert analysis["q2"]["difficulty"] == pytest.approx(2 / 4)
    q1, rest = [2, 2, 0, 1], [2, 1, 1, 2]  # q1, and each student's total without q1 (the malformed one left out)
    assert analysis["q1"]["discrimination"] == pytest.approx(pearsonr(q1, rest).statistic)
    assert math.isnan(analysis["q3"]["discrimination"]), "a question everybody got right cannot discriminate"
    assert report.item_analysis([Result("eve", "failed")]) == {}


def test_mastery_is_the_share_of_the_points_of_each_objectives_questions():
    """Check that mastery pools the points of every question tagged with an objective, over graded students."""
    tags = {"q1": "M1.1", "q2": "M1.2", "q3": "M1.2"}
    assert report.mastery(CLASS, tags) == pytest.approx({"M1.1": 5 / 8, "M1.2": (2 + 4) / 8})
    assert report.mastery(CLASS, {}) == {}


def test_a_study_plan_names_each_objective_missed_its_page_and_its_questions():
    """Check that a study plan lists only objectives with points lost, with the page that teaches them."""
    tags = {"q1": "M1.1", "q2": "M1.2", "q3": "M1.2"}
    sections = {"M1.2": "book/m01_diagnostic_models/02_prevalence"}
    assert report.study_plan(CLASS[1], tags, sections) == [("M1.2", sections["M1.2"], ["q2"])]
    assert report.study_plan(CLASS[2], tags, sections) == [("M1.1", None, ["q1"]), ("M1.2", sections["M1.2"], ["q2"])]
    assert report.study_plan(CLASS[0], tags, sections) == []


def test_the_grades_csv_has_a_row_per_student_and_blanks_where_nothing_was_graded(tmp_path):
    """Check that the grades CSV holds each student's points per question, and no score for the ungraded."""
    class Assignment:  # write_csv reads only the id
        id = "a01_diagnostic_models"

    out = tmp_path / "grades" / "a01.csv"
    results.write_csv(Assignment, CLASS, out)
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["student_id"] for r in rows] == ["ana", "ben", "cai", "dee", "eve"]
    assert (rows[1]["autograded_score"], rows[1]["autograded_max"], rows[1]["q2"]) == ("3", "4", "0")
    assert rows[1]["manual_max"] == "3" and rows[1]["assignment"] == "a01_diagnostic_models"
    assert rows[4]["status"] == "malformed" and rows[4]["autograded_score"] == "" and rows[4]["q1"] == ""
    assert rows[4]["detail"] == "not a notebook"
    assert sorted(p.name for p in out.parent.iterdir()) == ["a01.csv"], "a temporary file was left behind"


def grade_cell(source: str, grade_id: str, **meta) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade_id": grade_id, "grade": False, "solution": False, "locked": False,
                                 "schema_version": 3} | meta
    return cell


def test_normalising_gives_grade_cells_back_the_released_metadata():
    """Check that an edited grade flag is restored, a copied grade cell loses its metadata, an unknown one is dropped."""
    release = nbformat.v4.new_notebook(cells=[grade_cell("x = None", "q1_answer", solution=True),
                                              grade_cell("assert x", "q1_tests", grade=True, points=2, locked=True)])
    student = nbformat.v4.new_notebook(cells=[grade_cell("x = 1", "q1_answer", solution=True),
                                              grade_cell("assert x", "q1_tests", grade=False, locked=True),
                                              grade_cell("assert x", "q1_tests", grade=True, points=2, locked=True),
                                              grade_cell("y = 2", "made_up")])
    fixed = grading.normalise(student, release)
    assert fixed.cells[0].source == "x = 1", "normalising must not touch what the student wrote"
    assert fixed.cells[1].metadata["nbgrader"] == release.cells[1].metadata["nbgrader"]
    assert "nbgrader" not in fixed.cells[2].metadata and "nbgrader" not in fixed.cells[3].metadata


def test_percent_text_becomes_a_notebook_with_stable_ids_and_no_outputs(tmp_path):
    """Check that the same text always gives the same notebook, without outputs, and that a released
    notebook is written back without its outputs."""
    text = "# %% [markdown]\n# A patient\n\n# %%\nx = 1\nx\n"
    first, second = render(to_notebook(text)), render(to_notebook(text))
    assert first == second and first.endswith("}\n")
    nb = nbformat.reads(first, as_version=4)
    assert [c.id for c in nb.cells] == ["cell-000", "cell-001"] and nb.metadata["kernelspec"]["name"] == "python3"
    nb.cells[1].outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "1"}, execution_count=1)]
    nb.cells[1].execution_count = 1
    nbformat.write(nb, tmp_path / "released.ipynb")
    assert normalise_student_notebook(tmp_path / "released.ipynb") == first


def test_feedback_shortens_an_error_to_its_first_line_without_colour_codes():
    """Check that a failed check reaches the student as one line: the error's name and its message."""
    error = nbformat.v4.new_output("error", ename="AssertionError", evalue="\x1b[31mx is wrong\x1b[0m\nmore",
                                   traceback=["long", "traceback"])
    assert feedback._one_line(error) == "AssertionError: x is wrong"
    assert feedback._one_line(nbformat.v4.new_output("error", ename="KeyError", evalue="", traceback=[])) == "KeyError"


def test_the_last_redaction_pass_hides_the_masters_lines():
    """Check that every solution or hidden-test line in a page becomes [hidden], the longest first."""
    secrets = {"ppv = tp / (tp + fp)", "ppv = tp / (tp + fp)  # solution"}
    text = feedback._redact("<pre>ppv = tp / (tp + fp)  # solution</pre><p>npv = tn / (tn + fn)</p>", secrets)
    assert "tp / (tp + fp)" not in text and text.count("[hidden]") == 1 and "npv = tn / (tn + fn)" in text


def test_a_grader_failure_is_logged_with_its_traceback_and_never_blamed_on_the_student(tmp_path):
    """Check that a failure of the grader goes to grader-errors.log in the course root, whole, and is
    reported as the grader's."""
    class Assignment:
        id = "a01_diagnostic_models"

    try:
        {}["missing"]
    except KeyError as exc:
        import traceback

        trace = "".join(traceback.format_exception(exc))
        result = grading.grader_error(Assignment, tmp_path, "ana", exc, trace)
    assert result.status == "grader-error" and "execution failed" not in result.detail
    assert "KeyError: 'missing'" in result.detail and ERROR_LOG in result.detail
    log = (tmp_path / ERROR_LOG).read_text(encoding="utf-8")
    assert "a01_diagnostic_models ana" in log and "Traceback (most recent call last)" in log and "{}[\"missing\"]" in log
    assert not (tmp_path / "grading-state").exists(), "a grader failure must not be recorded as graded"
