"""Regenerate the lab notebooks from their plain-text sources.

Every ``notebooks/mNN_*/labNN_*.py`` (jupytext percent format) is the source of truth; the ``.ipynb`` beside
it is generated, committed without outputs and with stable cell ids, so diffs stay readable.
Run as ``python -m autograder.notebooks`` (``make notebooks``); ``--check`` only reports stale files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jupytext
import nbformat

REPO = Path(__file__).resolve().parent.parent


def lab_sources(repo: Path = REPO) -> list[Path]:
    """Labs and practice notebooks: every plain-text notebook source under notebooks/."""
    return sorted([*(repo / "notebooks").glob("m[0-9][0-9]_*/lab[0-9][0-9]_*.py"),
                   *(repo / "notebooks").glob("m[0-9][0-9]_*/practice[0-9][0-9]_*.py")])


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.notebooks", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="report stale notebooks, write nothing")
    args = parser.parse_args(argv)
    stale = []
    for src in lab_sources():
        target = src.with_suffix(".ipynb")
        text = render(to_notebook(src.read_text(encoding="utf-8")))
        if target.exists() and target.read_text(encoding="utf-8") == text:
            continue
        stale.append(target)
        if not args.check:
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target.relative_to(REPO)}")
    if args.check and stale:
        print("stale: " + ", ".join(str(p.relative_to(REPO)) for p in stale) + " (run `make notebooks`)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
