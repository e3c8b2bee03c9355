"""Shared fixtures: the built site and a loopback server for it (helpers in tests/builtsite.py)."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

import pytest

from tests.builtsite import SITE, require_site


#: Fixtures that need the built book, a browser or a graded course: a test using one is end to end.
E2E_FIXTURES = {"site_dir", "site_url", "instructor_site", "loop"}


def pytest_collection_modifyitems(items):
    """Notebooks that nbval runs start kernels, and tests that use a built site or a graded course read
    what the end-to-end tier makes: they belong to that tier (``-m e2e``)."""
    for item in items:
        if str(item.path).endswith(".ipynb") or E2E_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.e2e)


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
