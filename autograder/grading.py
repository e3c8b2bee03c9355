"""Autograde collected submissions in parallel, sandboxed, with nbgrader keeping the gradebook.

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

The run (:class:`Run`) orchestrates: which submissions need grading, each one's sanitising, the Dask
cluster that executes them, the scoring; results are recorded through :mod:`autograder.results`.
Collecting submissions is :mod:`autograder.collecting`; where files live is :mod:`autograder.layout`.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import shutil
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import nbformat

from autograder import results
from autograder.collecting import release_cells
from autograder.course import Assignment, UsageError, base_config, set_due_date, write_source
from autograder.judge import trusted_cells
from autograder.layout import SCORED_STEP, CourseRoot
from autograder.repository import repo
from autograder.results import Result
from autograder.sandbox import Limits, check_sandbox, default_workers, execute, limits_dict

Progress = Callable[[int, int, str], None]  # (submissions done, submissions to do, the student just done)


# ---------------------------------------------------------------- nbgrader's two steps around the sandbox

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
    return _api(root, submitted=SCORED_STEP, sanitize=[],
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

    where = CourseRoot(root)
    aside = where.hand_grades_aside(a)
    kept = json.loads(aside.read_text()) if aside.exists() else {}
    with Gradebook(where.db_url) as gb:
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
        results.atomic_write(aside, json.dumps(kept))
        for student in {s.student.id for nb in assignment.notebooks for s in nb.submissions}:
            gb.remove_submission(a.id, student)
    results.forget_graded(root, a)  # everyone is graded again against the new master


def _put_hand_grades_back(a: Assignment, root: Path, student: str) -> None:
    from nbgrader.api import Gradebook, MissingEntry

    where = CourseRoot(root)
    aside = where.hand_grades_aside(a)
    if not aside.exists():
        return
    kept = json.loads(aside.read_text())
    mine = kept.pop(student, None)
    if not mine:
        return
    with Gradebook(where.db_url) as gb:
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
    results.atomic_write(aside, json.dumps(kept))


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
    where = CourseRoot(root)
    versions_file = where.versions(a)
    versions = json.loads(versions_file.read_text()) if versions_file.exists() else {}
    current = release_cells(nbformat.read(where.release(a) / a.notebook_name, as_version=4))
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
    where = CourseRoot(root)
    release = nbformat.read(where.release(a) / a.notebook_name, as_version=4)
    for student in students:
        path = where.submission(a, student)
        nb = nbformat.read(path, as_version=4)
        fixed = normalise(copy.deepcopy(nb), release)
        if fixed != nb:
            nbformat.write(fixed, path)


def _digest(*paths: Path) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()


def _failure(outcome: dict) -> str:
    text = (outcome.get("error") or outcome.get("log") or "nbgrader failed").strip().splitlines()
    errors = [line for line in text if "ERROR" in line or "Error" in line]
    return (errors or text)[-1][:200]



def grade(a: Assignment, root: Path, *, workers: int | None = None, scheduler: str | None = None,
          force: bool = False, limits: Limits | None = None, sandbox: str = "auto",
          progress: Progress | None = None, only: list[str] | None = None) -> list[Result]:
    """Autograde every submission collected for ``a``; a broken one is reported and never stops the rest.

    ``only``: re-grade these students (whatever their state) and leave everyone else's grades as they are.
    Students whose submission could not be collected stay in the results, with the reason.
    """
    check_sandbox(sandbox)
    run = Run(a, root, limits or Limits(), sandbox, workers=workers, scheduler=scheduler, progress=progress)
    return run.grade(force=force, only=only)


@dataclass
class Run:
    """One ``grade`` of one assignment: what to grade, and each submission through sanitise, execute, score."""

    a: Assignment
    root: Path
    limits: Limits
    sandbox: str  # "auto", "bwrap" or "none" (see autograder.sandbox)
    workers: int | None = None
    scheduler: str | None = None  # an existing Dask cluster's address, else a local one
    progress: Progress | None = None
    results: dict[str, Result] = field(default_factory=dict)

    @property
    def where(self) -> CourseRoot:
        return CourseRoot(self.root)

    def grade(self, *, force: bool = False, only: list[str] | None = None) -> list[Result]:
        a, root = self.a, self.root
        students = self.where.submitted_students(a)
        if not students:
            raise UsageError(f"no submissions of {a.id} collected in {self.where.step('submitted')} (use --submissions)")
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
        todo = self.to_grade(students, force=force, only=only)
        if todo:
            self.execute_and_score(todo)
        return [self.results[s] for s in sorted(self.results)]

    def key(self, student: str, master: str) -> dict:
        """What a grading depends on: a re-run grades again only when one of these changed."""
        return {"submission": _digest(self.where.submission(self.a, student)), "master": master, "limits": limits_dict(self.limits)}

    def to_grade(self, students: list[str], *, force: bool, only: list[str] | None) -> list[tuple[str, dict]]:
        """The (student, key) pairs to grade; the others' recorded results go into ``results`` as they are."""
        a, root = self.a, self.root
        master = _digest(a.master, *(self.where.source(a) / name for name in a.data))
        self.where.grading_state(a).mkdir(parents=True, exist_ok=True)
        todo = []
        for student in students:
            key = self.key(student, master)
            state = results.saved(root, a, student)
            if only and student not in only:
                if state is not None:
                    self.results[student] = results.recorded(a, root, student)
            elif not force and not only and state is not None and state.get("key") == key:
                self.results[student] = results.recorded(a, root, student)  # graded before, unchanged
            else:
                todo.append((student, key))
        for student in results.saved_students(root, a):  # could not be collected: listed until they are
            if student not in self.results and student not in students:
                self.results[student] = results.recorded(a, root, student)
        return todo

    def execute_and_score(self, todo: list[tuple[str, dict]]) -> None:
        """Sanitise each submission here, execute it on a Dask worker, score it here as its result comes back."""
        from dask.distributed import Client, LocalCluster, as_completed

        a, root = self.a, self.root
        logging.getLogger("distributed").setLevel(logging.ERROR)
        data_files = {name: (self.where.source(a) / name).read_bytes() for name in a.data}
        # The instructor's test cells and read-only cells, hidden tests included: the judge runs these, never
        # the copies in a submission.
        judge_cells = trusted_cells(nbformat.read(self.where.source(a) / a.notebook_name, as_version=4))
        sanitise_api, score_api = _sanitise_api(root), _score_api(root)
        cluster = None
        if self.scheduler:
            client = Client(self.scheduler, timeout="20s")
        else:
            cluster = LocalCluster(n_workers=self.workers or default_workers(), threads_per_worker=1, processes=True,
                                   memory_limit=0, dashboard_address=None, silence_logs=logging.ERROR,
                                   # no dashboard; the scheduler's small HTTP server on any free loopback port (not
                                   # 8787, which another cluster on the machine may hold: that would print a warning)
                                   scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})
            client = Client(cluster)
        try:
            futures, keys = [], {}
            for student, key in todo:
                outcome = sanitise_api.autograde(a.id, student, force=True, create=True)
                sanitised = self.where.autograded(a, student) / a.notebook_name
                if not outcome["success"] or not sanitised.exists():
                    self.finish(Result(student, "failed", f"could not be prepared: {_failure(outcome)}"), key)
                    continue
                payload = {"notebook": sanitised.read_text(encoding="utf-8"), "files": data_files,
                           "limits": limits_dict(self.limits), "course_root": str(root), "course_repo": str(repo()),
                           "sandbox": self.sandbox, "judge_cells": judge_cells}
                future = client.submit(execute, payload, key=f"grade-{a.id}-{student}-{key['submission'][:12]}", pure=False)
                futures.append(future)
                keys[future.key] = (student, key)
            done = 0
            for future in as_completed(futures):
                student, key = keys[future.key]
                done += 1
                if self.progress:
                    self.progress(done, len(futures), student)
                try:
                    executed = future.result()
                except Exception as exc:  # the worker itself died: the grader's failure; report, keep going
                    self.results[student] = grader_error(a, root, student, exc, "".join(traceback.format_exception(exc)))
                    continue
                if executed.get("grader_error"):
                    self.results[student] = grader_error(a, root, student, None, executed["grader_error"])
                    continue
                self.score(student, key, executed, score_api)
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    def score(self, student: str, key: dict, executed: dict, score_api) -> Result:
        """nbgrader's scoring step on the executed notebook; hand grades of an unchanged answer kept."""
        from autograder.scan import scan_notebook

        a, root = self.a, self.root
        folder = self.where.executed(a, student)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / a.notebook_name).write_text(executed["notebook"], encoding="utf-8")
        for name in ("timestamp.txt", "submission_secret.txt"):
            stamp = self.where.submitted(a, student) / name
            if stamp.exists():
                shutil.copy2(stamp, folder / name)
        state = results.saved(root, a, student)
        same = state is not None and state.get("key", {}).get("submission") == key["submission"]
        kept = _hand_graded(a, root, student) if same else set()
        outcome = score_api.autograde(a.id, student, force=True, create=True)
        if kept:
            _restore_hand_graded(a, root, student, kept)
        if outcome["success"]:
            _put_hand_grades_back(a, root, student)
        if not outcome["success"]:
            result = Result(student, "failed", f"could not be scored: {_failure(outcome)}")
        else:
            result = results.scores(a, root, student)
            result.detail = f"stopped: {executed['stopped']}" if executed["stopped"] else ""
            result.flags = scan_notebook(nbformat.read(self.where.submission(a, student), as_version=4))
        self.finish(result, key)
        return result

    def finish(self, result: Result, key: dict) -> None:
        """Record a submission as done, after its grades are in the gradebook (so a killed run resumes here)."""
        self.results[result.student] = result
        results.save(self.root, self.a, result, key)


def grader_error(a: Assignment, root: Path, student: str, exc: BaseException | None, trace: str) -> Result:
    """A bug or breakdown in the grader, not in the submission: the traceback goes to the course root's
    grader-errors.log; nothing is recorded as done, so the next run grades this submission again."""
    last = trace.strip().splitlines()[-1] if trace.strip() else type(exc).__name__
    log_file = CourseRoot(root).error_log
    with log_file.open("a", encoding="utf-8") as log:
        log.write(f"--- {datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S} UTC {a.id} {student}\n{trace.rstrip()}\n")
    return Result(student, "grader-error", f"the grader failed ({last[:150]}); traceback in {log_file}")


def _hand_graded(a: Assignment, root: Path, student: str) -> set[tuple[str, str]]:
    """The grades an instructor has finished by hand (nbgrader marks them for review again on every autograde)."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(CourseRoot(root).db_url) as gb:
        try:
            sub = gb.find_submission(a.id, student)
        except MissingEntry:
            return set()
        return {(nb.name, g.name) for nb in sub.notebooks for g in nb.grades
                if g.manual_score is not None and not g.needs_manual_grade}


def _restore_hand_graded(a: Assignment, root: Path, student: str, kept: set) -> None:
    """The same answer graded again: the instructor's grade stands and is not marked for review again."""
    from nbgrader.api import Gradebook

    with Gradebook(CourseRoot(root).db_url) as gb:
        for notebook, name in kept:
            grade = gb.find_grade(name, notebook, a.id, student)
            grade.needs_manual_grade = False
        gb.db.commit()
