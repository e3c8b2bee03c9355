"""Practice with fresh variants (autograder/practice.py): every generator, the hashed check, the levels.

Each variant's answer is recomputed here from the question as the learner reads it (its numbers parsed from
the text), with scikit-learn, dcurves or the hand formula, never with the generator's own code.
"""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pandas as pd
import pytest
from dcurves import dca
from scipy.special import expit, logit
from sklearn.metrics import confusion_matrix, precision_score, recall_score

from autograder import practice as P
from tests.repo import REPO

SEEDS = range(25)
CASES = [(i.id, level) for i in P.ITEMS.values() for level in range(1, i.levels + 1)]


def numbers(text: str) -> list[float]:
    """The numbers of a question, in order; percentages as proportions, '2×2' and thousands commas handled."""
    text = text.replace("2×2", "").replace(",000", "000")
    found = []
    for m in re.finditer(r"(?<![\w.])([+\-−]?\d+(?:\.\d+)?)(%?)", text):
        v = float(m.group(1).replace("−", "-"))
        found.append(v / 100 if m.group(2) else v)
    return found


def labels(tp, fn, fp, tn):
    y = np.r_[np.ones(tp + fn), np.zeros(fp + tn)].astype(int)
    pred = np.r_[np.ones(tp), np.zeros(fn), np.ones(fp), np.zeros(tn)].astype(int)
    return y, pred


def net_benefit(tp, fp, n, t, prevalence_sick=None):
    """Net benefit with dcurves, from a cohort of n patients built from the counts (a 0/1 'risk')."""
    sick = prevalence_sick if prevalence_sick is not None else tp
    y = np.r_[np.ones(sick), np.zeros(n - sick)]
    risk = np.r_[np.ones(tp), np.zeros(sick - tp), np.ones(fp), np.zeros(n - sick - fp)]
    out = dca(data=pd.DataFrame({"y": y, "m": risk}), outcome="y", modelnames=["m"], thresholds=[t])
    return out.set_index("model")["net_benefit"]


def ppv(se, sp, p):
    return se * p / (se * p + (1 - sp) * (1 - p))


def recompute(item: str, level: int, q: str) -> float:
    x = numbers(q)
    if item == "two_by_two":
        sick, tp, fn, well, fp, tn = (int(v) for v in x[:6])
        assert sick == tp + fn and well == fp + tn
        y, pred = labels(tp, fn, fp, tn)
        sens, spec = recall_score(y, pred), recall_score(y, pred, pos_label=0)
        if level == 1:
            return sens
        if level == 2:
            tn_, fp_, fn_, tp_ = confusion_matrix(y, pred).ravel()
            return tn_ / (tn_ + fp_)
        if level == 3:
            return sens / (1 - spec)
        pre = x[6]
        odds = pre / (1 - pre) * sens / (1 - spec)
        return odds / (1 + odds)
    if item == "predictive_value":
        if level == 1:
            sens, spec, prev = x[:3]
            n = 100_000                       # a large cohort: sklearn's precision on it is the PPV
            sick = round(n * prev)
            y, pred = labels(round(sick * sens), sick - round(sick * sens), round((n - sick) * (1 - spec)),
                             n - sick - round((n - sick) * (1 - spec)))
            return precision_score(y, pred)
        if level == 2:
            n, sick, sens, spec = x[:4]
            return math.floor(round((n - sick) * (1 - spec), 9) + 0.5)   # a count, halves rounded up
        if level == 3:
            prev, _, sens, spec, new = x[:5]
            return ppv(sens, spec, new)
        prev = x[0]
        rows = [(x[i], x[i + 1], x[i + 2]) for i in (1, 4, 7)]
        target = x[10]
        return min(t for t, se, sp in rows if ppv(se, sp, prev) >= target)
    if item == "threshold":
        if level == 1:
            return 1 / (1 + x[0])
        if level == 2:
            return (1 - x[0]) / x[0]
        if level == 3:
            t, n, tp, fp = x[:4]
            return net_benefit(int(tp), int(fp), int(n), t)["m"]
        prev, t = x[:2]
        n = 1000
        return net_benefit(round(n * prev), round(n * (1 - prev)), n, t)["m"]
    if item == "calibration":
        if level == 1:
            n, expected, observed = x[:3]
            return observed / expected
        if level == 2:
            n, mean_p, observed = x[:3]
            return (observed / n) / mean_p
        if level == 3:
            a, p = x[0], x[2]                 # "(the slope stays 1)" sits between them
            return expit(logit(p) + a)
        a, b, p = x[:3]
        return expit(a + b * logit(p))
    if item == "decision_curve":
        if level == 1:
            n, t, tp, fp = x[:4]
            return net_benefit(int(tp), int(fp), int(n), t)["m"]
        if level == 2:
            prev, t = x[:2]
            return net_benefit(round(1000 * prev), round(1000 * (1 - prev)), 1000, t)["m"]
        n, prev, t, tp, fp = x[:5]
        nb = net_benefit(int(tp), int(fp), int(n), t, prevalence_sick=round(n * prev))
        if level == 3:
            return nb["m"] - max(nb["all"], 0)
        out = dca(data=pd.DataFrame({"y": np.r_[np.ones(round(n * prev)), np.zeros(int(n - round(n * prev)))],
                                     "m": np.r_[np.ones(int(tp)), np.zeros(round(n * prev) - int(tp)), np.ones(int(fp)),
                                                np.zeros(int(n - round(n * prev) - fp))]}),
                  outcome="y", modelnames=["m"], thresholds=[t], nper=100)
        return out.set_index("model").loc["m", "net_intervention_avoided"]
    if item == "odds_ratio":
        if level == 1:
            return math.exp(x[0])
        if level == 2:
            return math.exp(x[1] * x[0])
        if level == 3:
            p0, orr = x[:2]
            return expit(logit(p0) + math.log(orr))
        n1, a, n0, c = x[:4]
        return (a / (n1 - a)) / (c / (n0 - c))
    if item == "shap_additivity":
        if level in (1, 2):
            total = x[0] + sum(x[1:4])
            return total if level == 1 else expit(total)
        out, base, c1, c2 = x[:4]
        return logit(out) - base - c1 - c2
    if item == "group_rates":
        w_pos, w_tp, w_neg, w_fp, m_pos, m_tp, m_neg, m_fp = (int(v) for v in x[:8])
        wy, wpred = labels(w_tp, w_pos - w_tp, w_fp, w_neg - w_fp)
        my, mpred = labels(m_tp, m_pos - m_tp, m_fp, m_neg - m_fp)
        from fairlearn.metrics import demographic_parity_ratio, false_negative_rate, false_positive_rate
        if level == 1:
            return false_negative_rate(wy, wpred)
        if level == 2:
            return false_positive_rate(my, mpred)
        if level == 3:
            return false_negative_rate(wy, wpred) - false_negative_rate(my, mpred)
        return demographic_parity_ratio(np.r_[wy, my], np.r_[wpred, mpred],
                                        sensitive_features=["w"] * len(wy) + ["m"] * len(my))
    if item == "alert_burden":
        if level == 1:
            return x[0] * x[1]
        if level == 2:
            census, prev, sens, spec = x[:4]
            return census * (prev * sens + (1 - prev) * (1 - spec))
        if level == 3:
            prev, sens, spec = x[:3]
            return 1 / ppv(sens, spec, prev)
        census, prev, sens, days = x[:4]
        return census * prev * (1 - sens) * days
    raise AssertionError(f"no independent recomputation for {item}")


@pytest.mark.parametrize("item,level", CASES)
def test_each_variant_answer_matches_an_independent_recomputation(item, level):
    for attempt in SEEDS:
        seed = P.seed_of("learner-a", item, attempt)
        d = P.draft(item, seed, level)
        expected = recompute(item, level, d.question)
        assert d.answer == pytest.approx(expected, abs=1e-4), f"{item} level {level}: {d.question}"
        v = P.variant("learner-a", item, attempt, level)
        assert v.is_right(expected) and v.hint(expected) is None
        # an answer rounded as asked is accepted
        digits = 0 if "whole" in d.unit else 3 if "3 decimal" in d.unit else 1 if "1 decimal" in d.unit else 2
        assert v.is_right(round(expected, digits)), f"{item} level {level}: rounded answer refused"


@pytest.mark.parametrize("item,level", CASES)
def test_each_misconception_hint_fires_on_its_wrong_answer_and_on_no_right_one(item, level):
    fired = 0
    for attempt in SEEDS:
        d = P.draft(item, P.seed_of("learner-b", item, attempt), level)
        v = P.variant("learner-b", item, attempt, level)
        for name, (value, hint) in d.wrong.items():
            if math.isnan(value):
                continue
            assert not v.is_right(value), f"{item} level {level}: the wrong answer '{name}' is accepted"
            assert v.hint(value) == hint, f"{item} level {level}: no hint for '{name}'"
            fired += 1
        for right in (d.answer, d.answer + 0.4 * d.tol, d.answer - 0.4 * d.tol):
            assert v.is_right(right) and v.hint(right) is None
        if d.proportion and 0.01 < d.answer < 1:
            assert "percentage" in (v.hint(100 * d.answer) or "")
    assert fired, f"{item} level {level} has no misconception hint"


TAUGHT = {  # (item, level): the answer worked with intermediate steps rounded to d decimals, from the question
    ("two_by_two", 3): lambda x, d: (round(x[1] / x[0], d) / (1 - round(x[5] / x[3], d))),
    ("decision_curve", 4): lambda x, d: (
        (round(x[3] / x[0] - x[4] / x[0] * x[2] / (1 - x[2]), d)
         - round(x[1] - (1 - x[1]) * x[2] / (1 - x[2]), d)) / round(x[2] / (1 - x[2]), d) * 100),
    ("alert_burden", 3): lambda x, d: 1 / round(ppv(x[1], x[2], x[0]), d),
}


@pytest.mark.parametrize("item,level", list(TAUGHT))
def test_answers_rounded_as_taught_in_the_intermediate_steps_are_accepted(item, level):
    digits = (2, 3) if item != "decision_curve" else (3,)     # net benefit is taught to 3 decimals
    for attempt in range(300):
        v = P.variant("learner-r", item, attempt, level)
        x = numbers(v.question)
        for d in digits:
            answer = round(TAUGHT[item, level](x, d), 1)
            assert v.is_right(answer), f"{item} level {level}: {answer} (steps to {d} decimals) refused: {v.question}"


def test_no_threshold_to_choose_has_a_ppv_next_to_the_target():
    for attempt in range(400):
        q = P.draft("predictive_value", P.seed_of("learner-t", "predictive_value", attempt), 4).question
        x = numbers(q)
        prev, target = x[0], x[10]
        for i in (1, 4, 7):
            assert abs(ppv(x[i + 1], x[i + 2], prev) - target) >= 0.01 - 1e-9, q


def test_the_gain_over_the_better_default_is_called_harm_only_when_negative():
    for attempt in range(100):
        d = P.draft("decision_curve", P.seed_of("learner-g", "decision_curve", attempt), 3)
        assert ("negative" in d.solution) == (d.answer < 0), d.solution


def test_counts_in_worked_solutions_are_shown_unrounded_then_rounded_half_up():
    halves = 0
    for attempt in range(200):
        d = P.draft("predictive_value", P.seed_of("learner-h", "predictive_value", attempt), 2)
        steps = re.findall(r"(\d+) × (\(1 − )?([\d.]+)\)? = ([\d.]+)(?: ≈ (\d+))?", d.solution)
        assert len(steps) == 2, d.solution
        for count, complement, p, shown, rounded in steps:
            product = int(count) * (1 - float(p) if complement else float(p))
            assert float(shown) == pytest.approx(product), d.solution
            if rounded:
                assert int(rounded) == math.floor(product + 0.5 + 1e-9), d.solution
                halves += shown.endswith(".5")
            else:
                assert product == pytest.approx(round(product)), d.solution
        assert d.answer == math.floor(float(steps[0][3]) + 0.5 + 1e-9)
    assert halves, "no variant with a half to round: the check above proves nothing"


@pytest.mark.parametrize("item", list(P.ITEMS))
def test_each_level_asks_for_something_different_from_the_one_below(item):
    spec = P.ITEMS[item]
    assert len(set(spec.asks)) == spec.levels == len(spec.asks)
    for attempt in range(5):
        asked = []
        for level in range(1, spec.levels + 1):
            q = P.draft(item, P.seed_of("c", item, attempt), level).question
            asked.append(tuple(re.findall(r"\*\*(.+?)\*\*", q)))
            assert asked[-1], f"{item} level {level}: the question does not say in bold what it asks for"
        for low, high in zip(asked, asked[1:], strict=False):
            assert low != high, f"{item}: two levels ask for the same thing ({low})"


def test_a_seed_gives_the_same_variant_every_time_and_learners_get_different_ones():
    for item in P.ITEMS:
        a = P.variant("ana", item, 3, 1)
        assert a == P.variant("ana", item, 3, 1)
        assert P.draft(item, a.seed, 1) == P.draft(item, a.seed, 1)
        others = {P.variant(name, item, 3, 1).question for name in ["ben", "chi", "dev", "eli"]}
        assert others - {a.question}, f"{item}: every learner gets the same question"


def test_the_variant_holds_no_plain_answer():
    for item in P.ITEMS:
        v = P.variant("ana", item, 0, 1)
        d = P.draft(item, v.seed, 1)
        text = json.dumps({k: (sorted(x) if isinstance(x, frozenset) else x) for k, x in vars(v).items()})
        assert repr(d.answer) not in text
        assert d.solution not in text


# -- a simulated learner --------------------------------------------------------------------------------

def test_a_learner_answering_from_a_misconception_is_kept_at_level_one_and_shown_the_hint(tmp_path):
    item = "predictive_value"
    p = P.Practice("misled", path=tmp_path / "progress.json")
    for turn in range(8):
        v = p.question(item)
        d = P.draft(item, v.seed, v.level)
        value, hint = d.wrong["sensitivity"]          # "PPV is the sensitivity"
        fb = p.check(value)
        assert not fb.correct and hint in fb.message
        assert fb.level == 1
        assert (fb.solution is not None) == (turn % 2 == 1), "the worked solution comes after two misses"
    saved = json.loads((tmp_path / "progress.json").read_text())
    assert saved["items"][item]["level"] == 1 and not saved["items"][item]["mastered"]


def test_a_learner_who_slips_goes_down_a_level(tmp_path):
    p = P.Practice("slips", path=tmp_path / "p.json")
    for _ in range(2):
        p.check(P.draft("odds_ratio", p.question("odds_ratio").seed, 1).answer)
    assert p.question().level == 2
    p.check(-99.0)
    fb = p.check(-99.0)
    assert fb.level == 1 and fb.solution


@pytest.mark.parametrize("item", list(P.ITEMS))
def test_a_learner_answering_correctly_reaches_the_top_level_in_the_stated_number_of_answers(tmp_path, item):
    top = P.ITEMS[item].levels
    p = P.Practice("able", path=tmp_path / "p.json")
    for n in range(1, 2 * top + 1):
        v = p.question(item)
        fb = p.check(P.draft(item, v.seed, v.level).answer)
        assert fb.correct
        if n == P.UP_AFTER * (top - 1):
            assert fb.level == top, f"not at the top level after {n} correct answers"
    assert fb.mastered
    rows = {r["objective"]: r for r in P.summary(P.load_progress(tmp_path / "p.json"))}
    for objective in P.ITEMS[item].objectives:
        assert rows[objective]["mastered"] == all(i.id == item for i in P.items_for(objective))


def test_the_progress_file_recommends_the_page_and_practice_of_each_objective_not_mastered(tmp_path):
    text = P.recommendations(P.load_progress(tmp_path / "none.json"))
    assert "none yet" in text
    for item in P.ITEMS.values():
        assert f"`{item.page}`" in text and f"`{item.notebook}`" in text
    rows = {r["objective"]: r for r in P.summary(P.load_progress(tmp_path / "none.json"))}
    assert rows["M2.4"]["read"] == ["book/m02_external_validation/03_updating"]   # updating, not O/E
    assert rows["M2.4"]["items"] == rows["M2.2"]["items"] == ["calibration"]


# -- what practice covers --------------------------------------------------------------------------------

def competency_map_objectives() -> set[str]:
    found = set()
    for index in REPO.glob("book/m[0-9][0-9]_*/index.md"):
        found |= set(re.findall(r"\*\*(M\d+\.\d+)\*\*", index.read_text(encoding="utf-8")))
    return found


def test_practice_covers_objectives_of_the_competency_map_and_points_to_real_pages():
    known = competency_map_objectives()
    assert known
    for item in P.ITEMS.values():
        assert set(item.objectives) <= known, f"{item.id}: {item.objectives} not in the competency map"
        assert (REPO / f"{item.page}.md").is_file(), item.page
    for objective, page in P.PAGE_OF.items():
        assert P.items_for(objective) and (REPO / f"{page}.md").is_file(), (objective, page)
        assert (REPO / f"{item.notebook}.py").is_file(), item.notebook
        assert all(o.startswith(f"M{int(item.module[1:3])}.") for o in item.objectives)
    toc = (REPO / "_toc.yml").read_text(encoding="utf-8")
    for notebook in {i.notebook for i in P.ITEMS.values()}:
        assert f"file: {notebook}\n" in toc, f"{notebook} is not in the book's table of contents"


# -- no plain answer in the practice notebooks and pages -----------------------------------------------

def _answer_strings(value: float) -> set[str]:
    return {f"{value:.2f}", f"{value:.3f}"} if abs(value) < 10 else {f"{value:.0f}", f"{value:.1f}"}


PRACTICE_FILES = sorted(REPO.glob("notebooks/m[0-9][0-9]_*/practice[0-9][0-9]_*.*")) + [REPO / "book" / "self_paced.md"]


@pytest.mark.parametrize("path", PRACTICE_FILES, ids=lambda p: p.name)
def test_no_practice_notebook_or_page_holds_a_plain_answer(path):
    text = path.read_text(encoding="utf-8")
    learners = set(re.findall(r"LEARNER = \"([^\"]+)\"", text)) | {"your-name"}
    for learner in learners:
        for item in P.ITEMS:
            for level in range(1, P.ITEMS[item].levels + 1):
                for attempt in range(3):
                    d = P.draft(item, P.seed_of(learner, item, attempt), level)
                    for s in _answer_strings(d.answer):
                        assert not re.search(rf"(?<![\d.]){re.escape(s)}(?!\d)", text), \
                            f"{path.name}: holds {s}, the answer of {item} level {level} for {learner}"


# -- the class report points to practice ------------------------------------------------------------------

def test_the_report_study_plan_of_a_student_weak_on_an_objective_links_to_its_practice():
    from autograder import course
    from autograder.results import Result
    from autograder.report import objectives as tagged, study_plan, study_step

    base = "https://course.example/book"
    checked = 0
    for a in course.all_assignments():
        for question, objective in tagged(a).items():
            result = Result("s1", "graded", questions={question: 0.0}, max_points={question: 1.0})
            plan = study_plan(result, {question: objective}, a.sections)
            assert [o for o, _, _ in plan] == [objective]
            html_ = study_step(*plan[0][:2], plan[0][2], "", lambda page: str(page), base)
            for item in P.items_for(objective):
                assert f'href="{base}/{item.notebook}.html"' in html_, f"{a.id} {question}: no link to {item.id}"
                checked += 1
            if not P.items_for(objective):
                assert "practice" not in html_
    assert checked, "no assessed objective has practice: the test would prove nothing"


PRACTICE_SOURCES = sorted(REPO.glob("notebooks/m[0-9][0-9]_*/practice[0-9][0-9]_*.py"))


@pytest.mark.parametrize("src", PRACTICE_SOURCES, ids=lambda p: p.stem)
def test_the_practice_notebook_is_generated_from_its_source(src):
    from autograder.notebooks import render, to_notebook

    assert src.with_suffix(".ipynb").read_text(encoding="utf-8") == render(to_notebook(src.read_text(encoding="utf-8"))), \
        f"{src.with_suffix('.ipynb').name} is stale: run `make notebooks`"


@pytest.mark.e2e
@pytest.mark.parametrize("src", PRACTICE_SOURCES, ids=lambda p: p.stem)
def test_a_run_practice_notebook_shows_a_question_but_not_its_answer(src, tmp_path, monkeypatch):
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("CLINICAL_AI_PRACTICE", str(tmp_path / "progress.json"))
    nb = nbformat.read(src.with_suffix(".ipynb"), as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(src.parent)}}).execute()
    shown = "\n".join(str(o.get("data", {}).get("text/markdown", "")) + str(o.get("text", ""))
                      for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    learner = re.search(r'LEARNER = "([^"]+)"', src.read_text(encoding="utf-8")).group(1)
    module = re.search(r'module="(m\d\d)"', src.read_text(encoding="utf-8")).group(1)
    first = P.Practice(learner, module=module, path=tmp_path / "progress.json").question()
    assert first.question in shown, "the notebook does not show the learner's first question"
    assert "Type your answer" in shown
    d = P.draft(first.item, first.seed, first.level)
    rest = shown.replace(first.question, "")
    for s in _answer_strings(d.answer):
        assert not re.search(rf"(?<![\d.]){re.escape(s)}(?!\d)", rest), f"{src.name} shows the answer {s}"
    assert not (tmp_path / "progress.json").exists(), "running the notebook without an answer wrote progress"


# -- self-checks on the chapter pages ----------------------------------------------------------------------

CHAPTER_PAGES = sorted(REPO.glob("book/m[0-9][0-9]_*/[0-9][0-9]_*.md"))


@pytest.mark.parametrize("page", CHAPTER_PAGES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_chapter_page_ends_with_a_self_check(page):
    text = page.read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", text, re.M)
    assert headings and headings[-1] == "Check yourself", f"{page.name}: the self-check is not the last section"
    cell = text.split("## Check yourself", 1)[1]
    assert "self_check(" in cell and ":tags: [remove-input]" in cell
    assert len(re.findall(r"^\s+(?:numeric|choice)\(", cell, re.M)) in (2, 3, 4), f"{page.name}: 2 to 4 questions"
