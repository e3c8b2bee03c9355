"""The visible checks tell a student when an answer is wrong, before grading.

For every assignment, the corpus of clinicians' mistakes in ``tests/mistakes.py`` (at least three per
autograded question) is run as a student runs the notebook (``benchmarks/visible_checks.py``): at least 90%
of the mistakes that lose points must make a visible check fail; the solution must pass every check.

And a slip is counted once: graded for real, a submission with a slip in an earlier answer that later
answers build on (the corpus's carry-forward cases) loses the earlier question's points only.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from collections import Counter
from pathlib import Path

import nbformat
import pytest

from autograder import course
from benchmarks.visible_checks import TARGET, measure, summary
from tests.mistakes import CARRY_FORWARD, MISTAKES
from tests.repo import REPO
from tests.submissions import answer_cells, fill

IDS = [a.id for a in course.all_assignments()]


def autograded_questions(aid: str) -> set[str]:
    """Answer cells whose question has a test cell (every autograded question has one answer cell)."""
    master = course.master_notebook(course.find_assignment(aid))
    answers = [c.metadata["nbgrader"]["grade_id"] for c in master.cells
               if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("solution")]
    return set(answers)


def test_every_assignment_has_a_mistake_corpus():
    assert set(MISTAKES) == set(IDS), "add the clinicians' mistakes of each new assignment to tests/mistakes.py"


@pytest.mark.parametrize("aid", IDS)
def test_at_least_three_mistakes_per_autograded_question(aid):
    per_question = Counter(question for question, _, _ in MISTAKES[aid])
    thin = {q: per_question[q] for q in autograded_questions(aid) if per_question[q] < 3}
    assert not thin, f"{aid}: fewer than three mistakes for {thin}"


@pytest.mark.e2e
@pytest.mark.parametrize("aid", IDS)
def test_the_visible_checks_flag_most_point_losing_mistakes(aid):
    outcomes = measure(aid)  # also checks that the solution passes every visible and hidden test
    n, losing, flagged, share = summary(outcomes)
    assert losing >= 0.8 * n, f"{aid}: only {losing} of {n} mistakes lose points: the corpus needs real mistakes"
    missed = [f"{o.question}: {o.label}" for o in outcomes if o.loses_points and not o.flagged]
    assert share >= TARGET, f"{aid}: the visible checks flag {flagged} of {losing} point-losing mistakes; missed: {missed}"


@pytest.mark.e2e  # nbgrader and the judge grade the submissions
@pytest.mark.parametrize("aid", sorted(CARRY_FORWARD))
def test_a_slip_that_later_answers_build_on_costs_only_its_own_question(tmp_path, aid):
    a = course.find_assignment(aid)
    master = course.master_notebook(a)
    release = nbformat.read(a.student_dir(REPO / "notebooks") / a.notebook_name, as_version=4)
    tests = [c.metadata["nbgrader"]["grade_id"] for c in master.cells
             if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")]
    cases = {"perfect": {}} | {f"slip{i}": cells for i, (cells, _, _) in enumerate(CARRY_FORWARD[aid])}
    for student, cells in cases.items():
        (tmp_path / "subs" / student).mkdir(parents=True)
        nbformat.write(fill(release, answer_cells(master, **cells)), tmp_path / "subs" / student / a.notebook_name)
    run = subprocess.run([str(Path(sys.executable).parent / "autograder"), "grade", aid[:3], "--submissions",
                          str(tmp_path / "subs"), "--course-root", str(tmp_path / "course")],
                         capture_output=True, text=True, timeout=1800)
    assert run.returncode == 0, run.stderr[-2000:]
    rows = {r["student_id"]: r for r in csv.DictReader((tmp_path / "course" / "grades" / f"{aid}.csv").open())}
    assert rows["perfect"]["autograded_score"] == rows["perfect"]["autograded_max"]
    for i, (_, label, loses) in enumerate(CARRY_FORWARD[aid]):
        lost = {t for t in tests if float(rows[f"slip{i}"][t]) < float(rows["perfect"][t])}
        assert lost == loses, f"{aid}, {label}: points lost in {sorted(lost)}, only in {sorted(loses)} expected"
