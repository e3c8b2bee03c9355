"""The built sites as files (no browser): no solution anywhere in the student edition, nothing but the
table of contents published, downloads that are student files, and an instructor edition apart.

`make book` builds `_build/html`; `make instructor-book` builds `_build/instructor/html`.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from tests.builtsite import INSTRUCTOR_SITE, REPO, require_site, toc_docnames
from tests.leaks import MARKERS, find_leaks, master_paths, secret_lines

pytestmark = pytest.mark.e2e  # the built sites

#: Pages Sphinx writes besides the table of contents.
SPHINX_PAGES = {"index", "search", "genindex", "py-modindex"}
INSTRUCTOR_DOCS = [REPO / "instructors" / "guide.md", *sorted((REPO / "instructors" / "rubrics").glob("*.md"))]


def _report(found, limit=15) -> str:
    lines = [f"  {path}: {text[:120]}" for path, text in found[:limit]]
    more = f"\n  … and {len(found) - limit} more" if len(found) > limit else ""
    return "\n".join(lines) + more


def distinctive_phrases(paths, min_length=40) -> set[str]:
    """Runs of plain prose (letters, digits, spaces, commas; at least `min_length` characters) from
    Markdown files. Markup and punctuation that Sphinx rewrites (quotes, dashes, emphasis) split runs,
    so each run appears verbatim in the rendered HTML of its page."""
    phrases = set()
    for path in paths:
        text = Path(path).read_text(encoding="utf-8")
        text = re.sub(r"```.*?```", "|", text, flags=re.S)  # code blocks: commands are not distinctive
        text = re.sub(r"`[^`]*`", "|", text)
        for run in re.split(r"[^A-Za-z0-9 ,]+", text):
            run = " ".join(run.split()).strip(" ,")
            if len(run) >= min_length and len(run.split()) >= 6:
                phrases.add(run)
    return phrases


def _student_sources_text() -> str:
    """All student-facing sources, whitespace-normalised, to drop phrases they share with the guide."""
    parts = []
    for folder in ("book", "notebooks"):
        for path in (REPO / folder).rglob("*"):
            if path.suffix in {".md", ".ipynb", ".py"} and path.is_file():
                parts.append(" ".join(path.read_text(encoding="utf-8", errors="replace").split()))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def secrets() -> set[str]:
    masters = master_paths(REPO)
    assert masters, "no graded master in instructors/assignments/: the leak scan would have nothing to look for"
    found = secret_lines(REPO)
    for master in masters:
        mine = secret_lines(REPO, [master])
        assert len(mine) >= 5, f"{master.name}: only {len(mine)} solution/hidden-test lines found; are the markers right?"
    return found


@pytest.fixture(scope="module")
def instructor_phrases() -> set[str]:
    shared = _student_sources_text()
    phrases = {p for p in distinctive_phrases(INSTRUCTOR_DOCS) if p not in shared}
    assert len(phrases) >= 10, "too few distinctive sentences in instructors/guide.md and rubrics to test with"
    return phrases


# -- the leak helper itself, on a synthetic repository and site ----------------------------------------------

FAKE_MASTER = '''\
# %% [markdown]
# # Fake assignment
# %%
import numpy as np
def ratio(counts):
    ### BEGIN SOLUTION
    import numpy as np
    value = counts["TP"] / (counts["TP"] + counts["FN"]) if counts else None
    pass
    return value
    ### END SOLUTION
# %%
"""Check that ratio is a fraction."""
assert 0 <= ratio({"TP": 1, "FN": 1}) <= 1, "Give a fraction."
### BEGIN HIDDEN TESTS
assert abs(ratio({"TP": 3, "FN": 1}) - 0.75) < 1e-9, "ratio is off for <other> counts."
### END HIDDEN TESTS
'''
SOLUTION = 'value = counts["TP"] / (counts["TP"] + counts["FN"]) if counts else None'
HIDDEN = 'assert abs(ratio({"TP": 3, "FN": 1}) - 0.75) < 1e-9, "ratio is off for <other> counts."'


def test_leak_helper_finds_escaped_solution_lines(tmp_path):
    (tmp_path / "instructors" / "assignments").mkdir(parents=True)
    (tmp_path / "instructors" / "assignments" / "a99_fake.py").write_text(FAKE_MASTER)
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "lab.py").write_text("import numpy as np\nreturn value\n")
    released = tmp_path / "notebooks" / "m99_fake" / "a99_fake"
    released.mkdir(parents=True)
    (released / "a99_fake.ipynb").write_text(json.dumps({"cells": [{"cell_type": "code", "source": [SOLUTION]}]}))
    secrets = secret_lines(tmp_path)
    assert secrets == {SOLUTION, HIDDEN}, "trivial, taught and student-visible lines must not count as secrets"
    assert find_leaks([released], secrets) == [(released / "a99_fake.ipynb", SOLUTION)]

    site = tmp_path / "site"
    (site / "_static").mkdir(parents=True)
    # Pygments-highlighted and entity-escaped, as Sphinx writes code.
    (site / "page.html").write_text(
        '<pre><span class="n">value</span> <span class="o">=</span> <span class="n">counts</span>'
        '<span class="p">[</span><span class="s2">&quot;TP&quot;</span><span class="p">]</span> / '
        '(counts[&quot;TP&quot;] + counts[&#34;FN&#34;]) <span class="k">if</span> counts else None</pre>')
    (site / "figure.html").write_text(f'<img src="x.png" alt="{HIDDEN.replace("<", "&lt;").replace(chr(34), "&quot;")}">')
    (site / "searchindex.js").write_text('Search.setIndex({"t": "assert abs(ratio({\\"TP\\": 3, \\"FN\\": 1}) - 0.75)'
                                         ' < 1e-9, \\"ratio is off for \\u003cother\\u003e counts.\\""})')
    (site / "clean.html").write_text("<p>value = counts</p>")
    (site / "_static" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0" + SOLUTION.encode())  # binary: skipped
    found = find_leaks([site], secrets)
    assert found == [(site / "figure.html", HIDDEN), (site / "page.html", SOLUTION), (site / "searchindex.js", HIDDEN)]
    assert find_leaks([site / "clean.html"], secrets) == []
    assert find_leaks([site], MARKERS) == []


# -- the student edition ---------------------------------------------------------------------------------

def test_no_solution_or_hidden_test_anywhere_in_the_student_site(site_dir, secrets):
    found = find_leaks([site_dir], secrets)
    assert not found, ("solution or hidden-test lines of the graded masters are published in the student "
                       f"edition:\n{_report(found)}")


def test_no_nbgrader_markers_in_the_student_site(site_dir):
    found = find_leaks([site_dir], MARKERS)
    assert not found, f"nbgrader solution/hidden-test markers are in the student edition:\n{_report(found)}"


def test_no_page_sources_or_masters_are_copied_into_the_site(site_dir):
    assert not (site_dir / "_sources").exists(), "_build/html/_sources/ exists: set html_copy_source: false"
    master_names = {p.name for p in master_paths(REPO)}
    stray = [p for p in site_dir.rglob("*") if p.is_file() and (
        p.name in master_names or "instructors" in p.relative_to(site_dir).parts
        or (p.suffix in {".py", ".md", ".rst"} and p.relative_to(site_dir).parts[0] != "_downloads"))]
    assert not stray, "page sources, masters or instructor files are published:\n" + "\n".join(map(str, stray))


def test_only_the_table_of_contents_is_published(site_dir):
    """A page outside _toc.yml (a draft, a cache's README) must not be built into the site."""
    expected = set(toc_docnames()) | SPHINX_PAGES
    pages = {p.relative_to(site_dir).with_suffix("").as_posix() for p in site_dir.rglob("*.html")
             if not p.relative_to(site_dir).parts[0].startswith("_")}
    stray = sorted(pages - expected)
    assert not stray, (f"{len(stray)} page(s) published that are not in _toc.yml (left over from an earlier build? "
                       f"`rm -rf _build/html && make book`): {stray[:10]}")
    assert not set(toc_docnames()) - pages, f"pages of _toc.yml missing from the site: {sorted(set(toc_docnames()) - pages)}"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_download_is_a_committed_student_file(site_dir, secrets):
    """`_downloads/` may only hold copies of files under notebooks/, datasets/ or book/."""
    student = {}
    for folder in ("notebooks", "datasets", "book"):
        for path in (REPO / folder).rglob("*"):
            if path.is_file():
                student.setdefault(_sha(path), path)
    downloads = [p for p in (site_dir / "_downloads").rglob("*") if p.is_file()] if (site_dir / "_downloads").is_dir() else []
    unknown = [p for p in downloads if _sha(p) not in student]
    assert not unknown, ("downloads that are not byte-for-byte a committed student file: "
                         + ", ".join(str(p.relative_to(site_dir)) for p in unknown))
    found = find_leaks(downloads, secrets) if downloads else []
    assert not found, f"downloads hold solution or hidden-test lines:\n{_report(found)}"


def test_the_course_zip_holds_the_student_files_and_nothing_of_the_instructors(site_dir, secrets, tmp_path):
    """The set-up page's ZIP: the notebooks, the data and the loader, byte for byte as committed; no
    master, rubric, guide or test, and no solution or hidden-test line in any file."""
    import zipfile

    archive = site_dir / "book" / "start" / "clinical-ai-course.zip"
    assert archive.is_file(), "the site has no course ZIP beside the set-up page"
    with zipfile.ZipFile(archive) as z:
        names = [n for n in z.namelist() if not n.endswith("/")]
        z.extractall(tmp_path)
    inside = {Path(n).relative_to("clinical-ai-course").as_posix() for n in names}
    for needed in ("requirements-student.txt", "pyproject.toml", "datasets/clinical_data/__init__.py",
                   "notebooks/m01_diagnostic_models/lab01_diagnostic_models.ipynb"):
        assert needed in inside, f"the course ZIP lacks {needed}"
    top = {n.split("/")[0] for n in inside}
    assert not top & {"instructors", "tests", "benchmarks", ".ci", ".git", "book"}, f"the course ZIP holds {sorted(top)}"
    changed = [n for n in inside if _sha(tmp_path / "clinical-ai-course" / n) != _sha(REPO / n)]
    assert not changed, f"files in the course ZIP that differ from the repository's: {changed[:5]}"
    found = find_leaks([tmp_path], secrets)
    assert not found, f"the course ZIP holds solution or hidden-test lines:\n{_report(found)}"


def test_binder_removes_the_instructor_material_before_a_student_gets_in():
    post_build = (REPO / "binder" / "postBuild").read_text()
    removed = re.search(r"^rm -rf (.+)$", post_build, re.M)
    assert removed and {".git", "instructors", "tests"} <= set(removed[1].split()), "binder/postBuild keeps the masters"


def test_student_edition_holds_no_instructor_material(site_dir, secrets, instructor_phrases):
    """Neither the guide, nor a rubric, nor a master's solution is in `_build/html`."""
    found = find_leaks([site_dir], instructor_phrases)
    assert not found, f"text of instructors/guide.md or a rubric is in the student edition:\n{_report(found)}"
    names = {"guide.html"} | {p.stem + ".html" for p in INSTRUCTOR_DOCS[1:]} | {p.stem + ".html" for p in master_paths(REPO)}
    pages = [p for p in site_dir.rglob("*.html") if p.name in names and "notebooks" not in p.relative_to(site_dir).parts]
    assert not pages, f"instructor pages in the student edition: {pages}"
    assert not find_leaks([site_dir], secrets)


# -- the instructor edition -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def instructor_site() -> Path:
    return require_site(INSTRUCTOR_SITE, "make instructor-book")


def test_instructor_edition_is_apart_and_complete(site_dir, instructor_site, secrets, instructor_phrases):
    assert not instructor_site.resolve().is_relative_to(site_dir.resolve()), "the instructor edition is inside the student one"
    assert not site_dir.resolve().is_relative_to(instructor_site.resolve())
    # It really holds the guide, every rubric and every master with its solutions and hidden tests,
    # which also proves the student-edition checks above look for text that exists.
    missing_phrases = instructor_phrases - {text for _, text in find_leaks([instructor_site], instructor_phrases)}
    assert not missing_phrases, f"guide/rubric text missing from the instructor edition: {sorted(missing_phrases)[:5]}"
    missing_secrets = secrets - {text for _, text in find_leaks([instructor_site], secrets)}
    assert not missing_secrets, f"master lines missing from the instructor edition: {sorted(missing_secrets)[:5]}"
    # And the student edition does not link to it.
    links = [(page, href) for page in site_dir.rglob("*.html")
             for href in re.findall(r'(?:href|src)="([^"#]*instructor[^"]*)"', page.read_text(encoding="utf-8"))]
    assert not links, f"the student edition links to instructor material:\n{_report(links)}"


def raw_tables(html_text: str) -> list[str]:
    """Paragraphs that are a Markdown table left as text: they start with `|` and hold a `|---` rule."""
    from bs4 import BeautifulSoup

    found = []
    for p in BeautifulSoup(html_text, "html.parser").find_all("p"):
        text = p.get_text()
        if text.lstrip().startswith("|") and re.search(r"\|\s*:?-{3,}", text):
            found.append(" ".join(text.split())[:120])
    return found


def test_raw_table_check_finds_a_table_left_as_text():
    assert raw_tables("<p>| a | b |\n|---|---|\n| 1 | 2 |</p>")
    assert raw_tables("<main><p>| a |\n| :--- |</p></main>")
    assert not raw_tables("<table><tr><td>| a |</td></tr></table><p>a | b, not a table</p>")


def test_every_table_on_every_page_renders_as_a_table(site_dir):
    """Check that no page shows a Markdown table as raw text full of `|` characters."""
    found = []
    for page in sorted(site_dir.rglob("*.html")):
        if "_static" in page.parts:
            continue
        found += [(page.relative_to(site_dir), text) for text in raw_tables(page.read_text(encoding="utf-8"))]
    assert not found, "tables shown as raw text:\n" + _report(found)
    competency = (site_dir / "book" / "appendix" / "competency_map.html").read_text(encoding="utf-8")
    assert "<table" in competency and "M1.1" in competency, "the competency map has no table"
