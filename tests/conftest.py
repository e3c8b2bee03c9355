"""Shared fixtures. The built-site part: where the site is, its pages, and a loopback server for it."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
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


@pytest.fixture(scope="session")
def site_dir() -> Path:
    """The built student edition (`_build/html`)."""
    return require_site(SITE, "make book")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - keep the test output clean
        pass


@pytest.fixture(scope="session")
def site_url(site_dir: Path):
    """Base URL (ending in /) of the student edition served on 127.0.0.1 at a free port."""
    handler = functools.partial(_QuietHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
