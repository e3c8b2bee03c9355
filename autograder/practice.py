"""Practice with fresh variants, checked at once, without the answer in the notebook.

For each learning objective with a numeric skill there is an *item*: a generator of question variants at
increasing levels (``autograder.practice_items``). A variant is drawn from a seed made of the learner's id,
the item and the attempt number, so the same variant can be regenerated and checked later.

How an answer is checked. The answer is rounded onto a grid (its tolerance step) and only salted SHA-256
hashes of the grid cells next to it are kept in the variant; the common wrong answers are stored the same way,
each with its hint. This keeps the answer out of sight: it does not make it secret. The grid is coarse (a
proportion to 2 decimals has about a hundred cells), so a determined learner can try every cell, or read
this package, and find it. Practice is for learning; nothing here is graded.

How the level moves. Two correct answers in a row move the learner up a level; two misses in a row show the
worked solution and move them down one (never below level 1). Two correct answers in a row at the top level
mark the objective as mastered: from level 1 that takes ``2 × levels`` correct answers in a row.

Progress is a small JSON file the learner owns (``~/.clinical-ai-course/practice-<learner>.json`` unless another
path is given, or set in the ``CLINICAL_AI_PRACTICE`` environment variable); it can be read, copied or deleted.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from autograder import practice_items as gen

UP_AFTER = 2     # correct answers in a row that move a learner up a level
DOWN_AFTER = 2   # misses in a row that show the worked solution and move a learner down


@dataclass(frozen=True)
class Item:
    id: str
    objectives: tuple[str, ...]   # learning objectives of the competency map (``M1.2`` …)
    title: str
    module: str                   # book/notebooks folder, e.g. m01_diagnostic_models
    page: str                     # the book page that teaches it (docname)
    generate: Callable[[random.Random, int], gen.Draft]
    levels: int
    asks: tuple[str, ...]         # what each level asks for

    @property
    def notebook(self) -> str:
        """The practice notebook's docname in the book."""
        number = self.module[1:3]
        return f"notebooks/{self.module}/practice{number}_{self.module[4:]}"


M1, M2, M3, M4, M5 = ("m01_diagnostic_models", "m02_external_validation", "m03_explainability", "m04_fairness",
                      "m05_appraisal_deployment")
ITEMS: dict[str, Item] = {i.id: i for i in [
    Item("two_by_two", ("M1.2",), "Reading a 2×2 table", M1, f"book/{M1}/01_confusion_matrix", gen.two_by_two, 4,
         ("sensitivity", "specificity", "positive likelihood ratio", "post-test probability")),
    Item("predictive_value", ("M1.3",), "Predictive values and prevalence", M1, f"book/{M1}/02_prevalence",
         gen.predictive_value, 4,
         ("PPV with the prevalence given", "a 2×2 table to build", "PPV at a new site's prevalence",
          "a threshold to choose")),
    Item("threshold", ("M1.5",), "A threshold from harms", M1, f"book/{M1}/04_thresholds", gen.threshold, 4,
         ("threshold from the harm ratio", "harm ratio from a threshold", "net benefit", "net benefit of treating all")),
    Item("calibration", ("M2.2", "M2.4"), "Calibration: O/E and updating", M2, f"book/{M2}/01_calibration",
         gen.calibration, 4,
         ("O/E from counts", "O/E from a mean risk", "risk after an intercept update",
          "risk after logistic recalibration")),
    Item("decision_curve", ("M2.6",), "Decision curves", M2, f"book/{M2}/05_decision_curves", gen.decision_curve, 4,
         ("net benefit of the model", "net benefit of treating all", "gain over the better default",
          "net interventions avoided")),
    Item("odds_ratio", ("M3.2",), "Odds ratios", M3, f"book/{M3}/02_global_explanations", gen.odds_ratio, 4,
         ("odds ratio from a coefficient", "odds ratio per 10 units", "risk from an odds ratio",
          "odds ratio from a 2×2 table")),
    Item("shap_additivity", ("M3.4",), "A SHAP waterfall adds up", M3, f"book/{M3}/03_local_explanations",
         gen.shap_additivity, 3, ("output in log-odds", "output as a risk", "the missing contribution")),
    Item("group_rates", ("M4.1", "M4.2"), "Error rates by group", M4, f"book/{M4}/01_harms_and_metrics",
         gen.group_rates, 4,
         ("false-negative rate", "false-positive rate", "difference in false-negative rates",
          "demographic parity ratio")),
    Item("alert_burden", ("M5.2", "M5.4"), "Alert burden", M5, f"book/{M5}/03_deployment", gen.alert_burden, 4,
         ("alerts a day from an alert rate", "alerts a day from accuracy", "alerts per true case",
          "cases missed in a week")),
]}


# An item serving several objectives is taught on one page; an objective taught on another page reads that one.
PAGE_OF = {"M2.4": f"book/{M2}/03_updating", "M5.2": f"book/{M5}/01_appraisal"}


def items_for(objective: str) -> list[Item]:
    """The practice items of one learning objective (empty when it has no numeric skill)."""
    return [i for i in ITEMS.values() if objective in i.objectives]


def objectives() -> list[str]:
    return sorted({o for i in ITEMS.values() for o in i.objectives}, key=lambda o: tuple(map(int, o[1:].split("."))))


# -- variants ---------------------------------------------------------------------------------------------

def seed_of(learner: str, item: str, attempt: int) -> int:
    return int(hashlib.sha256(f"{learner}\x1f{item}\x1f{attempt}".encode()).hexdigest()[:16], 16)


def _cells(value: float, tol: float) -> set[int]:
    k = round(value / tol)
    return {k - 1, k, k + 1}


def _clashes(draft: gen.Draft) -> bool:
    """Two answers too close together: a hint could fire on a right answer, or on another mistake's."""
    cells = [round(draft.answer / draft.tol)] + [round(v / draft.tol) for v, _ in draft.wrong.values()
                                                  if not math.isnan(v)]
    return any(abs(a - b) <= 2 for i, a in enumerate(cells) for b in cells[i + 1:])


def draft(item: str, seed: int, level: int) -> gen.Draft:
    """The variant's full content, answer included (for the worked solution and for tests)."""
    spec = ITEMS[item]
    if not 1 <= level <= spec.levels:
        raise ValueError(f"{item} has levels 1 to {spec.levels}, not {level}")
    for j in range(100):   # redraw (deterministically) until no wrong answer sits next to the right one
        d = spec.generate(random.Random(seed + j), level)
        if not _clashes(d):
            return d
    raise RuntimeError(f"{item} level {level}: no variant without a clash for seed {seed}")


def _hash(salt: str, cell: int) -> str:
    return hashlib.sha256(f"{salt}:{cell}".encode()).hexdigest()


@dataclass(frozen=True)
class Variant:
    """What a notebook holds about a question: its text and hashes, never the answer itself."""
    item: str
    level: int
    attempt: int
    seed: int
    question: str
    unit: str
    tol: float
    proportion: bool
    salt: str
    right: frozenset[str]
    hints: dict[str, str] = field(default_factory=dict)     # hash of a wrong cell -> hint

    def is_right(self, value: float) -> bool:
        return _hash(self.salt, round(value / self.tol)) in self.right

    def hint(self, value: float) -> str | None:
        """The hint for a known wrong answer, or None."""
        found = self.hints.get(_hash(self.salt, round(value / self.tol)))
        if found:
            return found
        if self.proportion and 1 < abs(value) <= 100 and self.is_right(value / 100):
            return "Give a proportion between 0 and 1, not a percentage (0.25, not 25)."
        return None

    def _repr_markdown_(self) -> str:
        return (f"**{ITEMS[self.item].title}**, level {self.level} of {ITEMS[self.item].levels}\n\n{self.question}\n\n"
                f"*Answer as {self.unit}.*")


def variant(learner: str, item: str, attempt: int, level: int) -> Variant:
    seed = seed_of(learner, item, attempt)
    d = draft(item, seed, level)
    salt = hashlib.sha256(f"practice\x1f{seed}\x1f{level}".encode()).hexdigest()[:16]
    right = frozenset(_hash(salt, c) for c in _cells(d.answer, d.tol))
    hints: dict[str, str] = {}
    for value, hint in d.wrong.values():
        if not math.isnan(value):
            for c in _cells(value, d.tol):
                hints.setdefault(_hash(salt, c), hint)
    return Variant(item, level, attempt, seed, d.question, d.unit, d.tol, d.proportion, salt, right, hints)


# -- progress ---------------------------------------------------------------------------------------------

def default_path(learner: str = "") -> Path:
    """``$CLINICAL_AI_PRACTICE``, or one file per learner in ``~/.clinical-ai-course/``."""
    env = os.environ.get("CLINICAL_AI_PRACTICE")
    if env:
        return Path(env)
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in learner) or "practice"
    return Path.home() / ".clinical-ai-course" / f"practice-{safe}.json"


def load_progress(path: Path | str | None = None, learner: str = "") -> dict:
    p = Path(path) if path else default_path(learner)
    if not p.exists():
        return {"learner": None, "items": {}}
    return json.loads(p.read_text(encoding="utf-8"))


def _state(progress: dict, item: str) -> dict:
    return progress["items"].setdefault(item, {"level": 1, "attempt": 0, "correct_in_a_row": 0,
                                               "missed_in_a_row": 0, "mastered": False, "history": []})


@dataclass
class Feedback:
    correct: bool
    message: str
    solution: str | None = None
    level: int = 1
    mastered: bool = False

    def _repr_markdown_(self) -> str:
        head = "✅ **Correct.**" if self.correct else "❌ **Not yet.**"
        text = f"{head} {self.message}"
        if self.solution:
            text += f"\n\n**Worked solution.** {self.solution}"
        return text


class Note(str):
    """A message shown as Markdown in a notebook (and a plain string elsewhere)."""

    def _repr_markdown_(self) -> str:
        return str(self)


class Practice:
    """A learner's practice on one module's items (or all of them), saved after every answer."""

    def __init__(self, learner: str, module: str | None = None, path: Path | str | None = None):
        if not learner or not str(learner).strip():
            raise ValueError("give your name or any id you like as the learner (it seeds your questions)")
        self.learner = str(learner).strip()
        self.path = Path(path) if path else default_path(self.learner)
        self.progress = load_progress(self.path)
        if self.progress.get("learner") not in (None, self.learner):
            raise ValueError(f"{self.path} holds the progress of another learner; give another path")
        self.progress["learner"] = self.learner
        self.items = [i.id for i in ITEMS.values() if module is None or i.module.startswith(module)]
        if not self.items:
            raise ValueError(f"no practice items for module {module!r}")
        self.current: str | None = None

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text(json.dumps(self.progress, indent=1), encoding="utf-8")
        tmp.replace(self.path)

    def next_item(self) -> str:
        """The item to practise next: the first not yet mastered, at the lowest level."""
        open_ = [i for i in self.items if not _state(self.progress, i)["mastered"]] or self.items
        return min(open_, key=lambda i: (_state(self.progress, i)["level"], self.items.index(i)))

    def question(self, item: str | None = None) -> Variant:
        self.current = item or self.current or self.next_item()
        if self.current not in ITEMS:
            raise ValueError(f"unknown item {self.current!r}; the items are {', '.join(self.items)}")
        s = _state(self.progress, self.current)
        return variant(self.learner, self.current, s["attempt"], s["level"])

    def check(self, value) -> Feedback | Note:
        if value is None or value is ...:
            return Note("Type your answer in place of `None`, then run the cell again.")
        try:
            value = float(value)
        except (TypeError, ValueError):
            return Note(f"Give a number ({self.question().unit}), not {value!r}.")
        v = self.question()
        s = _state(self.progress, v.item)
        top = ITEMS[v.item].levels
        right = v.is_right(value)
        s["history"].append({"time": time.strftime("%Y-%m-%dT%H:%M:%S"), "level": v.level, "attempt": v.attempt,
                             "correct": right})
        if right:
            s["correct_in_a_row"] += 1
            s["missed_in_a_row"] = 0
            s["attempt"] += 1
            message = "A new variant is ready."
            if s["correct_in_a_row"] >= UP_AFTER:
                s["correct_in_a_row"] = 0
                if s["level"] < top:
                    s["level"] += 1
                    message = f"Two in a row: up to level {s['level']} ({ITEMS[v.item].asks[s['level'] - 1]})."
                else:
                    s["mastered"] = True
                    self.current = None
                    message = "Two in a row at the top level: this objective is mastered."
            self._save()
            return Feedback(True, message, level=s["level"], mastered=s["mastered"])
        s["correct_in_a_row"] = 0
        s["missed_in_a_row"] += 1
        hint = v.hint(value) or f"Check how you worked it out, and answer as {v.unit}."
        solution = None
        if s["missed_in_a_row"] >= DOWN_AFTER:
            solution = draft(v.item, v.seed, v.level).solution
            s["missed_in_a_row"] = 0
            s["attempt"] += 1
            if s["level"] > 1:
                s["level"] -= 1
            hint += f" A new variant, at level {s['level']}, is ready."
        else:
            hint += " Try this one again."
        self._save()
        return Feedback(False, hint, solution, level=s["level"], mastered=s["mastered"])


# -- summaries --------------------------------------------------------------------------------------------

def summary(progress: dict) -> list[dict]:
    """One row per objective practice covers: mastered or not, level reached, where to read and practise."""
    rows = []
    for objective in objectives():
        its = items_for(objective)
        states = [progress.get("items", {}).get(i.id) for i in its]
        rows.append({
            "objective": objective,
            "items": [i.id for i in its],
            "mastered": all(s and s["mastered"] for s in states),
            "level": min((s["level"] if s else 1) for s in states),
            "answers": sum(len(s["history"]) if s else 0 for s in states),
            "read": [PAGE_OF[objective]] if objective in PAGE_OF else sorted({i.page for i in its}),
            "practise": sorted({i.notebook for i in its}),
        })
    return rows


def recommendations(progress: dict) -> str:
    """Markdown: what is mastered, and for each objective not yet mastered the page and practice to go to."""
    rows = summary(progress)
    done = [r["objective"] for r in rows if r["mastered"]]
    lines = [f"Mastered: {', '.join(done) if done else 'none yet'}."]
    for r in rows:
        if not r["mastered"]:
            read = ", ".join(f"`{p}`" for p in r["read"])
            prac = ", ".join(f"`{p}`" for p in r["practise"])
            lines.append(f"- **{r['objective']}** (level {r['level']}, {r['answers']} answers so far): "
                         f"read {read}, then practise in {prac} (items: {', '.join(r['items'])}).")
    return "\n".join(lines)
