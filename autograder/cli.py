"""`autograder`: the instructor's commands, one per step, on top of nbgrader.

    autograder release a01 | --all              master -> nbgrader -> student notebook in notebooks/
    autograder collect a01 --from PATH          a folder of <student_id>/<notebook>.ipynb, or an LMS zip
    autograder grade a01 [--submissions PATH]   autograde in parallel, sandboxed; scores table + grades CSV
    autograder feedback a01                     one HTML per student, no hidden test or solution in it
    autograder export                           grades CSV of every assignment (nbgrader's columns + questions)
    autograder report a01                       class report: plots, item analysis, mastery, study plans

Bad input (unknown assignment, missing folder) is one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from autograder import course, grading, sandbox


class Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, not a usage block
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--course-root", metavar="DIR",
                        help=f"nbgrader course root, created if missing (default: $AUTOGRADER_COURSE_ROOT, else {course.DEFAULT_ROOT})")
    p = Parser(prog="autograder", description="Release, collect, grade and report on the course's nbgrader assignments.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)

    r = sub.add_parser("release", parents=[common], help="generate the student version of assignments into notebooks/")
    r.add_argument("assignment", nargs="?", help="a01 or a01_diagnostic_models")
    r.add_argument("--all", action="store_true", help="release every assignment in instructors/assignments/")
    r.add_argument("--notebooks", metavar="DIR", default=str(course.REPO / "notebooks"),
                   help="where student folders go (default: the repository's notebooks/)")
    r.add_argument("--no-check", action="store_true",
                   help="skip running the solution and the blank release against the tests first")

    c = sub.add_parser("collect", parents=[common], help="copy submissions into the course root")
    c.add_argument("assignment")
    c.add_argument("--from", dest="source", metavar="PATH",
                   help="folder of <student_id>/<notebook>.ipynb, or an LMS zip download")
    c.add_argument("--undo", action="store_true", help="undo the last collect of this assignment")
    c.add_argument("--pattern", default=grading.LMS_NAME, help="regex naming student_id (and timestamp) in LMS file names")

    g = sub.add_parser("grade", parents=[common], help="autograde every collected submission, in parallel and sandboxed")
    g.add_argument("assignment")
    g.add_argument("--submissions", metavar="PATH", help="collect from this folder or zip first")
    g.add_argument("--workers", type=int, metavar="N", help="parallel kernels (default: one per core)")
    g.add_argument("--scheduler", metavar="ADDRESS", help="send the work to an existing Dask cluster (tcp://host:8786)")
    g.add_argument("--force", action="store_true", help="grade every submission again, not only new or changed ones")
    g.add_argument("--student", action="append", metavar="ID",
                   help="grade this student again (repeat for several); everyone else's grades stay as they are")
    g.add_argument("--cell-timeout", type=int, default=sandbox.Limits.cell_seconds, metavar="S")
    g.add_argument("--notebook-timeout", type=int, default=sandbox.Limits.notebook_seconds, metavar="S")
    g.add_argument("--memory-mb", type=int, default=sandbox.Limits.memory_mb, metavar="MB")
    g.add_argument("--sandbox", choices=["auto", "bwrap", "none"], default="auto",
                   help="bwrap: Linux namespaces (auto: bwrap, refusing to run without it); none: a throwaway folder only, "
                        "student code runs with your rights")
    g.add_argument("--out", metavar="CSV", help="grades CSV (default: <course root>/grades/<assignment>.csv)")

    f = sub.add_parser("feedback", parents=[common], help="write one feedback HTML per graded student")
    f.add_argument("assignment")

    e = sub.add_parser("export", parents=[common], help="grades CSV of every assignment")
    e.add_argument("--out", metavar="CSV", help="default: <course root>/grades.csv")

    rp = sub.add_parser("report", parents=[common], help="class report with plots and study plans (HTML)")
    rp.add_argument("assignment")
    rp.add_argument("--book-url", default=None, help="where the published book lives (default: the local build)")
    return p


def _progress(total_label: str):
    from tqdm import tqdm

    bar = None

    def update(done: int, total: int, student: str):
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, desc=total_label, unit="nb", file=sys.stderr, leave=True)
        bar.set_postfix_str(student)
        bar.update(1)
        if done == total:
            bar.close()

    return update


def cmd_release(args) -> int:
    if args.all == bool(args.assignment):
        raise course.UsageError("name one assignment, or use --all")
    assignments = course.all_assignments() if args.all else [course.find_assignment(args.assignment)]
    notebooks = Path(args.notebooks).resolve()
    if not notebooks.is_dir():
        raise course.UsageError(f"no notebooks folder at {notebooks}")
    root = course.course_root(args.course_root)
    for a in assignments:
        target = course.release(a, root, notebooks, check=not args.no_check)
        print(f"released {a.id} -> {target}")
    return 0


def _report_problems(problems) -> None:
    for r in problems:
        print(f"autograder: {r.student} not collected: {r.detail}", file=sys.stderr)


def cmd_collect(args) -> int:
    a = course.find_assignment(args.assignment)
    if args.undo == bool(args.source):
        raise course.UsageError("give --from PATH to collect, or --undo to undo the last collect")
    if args.undo:
        root = course.course_root(args.course_root)
        undone = grading.undo_collect(a, root)
        print(f"undid the last collect of {a.id}: {len(undone)} submissions put back as they were")
        return 0
    source = Path(args.source).resolve()
    if not source.exists():
        raise course.UsageError(f"no submissions at {source}")
    root = course.course_root(args.course_root)
    placed, problems = grading.collect(a, root, source, args.pattern)
    print(f"collected {len(placed)} submissions of {a.id} into {root / 'submitted'} (undo: autograder collect {a.id[:3]} --undo)")
    _report_problems(problems)
    return 2 if problems else 0


def cmd_grade(args) -> int:
    a = course.find_assignment(args.assignment)
    source = Path(args.submissions).resolve() if args.submissions else None
    if source is not None and not source.exists():
        raise course.UsageError(f"no submissions folder at {source}")
    for name in ("workers", "cell_timeout", "notebook_timeout", "memory_mb"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise course.UsageError(f"--{name.replace('_', '-')} must be a positive number")
    weak = sandbox.check_isolation(args.sandbox)  # refuses before anything is written
    if weak:
        print(f"autograder: warning: {weak}", file=sys.stderr)
    root = course.course_root(args.course_root)
    problems = []
    if source is not None:
        _, problems = grading.collect(a, root, source)
    limits = sandbox.Limits(cell_seconds=args.cell_timeout, notebook_seconds=args.notebook_timeout, memory_mb=args.memory_mb)
    results = grading.grade(a, root, workers=args.workers, scheduler=args.scheduler, force=args.force, limits=limits,
                            isolation=args.sandbox, progress=_progress(f"grading {a.id}"), only=args.student)
    listed = {r.student for r in results}
    results = sorted(results + [r for r in problems if r.student not in listed], key=lambda r: r.student)
    out = Path(args.out).resolve() if args.out else root / "grades" / f"{a.id}.csv"
    grading.write_csv(a, results, out)
    print(grading.table(results))
    print(f"grades written to {out}")
    ungraded = [r for r in results if r.status != "graded"]
    for r in ungraded:
        print(f"autograder: {r.student} not graded: {r.detail}", file=sys.stderr)
    return 2 if ungraded else 0


def cmd_feedback(args) -> int:
    from autograder import feedback

    a = course.find_assignment(args.assignment)
    root = course.existing_root(args.course_root)
    written = feedback.write_all(a, root)
    print(f"wrote {len(written)} feedback files under {root / 'feedback'}")
    return 0


def cmd_export(args) -> int:
    from autograder import report

    root = course.existing_root(args.course_root)
    out = Path(args.out).resolve() if args.out else root / "grades.csv"
    rows = report.export(root, out)
    print(f"wrote {rows} rows to {out}")
    return 0


def cmd_report(args) -> int:
    from autograder import report

    a = course.find_assignment(args.assignment)
    root = course.existing_root(args.course_root)
    out = report.write_report(a, root, book_url=args.book_url)
    print(f"report written to {out}")
    return 0


COMMANDS = {"release": cmd_release, "collect": cmd_collect, "grade": cmd_grade,
            "feedback": cmd_feedback, "export": cmd_export, "report": cmd_report}


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # nbgrader's gradebook code trips SQLAlchemy warnings about its own session use: not the user's concern.
    warnings.filterwarnings("ignore", module=r"nbgrader\.")
    warnings.filterwarnings("ignore", message=r".*not in session.*")
    try:
        return COMMANDS[args.command](args)
    except course.UsageError as exc:
        print(f"autograder: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("autograder: interrupted; grades already written are kept, run the command again to resume",
              file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
