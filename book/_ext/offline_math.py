"""Serve MathJax from the site itself, so formulas render without the internet.

Sphinx points every page at MathJax 3 on a CDN (cdn.jsdelivr.net). A clinician reading the book on a
hospital network that blocks CDNs, or from a copy of the site on a laptop, then sees raw TeX instead of
the formulas for sensitivity, predictive values and the like. The MathJax files come from the pinned
``sphinx-mathjax-offline`` wheel (MathJax 3.2.2, Apache-2.0). That package copies all 24 MB of MathJax
into the site; this extension copies only what the TeX/MathML-to-HTML build loads (the combined script,
its fonts, the TeX extensions it autoloads, its menu and the accessibility explorer with its speech
rules), about 7 MB, and points Sphinx at it.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path

SCRIPT = "tex-mml-chtml.js"  # the same combined component Sphinx loads from the CDN by default
# What tex-mml-chtml.js may fetch after it loads, relative to its own folder.
LOADED_LATER = ["input/tex/extensions", "input/mml/extensions", "output/chtml/fonts/woff-v2", "ui", "a11y", "sre"]
TARGET = Path("_static") / "mathjax"


def mathjax_source() -> Path:
    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("sphinx-mathjax-offline is not installed: pip install -c constraints.txt -e .")
    return Path(next(iter(spec.submodule_search_locations))) / "static" / "mathjax"


def _point_at_local_copy(app, config):
    # A relative mathjax_path is resolved against _static/ by Sphinx.
    config.mathjax_path = f"mathjax/{SCRIPT}"


def _copy_mathjax(app, exc):
    if exc is not None or app.builder.format != "html":
        return
    source, target = mathjax_source(), Path(app.outdir) / TARGET
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / SCRIPT, target / SCRIPT)
    for folder in LOADED_LATER:
        shutil.copytree(source / folder, target / folder, dirs_exist_ok=True)


def setup(app):
    mathjax_source()  # fail at start, with the fix, rather than after a two-minute build
    app.connect("config-inited", _point_at_local_copy)
    app.connect("build-finished", _copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
