"""Feedback a student can be given: their answers, their score per question, the visible tests' messages.

nbgrader's own feedback shows each test cell whole, hidden tests included, and full tracebacks that
quote them (nbgrader #917, #1156). Here the feedback is built from the autograded notebook with:
- test cells cut at ``### BEGIN HIDDEN TESTS``: students see the checks they could already see;
- every error reduced to its one-line message (tests' messages teach without giving the answer), never
  a traceback, since a traceback quotes the code it passed through;
- a last pass that redacts any line of a master's hidden tests or solutions that is not the student's
  own text, in case a message or output quoted one.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat

from autograder.course import Assignment, master_notebook
from autograder.grading import scores

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


def feedback_notebook(nb: nbformat.NotebookNode, points: dict[str, tuple[float | None, float]]) -> nbformat.NotebookNode:
    """A copy of the autograded notebook fit to show the student."""
    nb = nbformat.from_dict(nb)
    cells = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        gid = meta.get("grade_id")
        if cell.cell_type == "code":
            if meta.get("grade") and not meta.get("solution"):
                cell.source = HIDDEN.sub("# (further checks ran when your work was graded)\n", cell.source).rstrip()
            kept = []
            for out in cell.outputs:
                if out.output_type == "error":
                    kept.append(nbformat.v4.new_output("stream", name="stderr", text=_one_line(out) + "\n"))
                else:
                    kept.append(out)
            cell.outputs = kept
        cells.append(cell)
        if meta.get("grade") and gid in points:
            earned, maximum = points[gid]
            shown = "to be graded by your instructor" if earned is None else f"{earned:g} / {maximum:g} points"
            cells.append(nbformat.v4.new_markdown_cell(f"**Score for {gid}: {shown}**"))
    nb.cells = cells
    return nb


def render(nb: nbformat.NotebookNode, title: str, summary: str, secrets: set[str], own_text: str) -> str:
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="lab")
    exporter.exclude_input_prompt = exporter.exclude_output_prompt = True
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    body = re.sub(r"(<body[^>]*>)", lambda m: m[1] + summary, body, count=1)
    # Last pass: nothing of the master that the student did not write themselves.
    own = {line.strip() for line in own_text.splitlines()}
    for line in sorted(secrets - own, key=len, reverse=True):
        for form in {line, html.escape(line, quote=False), html.escape(line)}:
            body = body.replace(form, "[hidden]")
    return body


def write_one(a: Assignment, root: Path, student: str, secrets: set[str]) -> Path:
    autograded = root / "autograded" / student / a.id / a.notebook_name
    nb = nbformat.read(autograded, as_version=4)
    result = scores(a, root, student)
    points: dict[str, tuple[float | None, float]] = {q: (result.questions[q], result.max_points[q]) for q in result.questions}
    for cell in nb.cells:  # written answers: max known, score given by hand later
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and cell.cell_type == "markdown":
            points[meta["grade_id"]] = (None, float(meta.get("points", 0)))
    submitted = nbformat.read(root / "submitted" / student / a.id / a.notebook_name, as_version=4)
    own_text = "\n".join(c.source for c in submitted.cells if not c.metadata.get("nbgrader", {}).get("locked"))
    summary = (f"<section class='autograder-summary' style='padding:1em;font-family:sans-serif'>"
               f"<h1>{html.escape(a.title)}: feedback for {html.escape(student)}</h1>"
               f"<p>Autograded: <strong>{result.score:g} / {result.max_score:g}</strong> points. "
               f"Written answers ({result.manual_max:g} points) are graded by your instructor.</p>"
               "<p>Under each test cell you see the checks you could run yourself and the message of the first "
               "check that did not pass. Further checks ran when your work was graded; their messages tell you "
               "what to look at, never the answer.</p></section>")
    out = root / "feedback" / student / a.id / f"{a.id}.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".html.tmp")
    tmp.write_text(render(feedback_notebook(nb, points), f"{a.id} feedback", summary, secrets, own_text), encoding="utf-8")
    tmp.replace(out)
    return out


def write_all(a: Assignment, root: Path) -> list[Path]:
    """Feedback for every student whose submission was graded (not for those that failed or were malformed)."""
    import json

    secrets = secret_lines(a)
    states = sorted((root / "grading-state" / a.id).glob("*.json"))
    students = [p.stem for p in states if json.loads(p.read_text())["status"] == "graded"]
    return [write_one(a, root, s, secrets) for s in students]
