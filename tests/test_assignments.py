"""Assignments from master to released notebook: generated files are current, stubs fail, nothing leaks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder import course
from tests.leaks import find_leaks, secret_lines
from tests.repo import REPO

ASSIGNMENTS = course.all_assignments()
IDS = [a.id for a in ASSIGNMENTS]


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    """Every assignment released afresh into a scratch course root and a scratch notebooks/ folder."""
    root = tmp_path_factory.mktemp("course")
    notebooks = tmp_path_factory.mktemp("notebooks")
    for a in ASSIGNMENTS:
        course.release(a, root, notebooks)
    return root, notebooks


def test_there_is_an_assignment_for_every_module_notebooks_folder():
    assert IDS, "no masters found in instructors/assignments/"
    for a in ASSIGNMENTS:
        assert (REPO / "notebooks" / a.module).is_dir(), f"{a.id}: module folder notebooks/{a.module} is missing"


@pytest.mark.e2e  # nbgrader generates every assignment
@pytest.mark.parametrize("aid", IDS)
def test_committed_release_equals_a_fresh_generation(fresh, aid):
    """Check that notebooks/ holds exactly what `autograder release` makes from the current master."""
    a = course.find_assignment(aid)
    committed, generated = a.student_dir(REPO / "notebooks"), a.student_dir(fresh[1])
    names = sorted(p.name for p in generated.iterdir())
    assert sorted(p.name for p in committed.iterdir()) == names, f"{committed} differs in files: run `make notebooks`"
    for name in names:
        assert (committed / name).read_bytes() == (generated / name).read_bytes(), (
            f"{committed / name} is stale: run `make notebooks` (never edit it by hand)"
        )


@pytest.mark.e2e  # nbgrader runs the notebook in a kernel
@pytest.mark.parametrize("aid", IDS)
def test_released_notebook_runs_and_fails_every_test(aid):
    """nbgrader validate --invert: the untouched stubs pass none of the tests."""
    a = course.find_assignment(aid)
    nb = a.student_dir(REPO / "notebooks") / a.notebook_name
    run = subprocess.run(
        [str(Path(sys.executable).parent / "nbgrader"), "validate", "--invert", str(nb)],
        capture_output=True, text=True, cwd=nb.parent, timeout=300,
    )
    assert "Success! The notebook does not pass any tests." in run.stdout, run.stdout[-2000:] + run.stderr[-2000:]


@pytest.mark.parametrize("aid", IDS)
def test_released_notebook_carries_its_data(aid):
    a = course.find_assignment(aid)
    folder = a.student_dir(REPO / "notebooks")
    for name in a.data:
        assert (folder / name).read_bytes() == (REPO / "datasets" / name).read_bytes(), f"{folder / name} differs from datasets/"


@pytest.mark.parametrize("aid", IDS)
def test_master_has_visible_and_hidden_tests_and_a_written_answer(aid):
    a = course.find_assignment(aid)
    nb = course.master_notebook(a)
    graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
    auto = [c for c in graded if c.cell_type == "code"]
    manual = [c for c in graded if c.cell_type == "markdown"]
    assert len(auto) >= 6, f"{aid}: {len(auto)} autograded questions, at least 6 wanted"
    assert manual, f"{aid}: no manually graded written answer"
    for c in auto:
        gid = c.metadata["nbgrader"]["grade_id"]
        assert c.source.startswith('"""Check'), f"{aid}/{gid}: a test cell starts with a one-line \"\"\"Check that ...\"\"\""
        assert "### BEGIN HIDDEN TESTS" in c.source, f"{aid}/{gid}: no hidden tests"
        visible = c.source.split("### BEGIN HIDDEN TESTS")[0]
        assert "assert" in visible, f"{aid}/{gid}: no visible test for students to check themselves"
        assert c.metadata.get("autograder", {}).get("objective"), f"{aid}/{gid}: no learning objective tag"
    rubric = REPO / "instructors" / "rubrics" / f"{aid}.md"
    assert rubric.is_file(), f"{aid}: rubric {rubric.relative_to(REPO)} missing"
    for c in manual:
        assert c.metadata["nbgrader"]["grade_id"] in rubric.read_text(), f"{aid}: rubric does not name {c.metadata['nbgrader']['grade_id']}"


def test_no_solution_or_hidden_test_line_in_anything_students_get():
    """Check the masters' actual solution and hidden-test lines, not only the markers, against notebooks/."""
    secrets = secret_lines(REPO)
    assert secrets, "no secret lines found in the masters: the leak scan would prove nothing"
    student_files = [p for p in (REPO / "notebooks").rglob("*") if p.is_file()]
    assert find_leaks(student_files, secrets) == []


@pytest.mark.e2e  # a kernel runs the notebook's own helper cell
@pytest.mark.parametrize("aid", IDS)
def test_a_number_typed_with_a_percent_sign_gets_a_one_line_hint(aid, tmp_path):
    """``ppv = 31%`` does not parse, so no check cell can see it: the released notebook's helper cell makes the
    kernel say how to type it, above Python's own message; other syntax errors get Python's message only."""
    from nbclient import NotebookClient

    a = course.find_assignment(aid)
    release = nbformat.read(a.student_dir(REPO / "notebooks") / a.notebook_name, as_version=4)
    helpers = next(c for c in release.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "check_helpers")
    cells = ["import numpy as np", helpers.source, "ppv_clinic = 31%", "ppv_clinic = 31 % # a percent", "counts = (1, 2"]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(tmp_path)}}).execute()

    def said(cell):
        text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        errors = [o.ename for o in cell.outputs if o.output_type == "error"]
        return text.strip(), errors

    hint = "Type a percentage as a proportion, without the % sign: 0.31 for 31%."
    assert said(nb.cells[2]) == (hint, ["SyntaxError"])
    assert said(nb.cells[3]) == (hint, ["SyntaxError"])
    assert said(nb.cells[4]) == ("", ["SyntaxError"])
