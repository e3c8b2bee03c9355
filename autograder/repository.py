"""Where the course repository is: the one place every command asks.

The course repository is the checkout that holds ``instructors/assignments/``, ``notebooks/``, ``datasets/``
and ``book/``. The ``autograder`` package may be installed anywhere (a wheel, ``pip install .``, conda); it
finds the repository, in this order:

1. ``--course-repo DIR`` on the command line (``use(DIR)``);
2. the environment variable ``AUTOGRADER_COURSE_REPO``;
3. the working directory, or the nearest folder above it, that holds ``instructors/assignments/``.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV = "AUTOGRADER_COURSE_REPO"
MARKER = Path("instructors") / "assignments"

_chosen: Path | None = None


def _check(path: Path, how: str) -> Path:
    from autograder.course import UsageError

    path = path.expanduser().resolve()
    if not (path / MARKER).is_dir():
        raise UsageError(f"{path} ({how}) is not a course repository: it has no {MARKER}/ folder")
    return path


def use(path: str | os.PathLike | None) -> None:
    """Use this course repository from now on (``None``: find it again as described above)."""
    global _chosen
    _chosen = _check(Path(path), "--course-repo") if path else None


def repo() -> Path:
    """The course repository's root folder."""
    global _chosen
    if _chosen is not None:
        return _chosen
    if os.environ.get(ENV):
        return _check(Path(os.environ[ENV]), f"${ENV}")
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / MARKER).is_dir():
            # Kept for the rest of the process: nbgrader changes the working directory while it converts
            # a notebook, and the feedback step it runs asks again from there.
            _chosen = folder
            return folder
    from autograder.course import UsageError

    raise UsageError(f"no course repository at or above {here}: run inside a checkout of the course, or pass "
                     f"--course-repo DIR (or set ${ENV})")
