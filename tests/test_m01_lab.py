"""The Module 1 lab as a student meets it.

nbval (``make test``) already checks that every cell of the lab runs. This file adds what nbval does not:

- the committed ``.ipynb`` is exactly what ``python -m autograder.notebooks`` makes from the ``.py`` source;
- a fresh run prints no warning or other stderr output, and every figure cell draws a figure that has a
  title and labelled axes;
- the metrics the lab teaches agree with scikit-learn and with a worked example;
- each "Your turn" check cell accepts the right answer, rejects typical wrong ones, and never prints
  the answer.

The lab runs once per session (about 10 s), in the same kernel as a few probe cells appended to it.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.notebooks import render, to_notebook

REPO = Path(__file__).resolve().parent.parent
LAB_DIR = REPO / "notebooks" / "m01_diagnostic_models"
SOURCE = LAB_DIR / "lab01_diagnostic_models.py"
NOTEBOOK = SOURCE.with_suffix(".ipynb")

# Right answers to the "Your turn" exercises, computed from scikit-learn rather than from the lab's own
# hand formulas, so a wrong formula in a check cell is caught. Keys are the answer variables.
RIGHT_ANSWERS = {
    "my_missed_per_100": "100 * (1 - _sk_sens)",
    "my_ppv_clinic": "_sk_sens * 0.2 / (_sk_sens * 0.2 + (1 - _sk_spec) * 0.8)",
    "my_post_test_probability": "(0.3 / 0.7 * _sk_sens / (1 - _sk_spec)) / (1 + 0.3 / 0.7 * _sk_sens / (1 - _sk_spec))",
}
# Mistakes students make, written in terms of the right answer `_right` (and sensitivity/specificity).
WRONG_ANSWERS = {
    "my_missed_per_100": ["_right / 100", "100 * _sk_sens", "_right + 10", "0"],
    "my_ppv_clinic": ["100 * _right", "_sk_spec * 0.8 / (_sk_spec * 0.8 + (1 - _sk_sens) * 0.2)", "0.95", "0.1"],
    "my_post_test_probability": ["0.3 * _sk_sens / (1 - _sk_spec)", "0.2", "_right / (1 - _right)", "0.5"],
}
SK_RATES = (
    "from sklearn.metrics import recall_score as _recall\n"
    "_sk_sens = _recall(y_true, y_pred)\n"
    "_sk_spec = _recall(y_true, y_pred, pos_label=0)\n"
)
METRICS_PROBE = SK_RATES + """\
from sklearn.metrics import (class_likelihood_ratios as _lrs, precision_score as _prec,
                             roc_auc_score as _auc, confusion_matrix as _cm)
assert THRESHOLD == 0.5 and y_pred.tolist() == (p_logreg >= 0.5).astype(int).tolist()
assert _cm(y_true, y_pred).ravel().tolist() == [tn, fp, fn, tp], "2x2 counts"
assert abs(sensitivity - _sk_sens) < 1e-12 and abs(specificity - _sk_spec) < 1e-12, "sens/spec"
assert abs(ppv - _prec(y_true, y_pred)) < 1e-12 and abs(npv - _prec(y_true, y_pred, pos_label=0)) < 1e-12
assert all(abs(a - b) < 1e-9 for a, b in zip((lr_pos, lr_neg), _lrs(y_true, y_pred))), "likelihood ratios"
assert abs(auc["Logistic regression"] - _auc(y_true, p_logreg)) < 1e-12, "AUC"
assert abs(auc["Random forest"] - _auc(y_true, p_forest)) < 1e-12, "AUC"
# Worked example: sensitivity 90%, specificity 90%, prevalence 1% -> PPV 9/108, NPV 891/892
assert abs(ppv_from_bayes(0.9, 0.9, 0.01) - 9 / 108) < 1e-12, "Bayes PPV"
assert abs(npv_from_bayes(0.9, 0.9, 0.01) - 891 / 892) < 1e-12, "Bayes NPV"
assert abs(harm_threshold - 1 / (1 + HARM_RATIO)) < 1e-12, "Pauker-Kassirer threshold"
assert 0 < harm_threshold < THRESHOLD and at_harm["sensitivity"] >= sensitivity, "a lower threshold catches more"
print("METRICS OK")
"""


def _code(source: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(source)


def _text(cell: nbformat.NotebookNode, name: str = "stdout") -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == name)


def _is_check_cell(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and cell.source.lstrip().startswith('"""Check that')


def _is_figure_cell(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and "plt.show()" in cell.source


def _label(index: int, cell: nbformat.NotebookNode) -> str:
    first = next((line for line in cell.source.splitlines() if line.strip()), "")
    return f"cell {index} ({first[:70]!r})"


def _answer_variable(cell: nbformat.NotebookNode) -> str | None:
    found = re.match(r"\s*(my_\w+)\s*=\s*None\b", cell.source)
    return found.group(1) if found else None


def _exercises(nb: nbformat.NotebookNode) -> list[tuple[str, str]]:
    """(answer variable, check-cell source) for every "Your turn" with a check cell."""
    pairs = []
    for before, cell in zip(nb.cells, nb.cells[1:]):
        if _is_check_cell(cell):
            variable = _answer_variable(before)
            assert variable, f"the cell before {cell.source.splitlines()[0]!r} should hold `my_... = None`"
            pairs.append((variable, cell.source))
    return pairs


@pytest.fixture(scope="module")
def run():
    """Execute the committed notebook once, as a student would, plus probe cells in the same kernel."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    n_lab = len(nb.cells)
    probes: dict[str, list[tuple[int, str, str]]] = {"right": [], "wrong": []}
    nb.cells.append(_code(METRICS_PROBE))
    metrics_index = len(nb.cells) - 1
    for variable, check in _exercises(nb):
        nb.cells.append(_code(f"{SK_RATES}_right = {RIGHT_ANSWERS[variable]}\n{variable} = _right\n{check}"))
        probes["right"].append((len(nb.cells) - 1, variable, RIGHT_ANSWERS[variable]))
        for wrong in WRONG_ANSWERS[variable]:
            nb.cells.append(_code(f"{SK_RATES}_right = {RIGHT_ANSWERS[variable]}\n{variable} = {wrong}\n{check}"))
            probes["wrong"].append((len(nb.cells) - 1, variable, wrong))
        # The right answer itself, printed by the test harness only, to look for it in the hints.
        nb.cells.append(_code(f"{SK_RATES}print(repr(float({RIGHT_ANSWERS[variable]})))"))
        probes.setdefault("values", []).append((len(nb.cells) - 1, variable, ""))
    with pytest.MonkeyPatch.context() as mp:
        # The kernel must be this interpreter's (the course venv), wherever pytest was started from.
        mp.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
        mp.setenv("MPLBACKEND", "Agg")
        client = NotebookClient(
            nb, kernel_name="python3", timeout=120, allow_errors=True,
            resources={"metadata": {"path": str(LAB_DIR)}},
        )
        client.execute()
    return {"nb": nb, "n_lab": n_lab, "metrics": metrics_index, **probes}


def test_committed_notebook_is_generated_from_source():
    expected = render(to_notebook(SOURCE.read_text(encoding="utf-8")))
    assert NOTEBOOK.exists(), f"{NOTEBOOK.name} is missing: run `make notebooks`"
    assert NOTEBOOK.read_text(encoding="utf-8") == expected, (
        f"{NOTEBOOK.name} differs from its source {SOURCE.name}: run `make notebooks` and commit both "
        "(never edit the .ipynb by hand)"
    )


def test_no_cell_raises(run):
    errors = [
        f"{_label(i, c)}: {o['ename']}: {o['evalue']}"
        for i, c in enumerate(run["nb"].cells[: run["n_lab"]])
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "error"
    ]
    assert not errors, "cells raised on a fresh kernel:\n" + "\n".join(errors)


def test_no_warning_or_stderr_output(run):
    noisy = [
        f"{_label(i, c)}:\n{_text(c, 'stderr')}"
        for i, c in enumerate(run["nb"].cells[: run["n_lab"]])
        if _text(c, "stderr").strip()
    ]
    assert not noisy, "a student would see warnings or other stderr output (fix the cause):\n" + "\n".join(noisy)


def test_every_figure_cell_draws_one_labelled_figure(run):
    cells = run["nb"].cells[: run["n_lab"]]
    figure_cells = [(i, c) for i, c in enumerate(cells) if _is_figure_cell(c)]
    assert len(figure_cells) >= 4, "the lab should draw prevalence, histogram, ROC/PR and harm figures"
    for i, cell in figure_cells:
        images = [o for o in cell.outputs if "image/png" in o.get("data", {})]
        assert len(images) == 1, f"{_label(i, cell)} should show exactly one figure, shows {len(images)}"
        assert re.search(r"set_title|suptitle", cell.source), f"{_label(i, cell)}: the figure needs a title"
        for axis in ("x", "y"):
            assert f"set_{axis}label" in cell.source, f"{_label(i, cell)}: label the {axis} axis"
    # A figure drawn anywhere else would be a figure without these checks.
    stray = [
        _label(i, c) for i, c in enumerate(cells)
        if c.cell_type == "code" and not _is_figure_cell(c)
        and any("image/png" in o.get("data", {}) for o in c.outputs)
    ]
    assert not stray, f"figures drawn outside a `plt.show()` cell: {stray}"


def test_metrics_agree_with_scikit_learn_and_worked_examples(run):
    cell = run["nb"].cells[run["metrics"]]
    errors = [f"{o['ename']}: {o['evalue']}" for o in cell.outputs if o.output_type == "error"]
    assert not errors and "METRICS OK" in _text(cell), f"a metric the lab teaches is wrong: {errors}"


def test_check_cells_start_by_asking_for_an_answer(run):
    cells = run["nb"].cells[: run["n_lab"]]
    checks = [(i, c) for i, c in enumerate(cells) if _is_check_cell(c)]
    assert len(checks) >= 3, "the lab should have at least three checked 'Your turn' exercises"
    for i, cell in checks:
        assert "Replace None" in _text(cell), f"{_label(i, cell)} should ask for an answer when none is given"


def test_check_cells_accept_the_right_answer(run):
    for index, variable, expression in run["right"]:
        cell = run["nb"].cells[index]
        out = _text(cell) + "".join(o.get("evalue", "") for o in cell.outputs if o.output_type == "error")
        assert "Correct" in out, f"the check for {variable} rejects the right answer ({expression}): {out!r}"


def test_check_cells_give_a_hint_never_the_answer(run):
    right = {}
    for index, variable, _ in run["values"]:
        right[variable] = float(_text(run["nb"].cells[index]).strip())
    for index, variable, wrong in run["wrong"]:
        cell = run["nb"].cells[index]
        out = _text(cell)
        errors = [o["evalue"] for o in cell.outputs if o.output_type == "error"]
        assert not errors, f"the check for {variable} crashed on the answer {wrong}: {errors}"
        assert "Not quite" in out, f"the check for {variable} accepted the wrong answer {wrong}: {out!r}"
        value = right[variable]
        shown = {f"{value:.2f}", f"{value:.3f}", f"{100 * value:.0f}%", f"{100 * value:.0f} %"}
        if value > 1:
            shown |= {f"{value:.0f}", f"{value:.1f}"}
        leaked = [s for s in shown if re.search(rf"(?<![\d.]){re.escape(s)}(?![\d])", out)]
        assert not leaked, f"the hint for {variable} gives the answer away ({leaked}): {out!r}"
