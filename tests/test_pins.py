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
