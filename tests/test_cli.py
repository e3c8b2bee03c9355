"""Bad input to `autograder`: one clear line on stderr, exit status 2, nothing written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

AUTOGRADER = str(Path(sys.executable).parent / "autograder")


def run(*args, cwd=None):
    return subprocess.run([AUTOGRADER, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


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
def test_bad_input_is_one_line_and_exit_2(tmp_path, args, message):
    root = tmp_path / "root"
    result = run(*args, "--course-root", str(root)) if args[0] in ("release", "grade") else run(*args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert not (root / "release").exists() and not (root / "gradebook.db").exists()


def test_an_empty_submissions_folder_is_bad_input(tmp_path):
    (tmp_path / "subs").mkdir()
    result = run("grade", "a01", "--submissions", str(tmp_path / "subs"), "--course-root", str(tmp_path / "root"))
    assert result.returncode == 2 and "holds no submissions" in result.stderr


def test_help_lists_the_commands():
    result = run("--help")
    assert result.returncode == 0 and "release" in result.stdout and "grade" in result.stdout
