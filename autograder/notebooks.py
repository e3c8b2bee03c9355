"""Notebooks from jupytext percent text, written the same way every time.

The masters (``instructors/assignments/aNN_*.py``) become notebooks through ``to_notebook``; the build
tooling (``tools/labs.py``) uses the same two functions for the labs, so every generated notebook is
committed without outputs and with stable cell ids, and diffs stay readable.
"""

from __future__ import annotations

import jupytext
import nbformat


def to_notebook(text: str) -> nbformat.NotebookNode:
    """Convert jupytext percent text into a notebook with no outputs and ids that do not change."""
    nb = jupytext.reads(text, fmt="py:percent")
    nb.metadata.pop("jupytext", None)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    nb.metadata["language_info"] = {"name": "python"}
    for i, cell in enumerate(nb.cells):
        cell.metadata.pop("lines_to_next_cell", None)  # jupytext's layout hint, noise in the notebook
        # jupytext draws random ids; a fixed id per position keeps regenerated files byte-identical.
        cell["id"] = f"cell-{i:03d}"
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    nb.nbformat, nb.nbformat_minor = 4, 5
    return nb


def render(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb) + "\n"
