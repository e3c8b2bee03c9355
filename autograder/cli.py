"""`autograder`: the instructor's commands, one per step, on top of nbgrader.

    autograder release a01 [--all]              master -> nbgrader -> student notebook in notebooks/
    autograder grade a01 --submissions DIR      autograde every submission, print scores, write grades CSV

Bad input (unknown assignment, missing folder) is one line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from autograder import course, grading


class Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, not a usage block
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--course-root", metavar="DIR",
                        help="nbgrader course root, created if missing (default: ./course, or $AUTOGRADER_COURSE_ROOT)")
    p = Parser(prog="autograder", description="Release and grade the course's nbgrader assignments.")
    sub = p.add_subparsers(dest="command", required=True, parser_class=Parser)

    r = sub.add_parser("release", parents=[common], help="generate the student version of assignments into notebooks/")
    r.add_argument("assignment", nargs="?", help="a01 or a01_diagnostic_models")
    r.add_argument("--all", action="store_true", help="release every assignment in instructors/assignments/")
    r.add_argument("--notebooks", metavar="DIR", default=str(course.REPO / "notebooks"),
                   help="where student folders go (default: the repository's notebooks/)")

    g = sub.add_parser("grade", parents=[common], help="autograde every submission of an assignment")
    g.add_argument("assignment", help="a01 or a01_diagnostic_models")
    g.add_argument("--submissions", metavar="DIR", required=True, help="folder of <student_id>/<notebook>.ipynb")
    g.add_argument("--out", metavar="CSV", help="grades CSV (default: <course root>/grades/<assignment>.csv)")
    return p


def cmd_release(args) -> int:
    if args.all == bool(args.assignment):
        raise course.UsageError("name one assignment, or use --all")
    assignments = course.all_assignments() if args.all else [course.find_assignment(args.assignment)]
    notebooks = Path(args.notebooks).resolve()
    if not notebooks.is_dir():
        raise course.UsageError(f"no notebooks folder at {notebooks}")
    root = course.course_root(args.course_root)
    for a in assignments:
        target = course.release(a, root, notebooks)
        print(f"released {a.id} -> {target}")
    return 0


def cmd_grade(args) -> int:
    a = course.find_assignment(args.assignment)
    submissions = Path(args.submissions).resolve()
    grading.find_submissions(a, submissions)  # bad input is reported before anything is written
    root = course.course_root(args.course_root)
    results = grading.grade(a, root, submissions, progress=lambda msg: print(msg, file=sys.stderr))
    out = Path(args.out).resolve() if args.out else root / "grades" / f"{a.id}.csv"
    grading.write_csv(a, results, out)
    print(grading.table(results))
    print(f"grades written to {out}")
    ungraded = [r for r in results if r.status != "graded"]
    for r in ungraded:
        print(f"autograder: {r.student} not graded: {r.detail}", file=sys.stderr)
    return 2 if ungraded else 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return {"release": cmd_release, "grade": cmd_grade}[args.command](args)
    except course.UsageError as exc:
        print(f"autograder: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
