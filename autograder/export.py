"""The grades of every assignment as one CSV: nbgrader's export plugin, with one column per question.

``autograder export`` writes it, and so does nbgrader's own command in the course root::

    nbgrader export --exporter autograder.export.QuestionsExport [--to grades.csv]

The columns are nbgrader's own (``CsvExportPlugin``), lateness in hours, then one column per question
(``<assignment>:<grade_id>``): the autograded ones first, then the written answers, whose column holds the
hand score once graded and stays blank while it still needs grading (nbgrader's ``score`` counts hand-graded
points already, less the late penalty). nbgrader's ``--assignment`` and ``--student`` filters work too.
"""

from __future__ import annotations

import csv
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import ExportPlugin

NBGRADER_COLUMNS = ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
                    "raw_score", "late_submission_penalty", "score", "max_score"]


class QuestionsExport(ExportPlugin):
    """nbgrader's CSV export with lateness in hours and each question's points."""

    def rows(self, gradebook: Gradebook) -> tuple[list[dict], list[str]]:
        """One row per (assignment, student) and the question columns, in order."""
        assignments = {str(a) for a in self.assignment}
        students = {str(s) for s in self.student}
        rows, questions = [], []
        for assignment in gradebook.assignments:
            if assignments and assignment.name not in assignments:
                continue
            names = sorted({g.name for nb in assignment.notebooks for g in nb.grade_cells if g.cell_type == "code"})
            names += sorted({g.name for nb in assignment.notebooks for g in nb.grade_cells if g.cell_type == "markdown"})
            questions += [f"{assignment.name}:{n}" for n in names]
            for student in gradebook.students:
                if students and student.id not in students:
                    continue
                row = {"assignment": assignment.name, "duedate": assignment.duedate or "", "student_id": student.id,
                       "last_name": student.last_name or "", "first_name": student.first_name or "", "email": student.email or ""}
                try:
                    sub = gradebook.find_submission(assignment.name, student.id)
                except MissingEntry:
                    row.update(timestamp="", raw_score=0.0, late_submission_penalty=0.0, score=0.0, max_score=assignment.max_score)
                else:
                    row.update(timestamp=sub.timestamp or "", raw_score=sub.score, late_submission_penalty=sub.late_submission_penalty,
                               score=sub.score - sub.late_submission_penalty, max_score=sub.max_score,
                               hours_late=round(sub.total_seconds_late / 3600, 1))
                    for nb in sub.notebooks:
                        for g in nb.grades:
                            if g.cell.cell_type == "code" or not g.needs_manual_grade:
                                row[f"{assignment.name}:{g.name}"] = g.score
                rows.append(row)
        return rows, questions

    def export(self, gradebook: Gradebook) -> None:
        self.write(gradebook)

    def write(self, gradebook: Gradebook) -> int:
        """Write the CSV to ``to`` (default ``grades.csv``), whole or not at all; returns the number of rows."""
        from autograder.results import atomic_writer

        out = Path(self.to or "grades.csv")
        rows, questions = self.rows(gradebook)
        self.log.info("Exporting grades to %s", out)
        with atomic_writer(out) as fh:
            w = csv.DictWriter(fh, fieldnames=NBGRADER_COLUMNS + ["hours_late"] + questions, restval="")
            w.writeheader()
            w.writerows(rows)
        return len(rows)
