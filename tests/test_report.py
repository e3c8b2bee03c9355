"""The class report's study plans name book pages by their titles, not their file names."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from autograder import course
from autograder.report import page_title
from tests.repo import REPO


def first_h1(path: Path) -> str:
    """The first level-1 heading as a CommonMark parser sees it (the reference), front matter removed."""
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        text = text.split("\n---\n", 1)[1]
    tokens = MarkdownIt("commonmark").parse(text)
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h1":
            return tokens[i + 1].content
    raise AssertionError(f"{path} has no level-1 heading")


PAGES = sorted({page for a in course.all_assignments() for page in a.sections.values()})


@pytest.mark.parametrize("page", PAGES)
def test_a_study_plan_page_is_named_by_its_title(page):
    title = page_title(page)
    assert title == first_h1(REPO / f"{page}.md")
    assert title != page.rsplit("/", 1)[-1], f"{page}: the study plan would show the file name"


def test_comments_in_front_matter_and_code_cells_are_not_titles(tmp_path):
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "page.md").write_text(
        "---\njupytext:\n  x: 1\n---\n\n```{code-cell} ipython3\n# extra code – not a title\n```\n\n(label)=\n# The real title\n",
        encoding="utf-8")
    assert page_title("book/page", root=tmp_path) == "The real title"


def test_a_missing_page_or_a_page_without_heading_falls_back_to_its_file_name(tmp_path):
    assert page_title("book/m01_x/01_gone", root=tmp_path) == "01_gone"
    (tmp_path / "notitle.md").write_text("Just text.\n", encoding="utf-8")
    assert page_title("notitle", root=tmp_path) == "notitle"
