"""Where the built sites are, their pages in reading order, and a page's source (used by the site tests)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.repo import REPO

SITE = REPO / "_build" / "html"                          # `make book` (student edition)
INSTRUCTOR_SITE = REPO / "_build" / "instructor" / "html"  # `make instructor-book`
SCREENSHOTS = REPO / "_build" / "screenshots"             # kept by CI

_SOURCE_SUFFIXES = (".md", ".ipynb", ".py", ".rst")


def toc_docnames(toc: Path = REPO / "_toc.yml") -> list[str]:
    """The pages of a jb-book table of contents, root first, in reading (next/previous) order."""
    data = yaml.safe_load(toc.read_text(encoding="utf-8"))
    names = [data["root"]]

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                names.append(str(node["file"]))
            for key in ("parts", "chapters", "sections"):
                for child in node.get(key) or []:
                    walk(child)

    walk(data)
    return [name.removesuffix(Path(name).suffix) if Path(name).suffix in _SOURCE_SUFFIXES else name for name in names]


def source_of(docname: str, root: Path = REPO) -> Path | None:
    """The source file of a page (md, ipynb, …), or None when it does not exist."""
    for suffix in _SOURCE_SUFFIXES:
        path = root / f"{docname}{suffix}"
        if path.is_file():
            return path
    return None


def require_site(path: Path, command: str) -> Path:
    """The built site at `path`; fails (does not skip) with what to run when it is missing."""
    if not (path / "index.html").is_file():
        pytest.fail(f"{path.relative_to(REPO)}/index.html does not exist: build the site first with `{command}`.",
                    pytrace=False)
    return path
