"""Autograde a folder of submissions with nbgrader and read the scores back from the gradebook."""

from __future__ import annotations

import csv
import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder.course import Assignment, UsageError, nbgrader_api, write_source

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass
class Result:
    student: str
    status: str  # "graded", or why not: "malformed", "failed", "missing"
    detail: str = ""
    questions: dict[str, float] = field(default_factory=dict)  # autograded grade_id -> points earned
    max_points: dict[str, float] = field(default_factory=dict)
    manual_max: float = 0.0

    @property
    def score(self) -> float:
        return sum(self.questions.values())

    @property
    def max_score(self) -> float:
        return sum(self.max_points.values())


def prepare(a: Assignment, root: Path) -> None:
    """Source and gradebook entries for ``a`` in the course root, from the current master."""
    write_source(a, root)
    result = nbgrader_api(root).generate_assignment(a.id, force=True, create=True)
    if not result["success"]:
        raise RuntimeError(f"nbgrader could not generate {a.id}:\n{result['error'] or result['log']}")


def find_submissions(a: Assignment, folder: Path) -> tuple[list[tuple[str, Path]], list[Result]]:
    """Submissions laid out as ``folder/<student_id>/<any name>.ipynb`` (or one level deeper in ``<id>/``).

    Returns the notebooks to grade and the students who cannot be graded, with the reason.
    """
    if not folder.is_dir():
        raise UsageError(f"no submissions folder at {folder}")
    found, problems = [], []
    for student_dir in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")):
        student = student_dir.name
        if not STUDENT_ID.match(student):
            problems.append(Result(student, "missing", "folder name is not a usable student id"))
            continue
        nested = student_dir / a.id
        notebooks = sorted((nested if nested.is_dir() else student_dir).glob("*.ipynb"))
        notebooks = [p for p in notebooks if not p.name.startswith(".")]
        exact = [p for p in notebooks if p.name == a.notebook_name]
        if exact:
            found.append((student, exact[0]))
        elif len(notebooks) == 1:  # students rename files ("a01 (1).ipynb"); one notebook is unambiguous
            found.append((student, notebooks[0]))
        elif not notebooks:
            problems.append(Result(student, "missing", "no notebook in the folder"))
        else:
            names = ", ".join(p.name for p in notebooks)
            problems.append(Result(student, "missing", f"several notebooks and none named {a.notebook_name}: {names}"))
    if not found and not problems:
        raise UsageError(f"{folder} holds no student folders (expected {folder}/<student_id>/{a.notebook_name})")
    return found, problems


def read_notebook(path: Path) -> tuple[nbformat.NotebookNode | None, str]:
    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except (json.JSONDecodeError, nbformat.ValidationError, UnicodeDecodeError, KeyError, AttributeError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return None, f"{path.name} is not a readable notebook ({reason[:120]})"
    except Exception as exc:  # nbformat raises several kinds on broken files; none may stop the batch
        return None, f"{path.name} is not a readable notebook ({type(exc).__name__})"
    return nb, ""


def scores(a: Assignment, root: Path, student: str) -> Result:
    from nbgrader.api import Gradebook

    result = Result(student, "graded")
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        submission = gb.find_submission(a.id, student)
        for nb in submission.notebooks:
            for grade in nb.grades:
                if grade.cell.cell_type == "markdown":  # a written answer, scored by hand
                    result.manual_max += grade.max_score
                else:
                    result.questions[grade.name] = float(grade.auto_score or 0)
                    result.max_points[grade.name] = float(grade.max_score)
    return result


def grade(a: Assignment, root: Path, folder: Path, progress=print) -> list[Result]:
    """Autograde every submission in ``folder``; a broken one is reported and does not stop the others."""
    found, results = find_submissions(a, folder)
    prepare(a, root)
    api = nbgrader_api(root)
    for i, (student, path) in enumerate(found, 1):
        progress(f"[{i}/{len(found)}] {student}")
        nb, problem = read_notebook(path)
        if nb is None:
            results.append(Result(student, "malformed", problem))
            continue
        target = root / "submitted" / student / a.id
        if target.exists():
            shutil.rmtree(target)
        target.mkdir(parents=True)
        nbformat.write(nb, target / a.notebook_name)
        outcome = api.autograde(a.id, student, force=True, create=True)
        if not outcome["success"]:
            last = (outcome.get("error") or outcome.get("log") or "nbgrader failed").strip().splitlines()[-1]
            results.append(Result(student, "failed", f"autograding failed: {last[:160]}"))
            continue
        results.append(scores(a, root, student))
    return sorted(results, key=lambda r: r.student)


def write_csv(a: Assignment, results: list[Result], out: Path) -> None:
    """Grades CSV: one row per student, per-question autograded points. Written whole or not at all."""
    questions = sorted({q for r in results for q in r.max_points})
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["student_id", "assignment", "status", "autograded_score", "autograded_max", "manual_max", *questions, "detail"])
        for r in results:
            graded = r.status == "graded"
            w.writerow([
                r.student, a.id, r.status,
                f"{r.score:g}" if graded else "", f"{r.max_score:g}" if graded else "", f"{r.manual_max:g}" if graded else "",
                *[f"{r.questions[q]:g}" if q in r.questions else "" for q in questions],
                r.detail,
            ])
    tmp.replace(out)


def table(results: list[Result]) -> str:
    width = max([len("student")] + [len(r.student) for r in results])
    lines = [f"{'student':<{width}}  {'autograded':>10}  status"]
    for r in results:
        score = f"{r.score:g}/{r.max_score:g}" if r.status == "graded" else "-"
        note = r.status + (f": {r.detail}" if r.detail else "")
        lines.append(f"{r.student:<{width}}  {score:>10}  {note}")
    return "\n".join(lines)
