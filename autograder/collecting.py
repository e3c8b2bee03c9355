"""Collect submissions into the course root's ``submitted/``: from a folder, a zip or an LMS download.

One notebook per student is placed, the way nbgrader's ``submit`` leaves it (``timestamp.txt``,
``submission_secret.txt``): of several files of one student, the newest that is this assignment (see
:func:`newest`); a file whose cells do not match the release is refused. Each collect keeps a journal of
what it replaced (``collections/<assignment>/<time>/``) so that ``collect --undo`` puts it back. Students
whose submission could not be collected get a state file (:mod:`autograder.results`) so that they stay
listed until a usable submission is collected.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import sys
import warnings
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from typing import cast

import nbformat

from autograder import results
from autograder.course import Assignment, UsageError
from autograder.layout import CourseRoot
from autograder.repository import repo
from autograder.results import Result, Status

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
# nbgrader's zip-collect naming for LMS downloads (Blackboard style):
#   <anything>_<student_id>_attempt_<timestamp>_<file name>.ipynb
LMS_NAME = r".*_(?P<student_id>[A-Za-z0-9.-]+)_attempt_(?P<timestamp>[0-9-]+)_(?P<file_id>.+\.ipynb)$"


def read_notebook(path: Path | None, text: bytes | None = None) -> tuple[nbformat.NotebookNode | None, str]:
    name = path.name if path else "notebook"
    try:
        raw = text if text is not None else Path(name if path is None else path).read_bytes()
        with warnings.catch_warnings():  # duplicate cell ids and the like are repaired, not reported
            warnings.simplefilter("ignore")
            nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
            nbformat.validate(nb)
    except Exception as exc:  # nbformat raises many kinds on broken files; none may stop the batch
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return None, f"{name} is not a readable notebook ({type(exc).__name__}: {reason[:100]})"
    return nb, ""


def place(a: Assignment, root: Path, student: str, nb: nbformat.NotebookNode, when: datetime | None) -> None:
    """Put one notebook in submitted/; ``when`` (nbgrader's timestamp.txt) only when the source gives a time."""
    target = CourseRoot(root).submitted(a, student)
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    nbformat.write(nb, target / a.notebook_name)
    if when is not None:
        (target / "timestamp.txt").write_text(when.strftime("%Y-%m-%d %H:%M:%S.%f %Z").strip())
    # what nbgrader's submit would have left: release_feedback needs it beside the feedback
    (target / "submission_secret.txt").write_text(secrets.token_hex(64))


def newest(attempts: list[tuple[str, float]]) -> tuple[int, str]:
    """The rule for several submissions of one student: the newest counts, and the choice is reported.

    ``attempts``: (name, time) pairs (a file's modification time, or the timestamp in an LMS file name, as
    seconds since the epoch). Returns the index of the one to grade and a note naming it and what was set
    aside ("" when there is only one). Equal times: the last in name order (``a01 (2)`` after ``a01 (1)``).
    """
    order = sorted(range(len(attempts)), key=lambda i: (attempts[i][1], attempts[i][0]))
    chosen = order[-1]
    if len(attempts) == 1:
        return chosen, ""
    others = ", ".join(attempts[i][0] for i in order[:-1])
    when = datetime.fromtimestamp(attempts[chosen][1], tz=timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return chosen, f"{len(attempts)} submissions: graded the newest, {attempts[chosen][0]} ({when}); set aside {others}"


def release_cells(nb: nbformat.NotebookNode) -> dict[str, str]:
    """grade_id -> nbgrader's checksum of every locked or graded cell: what a notebook says it was released as."""
    return {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"].get("checksum", "") for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade_id") and c.metadata["nbgrader"].get("checksum")}


def matches_release(nb: nbformat.NotebookNode, release: dict[str, str]) -> bool:
    """Whether a submission is this assignment: at least half of the release's checked cells, unchanged ids and checksums.

    A notebook of another assignment or another course shares no (id, checksum) pair with the release; a
    submission made against an earlier release of the same assignment shares most of them."""
    mine = release_cells(nb)
    return bool(release) and sum(mine.get(k) == v for k, v in release.items()) * 2 >= len(release)


def _from_folder(a: Assignment, folder: Path):
    """Yield (student, source name, bytes or None, mtime, problem) from ``folder/<student_id>/…ipynb``.

    Students rename files and resubmit (``a01 (1).ipynb``): every notebook in the folder is a candidate, and
    ``collect`` keeps the newest that is this assignment."""
    for student_dir in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        nested = student_dir / a.id
        notebooks = [p for p in sorted((nested if nested.is_dir() else student_dir).glob("*.ipynb")) if not p.name.startswith(".")]
        if not notebooks:
            yield student_dir.name, student_dir.name, None, 0, "no notebook in the folder"
        for path in notebooks:
            yield student_dir.name, str(path.relative_to(folder)), path.read_bytes(), path.stat().st_mtime, ""


def _from_zip(a: Assignment, archive: Path, pattern: str):
    regex = re.compile(pattern)
    with zipfile.ZipFile(archive) as zf:
        for info in sorted(zf.infolist(), key=lambda i: i.filename):
            name = info.filename.rsplit("/", 1)[-1]
            if info.is_dir() or not name.endswith(".ipynb"):
                continue
            m = regex.match(name)
            if not m:
                yield None, info.filename, None, 0, "file name does not match the LMS naming pattern"
                continue
            # the newest attempt wins by the time in its name (as nbgrader's zip collect does), else by the zip's own
            stamp = m.groupdict().get("timestamp")
            when = _parse_stamp(stamp) if stamp else datetime(*info.date_time)
            yield m["student_id"], info.filename, zf.read(info), when.timestamp(), ""


def _parse_stamp(stamp: str) -> datetime:
    digits = [int(d) for d in re.findall(r"\d+", stamp)]
    if len(digits) < 3:
        raise UsageError(f"cannot read the time {stamp!r} in a submission's name")
    try:
        return datetime(*digits[:6])  # type: ignore[arg-type]  # year, month, day[, hour, minute, second]
    except (TypeError, ValueError):
        raise UsageError(f"cannot read the time {stamp!r} in a submission's name") from None


def _released_notebook(a: Assignment, root: Path) -> Path:
    path = CourseRoot(root).release(a) / a.notebook_name
    if path.is_file():
        return path
    return a.student_dir(repo() / "notebooks") / a.notebook_name


class _Journal:
    """What a collect replaced, so that ``collect --undo`` can put it back."""

    def __init__(self, a: Assignment, root: Path):
        self.a, self.root = a, CourseRoot(root)
        self.dir = self.root.collections(a) / datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")

    def before(self, student: str) -> None:
        old = self.root.submitted(self.a, student)
        if old.is_dir():
            shutil.copytree(old, self.dir / "before" / student)
        self.dir.mkdir(parents=True, exist_ok=True)

    def close(self, placed: list[str]) -> None:
        if placed:
            (self.dir / "placed.json").write_text(json.dumps(placed))


def undo_collect(a: Assignment, root: Path) -> list[str]:
    """Undo the last collect of ``a``: submissions it replaced come back, those it added go (grades too)."""
    from nbgrader.api import Gradebook, MissingEntry

    where = CourseRoot(root)
    runs = sorted(p for p in where.collections(a).glob("*") if (p / "placed.json").is_file())
    if not runs:
        raise UsageError(f"no collect of {a.id} to undo in {root}")
    last = runs[-1]
    placed = json.loads((last / "placed.json").read_text())
    for student in placed:
        target = where.submitted(a, student)
        if target.exists():
            shutil.rmtree(target)
        if (last / "before" / student).is_dir():
            shutil.copytree(last / "before" / student, target)
        else:  # nothing before: no submission, so no grade either
            results.forget(root, a, student)
            if where.gradebook.is_file():
                with Gradebook(where.db_url) as gb:
                    try:
                        gb.remove_submission(a.id, student)
                    except MissingEntry:
                        pass
            for step in where.student_steps(a, student):
                shutil.rmtree(step, ignore_errors=True)
    shutil.rmtree(last)
    return placed


def collect(a: Assignment, root: Path, source: Path, pattern: str | None = None, lms: str | None = None,
            roster: Path | None = None) -> tuple[list[str], list[Result]]:
    """Copy submissions into the course root's ``submitted/``. Returns the students placed and the problems.

    An LMS download (Canvas, Moodle, Blackboard; a zip or its folder) goes through ``autograder.lms``;
    ``pattern`` (a regex naming ``student_id`` and ``timestamp``) names students in other zips.
    Several files of one student: the newest that is this assignment counts (see :func:`newest`); a file
    whose cells do not match the release is refused. What a collect replaced is kept for ``--undo``."""
    from autograder import lms as lms_module

    if not source.exists():
        raise UsageError(f"no submissions at {source}")
    if source.is_file() and not zipfile.is_zipfile(source):
        raise UsageError(f"{source} is neither a folder nor a zip file")
    if lms_module.is_download(source, pattern, lms, roster):
        got = lms_module.collect(a, root, source, lms, roster)
        return [s.student_id for s in got.placed], [Result(student, cast(Status, status), detail) for student, status, detail in got.problems]
    entries = list(_from_zip(a, source, pattern or LMS_NAME) if source.is_file() else _from_folder(a, source))
    if not entries:
        raise UsageError(f"{source} holds no submissions (expected <student_id>/{a.notebook_name} or an LMS zip)")
    release = release_cells(nbformat.read(_released_notebook(a, root), as_version=4))
    placed: list[str] = []
    problems: list[Result] = []
    notes: list[str] = []
    candidates: dict[str, list] = {}
    for student, origin, data, mtime, problem in entries:
        if student is None or not STUDENT_ID.match(student):
            problems.append(Result(student or origin, "missing", problem or f"{origin}: not a usable student id"))
            continue
        if problem:
            problems.append(Result(student, "missing", problem))
            continue
        nb, problem = read_notebook(Path(origin), data)
        if nb is None:
            candidates.setdefault(student, []).append((origin, mtime, None, problem))
        elif not matches_release(nb, release):
            candidates.setdefault(student, []).append(
                (origin, mtime, None, f"{origin} is not {a.id}: its cells do not match the release (another assignment or course?)"))
        else:
            candidates.setdefault(student, []).append((origin, mtime, nb, ""))
    journal = _Journal(a, root)
    for student, found in candidates.items():
        usable = [c for c in found if c[2] is not None]
        if not usable:  # every file refused: the newest one's reason
            reason = found[newest([(c[0], c[1]) for c in found])[0]][3]
            problems.append(Result(student, "refused" if "do not match the release" in reason else "malformed", reason))
            continue
        index, note = newest([(c[0], c[1]) for c in usable])
        origin, mtime, nb, _ = usable[index]
        journal.before(student)
        place(a, root, student, nb, datetime.fromtimestamp(mtime or 0, tz=timezone.utc))
        placed.append(student)
        if note:
            notes.append(f"{student}: {note}")
    journal.close(placed)
    versions_file = CourseRoot(root).versions(a)
    versions = json.loads(versions_file.read_text()) if versions_file.exists() else {}
    for student in placed:  # what each submission says it was released as, before grading rewrites it
        path = CourseRoot(root).submission(a, student)
        versions[student] = release_cells(nbformat.read(path, as_version=4))
    results.atomic_write(versions_file, json.dumps(versions))
    for note in notes:  # the choice among several files is the instructor's to see
        print(f"autograder: {note}", file=sys.stderr)
    for r in problems:  # listed in every later table until a usable submission is collected
        if STUDENT_ID.match(r.student) and r.student not in placed:
            results.save(root, a, r, {})
    return placed, problems
