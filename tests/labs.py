"""What every lab test checks, whatever the module: a lab as a student meets it.

nbval (``make test``) already checks that every cell of a lab runs. ``LabTests`` adds what nbval does not:

- the committed ``.ipynb`` is exactly what ``python tools/labs.py`` (``make notebooks``) makes from the ``.py`` source;
- a fresh run raises nothing, prints no warning or other stderr output, and every figure cell draws one
  figure that has a title and labelled axes (and no other cell draws one);
- each "Your turn" check cell asks for an answer when none is given, accepts the right answer, rejects
  typical wrong ones, and never prints the answer in its hint.

A ``tests/test_mNN_lab.py`` describes its lab with a ``Lab`` (paths, right and wrong answers, a probe of
the lab's metrics) and subclasses ``LabTests``, adding the checks only that lab needs::

    from tests import labs

    class TestLab(labs.LabTests):
        lab = labs.Lab(source=..., references=..., right_answers=..., wrong_answers=..., metrics_probe=...,
                       min_figures=4, figures="prevalence, histogram, ROC/PR and harm")

        def test_metrics_agree(self, run):
            labs.assert_metrics_ok(run, "a metric the lab teaches is wrong")

The lab runs once per test class, in one kernel, with probe cells appended to it (``execute``). Every
probe of an answer runs ``references`` first, binds the right answer to ``_right`` (so wrong answers can be
written in terms of it) and then the answer variable, then the lab's own check cell.
"""

from __future__ import annotations

import ast
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from autograder.notebooks import render, to_notebook


def number_forms(value: float) -> set[str]:
    """How a numeric answer could be given away in a hint: 2 or 3 decimals, a percentage, whole or 1 decimal
    when it is larger than 1."""
    shown = {f"{value:.2f}", f"{value:.3f}", f"{100 * value:.0f}%", f"{100 * value:.0f} %"}
    if abs(value) > 1:
        shown |= {f"{value:.0f}", f"{value:.1f}"}
    return shown


@dataclass(frozen=True)
class Lab:
    """One lab and the answers to its "Your turn" exercises.

    ``right_answers`` and ``wrong_answers`` are Python expressions keyed by answer variable (``my_...``),
    evaluated in the lab's kernel after ``references``; a wrong answer may use ``_right``. ``metrics_probe``
    is a cell that prints ``METRICS OK`` when what the lab computes agrees with independent references. An
    answer is a number, a string, a dictionary of numbers or a list (array) of numbers, such as an interval
    (none of whose values a hint may show).
    A hint leaks an answer when one of ``answer_forms(value)`` appears in it, not next to a character of
    ``token_chars`` (nor after a ``.``).
    """

    source: Path  # notebooks/mNN_*/labNN_*.py; the committed notebook is the .ipynb beside it
    references: str
    right_answers: dict[str, str]
    wrong_answers: dict[str, list[str]]
    metrics_probe: str
    min_figures: int
    figures: str  # what the figures are, for the failure message
    timeout: int = 120  # seconds per cell
    answer_forms: Callable[[float | str], set[str]] = number_forms
    token_chars: str = r"\d"

    @property
    def notebook(self) -> Path:
        return self.source.with_suffix(".ipynb")


@dataclass
class Run:
    """A lab executed once with probe cells after its own; probes are (cell index, variable, expression)."""

    nb: nbformat.NotebookNode
    n_lab: int  # the lab's own cells come first
    metrics: int  # index of the metrics probe
    right: list[tuple[int, str, str]] = field(default_factory=list)
    wrong: list[tuple[int, str, str]] = field(default_factory=list)
    values: list[tuple[int, str, str]] = field(default_factory=list)  # each prints repr() of a right answer

    @property
    def lab_cells(self) -> list[nbformat.NotebookNode]:
        return self.nb.cells[: self.n_lab]


def text(cell: nbformat.NotebookNode, name: str = "stdout") -> str:
    """What a cell printed to `name` (stdout or stderr)."""
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == name)


def is_check_cell(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and cell.source.lstrip().startswith('"""Check that')


def is_figure_cell(cell: nbformat.NotebookNode) -> bool:
    return cell.cell_type == "code" and "plt.show()" in cell.source


def label(index: int, cell: nbformat.NotebookNode) -> str:
    """A cell as named in failure messages: its index and first line."""
    first = next((line for line in cell.source.splitlines() if line.strip()), "")
    return f"cell {index} ({first[:70]!r})"


def _answer_variable(cell: nbformat.NotebookNode) -> str | None:
    found = re.match(r"\s*(my_\w+)\s*=\s*None\b", cell.source)
    return found.group(1) if found else None


def exercises(nb: nbformat.NotebookNode) -> list[tuple[str, str]]:
    """(answer variable, check-cell source) for every "Your turn" with a check cell."""
    pairs = []
    for before, cell in zip(nb.cells, nb.cells[1:]):
        if is_check_cell(cell):
            variable = _answer_variable(before)
            assert variable, f"the cell before {cell.source.splitlines()[0]!r} should hold `my_... = None`"
            pairs.append((variable, cell.source))
    return pairs


def execute(lab: Lab) -> Run:
    """Execute the committed notebook once, as a student would, plus probe cells in the same kernel."""
    nb = nbformat.read(lab.notebook, as_version=4)
    n_lab = len(nb.cells)

    def append(source: str) -> int:
        nb.cells.append(nbformat.v4.new_code_cell(source))
        return len(nb.cells) - 1

    run = Run(nb=nb, n_lab=n_lab, metrics=append(lab.metrics_probe))
    for variable, check in exercises(nb):
        right = lab.right_answers[variable]
        given = f"{lab.references}_right = {right}\n"
        run.right.append((append(f"{given}{variable} = _right\n{check}"), variable, right))
        # The right answer typed as a student copies it from a printout: rounded to 3 decimals.
        rounded = ("_right if isinstance(_right, str) else {k: round(float(v), 3) for k, v in _right.items()} "
                   "if isinstance(_right, dict) else [round(float(v), 3) for v in _right] "
                   "if hasattr(_right, '__len__') else round(float(_right), 3)")
        run.right.append((append(f"{given}{variable} = {rounded}\n{check}"), variable, f"{right}, rounded to 3 decimals"))
        for wrong in lab.wrong_answers[variable]:
            run.wrong.append((append(f"{given}{variable} = {wrong}\n{check}"), variable, wrong))
        # The right answer itself, printed by the test harness only, to look for it in the hints.
        shown = ("print(repr(str(_right) if isinstance(_right, str) else "
                 "{str(k): float(v) for k, v in _right.items()} if isinstance(_right, dict) else "
                 "{str(i): float(v) for i, v in enumerate(_right)} if hasattr(_right, '__len__') else float(_right)))")
        run.values.append((append(f"{given}{shown}"), variable, ""))
    with pytest.MonkeyPatch.context() as mp:
        # The kernel must be this interpreter's (the course venv), wherever pytest was started from.
        mp.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
        mp.setenv("MPLBACKEND", "Agg")
        client = NotebookClient(
            nb, kernel_name="python3", timeout=lab.timeout, allow_errors=True,
            resources={"metadata": {"path": str(lab.source.parent)}},
        )
        client.execute()
    return run


def assert_metrics_ok(run: Run, message: str) -> None:
    """The metrics probe ran without error and printed METRICS OK; `message` says what is wrong if not."""
    cell = run.nb.cells[run.metrics]
    errors = [f"{o['ename']}: {o['evalue']}" for o in cell.outputs if o.output_type == "error"]
    assert not errors and "METRICS OK" in text(cell), f"{message}: {errors}"


def _parse_value(printed: str) -> float | str | dict:
    printed = printed.strip()
    return ast.literal_eval(printed) if printed.startswith(("'", '"', "{")) else float(printed)


class LabTests:
    """The checks every lab passes. Subclass as ``TestLab`` in a test module and set ``lab``."""

    lab: Lab

    @pytest.fixture(scope="class")
    @classmethod
    def run(cls) -> Run:
        return execute(cls.lab)

    def test_committed_notebook_is_generated_from_source(self):
        source, notebook = self.lab.source, self.lab.notebook
        expected = render(to_notebook(source.read_text(encoding="utf-8")))
        assert notebook.exists(), f"{notebook.name} is missing: run `make notebooks`"
        assert notebook.read_text(encoding="utf-8") == expected, (
            f"{notebook.name} differs from its source {source.name}: run `make notebooks` and commit both "
            "(never edit the .ipynb by hand)"
        )

    def test_no_cell_raises(self, run):
        errors = [
            f"{label(i, c)}: {o['ename']}: {o['evalue']}"
            for i, c in enumerate(run.lab_cells)
            if c.cell_type == "code"
            for o in c.outputs
            if o.output_type == "error"
        ]
        assert not errors, "cells raised on a fresh kernel:\n" + "\n".join(errors)

    def test_no_warning_or_stderr_output(self, run):
        noisy = [
            f"{label(i, c)}:\n{text(c, 'stderr')}" for i, c in enumerate(run.lab_cells) if text(c, "stderr").strip()
        ]
        assert not noisy, "a student would see warnings or other stderr output (fix the cause):\n" + "\n".join(noisy)

    def test_every_figure_cell_draws_one_labelled_figure(self, run):
        figure_cells = [(i, c) for i, c in enumerate(run.lab_cells) if is_figure_cell(c)]
        assert len(figure_cells) >= self.lab.min_figures, (
            f"the lab should draw at least {self.lab.min_figures} figures ({self.lab.figures}), "
            f"draws {len(figure_cells)}"
        )
        for i, cell in figure_cells:
            images = [o for o in cell.outputs if "image/png" in o.get("data", {})]
            assert len(images) == 1, f"{label(i, cell)} should show exactly one figure, shows {len(images)}"
            assert re.search(r"set_title|suptitle", cell.source), f"{label(i, cell)}: the figure needs a title"
            for axis in ("x", "y"):
                assert f"set_{axis}label" in cell.source, f"{label(i, cell)}: label the {axis} axis"
        # A figure drawn anywhere else would be a figure without these checks.
        stray = [
            label(i, c) for i, c in enumerate(run.lab_cells)
            if c.cell_type == "code" and not is_figure_cell(c)
            and any("image/png" in o.get("data", {}) for o in c.outputs)
        ]
        assert not stray, f"figures drawn outside a `plt.show()` cell: {stray}"

    def test_check_cells_start_by_asking_for_an_answer(self, run):
        checks = [(i, c) for i, c in enumerate(run.lab_cells) if is_check_cell(c)]
        assert len(checks) >= 3, "the lab should have at least three checked 'Your turn' exercises"
        for i, cell in checks:
            assert "Replace None" in text(cell), f"{label(i, cell)} should ask for an answer when none is given"

    def test_check_cells_accept_the_right_answer(self, run):
        for index, variable, expression in run.right:
            cell = run.nb.cells[index]
            out = text(cell) + "".join(o.get("evalue", "") for o in cell.outputs if o.output_type == "error")
            assert "Correct" in out, f"the check for {variable} rejects the right answer ({expression}): {out!r}"

    def test_check_cells_give_a_hint_never_the_answer(self, run):
        right = {variable: _parse_value(text(run.nb.cells[index])) for index, variable, _ in run.values}
        chars = self.lab.token_chars
        for index, variable, wrong in run.wrong:
            cell = run.nb.cells[index]
            out = text(cell)
            errors = [o["evalue"] for o in cell.outputs if o.output_type == "error"]
            assert not errors, f"the check for {variable} crashed on the answer {wrong}: {errors}"
            assert "Not quite" in out, f"the check for {variable} accepted the wrong answer {wrong}: {out!r}"
            value = right[variable]  # a number, a string, or a dictionary of numbers (each must stay hidden);
            # a list of numbers is printed as a dictionary by position
            shown = set().union(*map(self.lab.answer_forms, value.values())) if isinstance(value, dict) else self.lab.answer_forms(value)
            leaked = [s for s in shown if re.search(rf"(?<![{chars}.]){re.escape(s)}(?![{chars}])", out)]
            assert not leaked, f"the hint for {variable} gives the answer away ({leaked}): {out!r}"
