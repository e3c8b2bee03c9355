"""The visible checks tell a student when an answer is wrong, before grading.

For every assignment, the corpus of clinicians' mistakes in ``tests/mistakes.py`` (at least three per
autograded question) is run as a student runs the notebook (``benchmarks/visible_checks.py``): at least 90%
of the mistakes that lose points must make a visible check fail; the solution must pass every check.

That a slip is counted once when graded for real (the corpus's carry-forward cases) is tested with the
other graded submissions of each assignment, in ``tests/test_grading.py``.
"""

from __future__ import annotations

from collections import Counter

import pytest

from autograder import course
from benchmarks.visible_checks import TARGET, measure, summary
from tests.mistakes import MISTAKES

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
