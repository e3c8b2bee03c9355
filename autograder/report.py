"""The class picture: grades export, and an HTML report with item analysis, mastery and study plans.

Item analysis follows classical test theory: a question's *difficulty* is the mean share of its points
students earned (higher = easier); its *discrimination* is the corrected item–total correlation, the
correlation of the question's score with the rest of the autograded score (a question that strong
students miss as often as weak ones, near 0 or negative, deserves a second look).
"""

from __future__ import annotations

import base64
import csv
import html
import io
import json
import re
from pathlib import Path

import numpy as np

from autograder.course import Assignment, master_notebook
from autograder.repository import repo
from autograder.grading import Result, scores

NBGRADER_COLUMNS = ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
                    "raw_score", "late_submission_penalty", "score", "max_score"]


def export(root: Path, out: Path) -> int:
    """nbgrader's export columns, lateness in hours, then one column per question (``<assignment>:<grade_id>``).

    Written answers have their column too: the hand score once graded, blank while it still needs grading
    (nbgrader's ``score`` counts hand-graded points already, less the late penalty)."""
    from nbgrader.api import Gradebook, MissingEntry

    rows, questions = [], []
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for assignment in gb.assignments:
            names = sorted({g.name for nb in assignment.notebooks for g in nb.grade_cells if g.cell_type == "code"})
            names += sorted({g.name for nb in assignment.notebooks for g in nb.grade_cells if g.cell_type == "markdown"})
            questions += [f"{assignment.name}:{n}" for n in names]
            for student in gb.students:
                row = {"assignment": assignment.name, "duedate": assignment.duedate or "", "student_id": student.id,
                       "last_name": student.last_name or "", "first_name": student.first_name or "", "email": student.email or ""}
                try:
                    sub = gb.find_submission(assignment.name, student.id)
                except MissingEntry:
                    row.update(timestamp="", raw_score=0.0, late_submission_penalty=0.0, score=0.0, max_score=assignment.max_score)
                else:
                    row.update(timestamp=sub.timestamp or "", raw_score=sub.score, late_submission_penalty=sub.late_submission_penalty,
                               score=sub.score - sub.late_submission_penalty, max_score=sub.max_score,
                               hours_late=round(sub.total_seconds_late / 3600, 1))
                    for nb in sub.notebooks:
                        for g in nb.grades:
                            if g.cell.cell_type == "code" or not g.needs_manual_grade:
                                row[f"{assignment.name}:{g.name}"] = g.score
                rows.append(row)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    with tmp.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=NBGRADER_COLUMNS + ["hours_late"] + questions, restval="")
        w.writeheader()
        w.writerows(rows)
    tmp.replace(out)
    return len(rows)


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


def study_step(objective: str, page: str | None, missed: list[str], text: str, link, base: str) -> str:
    """One step of a study plan: the page to re-read and, for a numeric skill, the practice with fresh variants."""
    from autograder.practice import items_for

    practise = "; ".join(f'<a href="{html.escape(base)}/{html.escape(i.notebook)}.html">practice: '
                         f'{html.escape(i.title)}</a>' for i in items_for(objective))
    return (f"<li>{html.escape(objective)} {html.escape(text)}: re-read {link(page)}"
            + (f", then {practise}" if practise else "")
            + f" (missed {', '.join(html.escape(q) for q in missed)})</li>")


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


def _img(data: str, alt: str) -> str:
    return f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt)}" style="max-width:100%">'


def _load_results(a: Assignment, root: Path) -> list[Result]:
    results = []
    for state in sorted((root / "grading-state" / a.id).glob("*.json")):
        saved = json.loads(state.read_text())
        if saved["status"] == "graded" and (root / "submitted" / state.stem / a.id).is_dir():
            results.append(scores(a, root, state.stem))
        else:
            results.append(Result(state.stem, saved["status"] if saved["status"] != "graded" else "missing", saved.get("detail", "")))
    return results


def _hand(r: Result) -> str:
    if not r.manual:
        return "no written answer"
    if r.to_grade_by_hand:
        return f"written answers to grade by hand ({', '.join(r.to_grade_by_hand)})"
    return f"{sum(v or 0 for v in r.manual.values()):g}/{r.manual_max:g} by hand"


def write_report(a: Assignment, root: Path, book_url: str | None = None) -> Path:
    from autograder.course import UsageError

    results = _load_results(a, root)
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

    def link(page):
        return f'<a href="{html.escape(base)}/{html.escape(page)}.html">{html.escape(page_title(page))}</a>' if page else "the module"

    rows = "".join(
        f"<tr><td>{html.escape(q)}</td><td>{items[q]['difficulty']:.2f}</td>"
        f"<td>{'n/a' if np.isnan(items[q]['discrimination']) else format(items[q]['discrimination'], '.2f')}</td>"
        f"<td>{html.escape(tags.get(q, ''))}</td></tr>" for q in qs)
    plans = []
    for r in results:
        if r.status != "graded":
            plans.append(f"<li><strong>{html.escape(r.student)}</strong>: not graded ({html.escape(r.status)}: {html.escape(r.detail)})</li>")
            continue
        plan = study_plan(r, tags, a.sections)
        standing = f"{r.score:g}/{r.max_score:g} autograded; {_hand(r)}; total {r.total:g}/{r.max_score + r.manual_max:g}"
        if r.late_penalty:
            standing += f", late {r.seconds_late / 3600:.1f} h (-{r.late_penalty:g})"
        if not plan:
            plans.append(f"<li><strong>{html.escape(r.student)}</strong> ({standing}): every autograded objective met.</li>")
            continue
        steps = "".join(study_step(o, page, qs_, texts.get(o, ""), link, base) for o, page, qs_ in plan)
        plans.append(f"<li><strong>{html.escape(r.student)}</strong> ({standing})<ul>{steps}</ul></li>")
    mean, median = float(np.mean(totals)), float(np.median(totals))
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(a.title)}: class report</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;padding:0 1em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #999;padding:.2em .6em;text-align:left}}</style></head><body><main>
<h1>{html.escape(a.title)}: class report</h1>
<p>{len(graded)} submissions graded, {len(results) - len(graded)} not graded. Autograded score: mean {mean:.1f},
median {median:g} of {maximum:g}. Written answers graded by hand so far: {sum(v is not None for r in graded for v in r.manual.values())}
of {sum(len(r.manual) for r in graded)}; each student's total below counts them (and any late penalty).</p>
<h2>Score distribution</h2>{_img(hist, f"Histogram of autograded scores out of {maximum:g}; mean {mean:.1f}, median {median:g}.")}
<h2>Item analysis</h2>
{_img(_figure(draw_items), "Bar chart per question of difficulty (share of points earned) and discrimination (item-rest correlation).")}
<table><thead><tr><th>question</th><th>difficulty</th><th>discrimination</th><th>objective</th></tr></thead><tbody>{rows}</tbody></table>
<p>Difficulty is the share of the question's points the class earned; discrimination is the correlation of a
question's score with the rest of the autograded score (n/a when every student scored the same).</p>
<h2>Mastery per learning objective</h2>
{_img(_figure(draw_mastery), "Horizontal bars: share of points earned by the class for each learning objective.")}
<h2>Study plans</h2><ul>{''.join(plans)}</ul>
</main></body></html>
"""
    out = root / "reports" / f"{a.id}.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".html.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out)
    return out

