"""Grading throughput and per-submission overhead, measured in one run on the same submissions.

    python benchmarks/bench_grading.py [--n 200] [--workers N] [--sample 10]

1. A simulated class of N submissions of assignment 1 (varied quality, tests/submissions.py).
2. Plain sequential nbgrader: `nbgrader autograde a01_diagnostic_models` over the whole class in one
   process, on its own course root.
3. `autograder grade a01 --force` on the same submissions, its own course root.
   Targets: throughput at least 1.8x nbgrader's on a 2-core machine, every student's score identical.
4. Per-submission overhead: for a sample of the submissions, one at a time, autograder's three steps
   (nbgrader sanitise, sandboxed execution with the test cells in the judge, nbgrader scoring) against bare
   nbclient execution of the same sanitised notebook (tests in the kernel). Target: at most 1.3x (median ratio).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import nbformat  # noqa: E402

from autograder import course, grading, sandbox  # noqa: E402
from autograder.layout import CourseRoot  # noqa: E402
from autograder.judge import trusted_cells  # noqa: E402
from tests.submissions import simulated_class  # noqa: E402

BIN = Path(sys.executable).parent


def gradebook_scores(root: Path, aid: str) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        return {s.student.id: sum(g.auto_score or 0 for nb in s.notebooks for g in nb.grades if g.cell.cell_type == "code")
                for s in gb.find_assignment(aid).submissions}


def make_class(a, folder: Path, n: int) -> None:
    release = nbformat.read(a.student_dir(REPO / "notebooks") / a.notebook_name, as_version=4)
    for student, nb, _ in simulated_class(course.master_notebook(a), release, n, seed=2026):
        (folder / student).mkdir(parents=True)
        nbformat.write(nb, folder / student / a.notebook_name)


def plain_nbgrader(a, subs: Path, root: Path) -> float:
    course.course_root(root)
    grading.prepare(a, root)
    for student in sorted(p.name for p in subs.iterdir()):
        target = CourseRoot(root).submitted(a, student)
        target.mkdir(parents=True)
        shutil.copy2(subs / student / a.notebook_name, target / a.notebook_name)
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}")
    start = time.perf_counter()
    subprocess.run([str(BIN / "nbgrader"), "autograde", a.id], cwd=root, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def autograder_grade(a, subs: Path, root: Path, workers: int | None) -> float:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}")
    cmd = [str(BIN / "autograder"), "grade", "a01", "--submissions", str(subs), "--course-root", str(root), "--force"]
    if workers:
        cmd += ["--workers", str(workers)]
    start = time.perf_counter()
    subprocess.run(cmd, env=env, capture_output=True)  # exit 2 is possible (no malformed ones here, though)
    return time.perf_counter() - start


def overhead(a, root: Path, sample: list[str]) -> list[tuple[float, float]]:
    """(autograder seconds, bare nbclient seconds) per sampled submission, run one at a time."""
    from nbclient import NotebookClient

    where = CourseRoot(root)
    data = {name: (where.source(a) / name).read_bytes() for name in a.data}
    sanitise, score = grading._sanitise_api(root), grading._score_api(root)
    judge_cells = trusted_cells(nbformat.read(where.source(a) / a.notebook_name, as_version=4))
    pairs = []
    for student in sample:
        start = time.perf_counter()
        sanitise.autograde(a.id, student, force=True, create=True)
        sanitised = where.autograded(a, student) / a.notebook_name
        text = sanitised.read_text()
        executed = sandbox.execute({"notebook": text, "files": data, "course_root": str(root), "judge_cells": judge_cells})
        out = where.executed(a, student)
        out.mkdir(parents=True, exist_ok=True)
        (out / a.notebook_name).write_text(executed["notebook"])
        score.autograde(a.id, student, force=True, create=True)
        ours = time.perf_counter() - start

        with tempfile.TemporaryDirectory() as work:
            for name, blob in data.items():
                (Path(work) / name).write_bytes(blob)
            nb = nbformat.reads(text, as_version=4)
            start = time.perf_counter()
            NotebookClient(nb, timeout=60, kernel_name="python3", allow_errors=True,
                           resources={"metadata": {"path": work}}).execute()
            bare = time.perf_counter() - start
        pairs.append((ours, bare))
    return pairs


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--workers", type=int)
    parser.add_argument("--sample", type=int, default=10)
    args = parser.parse_args()
    os.environ["PATH"] = f"{BIN}{os.pathsep}{os.environ['PATH']}"
    a = course.find_assignment("a01")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"sandbox: {'bwrap' if sandbox.bwrap_available() else 'none'}; class of {args.n}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        make_class(a, tmp / "subs", args.n)
        t_plain = plain_nbgrader(a, tmp / "subs", tmp / "plain")
        t_ours = autograder_grade(a, tmp / "subs", tmp / "ours", args.workers)
        plain, ours = gradebook_scores(tmp / "plain", a.id), gradebook_scores(tmp / "ours", a.id)
        same = plain == ours and len(ours) == args.n
        print(f"plain sequential nbgrader autograde: {t_plain:7.1f} s  ({args.n / t_plain:.2f} submissions/s)")
        print(f"autograder grade ({args.workers or sandbox.default_workers()} workers):      {t_ours:7.1f} s  ({args.n / t_ours:.2f} submissions/s)")
        print(f"throughput ratio: {t_plain / t_ours:.2f}x (target >= 1.8x); scores identical for all {args.n}: {same}")
        if not same:
            diff = sorted(s for s in set(plain) | set(ours) if plain.get(s) != ours.get(s))
            print(f"  differing students: {diff[:10]}")
        pairs = overhead(a, tmp / "ours", sorted(ours)[: args.sample])
        ratio = statistics.median(o / b for o, b in pairs)
        print(f"per submission (median of {len(pairs)}): autograder {statistics.median(o for o, _ in pairs):.2f} s, "
              f"bare nbclient {statistics.median(b for _, b in pairs):.2f} s, ratio {ratio:.2f}x (target <= 1.3x)")
    return 0 if same and t_plain / t_ours >= 1.8 and ratio <= 1.3 else 1


if __name__ == "__main__":
    sys.exit(main())
