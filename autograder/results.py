"""Grading results: the record of one student's grading, the state file that keeps it between runs, the
scores read back from the gradebook, the grades CSV and the scores table; every file written whole or not
at all.

The grading engine (:mod:`autograder.grading`) writes results here; ``feedback``, ``report``, ``lms`` and the
CLI read them from here, never from the engine.

State file (``<root>/grading-state/<assignment>/<student>.json``, see :class:`autograder.layout.CourseRoot`)::

    {"key": {...}, "status": "graded", "detail": "", "flags": [...]}

``key`` says what was graded (the submission's and the master's digests, the limits): a re-run grades a
submission again only when it changed. A student whose submission could not be collected has a state
file too (an empty key), so that they stay listed until a usable submission is collected.
"""

from __future__ import annotations

import contextlib
import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO

from autograder.layout import CourseRoot

if TYPE_CHECKING:
    from autograder.course import Assignment

# "graded", or why not: the submission could not be read ("malformed"), was another assignment ("refused"),
# could not be prepared or scored ("failed"), is not there ("missing"), or the grader broke ("grader-error",
# not the student's doing: graded again on the next run).
Status = Literal["graded", "malformed", "refused", "failed", "missing", "grader-error"]


@dataclass
class Result:
    student: str
    status: Status
    detail: str = ""
    questions: dict[str, float] = field(default_factory=dict)  # autograded grade_id -> points earned
    max_points: dict[str, float] = field(default_factory=dict)
    manual_max: float = 0.0
    flags: list[str] = field(default_factory=list)
    manual: dict[str, float | None] = field(default_factory=dict)  # written grade_id -> hand score, None until graded
    late_penalty: float = 0.0  # points nbgrader's late-submission plugin took off
    seconds_late: float = 0.0

    @property
    def score(self) -> float:
        """Autograded points only (the item analysis and the study plans read these)."""
        return sum(self.questions.values())

    @property
    def total(self) -> float:
        """Autograded plus hand-graded points, less the late penalty: what the gradebook counts."""
        return self.score + sum(v for v in self.manual.values() if v is not None) - self.late_penalty

    @property
    def to_grade_by_hand(self) -> list[str]:
        return [q for q, v in self.manual.items() if v is None]

    @property
    def max_score(self) -> float:
        return sum(self.max_points.values())


# ---------------------------------------------------------------- files written whole or not at all

@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator[TextIO]:
    """A text file that appears at ``path`` only once it is written whole (a failure leaves the old one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    try:
        with tmp.open("w", newline="", encoding="utf-8") as fh:
            yield fh
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all."""
    with atomic_writer(path) as fh:
        fh.write(text)


# ---------------------------------------------------------------- the state files

def save(root: Path, a: Assignment, result: Result, key: dict) -> None:
    """Record a student's grading as done (after its grades are in the gradebook, so a killed run resumes here)."""
    atomic_write(CourseRoot(root).state_file(a, result.student),
                 json.dumps({"key": key, "status": result.status, "detail": result.detail, "flags": result.flags}))


def saved(root: Path, a: Assignment, student: str) -> dict | None:
    """The state file of one student, or None when there is none."""
    path = CourseRoot(root).state_file(a, student)
    return json.loads(path.read_text()) if path.exists() else None


def saved_students(root: Path, a: Assignment) -> list[str]:
    """Every student with a state file for ``a``, sorted."""
    return sorted(p.stem for p in CourseRoot(root).grading_state(a).glob("*.json"))


def forget(root: Path, a: Assignment, student: str) -> None:
    CourseRoot(root).state_file(a, student).unlink(missing_ok=True)


def forget_graded(root: Path, a: Assignment) -> None:
    """Every graded student is graded again on the next run (the master's questions changed)."""
    for student in saved_students(root, a):
        if (saved(root, a, student) or {}).get("status") == "graded":
            forget(root, a, student)


def graded_students(root: Path, a: Assignment) -> list[str]:
    return [s for s in saved_students(root, a) if (saved(root, a, s) or {}).get("status") == "graded"]


# ---------------------------------------------------------------- reading results back

def scores(a: Assignment, root: Path, student: str) -> Result:
    """A graded student's points, hand grades and lateness, as the gradebook holds them."""
    from nbgrader.api import Gradebook

    result = Result(student, "graded")
    with Gradebook(CourseRoot(root).db_url) as gb:
        submission = gb.find_submission(a.id, student)
        result.late_penalty = float(submission.late_submission_penalty or 0)
        result.seconds_late = float(submission.total_seconds_late or 0)
        for nb in submission.notebooks:
            for grade in nb.grades:
                if grade.cell.cell_type == "markdown":  # a written answer, scored by hand
                    result.manual_max += grade.max_score
                    result.manual[grade.name] = None if grade.needs_manual_grade else float(grade.score or 0)
                else:
                    result.questions[grade.name] = float(grade.auto_score or 0)
                    result.max_points[grade.name] = float(grade.max_score)
    return result


def recorded(a: Assignment, root: Path, student: str) -> Result:
    """One student's result as the state file and the gradebook record it."""
    state = saved(root, a, student) or {"status": "missing"}
    if state["status"] == "graded" and not CourseRoot(root).submission(a, student).is_file():
        return Result(student, "missing", "no submission collected (any more)")
    if state["status"] != "graded":
        return Result(student, state["status"], state.get("detail", ""))
    result = scores(a, root, student)
    result.detail, result.flags = state.get("detail", ""), state.get("flags", [])
    return result


def load(a: Assignment, root: Path) -> list[Result]:
    """Every student's recorded result for ``a``, sorted by student."""
    return [recorded(a, root, s) for s in saved_students(root, a)]


# ---------------------------------------------------------------- grades CSV and the scores table

def write_csv(a: Assignment, results: list[Result], out: Path) -> None:
    """Grades CSV: one row per student, per-question autograded points. Written whole or not at all."""
    questions = sorted({q for r in results for q in r.max_points})
    written = sorted({q for r in results for q in r.manual})  # hand-graded: blank until graded
    with atomic_writer(out) as fh:
        w = csv.writer(fh)
        w.writerow(["student_id", "assignment", "status", "autograded_score", "autograded_max", "manual_max",
                    *questions, *written, "hours_late", "late_penalty", "total", "max_total", "flags", "detail"])
        for r in results:
            graded = r.status == "graded"
            w.writerow([
                r.student, a.id, r.status,
                f"{r.score:g}" if graded else "", f"{r.max_score:g}" if graded else "", f"{r.manual_max:g}" if graded else "",
                *[f"{r.questions[q]:g}" if q in r.questions else "" for q in questions],
                *[f"{r.manual[q]:g}" if r.manual.get(q) is not None else "" for q in written],
                f"{r.seconds_late / 3600:.1f}" if graded else "", f"{r.late_penalty:g}" if graded else "",
                f"{r.total:g}" if graded else "", f"{r.max_score + r.manual_max:g}" if graded else "",
                " ".join(r.flags), r.detail,
            ])


def table(results: list[Result]) -> str:
    width = max([len("student")] + [len(r.student) for r in results])
    lines = [f"{'student':<{width}}  {'autograded':>10}  {'by hand':>8}  {'total':>8}  status"]
    for r in results:
        graded = r.status == "graded"
        score = f"{r.score:g}/{r.max_score:g}" if graded else "-"
        hand = ("to grade" if r.to_grade_by_hand else f"{sum(v or 0 for v in r.manual.values()):g}/{r.manual_max:g}") if graded and r.manual else "-"
        total = f"{r.total:g}/{r.max_score + r.manual_max:g}" if graded else "-"
        late = f"late {r.seconds_late / 3600:.1f} h" + (f", -{r.late_penalty:g}" if r.late_penalty else "") if r.seconds_late > 0 else ""
        note = (r.status + (f": {r.detail}" if r.detail else "") + (f" [{late}]" if late else "")
                + (f" [review: {', '.join(r.flags)}]" if r.flags else ""))
        lines.append(f"{r.student:<{width}}  {score:>10}  {hand:>8}  {total:>8}  {note}")
    return "\n".join(lines)
