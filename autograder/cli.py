"""`autograder`: the instructor's commands, one per step, on top of nbgrader.

    autograder release a01 | --all              master -> nbgrader -> student notebook in notebooks/
    autograder collect a01 --from PATH          a folder of <student_id>/<notebook>.ipynb, or an LMS download
                          [--roster CSV]          (Canvas, Moodle, Blackboard: zip or folder), ids mapped by the roster
    autograder grade a01 [--submissions PATH]   autograde in parallel, sandboxed; scores table + grades CSV
    autograder feedback a01 [--lms KIND]        one HTML per student, no hidden test or solution in it
    autograder export [a01 --lms KIND]          grades CSV of every assignment, or the LMS's grade import
    autograder report a01                       class report: plots, item analysis, mastery, study plans

Bad input (unknown assignment, missing folder) is one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from autograder import collecting, course, grading, lms, repository, results, sandbox
from autograder.layout import CourseRoot


class Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, not a usage block
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    common = Parser(add_help=False)
    common.add_argument("--course-root", metavar="DIR",
                        help="nbgrader course root, created if missing (default: course/ in the course repository, "
                             "or $AUTOGRADER_COURSE_ROOT)")
    common.add_argument("--course-repo", metavar="DIR",
                        help="the course repository (default: the working directory or the nearest folder above it "
                             "holding instructors/assignments/, or $AUTOGRADER_COURSE_REPO)")
    p = Parser(prog="autograder", description="Release, collect, grade and report on the course's nbgrader assignments.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)

    r = sub.add_parser("release", parents=[common], help="generate the student version of assignments into notebooks/")
    r.add_argument("assignment", nargs="?", help="a01 or a01_diagnostic_models")
    r.add_argument("--all", action="store_true", help="release every assignment in instructors/assignments/")
    r.add_argument("--notebooks", metavar="DIR", help="where student folders go (default: the repository's notebooks/)")
    r.add_argument("--no-check", action="store_true",
                   help="skip running the solution and the blank release against the tests first")

    c = sub.add_parser("collect", parents=[common], help="copy submissions into the course root")
    c.add_argument("assignment")
    c.add_argument("--from", dest="source", metavar="PATH",
                   help="folder of <student_id>/<notebook>.ipynb, or an LMS zip download")
    c.add_argument("--undo", action="store_true", help="undo the last collect of this assignment")
    c.add_argument("--pattern", help="regex naming student_id (and timestamp) in the file names of another kind of zip")
    c.add_argument("--lms", choices=lms.KINDS, help="the LMS the download comes from, when it cannot be told")
    c.add_argument("--roster", metavar="CSV", help="the LMS's roster export: maps LMS ids to the gradebook's student ids")

    g = sub.add_parser("grade", parents=[common], help="autograde every collected submission, in parallel and sandboxed")
    g.add_argument("assignment")
    g.add_argument("--submissions", metavar="PATH", help="collect from this folder or zip first")
    g.add_argument("--workers", type=int, metavar="N", help="parallel kernels (default: one per core, plus one)")
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
    f.add_argument("--lms", choices=lms.KINDS, help="also package the files the way this LMS takes them back")

    e = sub.add_parser("export", parents=[common], help="grades CSV of every assignment, or one assignment's LMS import")
    e.add_argument("assignment", nargs="?", help="with --lms: the assignment to export")
    e.add_argument("--lms", choices=lms.KINDS, help="write the grade import file of this LMS")
    e.add_argument("--column", metavar="NAME", help="with --lms: the gradebook column's header as the LMS exports it "
                   "(Canvas: 'A01 (1234)'; Blackboard: 'A01 [Total Pts: 20 Score] |5678'); default: a new column")
    e.add_argument("--out", metavar="CSV", help="default: <course root>/grades.csv, or <course root>/lms/<assignment>-<lms>.csv")

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
    notebooks = Path(args.notebooks).resolve() if args.notebooks else repository.repo() / "notebooks"
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
        undone = collecting.undo_collect(a, root)
        print(f"undid the last collect of {a.id}: {len(undone)} submissions put back as they were")
        return 0
    source = Path(args.source).resolve()
    if not source.exists():
        raise course.UsageError(f"no submissions at {source}")
    roster = Path(args.roster).resolve() if args.roster else None
    if lms.is_download(source, args.pattern, args.lms, roster):
        if roster is not None:
            lms.read_roster(roster)  # bad roster: refused before anything is written
        return _collect_lms(a, course.course_root(args.course_root), source, args.lms, roster)
    root = course.course_root(args.course_root)
    placed, problems = collecting.collect(a, root, source, args.pattern)
    print(f"collected {len(placed)} submissions of {a.id} into {CourseRoot(root).step('submitted')} (undo: autograder collect {a.id[:3]} --undo)")
    _report_problems(problems)
    return 2 if problems else 0


def _collect_lms(a, root: Path, source: Path, kind: str | None, roster: Path | None) -> int:
    got = lms.collect(a, root, source, kind, roster)
    late = [s.student_id for s in got.placed if s.late]
    print(f"collected {len(got.placed)} submissions of {a.id} from a {got.kind.capitalize()} download into {CourseRoot(root).step('submitted')}"
          + (f"; marked late by {got.kind.capitalize()}: {', '.join(late)}" if late else ""))
    for label, items in (("files not collected", got.unplaced), ("not on the roster (collected under their LMS id)", got.not_on_roster),
                         ("on the roster without a submission", got.without_submission)):
        if items:
            print(f"autograder: {label}: {'; '.join(items)}", file=sys.stderr)
    for student, _status, detail in got.problems:
        print(f"autograder: {student} not collected: {detail}", file=sys.stderr)
    return 2 if got.problems else 0


def cmd_grade(args) -> int:
    a = course.find_assignment(args.assignment)
    source = Path(args.submissions).resolve() if args.submissions else None
    if source is not None and not source.exists():
        raise course.UsageError(f"no submissions folder at {source}")
    for name in ("workers", "cell_timeout", "notebook_timeout", "memory_mb"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise course.UsageError(f"--{name.replace('_', '-')} must be a positive number")
    weak = sandbox.check_sandbox(args.sandbox)  # refuses before anything is written
    if weak:
        print(f"autograder: warning: {weak}", file=sys.stderr)
    root = course.course_root(args.course_root)
    problems: list[results.Result] = []
    if source is not None:
        _, problems = collecting.collect(a, root, source)
    limits = sandbox.Limits(cell_seconds=args.cell_timeout, notebook_seconds=args.notebook_timeout, memory_mb=args.memory_mb)
    graded = grading.grade(a, root, workers=args.workers, scheduler=args.scheduler, force=args.force, limits=limits,
                            sandbox=args.sandbox, progress=_progress(f"grading {a.id}"), only=args.student)
    listed = {r.student for r in graded}
    graded = sorted(graded + [r for r in problems if r.student not in listed], key=lambda r: r.student)
    out = Path(args.out).resolve() if args.out else CourseRoot(root).grades_csv(a)
    results.write_csv(a, graded, out)
    print(results.table(graded))
    print(f"grades written to {out}")
    ungraded = [r for r in graded if r.status != "graded"]
    for r in ungraded:
        print(f"autograder: {r.student} not graded: {r.detail}", file=sys.stderr)
    return 2 if ungraded else 0


def cmd_feedback(args) -> int:
    from autograder import feedback

    a = course.find_assignment(args.assignment)
    root = course.existing_root(args.course_root)
    if args.lms:
        lms.read_manifest(root, a)  # refuse before writing when nothing was collected from an LMS
    written = feedback.write_all(a, root)
    print(f"wrote {len(written)} feedback files under {CourseRoot(root).step('feedback')}")
    if args.lms:
        out = lms.package_feedback(a, root, args.lms)
        how = {"moodle": "upload it with 'Upload multiple feedback files in a zip'",
               "canvas": "Canvas's bulk re-upload takes only files named as the student's own submission: attach each folder's file in SpeedGrader",
               "blackboard": "attach each folder's file in the Grade Center's attempt"}[args.lms]
        print(f"feedback for {args.lms.capitalize()} in {out} ({how})")
    return 0


def cmd_export(args) -> int:
    from autograder import report

    root = course.existing_root(args.course_root)
    if args.lms:
        if not args.assignment:
            raise course.UsageError("--lms needs the assignment to export, e.g. `autograder export a01 --lms canvas`")
        a = course.find_assignment(args.assignment)
        out = Path(args.out).resolve() if args.out else CourseRoot(root).lms_grades(a, args.lms)
        rows, left_out, pending = lms.write_grades(a, root, args.lms, out, args.column)
        print(f"wrote {rows} grades for {args.lms.capitalize()} to {out}")
        if pending:
            print(f"autograder: written answers not graded yet (grade holds the autograded points only): {', '.join(pending)}",
                  file=sys.stderr)
        if left_out:
            print(f"autograder: not exported: {', '.join(left_out)}", file=sys.stderr)
        return 0
    if args.assignment or args.column:
        raise course.UsageError("an assignment and --column go with --lms")
    out = Path(args.out).resolve() if args.out else CourseRoot(root).all_grades_csv
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
        repository.use(args.course_repo)
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
