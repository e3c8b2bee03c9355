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

from autograder.notebooks import render, to_notebook
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


def master_notebook(a: Assignment) -> nbformat.NotebookNode:
    """The master as a notebook; a graded cell's id is its grade_id, so nbgrader's and git's views agree."""
    nb = to_notebook(a.master.read_text(encoding="utf-8"))
    for cell in nb.cells:
        cell["id"] = cell.metadata.get("nbgrader", {}).get("grade_id", cell["id"])
    return nb


def course_root(path: str | os.PathLike | None = None) -> Path:
    root = Path(path or os.environ.get("AUTOGRADER_COURSE_ROOT") or repo() / "course").resolve()
    root.mkdir(parents=True, exist_ok=True)
    config = root / "nbgrader_config.py"
    config.write_text(NBGRADER_CONFIG.format(root=str(root)), encoding="utf-8")
    return root


# Written into every course root. Timeouts and limits are per cell; the sandbox adds per-notebook limits
# on top.
NBGRADER_CONFIG = """\
# Written by `autograder`; regenerated on every run, so edit autograder/course.py instead.
c = get_config()
c.CourseDirectory.root = {root!r}
c.CourseDirectory.course_id = "clinical-ai-course-kit"
c.Execute.timeout = 60
c.Execute.kernel_name = "python3"
c.ClearSolutions.code_stub = {{"python": "# YOUR CODE HERE\\nraise NotImplementedError()"}}
c.OverwriteCells.add_missing_cells = True
"""


def base_config(root: Path):
    """nbgrader's configuration for this course root (the same as the nbgrader_config.py written there)."""
    # nbgrader runs the `alembic` command when it first creates a gradebook: it must be on PATH.
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")
    from traitlets.config import Config

    cfg = Config()
    cfg.CourseDirectory.root = str(root)
    cfg.CourseDirectory.course_id = "clinical-ai-course-kit"
    cfg.Execute.timeout = 60
    cfg.Execute.kernel_name = "python3"
    cfg.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
    cfg.OverwriteCells.add_missing_cells = True
    cfg.Exchange.root = str(root / "exchange")  # never the world-writable system exchange
    return cfg


def nbgrader_api(root: Path):
    """An in-process nbgrader API on this course root."""
    from nbgrader.apps import NbGraderAPI

    return NbGraderAPI(config=base_config(root))


def write_source(a: Assignment, root: Path) -> Path:
    """Master -> <root>/source/<id>/: the notebook plus the data files it reads."""
    src = root / "source" / a.id
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


def release(a: Assignment, root: Path, notebooks: Path) -> Path:
    """Generate the student version with nbgrader and copy it to ``notebooks/``. Returns that folder."""
    write_source(a, root)
    api = nbgrader_api(root)
    result = api.generate_assignment(a.id, force=True, create=True)
    if not result["success"]:
        raise RuntimeError(f"nbgrader could not generate {a.id}:\n{result['error'] or result['log']}")
    released = root / "release" / a.id
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


def existing_root(path: str | os.PathLike | None = None) -> Path:
    """A course root that has been graded already (feedback, export and report read its gradebook)."""
    root = Path(path or os.environ.get("AUTOGRADER_COURSE_ROOT") or repo() / "course").resolve()
    if not (root / "gradebook.db").is_file():
        raise UsageError(f"no gradebook in {root}: run `autograder grade` first (or pass --course-root)")
    return root
