"""The instructor's loop without surprises: configuration, collecting, checking a master, points and dates.

Fast checks here (no kernel unless a test says so); the full loop with hand grades, lateness and feedback
is in ``test_instructor_grading.py``, formgrader in a browser in ``test_formgrader_browser.py``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from autograder import collecting, course
from tests.inprocess import autograder
from tests.repo import REPO
from tests.submissions import answer_cells, fill
AUTOGRADER = str(Path(sys.executable).parent / "autograder")
A01 = course.find_assignment("a01")


def released(a):
    return nbformat.read(a.student_dir(REPO / "notebooks") / a.notebook_name, as_version=4)


# ---------------------------------------------------------------- nbgrader's configuration, built once

def _written(root: Path):
    from traitlets.config.loader import PyFileConfigLoader

    return PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()


def test_the_written_config_says_what_the_grader_uses_exchange_included(tmp_path):
    """Check that plain nbgrader in the course root sees the same course, exchange and feedback steps."""
    root = course.course_root(tmp_path / "root")
    written, used = _written(root), course.base_config(root)
    assert written.Exchange.root == str(root / "exchange"), "the written config must name the course's own exchange"
    assert (root / "exchange").is_dir()
    for section in used:
        for key, value in used[section].items():
            assert written[section][key] == value, f"{section}.{key} differs between the file and the grader"
    assert "autograder.feedback.SafeFeedback" in written.GenerateFeedback.preprocessors


def test_the_instructors_own_settings_are_kept_and_used(tmp_path):
    """Check that settings below the marker line survive a rewrite and reach the grader's configuration."""
    root = course.course_root(tmp_path / "root")
    config = root / "nbgrader_config.py"
    config.write_text(config.read_text() + "c.LatePenalty.points_per_day = 3.0\nc.Execute.timeout = 90\n")
    course.course_root(root)
    text = config.read_text()
    assert text.count("c.LatePenalty.points_per_day = 3.0") == 1 and text.count("c.Execute.timeout = 90") == 1
    cfg = course.base_config(root)
    assert cfg.LatePenalty.points_per_day == 3.0 and cfg.Execute.timeout == 90
    assert cfg.CourseDirectory.root == str(root)


def test_broken_own_settings_are_one_line_exit_2(tmp_path):
    root = course.course_root(tmp_path / "root")
    config = root / "nbgrader_config.py"
    config.write_text(config.read_text() + "c.Execute.timeout = undefined_name\n")
    result = autograder("collect", "a01", "--undo", "--course-root", str(root))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "your settings fail: NameError" in result.stderr


def test_help_states_the_real_default_course_root():
    result = subprocess.run([AUTOGRADER, "grade", "--help"], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "COLUMNS": "300"})
    assert "course/ in the course repository" in result.stdout and "./course" not in result.stdout


# ---------------------------------------------------------------- late penalties

@pytest.mark.parametrize("method, seconds, expected", [("per_day", 45 * 3600, 2.0), ("per_day", 0, 0.0),
                                                       ("per_day", 1, 1.0), ("zero", 3600, 17.0), ("none", 3600, 0.0)])
def test_the_late_penalty_follows_the_course_file(method, seconds, expected):
    from autograder.late import LatePenalty

    penalty = LatePenalty(penalty_method=method, points_per_day=1.0).late_submission_penalty("s", 17.0, seconds)
    assert (penalty or 0.0) == expected


def test_due_dates_come_from_the_course_file(tmp_path, monkeypatch):
    file = tmp_path / "course.toml"
    file.write_text('[due]\na01_diagnostic_models = 2027-02-05T18:00:00+01:00\n[late]\nmethod = "per_day"\npoints_per_day = 1\n')
    monkeypatch.setenv("AUTOGRADER_COURSE_FILE", str(file))
    assert str(course.due_date(A01)) == "2027-02-05 17:00:00"
    assert course.base_config(tmp_path).AssignLatePenalties.plugin_class == "autograder.late.LatePenalty"
    file.write_text('[due]\na01_diagnostic_models = "next friday"\n')
    with pytest.raises(course.UsageError, match="is not a date"):
        course.due_date(A01)


# ---------------------------------------------------------------- every submission counts once

def test_newest_of_several_counts_and_the_choice_is_named():
    index, note = collecting.newest([("a01 (1).ipynb", 200.0), ("a01.ipynb", 100.0)])
    assert index == 0 and "a01 (1).ipynb" in note and "set aside a01.ipynb" in note
    assert collecting.newest([("a01.ipynb", 5.0)]) == (0, "")


def _folder(tmp_path, files: dict[str, tuple[nbformat.NotebookNode, float]]) -> Path:
    subs = tmp_path / "subs"
    for rel, (nb, mtime) in files.items():
        path = subs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, path)
        os.utime(path, (mtime, mtime))
    return subs


def test_a_resubmission_is_collected_not_the_older_file(tmp_path, capsys):
    """Check that the newer `a01 (1).ipynb` is what gets graded, and that the choice is reported."""
    perfect = fill(released(A01), answer_cells(course.master_notebook(A01)))
    now = time.time()
    subs = _folder(tmp_path, {"ana/a01_diagnostic_models.ipynb": (released(A01), now - 3600),
                              "ana/a01_diagnostic_models (1).ipynb": (perfect, now)})
    root = course.course_root(tmp_path / "root")
    placed, problems = collecting.collect(A01, root, subs)
    assert placed == ["ana"] and problems == []
    got = nbformat.read(root / "submitted" / "ana" / A01.id / A01.notebook_name, as_version=4)
    assert got.cells == perfect.cells, "the older, empty notebook was collected instead of the resubmission"
    assert "graded the newest, ana/a01_diagnostic_models (1).ipynb" in capsys.readouterr().err


def test_notebooks_of_another_assignment_are_refused_in_one_line_each(tmp_path):
    a02 = course.find_assignment("a02")
    subs = _folder(tmp_path, {"ana/a02_external_validation.ipynb": (released(a02), time.time()),
                              "ben/whatever.ipynb": (released(a02), time.time())})
    root = tmp_path / "root"
    result = autograder("collect", "a01", "--from", str(subs), "--course-root", str(root))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and all("cells do not match the release" in line for line in lines), result.stderr
    assert not list((root / "submitted").glob("*/a01_diagnostic_models"))


def test_a_collect_can_be_undone(tmp_path):
    """Check that `collect --undo` puts back what the last collect replaced, and removes what it added."""
    first = fill(released(A01), answer_cells(course.master_notebook(A01)))
    root = tmp_path / "root"
    subs1 = _folder(tmp_path / "one", {"ana/a01_diagnostic_models.ipynb": (first, time.time() - 60)})
    subs2 = _folder(tmp_path / "two", {"ana/a01_diagnostic_models.ipynb": (released(A01), time.time()),
                                       "ben/a01_diagnostic_models.ipynb": (released(A01), time.time())})
    for subs in (subs1, subs2):
        run = autograder("collect", "a01", "--from", str(subs), "--course-root", str(root))
        assert run.returncode == 0, run.stderr
    undo = autograder("collect", "a01", "--undo", "--course-root", str(root))
    assert undo.returncode == 0, undo.stderr
    got = nbformat.read(root / "submitted" / "ana" / A01.id / A01.notebook_name, as_version=4)
    assert got.cells == first.cells and not (root / "submitted" / "ben" / A01.id).exists()
    again = autograder("collect", "a01", "--undo", "--course-root", str(root))
    undone = autograder("collect", "a01", "--undo", "--course-root", str(root))
    assert again.returncode == 0 and not (root / "submitted" / "ana" / A01.id).exists()
    assert undone.returncode == 2 and "no collect of a01_diagnostic_models to undo" in undone.stderr


# ---------------------------------------------------------------- a broken master never reaches a class

def _line_of(a: course.Assignment, text: str) -> int:
    """The master's line number holding ``text`` (the error names it; the master's length changes)."""
    return next(n for n, line in enumerate(a.master.read_text(encoding="utf-8").splitlines(), 1) if text in line)


Q2_TESTS = '"grade_id": "q2_tests"'


def _master(tmp_path, edit) -> course.Assignment:
    text = edit(A01.master.read_text(encoding="utf-8"))
    path = tmp_path / A01.master.name
    path.write_text(text, encoding="utf-8")
    return course.load_assignment(path)


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.replace("### END SOLUTION", "", 1), "q1_answer: ### BEGIN SOLUTION and ### END SOLUTION do not pair up"),
    (lambda t: t.replace('"grade_id": "q2_tests", "locked": true,', '"grade_id": "q2_tests" "locked": true,', 1),
     f"line {_line_of(A01, Q2_TESTS)}: the cell's nbgrader metadata is not valid JSON"),
    (lambda t: t.replace('"grade_id": "q3_tests"', '"grade_id": "q2_tests"', 1), "question id 'q2_tests' is used twice"),
])
def test_a_master_that_does_not_parse_is_refused_naming_cell_and_cause(tmp_path, edit, message):
    with pytest.raises(course.UsageError) as info:
        course.check_master(_master(tmp_path, edit))
    assert message in str(info.value) and "\n" not in str(info.value)


def _hidden_region(text: str, grade_id: str) -> tuple[int, int]:
    start = text.index(f'"grade_id": "{grade_id}"')
    begin = text.index("### BEGIN HIDDEN TESTS", start)
    return begin, text.index("### END HIDDEN TESTS", begin)


@pytest.mark.parametrize("grade_id, replacement, message", [
    ("q4_tests", '### BEGIN HIDDEN TESTS\nassert False, "a hidden test broken on purpose"\n',
     "q4_tests: the solution fails this test (AssertionError: a hidden test broken on purpose)"),
])
@pytest.mark.e2e  # runs the solution in a kernel
def test_a_master_whose_solution_fails_a_hidden_test_is_refused(tmp_path, grade_id, replacement, message):
    """Check (running both notebooks) that a broken hidden test stops the release before students get it."""
    def edit(text):
        begin, end = _hidden_region(text, grade_id)
        return text[:begin] + replacement + "# " + text[end:]

    a = _master(tmp_path, edit)
    root = course.course_root(tmp_path / "root")
    course.write_source(a, root)
    result = course.nbgrader_api(root).generate_assignment(a.id, force=True, create=True)
    assert result["success"], result["log"]
    with pytest.raises(course.UsageError, match=re.escape(message)):
        course.check_runs(a, root)


@pytest.mark.e2e  # runs the blank release in a kernel
def test_a_test_the_blank_release_passes_is_refused(tmp_path):
    """Check that a test cell that cannot fail (so gives points for no work) stops the release."""
    def edit(text):
        start = text.index('"grade_id": "q8_tests"')
        body = text.index("\n", start) + 1
        end = text.index("\n# %%", body)
        return text[:body] + '"""Check that nothing."""\nassert True\n' + text[end:]

    a = _master(tmp_path, edit)
    root = course.course_root(tmp_path / "root")
    course.write_source(a, root)
    assert course.nbgrader_api(root).generate_assignment(a.id, force=True, create=True)["success"]
    with pytest.raises(course.UsageError, match="q8_tests: the blank release passes this test"):
        course.check_runs(a, root)


# ---------------------------------------------------------------- points stated once

@pytest.mark.parametrize("a", course.all_assignments(), ids=lambda a: a.id)
def test_the_student_page_states_the_masters_points(a):
    """Check that book/<module>/assignment.md gives the master's point totals (auto, by hand, questions)."""
    auto = hand = questions = 0
    for cell in course.master_notebook(a).cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            if cell.cell_type == "markdown":
                hand += meta["points"]
            else:
                auto += meta["points"]
                questions += 1
    page = " ".join((REPO / "book" / a.module / "assignment.md").read_text(encoding="utf-8").split())
    expected = f"{auto:g} points are marked automatically ({questions} questions) and {hand:g}"
    assert expected in page, f"book/{a.module}/assignment.md should say: {expected} …"


# ---------------------------------------------------------------- due dates reach the student's page

def _due_dates_extension():
    import importlib.util

    spec = importlib.util.spec_from_file_location("due_dates", REPO / "book" / "_ext" / "due_dates.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("a", course.all_assignments(), ids=lambda a: a.id)
def test_the_student_page_shows_the_due_date_of_the_course_file(a, tmp_path):
    """The page writes its own assignment's date, which comes from the same course.toml the grader reads."""
    page = (REPO / "book" / a.module / "assignment.md").read_text(encoding="utf-8")
    key = f"due_{a.id.split('_')[0]}"
    assert f"{{{{ {key} }}}}" in page, f"book/{a.module}/assignment.md does not show {{{{ {key} }}}}"
    due_dates = _due_dates_extension()
    file = tmp_path / "course.toml"
    file.write_text(f'[due]\n{a.id} = 2027-02-05T18:00:00+01:00\n', encoding="utf-8")
    texts = due_dates.due_texts(file, [x.id for x in course.all_assignments()])
    assert texts[key] == "Friday 05 February 2027, 17:00 UTC"
    assert course.due_date(a, {"due": {a.id: "2027-02-05T18:00:00+01:00"}}).strftime("%Y-%m-%d %H:%M") == "2027-02-05 17:00"
    others = [k for k in texts if k != key]
    assert all(texts[k] == due_dates.NO_DATE for k in others)
