"""`pip install .` (not editable) into a fresh venv, then `autograder grade` on a checkout of the course, sandboxed.

The package finds the course repository from the working directory, and the sandbox keeps the installed
site-packages visible to the kernel. Expected scores come from the same oracle as tests/test_grading.py.
"""

from __future__ import annotations

import csv
import os
import shutil
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat
import pytest

from autograder import course, sandbox
from tests.repo import REPO
from tests.submissions import answer_cells, fill

pytestmark = pytest.mark.e2e  # builds and installs the package, then grades with real kernels

# What a checkout of the course work holds (not the venv, the builds or a course root).
NOT_COPIED = shutil.ignore_patterns(".git", ".venv", "_build", "course", "__pycache__", "*.egg-info", "build", "benchmarks")


def fresh_venv(where: Path) -> Path:
    """A new venv whose own site-packages comes first; the pinned dependencies are read from this venv's
    site-packages through a .pth file, so nothing is downloaded (a .pth file there is not processed, so
    this venv's editable install of the package is not seen)."""
    subprocess.run([sys.executable, "-m", "venv", str(where)], check=True, capture_output=True, timeout=300)
    python = where / "bin" / "python"
    own = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                         check=True, capture_output=True, text=True).stdout.strip()
    shared = {sysconfig.get_paths()["purelib"], *site.getsitepackages()}
    Path(own, "shared-dependencies.pth").write_text("\n".join(sorted(shared)) + "\n", encoding="utf-8")
    return python


def test_a_normal_install_grades_a_checkout_with_the_same_scores(tmp_path):
    # Nothing of the development set-up: no PYTHONPATH, no course repository named in the environment.
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("AUTOGRADER_")}
    checkout = tmp_path / "checkout"
    shutil.copytree(REPO, checkout, ignore=NOT_COPIED)
    python = fresh_venv(tmp_path / "venv")
    install = subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
                              "--no-build-isolation", str(checkout)], capture_output=True, text=True, timeout=600, env=clean)
    assert install.returncode == 0, install.stderr[-2000:]
    where = subprocess.run([str(python), "-c", "import autograder; print(autograder.__file__)"], cwd=tmp_path,
                           env=clean, capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where).is_relative_to(tmp_path / "venv"), f"the package was imported from {where}, not the install"

    a = course.find_assignment("a01")
    release = nbformat.read(a.student_dir(REPO / "notebooks") / a.notebook_name, as_version=4)
    master = course.master_notebook(a)
    subs = tmp_path / "subs"
    cases = {"perfect": fill(release, answer_cells(master)), "untouched": release,
             "wrong_q5": fill(release, answer_cells(master, q5_answer="ppv_clinic = float(sens_05)  # forgot the prevalence"))}
    for student, nb in cases.items():
        (subs / student).mkdir(parents=True)
        nbformat.write(nb, subs / student / a.notebook_name)

    # nbgrader runs `alembic` from PATH: this venv's bin/ holds the console scripts of the dependencies.
    env = clean | {"PATH": os.pathsep.join([str(python.parent), str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
                   "HOME": str(tmp_path)}
    mode = "bwrap" if sandbox.bwrap_available() else "none"
    run = subprocess.run([str(python.parent / "autograder"), "grade", "a01", "--submissions", str(subs),
                          "--course-root", str(tmp_path / "course"), "--workers", "2", "--sandbox", mode],
                         cwd=checkout / "notebooks", env=env, capture_output=True, text=True, timeout=1800)
    assert run.returncode == 0, run.stderr[-3000:]
    rows = {r["student_id"]: r for r in csv.DictReader((tmp_path / "course" / "grades" / f"{a.id}.csv").open())}
    scores = {s: (float(r["autograded_score"]), float(r["autograded_max"])) for s, r in rows.items()}
    assert scores == {"perfect": (17, 17), "untouched": (0, 17), "wrong_q5": (15, 17)}
