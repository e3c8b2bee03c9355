"""The Module 2 lab as a student meets it.

nbval (``make test``) already checks that every cell of the lab runs. This file adds what nbval does not:

- the committed ``.ipynb`` is exactly what ``python -m autograder.notebooks`` makes from the ``.py`` source;
- a fresh run prints no warning or other stderr output, and every figure cell draws one figure with a
  title and labelled axes;
- the explanations the lab teaches agree with reference computations made here independently (odds ratios
  from a differently parameterised fit, permutation importance from scikit-learn and by hand, SHAP values
  that add up and equal the average of the trees' own SHAP values), and the claims its text makes about
  them (which input is on top, which way an odds ratio points, how large the leak is) hold;
- each "Your turn" check cell accepts the right answer, rejects typical wrong ones, and never prints
  the answer.

The lab runs once per module (about 30 s), in the same kernel as a few probe cells appended to it.
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
LAB_DIR = REPO / "notebooks" / "m02_explainability"
SOURCE = LAB_DIR / "lab02_explainability.py"
NOTEBOOK = SOURCE.with_suffix(".ipynb")

# Right answers to the "Your turn" exercises, computed here rather than taken from the lab's own variables
# where that is possible. Keys are the answer variables.
RIGHT_ANSWERS = {
    "my_top_input": "_ref_top_up",
    "my_pair_fall": "_ref_pair_fall",
    "my_leak": "'angiography_grade'",
}
WRONG_ANSWERS = {
    "my_top_input": ["'no_chest_pain'", "'exercise_angina'", "'age'", "'ST depression'", "3"],
    "my_pair_fall": ["_ref_pair_fall + 0.05", "perm_one['mean_texture']", "-_ref_pair_fall", "0.0"],
    "my_leak": ["'no_chest_pain'", "'st_depression'", "'num'"],
}
REFERENCES = """\
import numpy as _np
import shap as _shap
from sklearn.inspection import permutation_importance as _pi
from sklearn.linear_model import LogisticRegression as _LR
from sklearn.metrics import roc_auc_score as _auc
from sklearn.preprocessing import StandardScaler as _SS
_sv_mr_r = _shap.TreeExplainer(forest).shap_values(mr_r)[0, :, 1]
_ref_top_up = X.columns[int(_np.argmax(_sv_mr_r))]
_rng = _np.random.RandomState(0)
_pair = ["mean_concave_points", "mean_texture"]
_base_auc = _auc(m_test, breast_forest.predict_proba(B_test)[:, 1])
_falls = []
for _ in range(10):
    _s = B_test.copy()
    _s[_pair] = B_test[_pair].to_numpy()[_rng.permutation(len(B_test))]
    _falls.append(_base_auc - _auc(m_test, breast_forest.predict_proba(_s)[:, 1]))
_ref_pair_fall = float(_np.mean(_falls))
"""
METRICS_PROBE = REFERENCES + """\
assert SEED == 0
# Odds ratios: the same model fitted on standardised inputs gives coefficients per SD; per unit = coef / SD.
_sc = _SS().fit(X_train)
_lr = _LR(C=_np.inf, solver="lbfgs", max_iter=100_000, tol=1e-10).fit(_sc.transform(X_train), y_train)
_or_ref = _np.exp(_lr.coef_[0] / _sc.scale_ * steps)
assert _np.allclose(odds_ratios.to_numpy(), _or_ref, rtol=1e-3), ("odds ratios", odds_ratios, _or_ref)
assert odds_ratios["st_depression"] > 1 and odds_ratios["max_heart_rate"] < 1, "OR directions in the text"
# Permutation importance: scikit-learn with the same settings.
_p = _pi(forest, X_test, y_test, scoring="roc_auc", n_repeats=10, random_state=SEED)
assert _np.allclose(perm.importances_mean, _p.importances_mean), "permutation importance"
# SHAP: adds up, and equals the average of the trees' own SHAP values (the forest averages its trees).
_sv = _shap.TreeExplainer(forest).shap_values(X_test)[:, :, 1]
assert _np.allclose(_sv.sum(axis=1) + shap_test.base_values, forest.predict_proba(X_test)[:, 1])
_trees = _np.mean([_shap.TreeExplainer(t).shap_values(X_test.to_numpy())[:, :, 1] for t in forest.estimators_], axis=0)
assert _np.allclose(_sv, _trees, atol=1e-9), "forest SHAP = mean of tree SHAP"
assert _np.allclose(shap_test.values, _sv) and _np.allclose(mean_abs_shap[X.columns], _np.abs(_sv).mean(axis=0))
# Claims in the text.
assert mean_abs_shap.index[0] == "no_chest_pain" and perm_importance.index[0] == "no_chest_pain", "global top"
_order = list(X.columns[_np.argsort(-_sv_mr_r)])
assert _order[:4] == ["st_depression", "max_heart_rate", "no_chest_pain", "age"], ("Mr R.'s order", _order)
assert X.columns[int(_np.argmin(_sv_mr_r))] == "exercise_angina", "the absence of treadmill angina lowers it"
assert p_mr_r > 0.7, "Mr R. is flagged as high risk"
assert or_radius_only["mean_radius"] > 5 and or_all_three["mean_radius"] < 1, "the radius OR flips"
assert or_all_three["mean_perimeter"] < 0.01 and or_all_three["mean_area"] > 1000, "perimeter near 0, area huge"
assert abs(auc_radius_only - auc_all_three) < 0.01, "both breast models predict about equally well"
assert size_together > 5 * perm_one[size_columns].max(), "shuffled together the sizes matter far more"
assert auc_leaky > 0.99 and leaky_importance.idxmax() == "angiography_grade", "the leak"
assert leaky_importance.max() > 2 * leaky_importance.drop("angiography_grade").max(), "the leak towers"
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
        nb.cells.append(_code(f"{REFERENCES}{variable} = {RIGHT_ANSWERS[variable]}\n{check}"))
        probes["right"].append((len(nb.cells) - 1, variable, RIGHT_ANSWERS[variable]))
        for wrong in WRONG_ANSWERS[variable]:
            nb.cells.append(_code(f"{REFERENCES}{variable} = {wrong}\n{check}"))
            probes["wrong"].append((len(nb.cells) - 1, variable, wrong))
        nb.cells.append(_code(f"{REFERENCES}print(repr({RIGHT_ANSWERS[variable]}))"))
        probes["values"].append((len(nb.cells) - 1, variable, ""))
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
        mp.setenv("MPLBACKEND", "Agg")
        client = NotebookClient(
            nb, kernel_name="python3", timeout=180, allow_errors=True,
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
    # odds ratios, permutation, SHAP bar, beeswarm, waterfall, breast-cancer comparison, leaky bar
    assert len(figure_cells) >= 7, f"the lab should draw at least 7 figures, draws {len(figure_cells)}"
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


def test_explanations_agree_with_references_and_the_text(run):
    cell = run["nb"].cells[run["metrics"]]
    errors = [f"{o['ename']}: {o['evalue']}" for o in cell.outputs if o.output_type == "error"]
    assert not errors and "METRICS OK" in _text(cell), f"an explanation or a claim of the lab is wrong: {errors}"


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
        right[variable] = eval(_text(run["nb"].cells[index]).strip())  # noqa: S307 - our own repr()
    for index, variable, wrong in run["wrong"]:
        cell = run["nb"].cells[index]
        out = _text(cell)
        errors = [o["evalue"] for o in cell.outputs if o.output_type == "error"]
        assert not errors, f"the check for {variable} crashed on the answer {wrong}: {errors}"
        assert "Not quite" in out, f"the check for {variable} accepted the wrong answer {wrong}: {out!r}"
        value = right[variable]
        if isinstance(value, str):
            shown = {value}
        else:
            shown = {f"{value:.2f}", f"{value:.3f}", f"{value:.4f}"}
        leaked = [s for s in shown if re.search(rf"(?<![\w.]){re.escape(s)}(?![\w])", out)]
        assert not leaked, f"the hint for {variable} gives the answer away ({leaked}): {out!r}"
