"""Regenerate the lab notebooks from their plain-text sources (build tooling, not part of the grader).

Every ``notebooks/mNN_*/labNN_*.py`` and ``practiceNN_*.py`` (jupytext percent format) is the source of truth; the ``.ipynb`` beside
it is generated, committed without outputs and with stable cell ids, so diffs stay readable.
Run as ``python tools/labs.py`` (``make notebooks``); ``--check`` only reports stale files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder.notebooks import render, to_notebook

REPO = Path(__file__).resolve().parent.parent  # this script lives in the course repository's tools/


def lab_sources(repo: Path = REPO) -> list[Path]:
    """Labs and practice notebooks: every plain-text notebook source under notebooks/."""
    return sorted([*(repo / "notebooks").glob("m[0-9][0-9]_*/lab[0-9][0-9]_*.py"),
                   *(repo / "notebooks").glob("m[0-9][0-9]_*/practice[0-9][0-9]_*.py")])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python tools/labs.py", description=__doc__.splitlines()[0])
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
