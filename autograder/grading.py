"""Collect submissions and autograde them in parallel, sandboxed, with nbgrader keeping the gradebook.

nbgrader's own autograde runs each notebook in the grader's process, one after another. Here one
submission goes through three steps, and only the middle one runs student code:

1. sanitise (main process, nbgrader): outputs cleared, locked and test cells restored from the gradebook,
   missing grade cells put back;
2. execute (a Dask worker, ``autograder.sandbox``): a throwaway copy holding only the notebook and the
   assignment's data, in a sandbox, within limits; the executed notebook comes back as text;
3. score (main process, nbgrader): output limits, grades saved to the gradebook.

Steps 1 and 3 are the only ones that touch the course root, so the gradebook has one writer. Each
submission's grades are committed before the next result is read, and a small state file records what
was graded, so a run that is killed resumes where it stopped and a re-run grades only what changed.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import json
import logging
import re
import secrets
import shutil
import sys
import traceback
import warnings
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import nbformat

from autograder import sandbox
from autograder.course import Assignment, UsageError, base_config, set_due_date, write_source
from autograder.judge import trusted_cells
from autograder.repository import repo

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
# nbgrader's zip-collect naming for LMS downloads (Blackboard style):
#   <anything>_<student_id>_attempt_<timestamp>_<file name>.ipynb
LMS_NAME = r".*_(?P<student_id>[A-Za-z0-9.-]+)_attempt_(?P<timestamp>[0-9-]+)_(?P<file_id>.+\.ipynb)$"


@dataclass
class Result:
    student: str
    status: str  # "graded", or why not: "malformed", "failed", "missing", "grader-error" (not the student's doing)
    detail: str = ""
    questions: dict[str, float] = field(default_factory=dict)  # autograded grade_id -> points earned
    max_points: dict[str, float] = field(default_factory=dict)
    manual_max: float = 0.0
    flags: list[str] = field(default_factory=list)
    manual: dict[str, float | None] = field(default_factory=dict)  # written grade_id -> hand score, None until graded
    late_penalty: float = 0.0  # points nbgrader's late-submission plugin took off
    seconds_late: float = 0.0

    @property
    def score(self) -> float:
        """Autograded points only (the item analysis and the study plans read these)."""
        return sum(self.questions.values())

    @property
    def total(self) -> float:
        """Autograded plus hand-graded points, less the late penalty: what the gradebook counts."""
        return self.score + sum(v for v in self.manual.values() if v is not None) - self.late_penalty

    @property
    def to_grade_by_hand(self) -> list[str]:
        return [q for q, v in self.manual.items() if v is None]

    @property
    def max_score(self) -> float:
        return sum(self.max_points.values())


# ---------------------------------------------------------------- collect

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


def _place(a: Assignment, root: Path, student: str, nb: nbformat.NotebookNode, when: datetime | None) -> None:
    """Put one notebook in submitted/; ``when`` (nbgrader's timestamp.txt) only when the source gives a time."""
    target = root / "submitted" / student / a.id
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
    path = root / "release" / a.id / a.notebook_name
    if path.is_file():
        return path
    return a.student_dir(repo() / "notebooks") / a.notebook_name


class _Journal:
    """What a collect replaced, so that ``collect --undo`` can put it back."""

    def __init__(self, a: Assignment, root: Path):
        self.a, self.root = a, root
        self.dir = root / "collections" / a.id / datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")

    def before(self, student: str) -> None:
        old = self.root / "submitted" / student / self.a.id
        if old.is_dir():
            shutil.copytree(old, self.dir / "before" / student)
        self.dir.mkdir(parents=True, exist_ok=True)

    def close(self, placed: list[str]) -> None:
        if placed:
            (self.dir / "placed.json").write_text(json.dumps(placed))


def undo_collect(a: Assignment, root: Path) -> list[str]:
    """Undo the last collect of ``a``: submissions it replaced come back, those it added go (grades too)."""
    from nbgrader.api import Gradebook, MissingEntry

    runs = sorted(p for p in (root / "collections" / a.id).glob("*") if (p / "placed.json").is_file())
    if not runs:
        raise UsageError(f"no collect of {a.id} to undo in {root}")
    last = runs[-1]
    placed = json.loads((last / "placed.json").read_text())
    for student in placed:
        target = root / "submitted" / student / a.id
        if target.exists():
            shutil.rmtree(target)
        if (last / "before" / student).is_dir():
            shutil.copytree(last / "before" / student, target)
        else:  # nothing before: no submission, so no grade either
            (root / "grading-state" / a.id / f"{student}.json").unlink(missing_ok=True)
            if (root / "gradebook.db").is_file():
                with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
                    try:
                        gb.remove_submission(a.id, student)
                    except MissingEntry:
                        pass
            for step in ("autograded", "executed", "feedback"):
                shutil.rmtree(root / step / student / a.id, ignore_errors=True)
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
        return [s.student_id for s in got.placed], [Result(*p) for p in got.problems]
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
        _place(a, root, student, nb, datetime.fromtimestamp(mtime or 0, tz=timezone.utc))
        placed.append(student)
        if note:
            notes.append(f"{student}: {note}")
    journal.close(placed)
    versions_file = root / "collections" / a.id / "versions.json"
    versions = json.loads(versions_file.read_text()) if versions_file.exists() else {}
    for student in placed:  # what each submission says it was released as, before grading rewrites it
        path = root / "submitted" / student / a.id / a.notebook_name
        versions[student] = release_cells(nbformat.read(path, as_version=4))
    versions_file.parent.mkdir(parents=True, exist_ok=True)
    versions_file.write_text(json.dumps(versions))
    for note in notes:  # the choice among several files is the instructor's to see
        print(f"autograder: {note}", file=sys.stderr)
    state_dir = root / "grading-state" / a.id
    for r in problems:  # listed in every later table until a usable submission is collected
        if STUDENT_ID.match(r.student) and r.student not in placed:
            state_dir.mkdir(parents=True, exist_ok=True)
            _finish(state_dir, {}, r.student, {}, r)
    return placed, problems


# ---------------------------------------------------------------- grade

def _api(root: Path, *, submitted: str = "submitted", sanitize=None, score=None):
    from nbgrader.apps import NbGraderAPI

    cfg = base_config(root)
    cfg.CourseDirectory.submitted_directory = submitted
    if sanitize is not None:
        cfg.Autograde.sanitize_preprocessors = sanitize
    if score is not None:
        cfg.Autograde.autograde_preprocessors = score
    return NbGraderAPI(config=cfg)


def _sanitise_api(root: Path):
    from nbgrader.preprocessors import ClearOutput, DeduplicateIds, OverwriteCells, OverwriteKernelspec

    # nbgrader's sanitising step only; nothing is executed. nbgrader's last sanitiser, CheckCellMetadata,
    # is left out here and below: `normalise` has already given every grade cell the released notebook's
    # metadata, which nbgrader validated when it generated the release, so the check can never fail; it
    # re-checks the JSON schema for every cell of every notebook (a quarter of the main process's time under cProfile).
    return _api(root, score=[], sanitize=[ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells])


def _score_api(root: Path):
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.preprocessors import AssignLatePenalties, IgnorePattern, LimitOutput, SaveAutoGrades

    # nbgrader's grading step without Execute: the notebooks in executed/ already ran in the sandbox.
    return _api(root, submitted="executed", sanitize=[],
                score=[IgnorePattern, ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades, AssignLatePenalties])


def prepare(a: Assignment, root: Path) -> None:
    """Source and gradebook entries for ``a`` in the course root, from the current master."""
    write_source(a, root)
    generate(a, root, _api(root))
    set_due_date(a, root)


def generate(a: Assignment, root: Path, api) -> None:
    """nbgrader's generate_assignment, also when questions were added or removed after submissions.

    nbgrader refuses to change a notebook's cells once it has submissions. Then the hand grades and
    comments are set aside (``grading-state/<id>/hand-grades.aside``), the submissions leave the gradebook,
    the release is generated, and the next ``grade`` grades everyone against the new master and puts the
    hand grades of the questions that remain back."""
    result = api.generate_assignment(a.id, force=True, create=True)
    if not result["success"] and "Cannot add or remove cells" in (result.get("error") or "") + (result.get("log") or ""):
        _set_hand_grades_aside(a, root)
        result = api.generate_assignment(a.id, force=True, create=True)
    if not result["success"]:
        from autograder.course import _failure_line

        raise UsageError(f"nbgrader could not generate {a.id}: {_failure_line(result)}")


def _set_hand_grades_aside(a: Assignment, root: Path) -> None:
    from nbgrader.api import Gradebook

    state_dir = root / "grading-state" / a.id
    state_dir.mkdir(parents=True, exist_ok=True)
    aside = state_dir / "hand-grades.aside"
    kept = json.loads(aside.read_text()) if aside.exists() else {}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        assignment = gb.find_assignment(a.id)
        for nb in assignment.notebooks:
            for sub in list(nb.submissions):
                mine = kept.setdefault(sub.student.id, {})
                for g in sub.grades:
                    if g.manual_score is not None:
                        mine.setdefault(g.name, {})["score"] = g.manual_score
                for c in sub.comments:
                    if c.manual_comment:
                        mine.setdefault(c.name, {})["comment"] = c.manual_comment
        tmp = aside.with_name(aside.name + ".tmp")
        tmp.write_text(json.dumps(kept))
        tmp.replace(aside)
        for student in {s.student.id for nb in assignment.notebooks for s in nb.submissions}:
            gb.remove_submission(a.id, student)
    for state in state_dir.glob("*.json"):  # everyone is graded again against the new master
        if state.name != aside.name and json.loads(state.read_text()).get("status") == "graded":
            state.unlink()


def _put_hand_grades_back(a: Assignment, root: Path, student: str) -> None:
    from nbgrader.api import Gradebook, MissingEntry

    aside = root / "grading-state" / a.id / "hand-grades.aside"
    if not aside.exists():
        return
    kept = json.loads(aside.read_text())
    mine = kept.pop(student, None)
    if not mine:
        return
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for name, saved in mine.items():
            try:
                if "score" in saved:
                    grade = gb.find_grade(name, a.id, a.id, student)
                    grade.manual_score, grade.needs_manual_grade = saved["score"], False
                if "comment" in saved:
                    gb.find_comment(name, a.id, a.id, student).manual_comment = saved["comment"]
            except MissingEntry:  # the question was removed from the master
                continue
        gb.db.commit()
    tmp = aside.with_name(aside.name + ".tmp")
    tmp.write_text(json.dumps(kept))
    tmp.replace(aside)


def normalise(nb: nbformat.NotebookNode, release: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Undo edits to nbgrader's cell metadata before nbgrader reads the submission.

    nbgrader restores locked cells' sources itself, but fails the whole submission on some metadata edits
    (a grade flag switched off: "Inconsistent checksums"; a duplicated grade cell: KeyError). The released
    notebook's metadata is the truth: every cell whose grade_id it knows gets that metadata back, a second
    copy of a grade cell loses it (nbgrader then re-inserts a missing cell from the gradebook), and
    nbgrader metadata without a known grade_id is dropped.
    """
    truth = {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"] for c in release.cells
             if "grade_id" in c.metadata.get("nbgrader", {})}
    seen = set()
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if gid in truth and gid not in seen:
            cell.metadata["nbgrader"] = copy.deepcopy(truth[gid])
            seen.add(gid)
        else:
            cell.metadata.pop("nbgrader", None)
    return nb


def earlier_releases(a: Assignment, root: Path, students: list[str]) -> dict[str, str]:
    """Students whose submission was made on an earlier release, and what changed since (questions
    added, removed, or changed: text, tests or points)."""
    versions_file = root / "collections" / a.id / "versions.json"
    versions = json.loads(versions_file.read_text()) if versions_file.exists() else {}
    current = release_cells(nbformat.read(root / "release" / a.id / a.notebook_name, as_version=4))
    older = {}
    for student in students:
        theirs = versions.get(student)
        if theirs is None or theirs == current:
            continue
        parts = [f"{', '.join(sorted(ids))} {what}" for what, ids in (
            ("added", set(current) - set(theirs)), ("removed", set(theirs) - set(current)),
            ("changed", {k for k in set(current) & set(theirs) if current[k] != theirs[k]})) if ids]
        older[student] = "since then: " + "; ".join(parts)
    return older


def _normalise_all(a: Assignment, root: Path, students: list[str]) -> None:
    release = nbformat.read(root / "release" / a.id / a.notebook_name, as_version=4)
    for student in students:
        path = root / "submitted" / student / a.id / a.notebook_name
        nb = nbformat.read(path, as_version=4)
        fixed = normalise(copy.deepcopy(nb), release)
        if fixed != nb:
            nbformat.write(fixed, path)


def _digest(*paths: Path) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()


def scores(a: Assignment, root: Path, student: str) -> Result:
    from nbgrader.api import Gradebook

    result = Result(student, "graded")
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        submission = gb.find_submission(a.id, student)
        result.late_penalty = float(submission.late_submission_penalty or 0)
        result.seconds_late = float(submission.total_seconds_late or 0)
        for nb in submission.notebooks:
            for grade in nb.grades:
                if grade.cell.cell_type == "markdown":  # a written answer, scored by hand
                    result.manual_max += grade.max_score
                    result.manual[grade.name] = None if grade.needs_manual_grade else float(grade.score or 0)
                else:
                    result.questions[grade.name] = float(grade.auto_score or 0)
                    result.max_points[grade.name] = float(grade.max_score)
    return result


def _failure(outcome: dict) -> str:
    text = (outcome.get("error") or outcome.get("log") or "nbgrader failed").strip().splitlines()
    errors = [line for line in text if "ERROR" in line or "Error" in line]
    return (errors or text)[-1][:200]


def grade(a: Assignment, root: Path, *, workers: int | None = None, scheduler: str | None = None,
          force: bool = False, limits: sandbox.Limits | None = None, isolation: str = "auto",
          progress=None, only: list[str] | None = None) -> list[Result]:
    """Autograde every submission collected for ``a``; a broken one is reported and never stops the rest.

    ``only``: re-grade these students (whatever their state) and leave everyone else's grades as they are.
    Students whose submission could not be collected stay in the results, with the reason.
    """
    from autograder.scan import scan_notebook

    limits = limits or sandbox.Limits()
    sandbox.check_isolation(isolation)
    students = sorted(p.parent.parent.name for p in (root / "submitted").glob(f"*/{a.id}/{a.notebook_name}"))
    if not students:
        raise UsageError(f"no submissions of {a.id} collected in {root / 'submitted'} (use --submissions)")
    if only:
        unknown = sorted(set(only) - set(students))
        if unknown:
            raise UsageError(f"no submission of {a.id} collected for {', '.join(unknown)}")
    prepare(a, root)
    older = earlier_releases(a, root, students)
    for student, change in sorted(older.items()):
        print(f"autograder: {student} submitted against an earlier release of {a.id} ({change}); graded against the current master",
              file=sys.stderr)
    _normalise_all(a, root, students)
    master_digest = _digest(a.master, *(root / "source" / a.id / name for name in a.data))
    state_dir = root / "grading-state" / a.id
    state_dir.mkdir(parents=True, exist_ok=True)

    results, todo = {}, []
    for student in students:
        submitted = root / "submitted" / student / a.id / a.notebook_name
        key = {"submission": _digest(submitted), "master": master_digest, "limits": sandbox.limits_dict(limits)}
        state = state_dir / f"{student}.json"
        if only and student not in only:
            if state.exists():
                results[student] = _result_from_state(a, root, student, state)
        elif not force and not only and state.exists() and json.loads(state.read_text()).get("key") == key:
            results[student] = _result_from_state(a, root, student, state)  # graded before, unchanged
        else:
            todo.append((student, key))
    for state in sorted(state_dir.glob("*.json")):  # could not be collected: listed until they are
        if state.stem not in results and state.stem not in students:
            results[state.stem] = _result_from_state(a, root, state.stem, state)

    if todo:
        _grade_in_parallel(a, root, todo, results, state_dir, limits, isolation, workers, scheduler, progress, scan_notebook)
    return [results[s] for s in sorted(results)]


def _result_from_state(a: Assignment, root: Path, student: str, state: Path) -> Result:
    saved = json.loads(state.read_text())
    if saved["status"] == "graded" and not (root / "submitted" / student / a.id / a.notebook_name).is_file():
        return Result(student, "missing", "no submission collected (any more)")
    if saved["status"] != "graded":
        return Result(student, saved["status"], saved.get("detail", ""))
    result = scores(a, root, student)
    result.detail, result.flags = saved.get("detail", ""), saved.get("flags", [])
    return result


def _grade_in_parallel(a, root, todo, results, state_dir, limits, isolation, workers, scheduler, progress, scan_notebook):
    from dask.distributed import Client, LocalCluster, as_completed

    logging.getLogger("distributed").setLevel(logging.ERROR)
    data_files = {name: (root / "source" / a.id / name).read_bytes() for name in a.data}
    # The instructor's test cells and read-only cells, hidden tests included: the judge runs these, never
    # the copies in a submission.
    judge_cells = trusted_cells(nbformat.read(root / "source" / a.id / a.notebook_name, as_version=4))
    sanitise_api, score_api = _sanitise_api(root), _score_api(root)
    cluster = None
    if scheduler:
        client = Client(scheduler, timeout="20s")
    else:
        cluster = LocalCluster(n_workers=workers or sandbox.default_workers(), threads_per_worker=1, processes=True,
                               memory_limit=0, dashboard_address=None, silence_logs=logging.ERROR,
                               # no dashboard; the scheduler's small HTTP server on any free loopback port (not
                               # 8787, which another cluster on the machine may hold: that would print a warning)
                               scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})
        client = Client(cluster)
    try:
        futures, keys = [], {}
        for student, key in todo:
            outcome = sanitise_api.autograde(a.id, student, force=True, create=True)
            sanitised = root / "autograded" / student / a.id / a.notebook_name
            if not outcome["success"] or not sanitised.exists():
                _finish(state_dir, results, student, key, Result(student, "failed", f"could not be prepared: {_failure(outcome)}"))
                continue
            payload = {"notebook": sanitised.read_text(encoding="utf-8"), "files": data_files,
                       "limits": sandbox.limits_dict(limits), "course_root": str(root), "course_repo": str(repo()),
                       "sandbox": isolation,
                       "judge_cells": judge_cells}
            future = client.submit(sandbox.execute, payload, key=f"grade-{a.id}-{student}-{key['submission'][:12]}", pure=False)
            futures.append(future)
            keys[future.key] = (student, key)
        done = 0
        for future in as_completed(futures):
            student, key = keys[future.key]
            done += 1
            if progress:
                progress(done, len(futures), student)
            try:
                executed = future.result()
            except Exception as exc:  # the worker itself died: the grader's failure; report, keep going
                results[student] = grader_error(a, root, student, exc, "".join(traceback.format_exception(exc)))
                continue
            if executed.get("grader_error"):
                results[student] = grader_error(a, root, student, None, executed["grader_error"])
                continue
            results[student] = _score(a, root, student, key, executed, score_api, state_dir, results, scan_notebook)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _score(a, root, student, key, executed, score_api, state_dir, results, scan_notebook) -> Result:
    folder = root / "executed" / student / a.id
    folder.mkdir(parents=True, exist_ok=True)
    (folder / a.notebook_name).write_text(executed["notebook"], encoding="utf-8")
    for name in ("timestamp.txt", "submission_secret.txt"):
        stamp = root / "submitted" / student / a.id / name
        if stamp.exists():
            shutil.copy2(stamp, folder / name)
    kept = _hand_graded(a, root, student) if _same_submission(state_dir, student, key) else set()
    outcome = score_api.autograde(a.id, student, force=True, create=True)
    if kept:
        _restore_hand_graded(a, root, student, kept)
    if outcome["success"]:
        _put_hand_grades_back(a, root, student)
    if not outcome["success"]:
        result = Result(student, "failed", f"could not be scored: {_failure(outcome)}")
    else:
        result = scores(a, root, student)
        result.detail = f"stopped: {executed['stopped']}" if executed["stopped"] else ""
        submitted = nbformat.read(root / "submitted" / student / a.id / a.notebook_name, as_version=4)
        result.flags = scan_notebook(submitted)
    _finish(state_dir, results, student, key, result)
    return result


ERROR_LOG = "grader-errors.log"


def grader_error(a: Assignment, root: Path, student: str, exc: BaseException | None, trace: str) -> Result:
    """A bug or breakdown in the grader, not in the submission: the traceback goes to the course root's
    grader-errors.log; nothing is recorded as done, so the next run grades this submission again."""
    last = trace.strip().splitlines()[-1] if trace.strip() else type(exc).__name__
    with (root / ERROR_LOG).open("a", encoding="utf-8") as log:
        log.write(f"--- {datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S} UTC {a.id} {student}\n{trace.rstrip()}\n")
    return Result(student, "grader-error", f"the grader failed ({last[:150]}); traceback in {root / ERROR_LOG}")


def _same_submission(state_dir: Path, student: str, key: dict) -> bool:
    state = state_dir / f"{student}.json"
    return state.exists() and json.loads(state.read_text()).get("key", {}).get("submission") == key["submission"]


def _hand_graded(a: Assignment, root: Path, student: str) -> set[tuple[str, str]]:
    """The grades an instructor has finished by hand (nbgrader marks them for review again on every autograde)."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        try:
            sub = gb.find_submission(a.id, student)
        except MissingEntry:
            return set()
        return {(nb.name, g.name) for nb in sub.notebooks for g in nb.grades
                if g.manual_score is not None and not g.needs_manual_grade}


def _restore_hand_graded(a: Assignment, root: Path, student: str, kept: set) -> None:
    """The same answer graded again: the instructor's grade stands and is not marked for review again."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for notebook, name in kept:
            grade = gb.find_grade(name, notebook, a.id, student)
            grade.needs_manual_grade = False
        gb.db.commit()


def _finish(state_dir: Path, results: dict, student: str, key: dict, result: Result) -> None:
    """Record a submission as done, after its grades are in the gradebook (so a killed run resumes here)."""
    results[student] = result
    tmp = state_dir / f"{student}.json.tmp"
    tmp.write_text(json.dumps({"key": key, "status": result.status, "detail": result.detail, "flags": result.flags}))
    tmp.replace(state_dir / f"{student}.json")


# ---------------------------------------------------------------- report

def write_csv(a: Assignment, results: list[Result], out: Path) -> None:
    """Grades CSV: one row per student, per-question autograded points. Written whole or not at all."""
    questions = sorted({q for r in results for q in r.max_points})
    written = sorted({q for r in results for q in r.manual})  # hand-graded: blank until graded
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["student_id", "assignment", "status", "autograded_score", "autograded_max", "manual_max",
                    *questions, *written, "hours_late", "late_penalty", "total", "max_total", "flags", "detail"])
        for r in results:
            graded = r.status == "graded"
            w.writerow([
                r.student, a.id, r.status,
                f"{r.score:g}" if graded else "", f"{r.max_score:g}" if graded else "", f"{r.manual_max:g}" if graded else "",
                *[f"{r.questions[q]:g}" if q in r.questions else "" for q in questions],
                *[f"{r.manual[q]:g}" if r.manual.get(q) is not None else "" for q in written],
                f"{r.seconds_late / 3600:.1f}" if graded else "", f"{r.late_penalty:g}" if graded else "",
                f"{r.total:g}" if graded else "", f"{r.max_score + r.manual_max:g}" if graded else "",
                " ".join(r.flags), r.detail,
            ])
    tmp.replace(out)


def table(results: list[Result]) -> str:
    width = max([len("student")] + [len(r.student) for r in results])
    lines = [f"{'student':<{width}}  {'autograded':>10}  {'by hand':>8}  {'total':>8}  status"]
    for r in results:
        graded = r.status == "graded"
        score = f"{r.score:g}/{r.max_score:g}" if graded else "-"
        hand = ("to grade" if r.to_grade_by_hand else f"{sum(v or 0 for v in r.manual.values()):g}/{r.manual_max:g}") if graded and r.manual else "-"
        total = f"{r.total:g}/{r.max_score + r.manual_max:g}" if graded else "-"
        late = f"late {r.seconds_late / 3600:.1f} h" + (f", -{r.late_penalty:g}" if r.late_penalty else "") if r.seconds_late > 0 else ""
        note = (r.status + (f": {r.detail}" if r.detail else "") + (f" [{late}]" if late else "")
                + (f" [review: {', '.join(r.flags)}]" if r.flags else ""))
        lines.append(f"{r.student:<{width}}  {score:>10}  {hand:>8}  {total:>8}  {note}")
    return "\n".join(lines)
