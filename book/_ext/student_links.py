"""Links a student can read, all built from `_config.yml`'s `repository.url` (the one place it is set).

- The theme's launch menu is an unlabelled rocket. On the pages of a lab or an assignment it becomes a
  button that says what it does ("Open in Binder"; "Open in JupyterHub" too once
  `launch_buttons.jupyterhub_url` names the course's hub); on the book's own pages (MyST notebooks
  that need the course's helpers) it is dropped.
- Every lab page gets a "Download notebook" button: the committed lab notebook (no outputs, no
  solution), copied beside the page.
- ``book/_static/course.css``: display formulas drawn smaller on a phone, so that each fits the column.
- Pages can write ``{{ course_zip }}`` (a link to download the student's part of the course as a ZIP
  file, built with the site: notebooks, data and the loader, never ``instructors/``, whose masters hold
  the solutions, nor the tests) and ``{{ binder_link }}`` (a link that opens the course on Binder, built
  from ``repository.url``; Binder's ``postBuild`` deletes the instructor material before a student gets in).
"""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path
from urllib.parse import urlparse

LAB = re.compile(r"^notebooks/m\d\d_[^/]+/lab\d\d_[^/]+$")

#: The student's course archive: where it is published (beside the set-up page that links to it) and
#: what it holds. The loader (`pip install --no-deps -e .`) needs pyproject.toml and both packages.
COURSE_ZIP = "book/start/clinical-ai-course.zip"
STUDENT_FILES = ("notebooks", "datasets", "autograder", "binder", "requirements-student.txt",
                 "constraints.txt", "pyproject.toml", "README.md")
_SKIP = {"__pycache__", ".ipynb_checkpoints", ".venv-extract"}


def _repository(config) -> tuple[str, str]:
    options = config.html_theme_options or {}
    return options.get("repository_url", "").rstrip("/"), options.get("repository_branch", "") or "main"


def _substitutions(app, config):
    url, branch = _repository(config)
    binder = ((config.html_theme_options or {}).get("launch_buttons") or {}).get("binderhub_url", "").rstrip("/")
    owner_repo = urlparse(url).path.strip("/")
    subs = dict(config.myst_substitutions or {})
    # Raw HTML: the archive is written into the site when the build finishes, so it is no page or source
    # file a Markdown link could point to.
    subs["course_zip"] = f'<a href="{Path(COURSE_ZIP).name}" download>download the course as a ZIP file</a>'

    subs["binder_link"] = f"[open the course on Binder]({binder}/v2/gh/{owner_repo}/{branch}?urlpath=lab/tree/notebooks)"
    config.myst_substitutions = subs


def labelled_launch_buttons(buttons: list[dict], pagename: str) -> None:
    """Replace the theme's launch menu in `buttons` (a page's header buttons) by one labelled button per
    service it links to ("Open in Binder", "Open in JupyterHub"): on lab and assignment pages only."""
    for i, button in enumerate(buttons):
        if button.get("label") == "launch-buttons":
            links = [dict(b, text=f"Open in {b['text']}", label=f"launch-{b['text'].lower()}",
                          tooltip=f"Run this notebook on {b['text']}: nothing to install")
                     for b in button.get("buttons", []) if b.get("type") == "link"]
            buttons[i:i + 1] = links if pagename.startswith("notebooks/") else []
            break


def _header_buttons(app, pagename, templatename, context, doctree):
    buttons = context.get("header_buttons")
    if buttons is None:
        return
    labelled_launch_buttons(buttons, pagename)
    if LAB.match(pagename):
        source = Path(app.srcdir, pagename + ".ipynb")
        if source.is_file():
            target = Path(app.outdir, pagename + ".ipynb")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
            buttons.insert(0, {"type": "link", "url": source.name, "text": "Download notebook",
                               "tooltip": "Download this lab (.ipynb) into the course folder on your computer: see Set up your computer",
                               "icon": "fas fa-download", "label": "download-lab", "classes": "download"})


def _course_zip(app, exception):
    """The student's course archive, written with the site (the set-up page links to it)."""
    if exception is not None or app.builder.format != "html":
        return
    root = Path(app.srcdir)
    target = Path(app.outdir, COURSE_ZIP)
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in STUDENT_FILES:
            path = root / name
            files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file())
            for file in files:
                if _SKIP.isdisjoint(file.relative_to(root).parts) and file.suffix != ".pyc":
                    archive.write(file, Path("clinical-ai-course", file.relative_to(root)))


def _stylesheet(app, config):
    """The course's own small stylesheet (book/_static/course.css)."""
    config.html_static_path = [*config.html_static_path, "book/_static"]


def setup(app):
    app.connect("config-inited", _stylesheet)
    app.add_css_file("course.css")
    app.connect("config-inited", _substitutions, priority=900)
    app.connect("html-page-context", _header_buttons, priority=600)
    app.connect("build-finished", _course_zip)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
