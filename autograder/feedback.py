"""Feedback a student can be given: their answers, their score per question, the visible tests' messages.

nbgrader's own feedback shows each test cell whole, hidden tests included, and full tracebacks that
quote them (nbgrader #917, #1156). Here nbgrader's own GenerateFeedback builds it from the autograded
notebook and the gradebook (scores, hand grades and the instructor's comments), with ``SafeFeedback`` in
its preprocessor list (configured for formgrader's Generate Feedback button too) doing:
- test cells cut at ``### BEGIN HIDDEN TESTS``: students see the checks they could already see;
- every error reduced to its one-line message (tests' messages teach without giving the answer), never
  a traceback, since a traceback quotes the code it passed through;
- a last pass that redacts any line of a master's hidden tests or solutions that is not the student's
  own text, in case a message or output quoted one.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder import results
from autograder.course import Assignment, master_notebook
from autograder.layout import CourseRoot
from autograder.results import atomic_write

HIDDEN = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS.*", re.M | re.S)
REGION = re.compile(r"### BEGIN (SOLUTION|HIDDEN TESTS)\n(.*?)### END \1", re.S)
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def secret_lines(a: Assignment, kinds=("SOLUTION", "HIDDEN TESTS")) -> set[str]:
    """Lines of the master's solutions and/or hidden tests, stripped, long enough to mean something."""
    secrets = set()
    for cell in master_notebook(a).cells:
        for kind, body in REGION.findall(cell.source):
            if kind in kinds:
                secrets |= {line.strip() for line in body.splitlines() if len(line.strip()) >= 12}
    return secrets


def _one_line(output: nbformat.NotebookNode) -> str:
    evalue = ANSI.sub("", str(output.get("evalue", ""))).strip().splitlines()
    return f"{output.get('ename', 'Error')}: {evalue[0] if evalue else ''}".rstrip(": ")


def _redact(text: str, secrets: set[str]) -> str:
    for line in sorted(secrets, key=len, reverse=True):
        text = text.replace(line, "[hidden]")
    return text


def mathjax_script() -> str:
    """MathJax 3 (SVG output, fonts included) from the installed copy the book uses: no CDN, works offline."""
    from importlib import metadata

    try:
        dist = metadata.distribution("sphinx-mathjax-offline")
    except metadata.PackageNotFoundError:
        return ""
    for f in dist.files or []:
        if str(f).endswith("static/mathjax/tex-svg.js"):
            return Path(str(dist.locate_file(f))).read_text(encoding="utf-8")
    return ""


class SafeFeedback(NbGraderPreprocessor):
    """nbgrader's GenerateFeedback step made safe to show a student (configured for formgrader's button too).

    Runs after GetGrades (scores, hand grades and comments from the gradebook are already in the cells'
    metadata): test cells cut at ``### BEGIN HIDDEN TESTS``, every error one line and no traceback, any
    line of the master's hidden tests or solutions that the student did not write redacted, a written
    answer not yet graded marked so, and MathJax handed to the template so formulas render offline.
    """

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook, MissingEntry

        from autograder.course import find_assignment

        info = resources.get("nbgrader", {})
        a = find_assignment(info["assignment"])
        own = {line.strip() for c in nb.cells if not c.metadata.get("nbgrader", {}).get("locked")
               for line in c.source.splitlines()}
        secrets = secret_lines(a) - own
        ungraded = set()
        if info.get("db_url") and info.get("student"):
            with Gradebook(info["db_url"]) as gb:
                try:
                    sub = gb.find_submission_notebook(info["notebook"], info["assignment"], info["student"])
                except MissingEntry:
                    sub = None
                ungraded = {g.name for g in sub.grades if g.needs_manual_grade} if sub else set()
        cells = []
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("locked"):
                if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution"):
                    cell.source = HIDDEN.sub("# (further checks ran when your work was graded)\n", cell.source).rstrip()
                cell.source = _redact(cell.source, secrets)
            if cell.cell_type == "code":
                kept = []
                for out in cell.outputs:
                    if out.output_type == "error":
                        out = nbformat.v4.new_output("stream", name="stderr", text=_one_line(out) + "\n")
                    if "text" in out:
                        out["text"] = _redact(out["text"], secrets)
                    for kind, value in out.get("data", {}).items():
                        if kind.startswith("text/") and isinstance(value, str):
                            out["data"][kind] = _redact(value, secrets)
                    kept.append(out)
                cell.outputs = kept
            cells.append(cell)
            if meta.get("grade") and meta.get("grade_id") in ungraded:
                cells.append(nbformat.v4.new_markdown_cell(
                    f"**{meta['grade_id']}: to be graded by your instructor** (worth {float(meta.get('points', 0)):g} points)."))
        nb.cells = cells
        resources["autograder_mathjax"] = mathjax_script()
        return nb, resources


def write_one(a: Assignment, root: Path, student: str, secrets: set[str], api=None) -> Path:
    """nbgrader's feedback for one student (hand grades and comments included), made safe, then checked."""
    import secrets as tokens

    from autograder.course import nbgrader_api

    api = api or nbgrader_api(root)
    where = CourseRoot(root)
    out = where.feedback_html(a, student)
    outcome = api.generate_feedback(a.id, student, force=True)
    if not outcome["success"] or not out.is_file():
        raise RuntimeError(f"nbgrader could not write the feedback of {student}: {(outcome.get('error') or outcome.get('log') or '').strip()[-300:]}")
    # nbgrader's release_feedback needs the submission's timestamp and secret beside the HTML.
    submitted = where.submitted(a, student)
    for name in ("timestamp.txt", "submission_secret.txt"):
        if (submitted / name).is_file() and not (out.parent / name).is_file():
            shutil.copy2(submitted / name, out.parent / name)
    if not (out.parent / "submission_secret.txt").is_file():
        (out.parent / "submission_secret.txt").write_text(tokens.token_hex(32))
    # Last pass on the page itself: nothing of the master that the student did not write themselves.
    nb = nbformat.read(submitted / a.notebook_name, as_version=4)
    own = {line.strip() for c in nb.cells if not c.metadata.get("nbgrader", {}).get("locked") for line in c.source.splitlines()}
    body = out.read_text(encoding="utf-8")
    for line in sorted(secrets - own, key=len, reverse=True):
        for form in {line, html.escape(line, quote=False), html.escape(line)}:
            body = body.replace(form, "[hidden]")
    atomic_write(out, body)
    return out


def write_all(a: Assignment, root: Path, students: list[str] | None = None) -> list[Path]:
    """Feedback for every student whose submission was graded (not for those that failed or were malformed)."""
    from autograder.course import nbgrader_api

    secrets = secret_lines(a)
    graded = results.graded_students(root, a)
    if students:
        graded = [s for s in graded if s in students]
    api = nbgrader_api(root)
    return [write_one(a, root, s, secrets, api) for s in graded]
