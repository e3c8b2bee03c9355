"""The grades export is nbgrader's export plugin: `autograder export` and plain `nbgrader export
--exporter autograder.export.QuestionsExport` in the course root write the same file, and its nbgrader
columns say what nbgrader's own CSV exporter says. The class report is a Jinja2 template that escapes."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder import course
from tests.repo import REPO
from tests.submissions import answer_cells, fill

BIN = Path(sys.executable).parent
A01 = course.find_assignment("a01")
WRITTEN = "q11_written"
NBGRADER_COLUMNS = ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
                    "raw_score", "late_submission_penalty", "score", "max_score"]


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": str(REPO), "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}


def _rows(path: Path) -> dict[str, dict]:
    return {r["student_id"]: r for r in csv.DictReader(path.open(encoding="utf-8"))}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    from nbgrader.api import Gradebook

    tmp = tmp_path_factory.mktemp("export")
    release = nbformat.read(A01.student_dir(REPO / "notebooks") / A01.notebook_name, as_version=4)
    master = course.master_notebook(A01)
    subs, root = tmp / "subs", tmp / "root"
    for student, nb in {"perfect": fill(release, answer_cells(master)), "untouched": release,
                        "wrong_q5": fill(release, answer_cells(master, q5_answer="ppv_clinic = float(sens_05)"))}.items():
        (subs / student).mkdir(parents=True)
        nbformat.write(nb, subs / student / A01.notebook_name)
    run = subprocess.run([str(BIN / "autograder"), "grade", "a01", "--submissions", str(subs), "--course-root", str(root)],
                         capture_output=True, text=True, timeout=1800, env=_env())
    assert run.returncode == 0, run.stderr[-3000:]
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:  # a written answer graded by hand, as formgrader does
        grade = gb.find_grade(WRITTEN, A01.id, A01.id, "perfect")
        grade.manual_score, grade.needs_manual_grade = 3, False
        gb.db.commit()
    return root


def _nbgrader_export(root: Path, *args: str) -> None:
    run = subprocess.run([str(BIN / "nbgrader"), "export", *args], cwd=root, capture_output=True, text=True, timeout=600,
                         env=_env())
    assert run.returncode == 0, run.stderr[-2000:]


@pytest.mark.e2e
def test_nbgrader_export_with_the_plugin_writes_what_autograder_export_writes(graded):
    run = subprocess.run([str(BIN / "autograder"), "export", "--course-root", str(graded)], capture_output=True, text=True,
                         timeout=600, env=_env())
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == f"wrote 3 rows to {graded / 'grades.csv'}"
    _nbgrader_export(graded, "--exporter", "autograder.export.QuestionsExport", "--to", "plugin.csv")
    assert (graded / "plugin.csv").read_text(encoding="utf-8") == (graded / "grades.csv").read_text(encoding="utf-8")


@pytest.mark.e2e
def test_the_nbgrader_columns_agree_with_nbgraders_own_exporter_and_the_questions_add_up(graded):
    _nbgrader_export(graded, "--to", "nbgrader.csv")  # nbgrader's CsvExportPlugin: the reference
    _nbgrader_export(graded, "--exporter", "autograder.export.QuestionsExport", "--to", "ours.csv")
    ours, theirs = _rows(graded / "ours.csv"), _rows(graded / "nbgrader.csv")
    assert list(next(iter(ours.values())))[:12] == NBGRADER_COLUMNS + ["hours_late"]
    assert set(ours) == set(theirs) == {"perfect", "untouched", "wrong_q5"}
    for student, row in ours.items():
        for column in NBGRADER_COLUMNS:
            mine, reference = row[column], theirs[student][column]
            if column in ("raw_score", "late_submission_penalty", "score", "max_score"):
                assert float(mine) == float(reference), f"{student}: {column} is {mine}, nbgrader says {reference}"
            else:
                assert mine == reference, f"{student}: {column} is {mine!r}, nbgrader says {reference!r}"
        questions = [c for c in row if c.startswith(f"{A01.id}:")]
        assert float(row["raw_score"]) == sum(float(row[q] or 0) for q in questions), f"{student}: the questions do not add up"
    assert float(ours["perfect"][f"{A01.id}:{WRITTEN}"]) == 3 and float(ours["perfect"]["raw_score"]) == 20
    assert float(ours["wrong_q5"][f"{A01.id}:q5_tests"]) == 0 and float(ours["perfect"][f"{A01.id}:q5_tests"]) == 2


@pytest.mark.e2e
def test_nbgraders_student_filter_reaches_the_plugin(graded):
    _nbgrader_export(graded, "--exporter", "autograder.export.QuestionsExport", "--to", "one.csv", "--student=wrong_q5")
    assert list(_rows(graded / "one.csv")) == ["wrong_q5"]


def test_the_report_template_escapes_what_it_is_given():
    from autograder.report import study_step

    step = study_step("M1.2", "book/page", ["q1_tests"], "compute <PPV> & NPV", lambda page: f'<a href="x/{page}.html">T</a>',
                      "https://course.example/book")
    assert "compute &lt;PPV&gt; &amp; NPV" in step, "text reached the page unescaped"
    assert '<a href="x/book/page.html">T</a>' in step and step.startswith("<li>M1.2 ") and step.endswith("(missed q1_tests)</li>")
