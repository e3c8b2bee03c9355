"""How often the visible checks tell a student that an answer is wrong, before grading.

For every assignment, each plausible clinician's mistake of ``tests/mistakes.py`` is put in the master's
answer cell in place of the solution, and the notebook is run in one kernel the way a student runs it:
the answer cells, then each test cell's visible part (what the released notebook shows) and, when that
passes, its hidden part (what grading adds). A mistake *loses points* when any test cell fails; it is
*flagged* when a visible part fails, i.e. the student's own run of the visible checks raises.

    python benchmarks/visible_checks.py            # the table
    python benchmarks/visible_checks.py -v a01     # every mistake of a01, with the first message it gets

The hidden parts run in the student's kernel here, not in the grader's judge: for these honest mistakes
the outcome is the same, and the grading tests check the judge itself.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from autograder import course
from autograder.repository import repo
from autograder.judge import names_bound
from tests.mistakes import MISTAKES
from tests.submissions import answer_cells

HIDDEN = re.compile(r"^[ \t]*### (BEGIN|END) HIDDEN TESTS[ \t]*$", re.MULTILINE)
TARGET = 0.90


@dataclass
class Outcome:
    question: str
    label: str
    loses_points: bool = False
    flagged: bool = False
    message: str = ""  # the first visible message the student gets (or the first hidden one)
    failed_tests: list = field(default_factory=list)


class Kernel:
    def __init__(self, cwd: Path):
        from jupyter_client.manager import start_new_kernel

        self.km, self.kc = start_new_kernel(kernel_name="python3", cwd=str(cwd))

    def run(self, code: str, timeout: float = 300) -> str | None:
        """Run code; None if it ran, else 'ErrorName: message'."""
        errors = []

        def hook(msg):
            if msg["msg_type"] == "error":
                errors.append(f"{msg['content']['ename']}: {msg['content']['evalue']}")

        reply = self.kc.execute_interactive(code, timeout=timeout, output_hook=hook, store_history=False)
        if reply["content"]["status"] == "error":
            return errors[0] if errors else f"{reply['content']['ename']}: {reply['content']['evalue']}"
        return None

    def close(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def cells_of(master):
    """(kind, grade_id, source) for every code cell; kind: 'setup' (read-only, before the first answer),
    'locked' (read-only, later), 'answer', 'test' (source split into its visible and hidden parts)."""
    out, seen_answer = [], False
    for cell in master.cells:
        if cell.cell_type != "code":
            continue
        meta = cell.metadata.get("nbgrader", {})
        gid = meta.get("grade_id", "")
        if meta.get("solution"):
            seen_answer = True
            out.append(("answer", gid, cell.source))
        elif meta.get("grade"):
            out.append(("test", gid, split_test(cell.source)))
        else:
            out.append(("locked" if seen_answer else "setup", gid, cell.source))
    return out


def split_test(source: str) -> tuple[str, str]:
    """A test cell's visible part (what the student sees) and its hidden part."""
    parts = HIDDEN.split(source)  # visible, "BEGIN", hidden, "END", rest
    return parts[0], (parts[2] if len(parts) > 2 else "")


def measure(aid: str) -> list[Outcome]:
    a = course.find_assignment(aid)
    master = course.master_notebook(a)
    cells = cells_of(master)
    correct = answer_cells(master)
    with tempfile.TemporaryDirectory() as tmp:
        for name in a.data:
            shutil.copy(repo() / "datasets" / name, Path(tmp) / name)
        kernel = Kernel(Path(tmp))
        try:
            for kind, gid, src in cells:
                if kind == "setup":
                    err = kernel.run(src)
                    assert err is None, f"{aid} {gid}: {err}"
            outcomes = []
            position = {gid: i for i, (kind, gid, _) in enumerate(cells) if kind == "answer"}
            first = min(position, key=position.get)
            # Mistakes in the order of their questions: what the cells before a question left in the kernel
            # is then still the solution's, and each run starts at the earliest cell a mistake has touched
            # (the previous mistake's question), instead of re-running every answer from the first.
            mistakes = sorted(MISTAKES[a.id], key=lambda m: position[m[0]])
            clean_until = position[first]  # cells before this index hold the solution's state
            for question, code, label in [(first, None, "the solution (must pass)")] + mistakes:
                answers = answer_cells(master, **({} if code is None else {question: code}))
                start = min(clean_until, position[question])
                names = set().union(*(names_bound(correct[g]) for g, i in position.items() if i >= start))
                names |= names_bound(answers[question])
                kernel.run("\n".join(f"globals().pop({n!r}, None)" for n in sorted(names)))
                clean_until = position[question] if code is not None else len(cells)
                outcome = Outcome(question, label)
                reached = False
                for index, (kind, gid, src) in enumerate(cells):
                    if kind == "setup" or index < start:
                        continue
                    if outcome.flagged and code is not None:
                        break  # the student has been told: a failing visible check also costs that test's points
                    if kind == "answer":
                        reached = reached or gid == question
                        kernel.run(answers[gid])
                    elif kind == "locked":
                        kernel.run(src)
                    elif reached:  # tests before the mistake cannot see it
                        visible, hidden = src
                        err = kernel.run(visible)
                        if err is not None:
                            outcome.flagged = True
                        else:
                            err = kernel.run(hidden) if hidden.strip() else None
                        if err is not None:
                            outcome.loses_points = True
                            outcome.failed_tests.append(gid)
                            outcome.message = outcome.message or err
                if code is None:
                    assert not outcome.loses_points, f"{aid}: the solution fails {outcome.failed_tests}: {outcome.message}"
                    continue
                outcomes.append(outcome)
        finally:
            kernel.close()
    return outcomes


def summary(outcomes: list[Outcome]):
    losing = [o for o in outcomes if o.loses_points]
    flagged = [o for o in losing if o.flagged]
    return len(outcomes), len(losing), len(flagged), (len(flagged) / len(losing) if losing else 1.0)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("assignments", nargs="*", help="a01 … a05 (default: all)")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every mistake and its first message")
    args = parser.parse_args(argv)
    wanted = [course.find_assignment(x).id for x in args.assignments] or sorted(MISTAKES)
    rows = []
    for aid in wanted:
        outcomes = measure(aid)
        if args.verbose:
            for o in outcomes:
                state = "flagged" if o.flagged else ("MISSED" if o.loses_points else "no points lost")
                print(f"{aid[:3]} {o.question:<16} {state:<15} {o.label}\n    {o.message[:160]}")
        rows.append((aid, *summary(outcomes)))
    print("| assignment | mistakes | lose points | flagged by the visible checks | share flagged |")
    print("|---|---|---|---|---|")
    for aid, n, losing, flagged, share in rows:
        print(f"| {aid} | {n} | {losing} | {flagged} | {share:.0%} |")
    return 0 if all(r[-1] >= TARGET for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
