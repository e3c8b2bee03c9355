"""Build student submissions from a released notebook and its master, as a student would fill them in.

Used by the grading tests (and, later, the simulated class in the grading benchmark).
"""

from __future__ import annotations

import copy
import re

import nbformat

MARKER = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.M)
REGION = re.compile(r"^([ \t]*)### BEGIN SOLUTION[ \t]*\n.*?^[ \t]*### END SOLUTION[ \t]*\n?", re.M | re.S)


def answer_cells(master: nbformat.NotebookNode, **wrong: str | tuple[str, ...]) -> dict[str, str]:
    """grade_id -> what a student types: the master's answer without its markers.

    ``wrong`` maps a grade_id to other code, which replaces the cell's (first) solution region only, the
    way a student's own attempt replaces ``# YOUR CODE HERE``, keeping the lines given around it; a tuple
    of codes replaces the cell's solution regions in turn (a function's body, then the lines that call it).
    """
    answers = {}
    for cell in master.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("solution"):
            continue
        source = cell.source
        if meta["grade_id"] in wrong:
            codes = wrong[meta["grade_id"]]
            for code in codes if isinstance(codes, tuple) else (codes,):  # each replaces the next region left
                source = REGION.sub(lambda m, c=code: "".join(m[1] + line + "\n" for line in c.splitlines()), source, count=1)
        answers[meta["grade_id"]] = MARKER.sub("", source)
    return answers


def fill(release: nbformat.NotebookNode, answers: dict[str, str]) -> nbformat.NotebookNode:
    """A copy of the released notebook with the given answer cells replaced."""
    nb = copy.deepcopy(release)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return nb


def simulated_class(master: nbformat.NotebookNode, release: nbformat.NotebookNode, n: int, seed: int = 0):
    """``n`` submissions of varied quality: each student answers each question with a chance set by their
    ability (drawn once per student) and leaves the stub in the rest.

    Yields (student_id, notebook, the grade_ids of the answer cells filled in)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    solutions = answer_cells(master)
    for i in range(n):
        ability = rng.uniform(0.2, 1.0)
        answered = {gid: code for gid, code in solutions.items() if rng.random() < ability}
        yield f"student{i:03d}", fill(release, answered), set(answered)
