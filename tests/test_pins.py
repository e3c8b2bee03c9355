"""Check that pip (pyproject.toml, constraints.txt) and conda (environment.yml) install the same versions."""

import re
import tomllib

import yaml

from tests.repo import REPO

PIN = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s;#]+)")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pyproject_pins() -> dict[str, str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    specs = project["dependencies"] + [d for group in project["optional-dependencies"].values() for d in group]
    pins = {}
    for spec in specs:
        m = PIN.match(spec)
        assert m, f"pyproject.toml: {spec!r} is not pinned with =="
        pins[canonical(m[1])] = m[2]
    return pins


def environment_pins() -> dict[str, str]:
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    pins = {}
    for dep in env["dependencies"]:
        for spec in dep["pip"] if isinstance(dep, dict) else [dep]:
            m = re.match(r"^([A-Za-z0-9_.\-]+)\s*==?\s*([^\s=]+)$", spec)
            if m and canonical(m[1]) not in ("python", "pip"):
                pins[canonical(m[1])] = m[2]
    return pins


def test_environment_yml_repeats_pyproject_pins():
    assert environment_pins() == pyproject_pins()


def test_constraints_lock_agrees_with_pyproject():
    locked = {canonical(m[1]): m[2] for line in (REPO / "constraints.txt").read_text().splitlines() if (m := PIN.match(line))}
    for name, version in pyproject_pins().items():
        assert locked.get(name) == version, f"constraints.txt has {name} {locked.get(name)}, pyproject.toml {version}: run make lock"


def test_jupyter_book_stays_on_the_v1_line():
    # DESIGN.md: jupyter-book>=1.0.4.post1,<2 (the top-level _config.yml belongs to v1).
    major = int(pyproject_pins()["jupyter-book"].split(".")[0])
    assert major == 1


# -- the student environment (requirements-student.txt, used by Binder through binder/) ----------------

INSTRUCTOR_ONLY = {"nbgrader", "jupyter-book", "pytest", "nbval", "playwright", "dask", "distributed"}


def student_pins() -> dict[str, str]:
    pins = {}
    for line in (REPO / "requirements-student.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line or line.startswith("-c"):
            continue
        m = PIN.match(line)
        assert m, f"requirements-student.txt: {line!r} is not pinned with =="
        pins[canonical(m[1])] = m[2]
    return pins


def test_student_requirements_pin_the_course_versions():
    """Every library a student installs has the version of pyproject.toml (or, for JupyterLab, of the lock)."""
    course = pyproject_pins()
    locked = {canonical(m[1]): m[2] for line in (REPO / "constraints.txt").read_text().splitlines() if (m := PIN.match(line))}
    for name, version in student_pins().items():
        expected = course.get(name, locked.get(name))
        assert version == expected, f"requirements-student.txt has {name} {version}, the course pins {expected}"
    assert "-c constraints.txt" in (REPO / "requirements-student.txt").read_text(), "the student set-up must use the lock"


def test_student_requirements_cover_every_import_of_the_notebooks():
    """What the labs and masters import is in the student environment (or comes with Python or the course)."""
    import sys

    imports = set()
    for path in [*REPO.glob("notebooks/*/lab*.py"), *REPO.glob("instructors/assignments/a*.py")]:
        imports |= set(re.findall(r"^\s*(?:from|import)\s+([A-Za-z_]\w*)", path.read_text(), re.MULTILINE))
    # clinical_data (the loader) and autograder (the labs' hints, the practice questions) come with the course:
    # `pip install --no-deps -e .`
    modules = {"sklearn": "scikit-learn", "clinical_data": None, "autograder": None}
    missing = []
    for module in sorted(imports - set(sys.stdlib_module_names)):
        package = modules.get(module, module)
        if package is not None and canonical(package) not in student_pins():
            missing.append(module)
    assert not missing, f"the notebooks import {missing}, which requirements-student.txt does not install"


def _requirements_closure(names) -> set[str]:
    """Every distribution the given ones pull in, read from the installed packages' metadata."""
    from importlib import metadata

    from packaging.requirements import Requirement

    seen, todo = set(), [canonical(n) for n in names]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            requires = metadata.requires(name) or []
        except metadata.PackageNotFoundError:
            continue
        for spec in requires:
            req = Requirement(spec)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(canonical(req.name))
    return seen


def test_student_environment_holds_no_instructor_or_test_tooling():
    """Students (and Binder) get no nbgrader menu, sidebar or formgrader: nbgrader is not installed at all."""
    pulled = _requirements_closure(student_pins())
    assert not pulled & INSTRUCTOR_ONLY, f"the student environment pulls in {sorted(pulled & INSTRUCTOR_ONLY)}"
    locked = {canonical(m[1]) for line in (REPO / "constraints.txt").read_text().splitlines() if (m := PIN.match(line))}
    assert pulled <= locked, f"constraints.txt does not lock {sorted(pulled - locked)}, which students install"
    binder = (REPO / "binder" / "requirements.txt").read_text()
    assert "-r ../requirements-student.txt" in binder, "Binder must build the student environment"
    assert "--no-deps -e ." in (REPO / "binder" / "postBuild").read_text(), (
        "Binder must install the data loader without the instructor dependencies")
