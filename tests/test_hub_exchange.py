"""The hub path: nbgrader's own exchange with the course root, as a JupyterHub course runs it.

An instructor and two students, each a separate OS user made for the test, use nbgrader's real exchange
commands on a temporary exchange: the instructor releases (`nbgrader release_assignment` in the course
root `autograder` prepared), the students `fetch_assignment` and `submit`, the instructor `collect`s,
and `autograder grade` grades what was collected. Needs root (to create the users); skipped otherwise.
"""

from __future__ import annotations

import csv
import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat
import pytest

from autograder import course, grading
from tests.submissions import answer_cells, fill

VENV_BIN = str(Path(sys.executable).parent)
AUTOGRADER = str(Path(VENV_BIN) / "autograder")
COURSE_ID = "clinical-ai-course-kit"
TOOLS = ("useradd", "userdel", "setpriv", "unshare", "mount")

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(
    os.geteuid() != 0 or not all(shutil.which(t) for t in TOOLS),
    reason="creates OS users for the instructor and the students: needs root and " + ", ".join(TOOLS))]


def _hidden_ancestors() -> dict[str, list[str]]:
    """Folders other users cannot enter -> their children on the way to Python and to the course's venv.

    A pyenv Python under /root, or a checkout in a private folder (a home, or ``mktemp -d``), are the usual
    cases; the test then shows the users those children only, in a private mount namespace, so that they
    run the same interpreter and packages without seeing anything else of the private folder.
    """
    hidden: dict[str, list[str]] = {}
    for target in (Path(os.path.realpath(sys.executable)), Path(VENV_BIN).absolute()):
        for parent in reversed(target.parents):  # from / down
            if parent != Path("/") and not parent.stat().st_mode & stat.S_IXOTH:
                child = str(parent / target.relative_to(parent).parts[0])
                if child not in hidden.setdefault(str(parent), []):
                    hidden[str(parent)].append(child)
                break
    return hidden


class Users:
    """OS users made for one test and removed after it."""

    def __init__(self, base: Path):
        self.base, self.names = base, []
        self.hidden = _hidden_ancestors()

    def add(self, role: str) -> str:
        name = f"ag{role[:5]}{os.getpid() % 100000}"
        home = self.base / "home" / name
        subprocess.run(["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/sh", "--user-group", name],
                       check=True, capture_output=True)
        self.names.append(name)
        return name

    def home(self, name: str) -> Path:
        return Path(pwd.getpwnam(name).pw_dir)

    def run(self, name: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
        user = pwd.getpwnam(name)
        env = {"HOME": user.pw_dir, "USER": name, "LOGNAME": name, "PATH": f"{VENV_BIN}:/usr/bin:/bin", "LANG": "C.UTF-8"}
        command = ["setpriv", f"--reuid={user.pw_uid}", f"--regid={user.pw_gid}", "--init-groups", "--", *args]
        if self.hidden:  # bind each needed child aside, hide its private parent, bind the child back
            keep, steps, i = self.base / "keep", [], 0
            for needed in self.hidden.values():
                for child in needed:
                    (keep / str(i)).mkdir(parents=True, exist_ok=True)
                    steps.append(f'mount --bind "{child}" "{keep / str(i)}"')
                    i += 1
            i = 0
            for blocked, needed in self.hidden.items():
                steps.append(f'mount -t tmpfs -o mode=755 tmpfs "{blocked}"')
                for child in needed:
                    steps.append(f'mkdir -p "{child}" && mount --bind "{keep / str(i)}" "{child}"')
                    i += 1
            script = " && ".join(steps) + ' && exec "$@"'
            command = ["unshare", "--mount", "--propagation", "private", "sh", "-c", script, "sh", *command]
        return subprocess.run(command, check=False, cwd=cwd, env=env, capture_output=True, text=True, timeout=600)

    def remove(self) -> None:
        for name in self.names:
            subprocess.run(["userdel", "--force", name], check=False, capture_output=True)


@pytest.fixture
def users():
    base = Path(tempfile.mkdtemp(prefix="hub-", dir="/tmp"))
    base.chmod(0o755)
    (base / "home").mkdir(mode=0o755)
    u = Users(base)
    try:
        yield u
    finally:
        u.remove()
        shutil.rmtree(base, ignore_errors=True)


def chown_tree(path: Path, name: str) -> None:
    user = pwd.getpwnam(name)
    for p in [path, *path.rglob("*")]:
        os.chown(p, user.pw_uid, user.pw_gid)


def test_release_fetch_submit_collect_through_nbgrader_s_exchange_then_grade(users):
    a = course.find_assignment("a01")
    base = users.base
    exchange = base / "exchange"
    exchange.mkdir()
    exchange.chmod(0o777)  # nbgrader's exchange is world-writable by design (its docs, "Exchange")
    ex = f"--Exchange.root={exchange}"

    instructor = users.add("instr")
    ana, jin = users.add("stua"), users.add("stub")

    root = course.course_root(base / "course")  # the course root `autograder` keeps (nbgrader_config.py in it)
    grading.prepare(a, root)  # source/ and release/ from the master, as `autograder release` makes them
    chown_tree(root, instructor)

    released = users.run(instructor, "nbgrader", "release_assignment", a.id, ex, cwd=root)
    assert released.returncode == 0, released.stderr[-2000:]

    master = course.master_notebook(a)
    answers = {ana: answer_cells(master), jin: answer_cells(master, q5_answer="ppv_clinic = float(sens_05)  # no prevalence")}
    for student, their_answers in answers.items():
        home = users.home(student)
        fetched = users.run(student, "nbgrader", "fetch_assignment", a.id, f"--course={COURSE_ID}", ex, cwd=home)
        assert fetched.returncode == 0, fetched.stderr[-2000:]
        notebook = home / a.id / a.notebook_name
        nbformat.write(fill(nbformat.read(notebook, as_version=4), their_answers), notebook)
        chown_tree(home / a.id, student)
        submitted = users.run(student, "nbgrader", "submit", a.id, f"--course={COURSE_ID}", ex, cwd=home)
        assert submitted.returncode == 0, submitted.stderr[-2000:]

    # another student's submission cannot be read from the exchange by a student
    peek = users.run(jin, "sh", "-c", f"ls {exchange}/{COURSE_ID}/inbound/", cwd=users.home(jin))
    assert peek.returncode != 0 or ana not in peek.stdout

    collected = users.run(instructor, "nbgrader", "collect", a.id, ex, cwd=root)
    assert collected.returncode == 0, collected.stderr[-2000:]
    for student in answers:
        assert (root / "submitted" / student / a.id / a.notebook_name).is_file()
        assert (root / "submitted" / student / a.id / "timestamp.txt").is_file()

    graded = subprocess.run([AUTOGRADER, "grade", "a01", "--course-root", str(root), "--workers", "2"],
                            check=False, capture_output=True, text=True, timeout=1800)
    assert graded.returncode == 0, graded.stderr[-2000:]
    rows = {r["student_id"]: r for r in csv.DictReader((root / "grades" / f"{a.id}.csv").open())}
    assert float(rows[ana]["autograded_score"]) == 17 and float(rows[jin]["autograded_score"]) == 15
