"""Bad input to `autograder`: one clear line on stderr, exit status 2, nothing written."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.cli import main
from tests.repo import REPO

AUTOGRADER = str(Path(sys.executable).parent / "autograder")


def run(capsys, *args) -> tuple[int, str, str]:
    """`autograder ARGS` in this process: (exit status, stdout, stderr)."""
    try:
        status = main(list(args))
    except SystemExit as exc:  # argparse: --help, or a usage error
        status = exc.code
    out = capsys.readouterr()
    return status, out.out, out.err


@pytest.mark.parametrize(
    "args, message",
    [
        (["release", "a99"], "unknown assignment 'a99'; the assignments are: a01_diagnostic_models"),
        (["grade", "a99", "--submissions", "."], "unknown assignment 'a99'"),
        (["grade", "a01", "--submissions", "/nonexistent/folder"], "no submissions folder at /nonexistent/folder"),
        (["release"], "name one assignment, or use --all"),
        (["frobnicate"], "invalid choice"),
        (["grade", "a01"], "no submissions of a01_diagnostic_models collected"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, args, message):
    root = tmp_path / "root"
    status, _, stderr = run(capsys, *args, "--course-root", str(root)) if args[0] in ("release", "grade") else run(capsys, *args)
    assert status == 2
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], stderr
    assert not (root / "release").exists() and not (root / "gradebook.db").exists()


def test_an_empty_submissions_folder_is_bad_input(tmp_path, capsys):
    (tmp_path / "subs").mkdir()
    status, _, stderr = run(capsys, "grade", "a01", "--submissions", str(tmp_path / "subs"), "--course-root", str(tmp_path / "root"))
    assert status == 2 and "holds no submissions" in stderr


def test_help_lists_the_commands(capsys):
    status, stdout, _ = run(capsys, "--help")
    assert status == 0 and "release" in stdout and "grade" in stdout


def test_a_folder_that_is_no_course_repository_is_bad_input(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("AUTOGRADER_COURSE_REPO", raising=False)
    status, _, stderr = run(capsys, "release", "a01", "--course-root", str(tmp_path / "root"))
    assert status == 2 and "no course repository at or above" in stderr and "--course-repo" in stderr, stderr
    status, _, stderr = run(capsys, "release", "a01", "--course-repo", str(tmp_path))
    assert status == 2 and "has no instructors/assignments/ folder" in stderr, stderr
    assert not (tmp_path / "root").exists() and not (tmp_path / "course").exists()


def test_the_course_repository_can_be_named_from_anywhere(tmp_path, capsys, monkeypatch):
    repo = Path(__file__).resolve().parent.parent
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AUTOGRADER_COURSE_REPO", str(repo))
    status, _, stderr = run(capsys, "release", "a99", "--course-root", str(tmp_path / "root"))
    assert status == 2 and "unknown assignment 'a99'; the assignments are: a01_" in stderr, stderr


# ---------------------------------------------------------------- safe by default without a sandbox

VENV_BIN = str(Path(sys.executable).parent)  # on PATH for nbgrader's own tools; bwrap is not in it


def _one_submission(tmp_path) -> Path:
    import nbformat

    from autograder import course
    from tests.submissions import answer_cells, fill

    a = course.find_assignment("a01")
    release = nbformat.read(a.student_dir(REPO / "notebooks") / a.notebook_name, as_version=4)
    (tmp_path / "subs" / "perfect").mkdir(parents=True)
    nbformat.write(fill(release, answer_cells(course.master_notebook(a))), tmp_path / "subs" / "perfect" / a.notebook_name)
    return tmp_path / "subs"


def test_without_bubblewrap_grading_refuses_in_one_line(tmp_path, capsys, monkeypatch):
    subs = _one_submission(tmp_path)
    root = tmp_path / "root"
    monkeypatch.setenv("PATH", VENV_BIN)  # no bwrap on it
    for extra in ([], ["--sandbox", "bwrap"]):
        status, _, stderr = run(capsys, "grade", "a01", "--submissions", str(subs), "--course-root", str(root), *extra)
        assert status == 2
        lines = stderr.strip().splitlines()
        assert len(lines) == 1, stderr
        assert "bubblewrap is not installed" in lines[0] and "apt-get install bubblewrap" in lines[0] and "--sandbox none" in lines[0]
        assert not (root / "submitted").exists() and not (root / "gradebook.db").exists()


# Runs `autograder grade` as a child subreaper: whatever the run leaves behind is re-parented to this script
# instead of init, so it shows among its children once the run has ended.
_LEFTOVERS = r"""
import ctypes, json, os, signal, subprocess, sys, time
import psutil
ctypes.CDLL(None).prctl(36, 1)  # PR_SET_CHILD_SUBREAPER
cmd, env, kill = json.loads(sys.argv[1]), json.loads(sys.argv[2]), sys.argv[3] == "kill"
p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
if kill:  # the instructor's laptop dies while a kernel is running
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and not any("ipykernel" in " ".join(c.cmdline()) for c in psutil.Process().children(recursive=True)
                                                  if c.is_running() and c.status() != psutil.STATUS_ZOMBIE):
        time.sleep(0.2)
    os.killpg(p.pid, signal.SIGKILL)
out, err = p.communicate(timeout=900)
time.sleep(3)
left = [c for c in psutil.Process().children(recursive=True) if c.is_running() and c.status() != psutil.STATUS_ZOMBIE]
print(json.dumps({"rc": p.returncode, "stdout": out, "stderr": err, "left": [" ".join(c.cmdline()[:4]) for c in left]}))
"""
MODES = ["none", pytest.param("bwrap", marks=pytest.mark.skipif(not __import__("shutil").which("bwrap"), reason="bubblewrap is not installed"))]


def _run_and_look_for_leftovers(tmp_path, mode, how):
    import json
    import os

    subs = _one_submission(tmp_path)
    cmd = [AUTOGRADER, "grade", "a01", "--submissions", str(subs), "--course-root", str(tmp_path / "root"), "--workers", "1",
           "--sandbox", mode]
    env = {"PATH": VENV_BIN, "HOME": str(tmp_path), "PYTHONPATH": str(REPO)}
    if mode == "bwrap":
        env = dict(os.environ, PATH=VENV_BIN + ":" + os.environ.get("PATH", ""), PYTHONPATH=str(REPO))
    out = subprocess.run([sys.executable, "-c", _LEFTOVERS, json.dumps(cmd), json.dumps(env), how],
                         capture_output=True, text=True, timeout=1000)
    return json.loads(out.stdout)


@pytest.mark.e2e
@pytest.mark.parametrize("mode", MODES)
def test_a_killed_grading_run_leaves_no_kernel_behind(tmp_path, mode):
    report = _run_and_look_for_leftovers(tmp_path, mode, "kill")
    assert report["rc"] == -9
    assert report["left"] == [], f"processes left running: {report['left']}"


@pytest.mark.e2e
@pytest.mark.parametrize("mode", MODES)
def test_grading_ends_every_process_it_started(tmp_path, mode):
    report = _run_and_look_for_leftovers(tmp_path, mode, "wait")
    assert report["rc"] == 0, report["stderr"][-2000:]
    assert re.search(r"perfect\s+(\d+)/\1\s", report["stdout"]), report["stdout"]
    assert report["left"] == [], f"processes left running: {report['left']}"
    warnings = [line for line in report["stderr"].splitlines() if "warning" in line.lower()]
    if mode == "none":  # said once, as one line of its own, not as a Python warning with a file and line
        assert len(warnings) == 1 and warnings[0].startswith("autograder: warning: --sandbox none"), report["stderr"]
    else:
        assert warnings == [], report["stderr"]
