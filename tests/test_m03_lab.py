"""The Module 3 lab as a student meets it.

nbval (``make test``) already checks that every cell of the lab runs. This file adds what nbval does not:

- the committed ``.ipynb`` is exactly what ``python -m autograder.notebooks`` makes from the ``.py`` source;
- a fresh run prints no warning or other stderr output, and every figure cell draws one figure that has a
  title and labelled axes;
- the group error rates the lab teaches (FNR = FN/(FN+TP), FPR = FP/(FP+TN) by sex, by site, by group in the
  synthetic cohort, before and after mitigation) agree with scikit-learn references computed here, from
  the raw predictions, independently of fairlearn; and Chouldechova's identity holds on the lab's numbers;
- each "Your turn" check cell accepts the right answer, rejects typical wrong ones, and never prints
  the answer.

The lab runs once per session (about 20 s), in the same kernel as a few probe cells appended to it.
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
LAB_DIR = REPO / "notebooks" / "m03_fairness"
SOURCE = LAB_DIR / "lab03_fairness.py"
NOTEBOOK = SOURCE.with_suffix(".ipynb")

# Independent references: group rates from scikit-learn's confusion matrix (not fairlearn, not the lab's own
# hand formulas), so a wrong formula or a wrong grouping in the lab is caught.
REFERENCES = """\
import numpy as _np
from sklearn.metrics import confusion_matrix as _cm


def _rates(t, p):
    _tn, _fp, _fn, _tp = _cm(_np.asarray(t).astype(int), _np.asarray(p).astype(int), labels=[0, 1]).ravel()
    return _fn / (_fn + _tp), _fp / (_fp + _tn)


def _gap_pp(t, p, groups, a, b):
    groups = _np.asarray(groups)
    return 100 * (_rates(_np.asarray(t)[groups == a], _np.asarray(p)[groups == a])[0]
                  - _rates(_np.asarray(t)[groups == b], _np.asarray(p)[groups == b])[0])


from clinical_data import load as _load
_o = _load("cohort_spo2_bias").merge(_load("cohort_baseline_truth"), on="patient_id")
_r = _o[(_o["spo2"] >= 92) & (_o["spo2"] <= 96)]
_occ = {g: ((_r["sao2"] < 88) & (_r["group"] == g)).sum() / (_r["group"] == g).sum() for g in ("G0", "G1")}
_women = sex == "Female"
"""
RIGHT_ANSWERS = {
    "my_missed_women_per_100": "100 * _rates(y_true[_women], y_pred[_women])[0]",
    "my_occult_ratio": "_occ['G1'] / _occ['G0']",
    "my_gap_after_test": "_gap_pp(y_true, y_pred_threshold, sex, 'Female', 'Male')",
}
# Mistakes students make, written in terms of the right answer `_right`.
WRONG_ANSWERS = {
    "my_missed_women_per_100": ["_right / 100", "100 * _rates(y_true[~_women], y_pred[~_women])[0]",
                                "100 * _rates(y_true[_women], y_pred[_women])[1]", "100 - _right", "0"],
    "my_occult_ratio": ["1 / _right", "_occ['G1']", "2 * _right", "1.0"],
    "my_gap_after_test": ["_right / 100", "-_right", "_gap_pp(y_true, y_pred, sex, 'Female', 'Male')", "_right + 10"],
}
METRICS_PROBE = REFERENCES + """\
from sklearn.metrics import accuracy_score as _acc
# FNR/FPR by sex: the lab's hand counts and its MetricFrame against the scikit-learn references
for _g in ("Female", "Male"):
    _fnr, _fpr = _rates(y_true[sex == _g], y_pred[sex == _g])
    assert abs(fnr_hand[_g] - _fnr) < 1e-12 and abs(fpr_hand[_g] - _fpr) < 1e-12, ("hand rates", _g)
    assert abs(by_sex.by_group.loc[_g, "FNR (missed CAD)"] - _fnr) < 1e-12, ("MetricFrame FNR", _g)
    assert abs(by_sex.by_group.loc[_g, "FPR (unneeded angiogram)"] - _fpr) < 1e-12, ("MetricFrame FPR", _g)
    assert abs(by_sex.by_group.loc[_g, "referred"] - y_pred[sex == _g].mean()) < 1e-12, ("selection rate", _g)
assert abs(by_sex.by_group.loc["Female", "FNR (missed CAD)"] - by_sex.by_group.loc["Male", "FNR (missed CAD)"]) > 0.1
# By site
for _s in sorted(set(site)):
    _fnr, _fpr = _rates(y_true[site == _s], y_pred[site == _s])
    assert abs(by_site.by_group.loc[_s, "FNR (missed CAD)"] - _fnr) < 1e-12, ("site FNR", _s)
    assert abs(by_site.by_group.loc[_s, "FPR (unneeded angiogram)"] - _fpr) < 1e-12, ("site FPR", _s)
# Calibration-in-the-large per sex, from the raw probabilities
for _g in ("Female", "Male"):
    _tab = calibration[_g]
    assert _np.all(_np.diff(_tab["mean predicted"]) > 0), "calibration bins should be ordered"
# The care programme: FNR against true need, G0 and G1, for both labels
for _label, _frame in programme.items():
    for _grp in ("G0", "G1"):
        _in = (_frame["group"] == _grp).to_numpy()
        _fnr, _ = _rates(_frame["high_need"].to_numpy()[_in], _frame["enrolled"].to_numpy()[_in])
        _shown = audit.loc[(f"label = {_label}", _grp), "high-need patients missed (FNR)"]
        assert abs(_shown - _fnr) < 1e-12, ("programme FNR", _label, _grp)
assert _gap_pp(programme["cost"]["high_need"], programme["cost"]["enrolled"], programme["cost"]["group"], "G1", "G0") > 10
assert abs(_gap_pp(programme["need"]["high_need"], programme["need"]["enrolled"], programme["need"]["group"], "G1", "G0")) < 5
# Mitigation table, test rows, recomputed from the stored predictions
for _name, _calls in [("model at 0.5", y_pred), ("ThresholdOptimizer", y_pred_threshold),
                      ("ExponentiatedGradient", y_pred_reduction)]:
    _row = comparison.loc[(_name, "test")]
    assert abs(_row["FNR women"] - _rates(y_true[_women], _np.asarray(_calls)[_women])[0]) < 1e-12, _name
    assert abs(_row["FPR men"] - _rates(y_true[~_women], _np.asarray(_calls)[~_women])[1]) < 1e-12, _name
    assert abs(_row["accuracy"] - _acc(y_true, _calls)) < 1e-12, _name
# Chouldechova's identity on hand-made numbers: p=0.5, PPV=0.5, FNR=0 -> FPR=1; p=0.2, PPV=0.8, FNR=0.2 -> 0.05
assert abs(implied_fpr(0.5, 0.5, 0.0) - 1.0) < 1e-12 and abs(implied_fpr(0.2, 0.8, 0.2) - 0.05) < 1e-12
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
    probes: dict[str, list[tuple[int, str, str]]] = {"right": [], "wrong": [], "values": []}
    nb.cells.append(_code(METRICS_PROBE))
    metrics_index = len(nb.cells) - 1
    for variable, check in _exercises(nb):
        right = RIGHT_ANSWERS[variable]
        nb.cells.append(_code(f"{REFERENCES}_right = {right}\n{variable} = _right\n{check}"))
        probes["right"].append((len(nb.cells) - 1, variable, right))
        for wrong in WRONG_ANSWERS[variable]:
            nb.cells.append(_code(f"{REFERENCES}_right = {right}\n{variable} = {wrong}\n{check}"))
            probes["wrong"].append((len(nb.cells) - 1, variable, wrong))
        # The right answer itself, printed by the test harness only, to look for it in the hints.
        nb.cells.append(_code(f"{REFERENCES}print(repr(float({right})))"))
        probes["values"].append((len(nb.cells) - 1, variable, ""))
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
    assert len(figure_cells) >= 5, "the lab should draw error rates, calibration, label bias, mitigation and trade-off figures"
    for i, cell in figure_cells:
        images = [o for o in cell.outputs if "image/png" in o.get("data", {})]
        assert len(images) == 1, f"{_label(i, cell)} should show exactly one figure, shows {len(images)}"
        assert re.search(r"set_title|suptitle", cell.source), f"{_label(i, cell)}: the figure needs a title"
        for axis in ("x", "y"):
            assert f"set_{axis}label" in cell.source, f"{_label(i, cell)}: label the {axis} axis"
    stray = [
        _label(i, c) for i, c in enumerate(cells)
        if c.cell_type == "code" and not _is_figure_cell(c)
        and any("image/png" in o.get("data", {}) for o in c.outputs)
    ]
    assert not stray, f"figures drawn outside a `plt.show()` cell: {stray}"


def test_group_rates_agree_with_scikit_learn(run):
    cell = run["nb"].cells[run["metrics"]]
    errors = [f"{o['ename']}: {o['evalue']}" for o in cell.outputs if o.output_type == "error"]
    assert not errors and "METRICS OK" in _text(cell), f"a rate the lab teaches is wrong: {errors}"


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
        if abs(value) > 1:
            shown |= {f"{value:.0f}", f"{value:.1f}"}
        leaked = [s for s in shown if re.search(rf"(?<![\d.]){re.escape(s)}(?![\d])", out)]
        assert not leaked, f"the hint for {variable} gives the answer away ({leaked}): {out!r}"
