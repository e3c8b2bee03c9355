"""Grading end to end with real nbgrader and real kernels: exact scores for known submissions."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder import course
from tests.submissions import answer_cells, fill

REPO = Path(__file__).resolve().parent.parent
A01 = course.find_assignment("a01")
AUTOGRADER = str(Path(sys.executable).parent / "autograder")


def released(a):
    return nbformat.read(a.student_dir(REPO / "notebooks") / a.notebook_name, as_version=4)


def write(folder: Path, student: str, nb_or_text, name: str = "a01_diagnostic_models.ipynb") -> None:
    (folder / student).mkdir(parents=True)
    path = folder / student / name
    if isinstance(nb_or_text, str):
        path.write_text(nb_or_text)
    else:
        nbformat.write(nb_or_text, path)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """A small class: perfect, untouched, one wrong answer, a renamed file, a malformed notebook."""
    subs = tmp_path_factory.mktemp("submissions")
    root = tmp_path_factory.mktemp("course")
    answers = answer_cells(course.master_notebook(A01))
    release = released(A01)
    write(subs, "perfect", fill(release, answers))
    write(subs, "untouched", release)
    wrong = answer_cells(course.master_notebook(A01), q5_answer="ppv_clinic = float(sens_05)  # forgot the prevalence")
    write(subs, "wrong_q5", fill(release, wrong))
    write(subs, "renamed", fill(release, answers), name="a01_diagnostic_models (1).ipynb")
    write(subs, "malformed", '{"cells": [ this is not json')
    out = root / "grades.csv"
    run = subprocess.run([AUTOGRADER, "grade", "a01", "--submissions", str(subs), "--course-root", str(root), "--out", str(out)],
                         capture_output=True, text=True, timeout=900)
    rows = {r["student_id"]: r for r in csv.DictReader(out.open())}
    return run, rows


def points(rows, student):
    return float(rows[student]["autograded_score"]), float(rows[student]["autograded_max"])


def test_the_masters_solutions_score_full_marks(graded):
    _, rows = graded
    score, maximum = points(rows, "perfect")
    assert maximum == 15 and score == 15, rows["perfect"]
    assert float(rows["perfect"]["manual_max"]) == 5


def test_the_untouched_release_scores_zero(graded):
    _, rows = graded
    assert points(rows, "untouched") == (0, 15)


def test_one_wrong_answer_loses_exactly_that_questions_points(graded):
    _, rows = graded
    assert points(rows, "wrong_q5") == (13, 15)
    assert rows["wrong_q5"]["q5_tests"] == "0"
    others = [q for q in rows["perfect"] if q.startswith("q") and q != "q5_tests"]
    assert others and all(rows["wrong_q5"][q] == rows["perfect"][q] for q in others)


def test_a_renamed_notebook_is_still_graded(graded):
    _, rows = graded
    assert points(rows, "renamed") == (15, 15)


def test_a_malformed_notebook_is_reported_and_the_others_are_graded(graded):
    run, rows = graded
    assert run.returncode == 2
    assert rows["malformed"]["status"] == "malformed"
    assert "malformed not graded: a01_diagnostic_models.ipynb is not a readable notebook" in run.stderr
    assert "Traceback" not in run.stderr
    assert sum(r["status"] == "graded" for r in rows.values()) == 4
    assert "perfect" in run.stdout and "15/15" in run.stdout
