"""What every lab test checks, whatever the module: a lab as a student meets it.

nbval (``make test``) already checks that every cell of a lab runs. ``LabTests`` adds what nbval does not:

- the committed ``.ipynb`` is exactly what ``python tools/labs.py`` (``make notebooks``) makes from the ``.py`` source;
- a fresh run raises nothing, prints no warning or other stderr output, and every figure cell draws one
  figure that has a title and labelled axes (and no other cell draws one);
- each "Your turn" check cell asks for an answer when none is given, accepts the right answer (also
  rounded to 3 decimals; rounded to 2, it accepts it or asks for more decimals), rejects typical wrong ones,
  and never prints the answer in its hint;
- the slips of someone new to Python get a one-line hint, not a traceback: a percentage typed with its %
  sign anywhere (``31%``), and in each check cell the answer in quotes (``"0.31"``, ``"31%"``), a percentage
  for a proportion, one number where a list or dictionary is asked and the reverse, a misspelt key; and
  the risks passed before the outcomes to ``roc_auc_score``.

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
    slips: list[tuple[int, str, str]] = field(default_factory=list)  # (cell, variable, which slip)
    two_decimals: list[tuple[int, str, str]] = field(default_factory=list)  # the right answer rounded to 2 decimals
    percent_sign: int = -1  # a cell typing `31%`, after the set-up
    swapped_auc: int = -1  # a cell calling roc_auc_score with the risks first
    other_syntax_error: int = -1  # a cell with another syntax error

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


# The slips of someone new to Python, made in the kernel from the right answer `_right` (those that apply
# to its type), each with a word its hint must use: the slip is named, never the answer shown.
SLIPS = """\
def _slips(right):
    if isinstance(right, str):  # a name, in quotes
        return {"a number for a name": (1, "quotes"), "a misspelt name": (right.upper().replace("_", " "), "name")}
    if isinstance(right, dict):
        first = next(iter(right))
        typo = first.capitalize() if isinstance(first, str) and first.capitalize() != first else (
            first.lower() if isinstance(first, str) else str(first))
        return {"one number for a dictionary": (float(right[first]), "dictionary"),
                "a misspelt key": ({typo if k == first else k: v for k, v in right.items()}, "key"),
                "the values in quotes": ({k: str(round(float(v), 3)) for k, v in right.items()}, "quotes")}
    if hasattr(right, "__len__"):  # a list of numbers, such as an interval
        values = [float(v) for v in right]
        return {"one number for a list": (values[0], "list"),
                "the numbers in quotes": ([str(round(v, 3)) for v in values], "quotes")}
    value = float(right)
    slips = {"the number in quotes": (str(round(value, 3)), "quotes"),
             "a list for one number": ([value], "number"),
             "a dictionary for one number": ({"answer": value}, "number")}
    if 0 < value < 1:
        slips["a percentage in quotes"] = (f"{100 * value:.0f}%", "%")
        slips["a percentage for a proportion"] = (100 * value, "")  # a hint, whatever the check makes of it
    return slips


def _rounded(right, decimals):
    if isinstance(right, dict):
        return {k: round(float(v), decimals) for k, v in right.items()}
    return [round(float(v), decimals) for v in right] if hasattr(right, "__len__") else round(float(right), decimals)
"""
SLIP_NAMES = ("a number for a name", "a misspelt name", "one number for a dictionary", "a misspelt key",
              "the values in quotes", "one number for a list", "the numbers in quotes", "the number in quotes",
              "a list for one number", "a dictionary for one number", "a percentage in quotes",
              "a percentage for a proportion")
PERCENT_HINT = "Type a percentage as a proportion, without the % sign: 0.31 for 31%."


def execute(lab: Lab) -> Run:
    """Execute the committed notebook once, as a student would, plus probe cells in the same kernel."""
    nb = nbformat.read(lab.notebook, as_version=4)
    n_lab = len(nb.cells)

    def append(source: str) -> int:
        nb.cells.append(nbformat.v4.new_code_cell(source))
        return len(nb.cells) - 1

    run = Run(nb=nb, n_lab=n_lab, metrics=append(lab.metrics_probe))
    run.percent_sign = append("my_typed_answer = 31%")
    run.other_syntax_error = append("my_typed_answer = (0.31")
    run.swapped_auc = append("try:\n    roc_auc_score([0.2, 0.9, 0.4, 0.7], [0, 1, 1, 0])\n"
                             "except ValueError as error:\n    print(error)")
    append(SLIPS)
    for variable, check in exercises(nb):
        right = lab.right_answers[variable]
        given = f"{lab.references}_right = {right}\n"
        run.right.append((append(f"{given}{variable} = _right\n{check}"), variable, right))
        # The right answer typed as a student copies it from a printout: rounded to 3 decimals.
        rounded = ("_right if isinstance(_right, str) else {k: round(float(v), 3) for k, v in _right.items()} "
                   "if isinstance(_right, dict) else [round(float(v), 3) for v in _right] "
                   "if hasattr(_right, '__len__') else round(float(_right), 3)")
        run.right.append((append(f"{given}{variable} = {rounded}\n{check}"), variable, f"{right}, rounded to 3 decimals"))
        # Rounded to 2 decimals: accepted, or a hint that asks for more decimals (never "check your formula").
        run.two_decimals.append((append(f"{given}if not isinstance(_right, str):\n    {variable} = _rounded(_right, 2)\n"
                                        f"    exec({check!r})"), variable, f"{right}, rounded to 2 decimals"))
        for slip in SLIP_NAMES:
            probe = (f"{given}_slip = _slips(_right).get({slip!r})\n"
                     f"if _slip is not None:\n    print('HINT SHOULD USE', repr(_slip[1]))\n"
                     f"    {variable} = _slip[0]\n    exec({check!r})")
            run.slips.append((append(probe), variable, slip))
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

    def _leaked(self, run: Run, variable: str, out: str) -> list[str]:
        """The forms of `variable`'s right answer that `out` shows."""
        value = _parse_value(text(next(run.nb.cells[i] for i, v, _ in run.values if v == variable)))
        # a number, a string, or a dictionary of numbers (each must stay hidden); a list of numbers is
        # printed as a dictionary by position
        shown = set().union(*map(self.lab.answer_forms, value.values())) if isinstance(value, dict) else self.lab.answer_forms(value)
        chars = self.lab.token_chars
        return [s for s in shown if re.search(rf"(?<![{chars}.]){re.escape(s)}(?![{chars}])", out)]

    def test_check_cells_give_a_hint_never_the_answer(self, run):
        for index, variable, wrong in run.wrong:
            cell = run.nb.cells[index]
            out = text(cell)
            errors = [o["evalue"] for o in cell.outputs if o.output_type == "error"]
            assert not errors, f"the check for {variable} crashed on the answer {wrong}: {errors}"
            assert "Not quite" in out, f"the check for {variable} accepted the wrong answer {wrong}: {out!r}"
            leaked = self._leaked(run, variable, out)
            assert not leaked, f"the hint for {variable} gives the answer away ({leaked}): {out!r}"

    def test_check_cells_accept_two_decimals_or_ask_for_more(self, run):
        for index, variable, expression in run.two_decimals:
            cell = run.nb.cells[index]
            out = text(cell)
            errors = [f"{o['ename']}: {o['evalue']}" for o in cell.outputs if o.output_type == "error"]
            assert not errors, f"the check for {variable} crashed on {expression}: {errors}"
            assert not out or "Correct" in out or "decimals" in out, (
                f"the check for {variable} sends {expression} looking for a mistake it does not have: {out!r}")

    def test_typing_slips_get_a_one_line_hint(self, run):
        for index, variable, slip in run.slips:
            cell = run.nb.cells[index]
            out = text(cell)
            if not out:
                continue  # this slip does not apply to this kind of answer
            first, _, out = out.partition("\n")
            word = ast.literal_eval(first.removeprefix("HINT SHOULD USE "))
            errors = [f"{o['ename']}: {o['evalue']}" for o in cell.outputs if o.output_type == "error"]
            assert not errors, f"the check for {variable} shows a traceback for {slip}: {errors}"
            assert out.startswith("Not quite") and len(out.strip().splitlines()) == 1, (
                f"the check for {variable} should answer {slip} with one line of hint: {out!r}")
            assert word in out, f"the hint for {variable} should say what to change about {slip} ({word!r}): {out!r}"
            leaked = self._leaked(run, variable, out)
            assert not leaked, f"the hint for {variable} gives the answer away ({leaked}): {out!r}"

    def test_a_percent_sign_gets_a_one_line_hint(self, run):
        typed, other = run.nb.cells[run.percent_sign], run.nb.cells[run.other_syntax_error]
        assert text(typed).strip() == PERCENT_HINT, (
            f"`my_typed_answer = 31%` should print {PERCENT_HINT!r} (install the hint in the set-up cell): {text(typed)!r}")
        assert [o["ename"] for o in typed.outputs if o.output_type == "error"] == ["SyntaxError"], (
            "after the hint, Python's own message should follow")
        assert not text(other).strip(), f"a syntax error without a % sign should get no hint: {text(other)!r}"

    def test_swapped_auc_arguments_get_a_one_line_hint(self, run):
        out = text(run.nb.cells[run.swapped_auc])
        assert "outcomes first" in out and len(out.strip().splitlines()) == 1, (
            f"roc_auc_score(risks, outcomes) should say in one line to put the outcomes first: {out!r}")
