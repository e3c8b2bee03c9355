"""The course: where masters live, the git-ignored nbgrader course root, and the steps between them.

Flow of one assignment (see DESIGN.md): ``instructors/assignments/aNN_<slug>.py`` (jupytext percent with
nbgrader metadata) -> ``<root>/source/aNN_<slug>/`` (notebook + its data) -> ``nbgrader generate_assignment``
-> ``<root>/release/aNN_<slug>/`` -> copied to ``notebooks/mNN_<slug>/aNN_<slug>/`` for students.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat

from autograder.layout import CourseRoot
from autograder.notebooks import render, to_notebook
from autograder import repository
from autograder.repository import repo

ASSIGNMENT_ID = re.compile(r"^a\d\d_[a-z0-9_]+$")


class UsageError(Exception):
    """Bad input from the person at the keyboard: reported as one line, exit status 2."""


@dataclass(frozen=True, eq=False)
class Assignment:
    id: str  # aNN_<slug>: nbgrader's assignment id and the notebook's name
    master: Path
    title: str
    module: str  # mNN_<slug>: the notebooks/ folder students open
    data: tuple[str, ...]  # files from datasets/ that travel with the notebook
    sections: dict  # learning objective -> the book page that teaches it

    @property
    def notebook_name(self) -> str:
        return f"{self.id}.ipynb"

    def student_dir(self, notebooks: Path) -> Path:
        return notebooks / self.module / self.id


def all_assignments() -> list[Assignment]:
    return [load_assignment(p) for p in sorted((repo() / "instructors" / "assignments").glob("a[0-9][0-9]_*.py"))]


def load_assignment(master: Path) -> Assignment:
    meta = jupytext.read(master, fmt="py:percent").metadata.get("autograder", {})
    aid = master.stem
    if not ASSIGNMENT_ID.match(aid):
        raise UsageError(f"{master.name}: an assignment's name must look like a01_<slug>")
    missing = [key for key in ("title", "module") if key not in meta]
    if missing:
        raise UsageError(f"{master.name}: the header's `autograder:` block lacks {', '.join(missing)}")
    return Assignment(aid, master, meta["title"], meta["module"], tuple(meta.get("data", ())), dict(meta.get("sections", {})))


def find_assignment(name: str) -> Assignment:
    """Accept ``a01`` or ``a01_diagnostic_models``."""
    known = all_assignments()
    for a in known:
        if name in (a.id, a.id[:3]):
            return a
    names = ", ".join(a.id for a in known) or "none"
    raise UsageError(f"unknown assignment {name!r}; the assignments are: {names}")


HEADER = re.compile(r"^# %%.*?\bnbgrader=(\{.*?\})(?:\s+\w+=\{|\s*$)")
MARKERS = ("SOLUTION", "HIDDEN TESTS")


def check_master(a: Assignment) -> None:
    """Refuse a master nbgrader would choke on, naming the cell and the cause in one line."""
    import json

    text = a.master.read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith("# %%") and "nbgrader=" in line:
            m = HEADER.match(line)
            try:
                json.loads(m[1] if m else line.split("nbgrader=", 1)[1])
            except (ValueError, TypeError) as exc:
                raise UsageError(f"{a.master.name} line {number}: the cell's nbgrader metadata is not valid JSON ({exc})") from None
    seen: dict[str, int] = {}
    for index, cell in enumerate(to_notebook(text).cells):
        meta = cell.metadata.get("nbgrader")
        name = (meta or {}).get("grade_id") or f"cell {index + 1}"
        if meta is not None:
            if not isinstance(meta, dict) or "grade_id" not in meta:
                raise UsageError(f"{a.master.name}, cell {index + 1}: nbgrader metadata without a grade_id")
            if name in seen:
                raise UsageError(f"{a.master.name}: question id {name!r} is used twice (cells {seen[name]} and {index + 1})")
            seen[name] = index + 1
            if meta.get("grade") and not isinstance(meta.get("points"), (int, float)):
                raise UsageError(f"{a.master.name}, {name}: a graded cell needs its points (\"points\": 2)")
        for kind in MARKERS:
            begins = len(re.findall(rf"^[ \t#]*### BEGIN {kind}\b", cell.source, re.M))
            ends = len(re.findall(rf"^[ \t#]*### END {kind}\b", cell.source, re.M))
            if begins != ends:
                missing = "END" if begins > ends else "BEGIN"
                raise UsageError(f"{a.master.name}, {name}: ### BEGIN {kind} and ### END {kind} do not pair up "
                                 f"(a ### {missing} {kind} is missing)")


def check_runs(a: Assignment, root: Path) -> None:
    """Refuse a master whose solution fails one of its tests, or whose blank release passes one.

    Runs ``source/`` (the solutions) and ``release/`` (what students get) of the course root, each on a
    fresh kernel in a scratch folder with the assignment's data."""
    import tempfile

    from nbclient import NotebookClient

    from autograder import sandbox

    def run(path: Path) -> nbformat.NotebookNode:
        nb = nbformat.read(path, as_version=4)
        with tempfile.TemporaryDirectory() as scratch:
            for name in a.data:
                shutil.copy2(CourseRoot(root).source(a) / name, scratch)
            NotebookClient(nb, timeout=sandbox.Limits.cell_seconds, kernel_name="python3", allow_errors=True,
                           resources={"metadata": {"path": scratch}}).execute()
        return nb

    def failures(nb):
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type == "code" and meta.get("grade"):
                errors = [o for o in cell.outputs if o.output_type == "error"]
                yield meta["grade_id"], (f"{errors[0].ename}: {str(errors[0].evalue).strip().splitlines()[0][:150] if str(errors[0].evalue).strip() else ''}" if errors else None)

    for gid, error in failures(run(CourseRoot(root).source(a) / a.notebook_name)):
        if error:
            raise UsageError(f"{a.master.name}, {gid}: the solution fails this test ({error}); nothing was released")
    for gid, error in failures(run(CourseRoot(root).release(a) / a.notebook_name)):
        if error is None:
            raise UsageError(f"{a.master.name}, {gid}: the blank release passes this test, so it scores points "
                             "for no work; nothing was released")


def master_notebook(a: Assignment) -> nbformat.NotebookNode:
    """The master as a notebook; a graded cell's id is its grade_id, so nbgrader's and git's views agree."""
    check_master(a)
    nb = to_notebook(a.master.read_text(encoding="utf-8"))
    for cell in nb.cells:
        cell["id"] = cell.metadata.get("nbgrader", {}).get("grade_id", cell["id"])
    return nb


def course_root(path: str | os.PathLike | None = None) -> Path:
    root = Path(path or os.environ.get("AUTOGRADER_COURSE_ROOT") or repo() / "course").resolve()
    root.mkdir(parents=True, exist_ok=True)
    CourseRoot(root).exchange.mkdir(exist_ok=True)  # nbgrader's exchange for this course only (Exchange.root)
    write_config(root)
    return root


# ---------------------------------------------------------------- nbgrader's configuration, built once

YOURS = "# ---- Your own nbgrader settings go below this line: autograder keeps them and uses them too. ----"
FEEDBACK_PREPROCESSORS = [  # formgrader's Generate Feedback button and `nbgrader generate_feedback` use these too
    "nbgrader.preprocessors.GetGrades",
    "autograder.feedback.SafeFeedback",  # one-line errors, no traceback, master's hidden lines redacted
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]


def course_settings(path: Path | None = None) -> dict:
    """``instructors/course.toml``: due dates per assignment and the late-submission policy."""
    import tomllib

    # due dates and the late policy: instructors/course.toml of the course repository, or $AUTOGRADER_COURSE_FILE
    path = path or Path(os.environ.get("AUTOGRADER_COURSE_FILE") or repo() / "instructors" / "course.toml")
    if not path.is_file():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path.name}: {exc}") from None


def due_date(a: Assignment, settings: dict | None = None):
    """The assignment's due date from course.toml as naive UTC (nbgrader's convention), or None."""
    from datetime import datetime, timezone

    due = (settings if settings is not None else course_settings()).get("due", {}).get(a.id)
    if due is None:
        return None
    if isinstance(due, str):
        try:
            due = datetime.fromisoformat(due)
        except ValueError:
            raise UsageError(f"course.toml: the due date of {a.id} ({due!r}) is not a date like 2027-02-01T17:00:00Z") from None
    if not isinstance(due, datetime):
        raise UsageError(f"course.toml: the due date of {a.id} needs a time and a zone, like 2027-02-01T17:00:00Z")
    if due.tzinfo is None:
        raise UsageError(f"course.toml: the due date of {a.id} needs a time zone, like 2027-02-01T17:00:00Z")
    return due.astimezone(timezone.utc).replace(tzinfo=None)


def set_due_date(a: Assignment, root: Path) -> None:
    """The gradebook's due date for ``a`` from course.toml (nbgrader computes lateness and penalties from it)."""
    from nbgrader.api import Gradebook

    with Gradebook(CourseRoot(root).db_url) as gb:
        gb.update_or_create_assignment(a.id, duedate=due_date(a))


def _own_settings(root: Path) -> str:
    """What the instructor wrote below the marker line of the course root's nbgrader_config.py."""
    config = CourseRoot(root).config
    text = config.read_text(encoding="utf-8") if config.is_file() else ""
    return text.split(YOURS, 1)[1].strip("\n") if YOURS in text else ""


def base_config(root: Path, *, own: bool = True):
    """nbgrader's configuration for this course root: the one source of nbgrader_config.py there too.

    ``own``: with the instructor's own settings from below the marker line of that file (they win).
    """
    # nbgrader runs the `alembic` command when it first creates a gradebook: it must be on PATH.
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    from traitlets.config import Config

    from autograder import sandbox

    cfg = Config()
    cfg.CourseDirectory.root = str(root)
    cfg.CourseDirectory.course_id = "clinical-ai-course-kit"
    cfg.Exchange.root = str(CourseRoot(root).exchange)  # never the world-writable system exchange
    cfg.Execute.timeout = sandbox.Limits.cell_seconds
    cfg.Execute.kernel_name = "python3"
    cfg.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
    cfg.OverwriteCells.add_missing_cells = True
    cfg.GenerateFeedback.preprocessors = list(FEEDBACK_PREPROCESSORS)
    cfg.HTMLExporter.extra_template_basedirs = [str(Path(__file__).parent / "templates"), _nbgrader_templates()]
    late = course_settings().get("late", {})
    if late:
        cfg.AssignLatePenalties.plugin_class = "autograder.late.LatePenalty"
        cfg.LatePenalty.penalty_method = late.get("method", "none")
        cfg.LatePenalty.points_per_day = float(late.get("points_per_day", 0))
    mine_text = _own_settings(root) if own else ""
    if mine_text.strip():
        mine = Config()
        try:
            exec(compile(mine_text, str(CourseRoot(root).config), "exec"), {"c": mine, "get_config": lambda: mine})
        except Exception as exc:  # the instructor's own Python: say where, in one line
            raise UsageError(f"{CourseRoot(root).config}: your settings fail: {type(exc).__name__}: {exc}") from None
        cfg.merge(mine)
        cfg.CourseDirectory.root, cfg.Exchange.root = str(root), str(CourseRoot(root).exchange)
    return cfg


def _nbgrader_templates() -> str:
    import nbgrader

    return str(Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates")


def config_text(cfg) -> str:
    """The nbgrader_config.py that says exactly what ``cfg`` says."""
    lines = ["# Written by `autograder` from the configuration it uses itself, on every run: plain `nbgrader`",
             "# commands and formgrader started in this folder see the same course, exchange and gradebook.",
             "# Due dates and the late policy: instructors/course.toml. Anything else: below the last line.",
             "import os",
             f"os.environ.setdefault({repository.ENV!r}, {str(repo())!r})  # the course repository (feedback reads its masters)",
             "c = get_config()"]
    for section in sorted(cfg):
        for key, value in sorted(cfg[section].items()):
            lines.append(f"c.{section}.{key} = {value!r}")
    return "\n".join(lines) + "\n\n" + YOURS + "\n"


def write_config(root: Path) -> Path:
    """(Re)write ``<root>/nbgrader_config.py`` from :func:`base_config`, keeping the instructor's own lines."""
    own = _own_settings(root)
    base_config(root)  # the instructor's lines must run before they are kept
    cfg = base_config(root, own=False)
    path = CourseRoot(root).config
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(config_text(cfg) + (own + "\n" if own else ""), encoding="utf-8")
    tmp.replace(path)
    return path


def nbgrader_api(root: Path):
    """An in-process nbgrader API on this course root."""
    from nbgrader.apps import NbGraderAPI

    return NbGraderAPI(config=base_config(root))


def write_source(a: Assignment, root: Path) -> Path:
    """Master -> <root>/source/<id>/: the notebook plus the data files it reads."""
    src = CourseRoot(root).source(a)
    if src.exists():
        shutil.rmtree(src)
    src.mkdir(parents=True)
    (src / a.notebook_name).write_text(render(master_notebook(a)), encoding="utf-8")
    for name in a.data:
        data = repo() / "datasets" / name
        if not data.is_file():
            raise UsageError(f"{a.master.name} needs datasets/{name}, which does not exist")
        shutil.copy2(data, src / name)
    return src


def normalise_student_notebook(path: Path) -> str:
    """The released notebook as committed: no outputs, stable ids, nbgrader's cell metadata kept."""
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    return render(nb)


def release(a: Assignment, root: Path, notebooks: Path, *, check: bool = False) -> Path:
    """Generate the student version with nbgrader and copy it to ``notebooks/``. Returns that folder.

    ``check``: first run the solution and the blank release against the tests (:func:`check_runs`)."""
    write_source(a, root)
    api = nbgrader_api(root)
    from autograder.grading import generate

    generate(a, root, api)
    if check:
        check_runs(a, root)
    set_due_date(a, root)
    released = CourseRoot(root).release(a)
    target = a.student_dir(notebooks)
    staging = target.with_name(target.name + ".tmp")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    for f in sorted(released.iterdir()):
        if f.suffix == ".ipynb":
            (staging / f.name).write_text(normalise_student_notebook(f), encoding="utf-8")
        elif f.is_file():
            shutil.copy2(f, staging / f.name)
    # Swap in the finished folder only at the end: a failed release leaves the old one intact.
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)
    return target


def _failure_line(result: dict) -> str:
    lines = (result.get("error") or result.get("log") or "no message").strip().splitlines()
    errors = [line for line in lines if "Error" in line or "ERROR" in line]
    return (errors or lines)[-1].strip()[:200]


def existing_root(path: str | os.PathLike | None = None) -> Path:
    """A course root that has been graded already (feedback, export and report read its gradebook)."""
    root = Path(path or os.environ.get("AUTOGRADER_COURSE_ROOT") or repo() / "course").resolve()
    if not CourseRoot(root).gradebook.is_file():
        raise UsageError(f"no gradebook in {root}: run `autograder grade` first (or pass --course-root)")
    return root
