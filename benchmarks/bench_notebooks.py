"""Time and peak memory of every lab and every master, and the cost of a warm book rebuild.

Budgets (issue 2): each notebook executes in under 60 s and under 1 GiB peak memory on the course's
2-core reference machine; a second `make book` with nothing changed takes under 20% of the first.

    python benchmarks/bench_notebooks.py [--repeat 3] [--book]

Each notebook runs in a fresh process that starts its own kernel, the way a student's or the grader's
run does; the peak memory reported is the kernel's (the largest process it waited for).
Figures are medians over the repeats; the machine is shared, so read them as ±20%.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TIME_BUDGET_S = 60
MEMORY_BUDGET_MB = 1024
REBUILD_BUDGET = 0.20


def run_one(path: str) -> None:
    """Child mode: execute one notebook in its folder, print wall seconds and the kernel's peak RSS."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(Path(path).parent)}}).execute()
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # Linux: kilobytes
    print(json.dumps({"seconds": seconds, "peak_mb": peak_kb / 1024}))


def measure(path: Path, repeat: int) -> dict:
    runs = []
    for _ in range(repeat):
        out = subprocess.run([sys.executable, __file__, "--run-one", str(path)], capture_output=True, text=True, check=True)
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {
        "seconds": statistics.median(r["seconds"] for r in runs),
        "peak_mb": statistics.median(r["peak_mb"] for r in runs),
    }


def notebooks(scratch: Path) -> list[tuple[str, Path]]:
    sys.path.insert(0, str(REPO))
    from autograder import course

    found = [(p.relative_to(REPO).as_posix(), p) for p in sorted((REPO / "notebooks").glob("m*/lab*.ipynb"))]
    for a in course.all_assignments():
        found.append((f"instructors/assignments/{a.master.name} (master)", course.write_source(a, scratch)))
    return [(name, p if p.suffix == ".ipynb" else p / f"{p.name}.ipynb") for name, p in found]


def book_rebuild() -> tuple[float, float]:
    """Seconds for `make book` from nothing, then for a second `make book` with nothing changed."""
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", MPLBACKEND="Agg")
    cmd = ["make", "book"]  # what a publisher runs: includes clearing _build/html before each build
    with tempfile.TemporaryDirectory() as saved:
        # Set the real _build aside so the cold build is cold, and put it back afterwards.
        had_build = (REPO / "_build").exists()
        if had_build:
            shutil.move(str(REPO / "_build"), saved)
        try:
            times = []
            for _ in range(2):
                start = time.perf_counter()
                subprocess.run(cmd, cwd=REPO, env=env, check=True, capture_output=True)
                times.append(time.perf_counter() - start)
        finally:
            shutil.rmtree(REPO / "_build", ignore_errors=True)
            if had_build:
                shutil.move(str(Path(saved) / "_build"), REPO / "_build")
    return times[0], times[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--book", action="store_true", help="also time a cold and a warm book build (about 2 minutes)")
    parser.add_argument("--run-one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run_one:
        run_one(args.run_one)
        return 0

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
          f"median of {args.repeat} runs")
    print(f"{'notebook':<62} {'seconds':>8} {'x budget':>8} {'peak MB':>8} {'x budget':>8}")
    over = False
    with tempfile.TemporaryDirectory() as scratch:
        for name, path in notebooks(Path(scratch)):
            m = measure(path, args.repeat)
            t_ratio, m_ratio = m["seconds"] / TIME_BUDGET_S, m["peak_mb"] / MEMORY_BUDGET_MB
            over |= t_ratio > 1 or m_ratio > 1
            print(f"{name:<62} {m['seconds']:8.1f} {t_ratio:8.2f} {m['peak_mb']:8.0f} {m_ratio:8.2f}")
    if args.book:
        cold, warm = book_rebuild()
        ratio = warm / cold
        over |= ratio > REBUILD_BUDGET
        print(f"book build: cold {cold:.1f} s, warm {warm:.1f} s, warm/cold {ratio:.2f} (budget {REBUILD_BUDGET:.2f})")
    print("over budget" if over else "all within budget")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
