"""Benchmark the datasets against issue 3's budgets.

    .venv/bin/python benchmarks/bench_datasets.py

Prints the median of several runs for: generating 100,000 synthetic patients
(budget 2 s), loading each shipped dataset (budget 1 s each), and the size of
the datasets/ folder (budget 20 MB), each with its ratio to the budget.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import clinical_data
from clinical_data import load, make_cohort

RUNS = 7
COHORT_BUDGET_S = 2.0
LOAD_BUDGET_S = 1.0
SIZE_BUDGET_MB = 20.0


def median_seconds(fn, runs=RUNS):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def row(label, value, budget, unit):
    print(f"{label:<38} {value:>9.3f} {unit:<3} budget {budget:>5.1f} {unit:<3} ratio {value / budget:5.2f}")


def main():
    print(f"median of {RUNS} runs\n")
    row("make_cohort(100_000)", median_seconds(lambda: make_cohort(100_000, seed=0)), COHORT_BUDGET_S, "s")
    row("make_cohort(100_000, all knobs on)", median_seconds(lambda: make_cohort(
        100_000, seed=0, label_proxy="cost", g1_train_share=0.05, spo2_bias=True,
        missing_by_group=True, shift=True)), COHORT_BUDGET_S, "s")
    for name in clinical_data.names():
        row(f"load({name!r})", median_seconds(lambda: load(name)), LOAD_BUDGET_S, "s")
    folder = Path(clinical_data.__file__).parent
    size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    row("datasets/ folder size", size / 1024**2, SIZE_BUDGET_MB, "MB")


if __name__ == "__main__":
    main()
