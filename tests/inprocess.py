"""The `autograder` command run in the test's own process, as fast as a pure function: its exit status and
what it printed, in the shape `subprocess.run` gives (for the bad-input and collecting tests)."""

from __future__ import annotations

import contextlib
import io
import subprocess

from autograder import cli


def autograder(*args: str) -> subprocess.CompletedProcess:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = cli.main(list(args))
        except SystemExit as exc:  # argparse's own errors
            status = exc.code if isinstance(exc.code, int) else 2
    return subprocess.CompletedProcess(["autograder", *args], status, out.getvalue(), err.getvalue())
