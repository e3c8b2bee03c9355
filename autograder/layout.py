"""Where everything lives in a course root: one method per place.

nbgrader's own folders (``source/<a>``, ``release/<a>``, ``submitted/<student>/<a>``, ``autograded/…``,
``feedback/…``) are named by nbgrader's ``CourseDirectory.format_path``, as nbgrader's converters name them;
``executed/<student>/<a>`` (notebooks back from the sandbox, read by nbgrader's scoring step) follows the
same pattern. The rest is autograder's own: the grading state, the collect journal, grades, reports and
the LMS files. Nothing else in the package builds a path under the course root by hand.
"""

from __future__ import annotations

import glob
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from autograder.course import Assignment

ERROR_LOG = "grader-errors.log"
SCORED_STEP = "executed"  # nbgrader's submitted_directory for the scoring step: the sandbox's output


class CourseRoot:
    """The layout of one nbgrader course root (see the module docstring)."""

    def __init__(self, root: Path | str):
        from nbgrader.coursedir import CourseDirectory

        self.path = Path(root)
        self._nbgrader = CourseDirectory(root=str(self.path))

    def __repr__(self) -> str:
        return f"CourseRoot({str(self.path)!r})"

    def _step(self, step: str, student: str, a: Assignment) -> Path:
        return Path(self._nbgrader.format_path(step, student, a.id))

    # ------------------------------------------------------------ nbgrader's files

    @property
    def gradebook(self) -> Path:
        return self.path / "gradebook.db"

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.gradebook}"

    @property
    def config(self) -> Path:
        return self.path / "nbgrader_config.py"

    @property
    def exchange(self) -> Path:
        """nbgrader's exchange for this course only (``Exchange.root``)."""
        return self.path / "exchange"

    def step(self, name: str) -> Path:
        """The top folder of one of nbgrader's steps (``submitted``, ``feedback``, …)."""
        return self.path / name

    def source(self, a: Assignment) -> Path:
        return self._step(self._nbgrader.source_directory, ".", a)

    def release(self, a: Assignment) -> Path:
        return self._step(self._nbgrader.release_directory, ".", a)

    def submitted(self, a: Assignment, student: str) -> Path:
        return self._step(self._nbgrader.submitted_directory, student, a)

    def submission(self, a: Assignment, student: str) -> Path:
        """The submitted notebook."""
        return self.submitted(a, student) / a.notebook_name

    def submitted_students(self, a: Assignment) -> list[str]:
        """Students with a submitted notebook of ``a``, sorted."""
        pattern = Path(self._nbgrader.format_path(self._nbgrader.submitted_directory, "*", a.id), a.notebook_name)
        return sorted(Path(p).parent.parent.name for p in glob.glob(glob.escape(str(self.path)) + str(pattern)[len(str(self.path)):]))

    def autograded(self, a: Assignment, student: str) -> Path:
        return self._step(self._nbgrader.autograded_directory, student, a)

    def executed(self, a: Assignment, student: str) -> Path:
        return self._step(SCORED_STEP, student, a)

    def feedback(self, a: Assignment, student: str) -> Path:
        return self._step(self._nbgrader.feedback_directory, student, a)

    def feedback_html(self, a: Assignment, student: str) -> Path:
        return self.feedback(a, student) / f"{a.id}.html"

    def student_steps(self, a: Assignment, student: str) -> list[Path]:
        """What grading made of one submission (removed with it)."""
        return [self.autograded(a, student), self.executed(a, student), self.feedback(a, student)]

    # ------------------------------------------------------------ autograder's own files

    def grading_state(self, a: Assignment) -> Path:
        """One state file per student (see :mod:`autograder.results`)."""
        return self.path / "grading-state" / a.id

    def state_file(self, a: Assignment, student: str) -> Path:
        return self.grading_state(a) / f"{student}.json"

    def hand_grades_aside(self, a: Assignment) -> Path:
        """Hand grades set aside while the questions of ``a`` change (read back by the next grade)."""
        return self.grading_state(a) / "hand-grades.aside"

    def collections(self, a: Assignment) -> Path:
        """The journal of each collect of ``a`` (what ``collect --undo`` puts back)."""
        return self.path / "collections" / a.id

    def versions(self, a: Assignment) -> Path:
        """What each submission says it was released as, before grading rewrites it."""
        return self.collections(a) / "versions.json"

    @property
    def error_log(self) -> Path:
        return self.path / ERROR_LOG

    def grades_csv(self, a: Assignment) -> Path:
        return self.path / "grades" / f"{a.id}.csv"

    @property
    def all_grades_csv(self) -> Path:
        return self.path / "grades.csv"

    def report(self, a: Assignment) -> Path:
        return self.path / "reports" / f"{a.id}.html"

    def lms_manifest(self, a: Assignment) -> Path:
        return self.path / "lms" / f"{a.id}.json"

    def lms_grades(self, a: Assignment, kind: str) -> Path:
        return self.path / "lms" / f"{a.id}-{kind}.csv"

    @property
    def lms_feedback(self) -> Path:
        return self.path / "feedback-lms"
