"""The class picture: grades export, and an HTML report with item analysis, mastery and study plans.

Item analysis follows classical test theory: a question's *difficulty* is the mean share of its points
students earned (higher = easier); its *discrimination* is the corrected item–total correlation, the
correlation of the question's score with the rest of the autograded score (a question that strong
students miss as often as weak ones, near 0 or negative, deserves a second look).
"""

from __future__ import annotations

import base64
import io
import re
from pathlib import Path
from typing import Any

import numpy as np

from autograder.course import Assignment, master_notebook
from autograder.repository import repo
from autograder.layout import CourseRoot
from autograder.results import Result, atomic_write, load

def export(root: Path, out: Path) -> int:
    """Grades of every assignment to ``out`` through nbgrader's export plugin (see :mod:`autograder.export`)."""
    from nbgrader.api import Gradebook

    from autograder.export import QuestionsExport

    with Gradebook(CourseRoot(root).db_url) as gb:
        return QuestionsExport(to=str(out)).write(gb)


def objectives(a: Assignment) -> dict[str, str]:
    """grade_id -> learning objective, from the master's cell metadata."""
    tags = {}
    for cell in master_notebook(a).cells:
        meta = cell.metadata
        if meta.get("nbgrader", {}).get("grade") and meta.get("autograder", {}).get("objective"):
            tags[meta["nbgrader"]["grade_id"]] = meta["autograder"]["objective"]
    return tags


def objective_texts(a: Assignment) -> dict[str, str]:
    """Objective -> its statement, read from the module's index page (``**M1.2** …``)."""
    index = repo() / "book" / a.module / "index.md"
    text = index.read_text(encoding="utf-8") if index.exists() else ""
    found = re.findall(r"\*\*(M\d+\.\d+)\*\*\s+(.+?)(?:\*\(Domain|\n\n)", text, re.S)
    return {key: " ".join(body.split()) for key, body in found}


def page_title(page: str, root: Path | None = None) -> str:
    """The title of a book page (``book/m01_…/01_confusion_matrix``): its first ``# `` heading.

    Front matter and code cells are skipped (a ``# `` there is a comment, not a heading); a page that
    cannot be read, or has no heading, falls back to its file name."""
    path = (root or repo()) / f"{page}.md"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return page.rsplit("/", 1)[-1]
    in_front_matter = bool(lines) and lines[0].strip() == "---"
    fence = None
    for i, line in enumerate(lines):
        stripped = line.strip()
        if in_front_matter:
            if i > 0 and stripped == "---":
                in_front_matter = False
            continue
        if fence:
            if stripped.startswith(fence):
                fence = None
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            continue
        if line.startswith("# "):
            return line[2:].strip()
    return page.rsplit("/", 1)[-1]


def item_analysis(results: list[Result]) -> dict[str, dict[str, float]]:
    graded = [r for r in results if r.status == "graded"]
    questions = sorted({q for r in graded for q in r.max_points})
    if not graded:
        return {}
    points = np.array([[r.questions.get(q, 0.0) for q in questions] for r in graded])
    maxima = np.array([graded[0].max_points[q] for q in questions])
    total = points.sum(axis=1)
    analysis = {}
    for j, q in enumerate(questions):
        rest = total - points[:, j]
        item = points[:, j]
        if item.std() == 0 or rest.std() == 0:
            disc = float("nan")  # everybody scored the same: the question cannot discriminate
        else:
            disc = float(np.corrcoef(item, rest)[0, 1])
        analysis[q] = {"difficulty": float(item.mean() / maxima[j]), "discrimination": disc}
    return analysis


def mastery(results: list[Result], tags: dict[str, str]) -> dict[str, float]:
    """Objective -> the class's mean share of the points of the questions that assess it."""
    earned: dict[str, float] = {}
    possible: dict[str, float] = {}
    for r in results:
        if r.status != "graded":
            continue
        for q, pts in r.questions.items():
            if q in tags:
                earned[tags[q]] = earned.get(tags[q], 0.0) + pts
                possible[tags[q]] = possible.get(tags[q], 0.0) + r.max_points[q]
    return {o: earned[o] / possible[o] for o in sorted(possible) if possible[o]}


def study_plan(r: Result, tags: dict[str, str], sections: dict[str, str]) -> list[tuple[str, str | None, list[str]]]:
    """For one student: (objective, book page or None, questions missed), for every objective not mastered."""
    missed: dict[str, list[str]] = {}
    for q, pts in sorted(r.questions.items()):
        if pts < r.max_points[q] and q in tags:
            missed.setdefault(tags[q], []).append(q)
    return [(o, sections.get(o), qs) for o, qs in sorted(missed.items())]


def _template(name: str = "index.html.j2"):
    """The report's Jinja2 template (``templates/report/``), every value HTML-escaped."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates" / "report"),
                             autoescape=True, undefined=jinja2.StrictUndefined)
    return env.get_template(name)


def study_step(objective: str, page: str | None, missed: list[str], text: str, link, base: str) -> str:
    """One step of a study plan: the page to re-read and, for a numeric skill, the practice with fresh variants.

    ``link(page)``: the HTML that links to the page."""
    from markupsafe import Markup

    from autograder.practice import items_for

    return str(_template("macros.html.j2").module.study_step(objective, Markup(link(page)), missed, text, items_for(objective), base))


def _figure(draw) -> str:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.4, 3.4), dpi=110)
    draw(ax)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode()


def _hand(r: Result) -> str:
    if not r.manual:
        return "no written answer"
    if r.to_grade_by_hand:
        return f"written answers to grade by hand ({', '.join(r.to_grade_by_hand)})"
    return f"{sum(v or 0 for v in r.manual.values()):g}/{r.manual_max:g} by hand"


def write_report(a: Assignment, root: Path, book_url: str | None = None) -> Path:
    from autograder.course import UsageError
    from autograder.practice import items_for

    results = load(a, root)
    graded = [r for r in results if r.status == "graded"]
    if not graded:
        raise UsageError(f"no graded submissions of {a.id} in {root}: run `autograder grade {a.id[:3]}` first")
    base = (book_url or (repo() / "_build" / "html").as_uri()).rstrip("/")
    tags, texts = objectives(a), objective_texts(a)
    items, mastered = item_analysis(results), mastery(results, tags)
    maximum = graded[0].max_score
    totals = [r.score for r in graded]

    hist = _figure(lambda ax: (ax.hist(totals, bins=np.arange(-0.5, maximum + 1.5, 1), color="#0072B2", edgecolor="white"),
                               ax.set_xlabel(f"autograded score (out of {maximum:g})"), ax.set_ylabel("students"),
                               ax.set_title("Score distribution")))
    qs = list(items)

    def draw_items(ax):
        x = np.arange(len(qs))
        ax.bar(x - 0.2, [items[q]["difficulty"] for q in qs], 0.4, label="difficulty (share of points earned)", color="#009E73")
        ax.bar(x + 0.2, [np.nan_to_num(items[q]["discrimination"]) for q in qs], 0.4, label="discrimination (item–rest r)", color="#D55E00")
        ax.set_xticks(x, qs, rotation=45, ha="right")
        ax.axhline(0, color="black", linewidth=0.8)
        ax.set_ylim(-1, 1.05)
        ax.set_title("Item analysis")
        ax.legend(fontsize=8, loc="lower left")

    def draw_mastery(ax):
        objs = list(mastered)
        ax.barh(objs, [mastered[o] for o in objs], color="#56B4E9")
        ax.set_xlim(0, 1)
        ax.set_xlabel("share of points earned by the class")
        ax.set_title("Mastery per learning objective")
        ax.invert_yaxis()

    students = []
    for r in results:
        entry: dict[str, Any] = {"student": r.student, "status": r.status, "detail": r.detail, "steps": []}
        if r.status == "graded":
            standing = f"{r.score:g}/{r.max_score:g} autograded; {_hand(r)}; total {r.total:g}/{r.max_score + r.manual_max:g}"
            if r.late_penalty:
                standing += f", late {r.seconds_late / 3600:.1f} h (-{r.late_penalty:g})"
            entry["standing"] = standing
            entry["steps"] = [{"objective": o, "page": page, "title": page_title(page) if page else "", "missed": missed,
                               "text": texts.get(o, ""), "practice": items_for(o)}
                              for o, page, missed in study_plan(r, tags, a.sections)]
        students.append(entry)
    page = _template().render(
        title=a.title, base=base, graded=len(graded), not_graded=len(results) - len(graded),
        mean=float(np.mean(totals)), median=float(np.median(totals)), maximum=maximum,
        hand_done=sum(v is not None for r in graded for v in r.manual.values()), hand_all=sum(len(r.manual) for r in graded),
        histogram=hist, item_chart=_figure(draw_items), mastery_chart=_figure(draw_mastery),
        items=[{"question": q, "difficulty": items[q]["difficulty"], "objective": tags.get(q, ""),
                "discrimination": None if np.isnan(items[q]["discrimination"]) else items[q]["discrimination"]} for q in qs],
        students=students) + "\n"
    out = CourseRoot(root).report(a)
    atomic_write(out, page)
    return out

