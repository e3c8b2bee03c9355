"""What a student reads is set up for them and its numbers look right.

Sources (fast, no build): the home page gives a student's own set-up (no placeholder `git clone`), the
start pages come first in the table of contents, the repository URL is written in one place only
(`_config.yml`), each module's opening page starts with its learning objectives, and no student-facing
text uses a glyph that only an emoji font draws (it shows as an empty box without one).

Built site (`make book`): in every table a page shows, no number in scientific notation, no count
written as a float ("96.0"), no index named by a library default (`sensitive_feature_0`), and rows or
columns labelled "total" equal the sum of the others; and no emoji glyph in any page.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from tests.builtsite import REPO, source_of, toc_docnames

TOC = toc_docnames()
CONFIG = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))

# Characters drawn as emoji by default (Unicode Emoji_Presentation) in the Basic Multilingual Plane; every
# character from U+1F000 on is treated the same way, and so is the emoji variation selector U+FE0F.
BMP_EMOJI = set("⌚⌛⏩⏪⏫⏬⏰⏳◽◾☔☕♈♉♊♋♌♍♎♏♐♑♒♓♿⚓⚡⚪⚫⚽⚾⛄⛅⛎⛔⛪⛲⛳⛵⛺⛽✅✊✋✨❌❎❓❔❕❗➕➖➗➰➿⬛⬜⭐⭕")


def emoji_in(text: str) -> list[str]:
    return sorted({ch for ch in text if ord(ch) >= 0x1F000 or ch == "\ufe0f" or ch in BMP_EMOJI})


def student_sources() -> list[Path]:
    patterns = ["book/**/*.md", "book/**/*.py", "notebooks/*/lab*.py", "instructors/assignments/*.py", "_config.yml"]
    return sorted({p for pattern in patterns for p in REPO.glob(pattern) if "_build" not in p.parts})


# -- sources ---------------------------------------------------------------------------------------------

def test_the_emoji_check_recognises_emoji():
    assert emoji_in("**📝 Your turn**") == ["📝"] and emoji_in("✅ done") == ["✅"]
    assert emoji_in("Correct ✔ 2×2 → ≥ 45.5% –") == []


@pytest.mark.parametrize("path", student_sources(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_no_glyph_needs_an_emoji_font(path):
    found = emoji_in(path.read_text(encoding="utf-8"))
    assert not found, f"{path.relative_to(REPO)} uses {found}: without an emoji font they show as empty boxes"


def test_home_page_gives_students_their_own_set_up():
    home = source_of(TOC[0]).read_text(encoding="utf-8")
    assert "git clone" not in home and "<this repository>" not in home and "make book" not in home, (
        "the home page asks students to clone the repository and build the instructor tooling")
    for page in ("start/setup", "start/jupyter", "start/python"):
        assert f"{{doc}}`{page}`" in home, f"the home page does not link to {page}"


def test_start_pages_come_before_module_1():
    first_module = next(i for i, d in enumerate(TOC) if d.startswith("book/m01_"))
    start = TOC[1:first_module]
    assert start == ["book/start/setup", "book/start/jupyter", "book/start/python"], start


def test_setup_page_covers_every_system_and_the_hosted_option():
    page = (REPO / "book" / "start" / "setup.md").read_text(encoding="utf-8")
    for heading in ("### Windows", "### macOS", "### Linux", "## Run the course online"):
        assert heading in page, f"the set-up page has no {heading!r} section"
    assert page.count("requirements-student.txt") >= 3 and "{{ course_zip }}" in page and "{{ binder_link }}" in page


def test_the_repository_url_is_written_in_one_place():
    url = CONFIG["repository"]["url"].rstrip("/")
    assert CONFIG["launch_buttons"]["binderhub_url"], "no hosted option (Binder) is configured"
    tracked = [p for pattern in ("*.md", "*.yml", "*.toml", "*.txt", "*.cfg", "book/**/*", "binder/*",
                                 "notebooks/*/*.py", "instructors/**/*", "autograder/*.py", "tests/*.py")
               for p in REPO.glob(pattern) if p.is_file() and "_build" not in p.parts]
    holders = sorted({p.relative_to(REPO).as_posix() for p in tracked
                      if url in p.read_text(encoding="utf-8", errors="replace")})
    assert holders == ["_config.yml"], f"the repository URL is written in {holders}; keep it in _config.yml only"


@pytest.mark.parametrize("index", sorted(REPO.glob("book/m[0-9][0-9]_*/index.md")), ids=lambda p: p.parent.name)
def test_learning_objectives_open_each_module(index):
    headings = re.findall(r"^## (.+)$", index.read_text(encoding="utf-8"), re.MULTILINE)
    assert headings and headings[0] == "Learning objectives", (
        f"{index.relative_to(REPO)}: the first section is {headings[:1]}, not the learning objectives")


# -- the built site --------------------------------------------------------------------------------------

class _Tables(HTMLParser):
    """The tables of a page (content only): each a list of rows, each row a list of (cell text, is header)."""

    def __init__(self):
        super().__init__()
        self.tables: list[list[list[tuple[str, bool]]]] = []
        self._stack: list[list] = []
        self._cell: list[str] | None = None
        self._header = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._stack.append([])
        elif tag == "tr" and self._stack:
            self._stack[-1].append([])
        elif tag in ("td", "th") and self._stack:
            self._cell, self._header = [], tag == "th"

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self._stack and self._stack[-1]:
            self._stack[-1][-1].append((" ".join("".join(self._cell).split()), self._header))
            self._cell = None
        elif tag == "table" and self._stack:
            self.tables.append(self._stack.pop())

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def page_html(site_dir: Path, docname: str) -> str:
    if not (site_dir / f"{docname}.html").is_file():
        pytest.fail(f"{docname}.html is not in the built site: rebuild it with `make book`", pytrace=False)
    html = (site_dir / f"{docname}.html").read_text(encoding="utf-8")
    start = html.find('<article class="bd-article"')
    return html[start:html.find("</article>", start)] if start >= 0 else html


def tables_of(html: str):
    parser = _Tables()
    parser.feed(html)
    return [t for t in parser.tables if t]


SCIENTIFIC = re.compile(r"\b\d(?:\.\d+)?e[-+]\d+\b", re.IGNORECASE)
COUNT_HEADER = re.compile(r"\b(?:patients|count|counts|n|people|referred|found|missed|alerts|TP|FP|FN|TN)\b|per 1,000", re.IGNORECASE)
PER_RATE = re.compile(r"\bper\b(?! 1,000| 100\b)", re.IGNORECASE)  # "alerts per day" is a rate, not a count
FLOAT_COUNT = re.compile(r"^\d[\d,]*\.0$")
INTEGER = re.compile(r"^-?\d[\d,]*$")


def _number(text: str) -> int | None:
    return int(text.replace(",", "")) if INTEGER.match(text) else None


def table_problems(table) -> list[str]:
    problems = []
    cells = [text for row in table for text, _ in row]
    problems += [f"scientific notation {c!r}" for c in cells if SCIENTIFIC.search(c)]
    problems += [f"library default name {c!r}" for c in cells if re.search(r"sensitive_feature_\d", c)]
    header_rows = [row for row in table if all(h for _, h in row[1:]) and any(h for _, h in row)]
    width = max(len(row) for row in table)
    headers = [" ".join(row[i][0] for row in header_rows if len(row) == width) for i in range(width)]
    body = [row for row in table if row not in header_rows and len(row) == width]
    for i, header in enumerate(headers):
        if COUNT_HEADER.search(header) and not PER_RATE.search(header):
            problems += [f"a count written as a float ({row[i][0]!r} under {header!r})" for row in body
                         if FLOAT_COUNT.match(row[i][0])]
    # A row labelled "total": each column of whole numbers adds up to it.
    for t, total in enumerate(body):
        if re.fullmatch(r"(?:\*\*)?total(?:\*\*)?", total[0][0], re.IGNORECASE):
            parts = body[:t]
            for i in range(1, width):
                values = [_number(row[i][0]) for row in parts]
                expected = _number(total[i][0])
                if expected is not None and values and None not in values and sum(values) != expected:
                    problems.append(f"column {headers[i]!r}: rows add to {sum(values)}, the total says {expected}")
    # A column headed "total": each row of whole numbers adds up to it.
    for i, header in enumerate(headers):
        if i and re.search(r"\btotal\b", header, re.IGNORECASE):
            for row in body:
                values = [_number(row[j][0]) for j in range(1, i)]
                expected = _number(row[i][0])
                if expected is not None and values and None not in values and sum(values) != expected:
                    problems.append(f"row {row[0][0]!r}: cells add to {sum(values)}, the total says {expected}")
    return problems


def test_the_table_checks_find_what_they_look_for():
    html = ("<table><tr><th></th><th>patients</th><th>p</th></tr><tr><th>women</th><td>96.0</td><td>7.237e-02</td></tr>"
            "<tr><th>sensitive_feature_0</th><td>3</td><td>0.1</td></tr><tr><th>Total</th><td>100</td><td>1</td></tr></table>")
    found = " | ".join(table_problems(tables_of(html)[0]))
    for expected in ("scientific notation", "float", "sensitive_feature_0"):
        assert expected in found, f"the check misses {expected!r}: {found}"
    per_1000 = ("<table><tr><th></th><th>per 1,000</th></tr><tr><td>with CAD</td><td>455</td></tr>"
                "<tr><td>without CAD</td><td>546</td></tr><tr><td>Total</td><td>1,000</td></tr></table>")
    assert "rows add to 1001" in " | ".join(table_problems(tables_of(per_1000)[0]))
    fine = "<table><tr><th></th><th>n</th><th>Total</th></tr><tr><td>a</td><td>3</td><td>3</td></tr><tr><td>Total</td><td>3</td><td>3</td></tr></table>"
    assert table_problems(tables_of(fine)[0]) == []


@pytest.mark.parametrize("docname", TOC)
def test_tables_on_the_page_read_right(site_dir, docname):
    html = page_html(site_dir, docname)
    problems = [f"table {k + 1}: {p}" for k, table in enumerate(tables_of(html)) for p in table_problems(table)]
    text = re.sub(r"<[^>]+>", " ", html)
    problems += [f"library default name {m!r} in the text" for m in set(re.findall(r"sensitive_feature_\d+", text))]
    problems += [f"glyphs {emoji_in(text)} need an emoji font"] if emoji_in(text) else []
    assert not problems, f"{docname}.html:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("docname", [d for d in TOC if d.startswith("notebooks/")])
def test_notebook_pages_have_a_labelled_launch_button_and_labs_a_download(site_dir, docname):
    html = (site_dir / f"{docname}.html").read_text(encoding="utf-8")
    assert "fa-rocket" not in html, f"{docname}.html still has the unlabelled launch menu (a rocket)"
    assert re.search(r'<span class="btn__text-container">\s*Open in Binder\s*</span>', html), (
        f"{docname}.html has no button that says 'Open in Binder'")
    if re.search(r"/lab\d\d_[^/]+$", docname):
        name = Path(docname).name + ".ipynb"
        assert re.search(rf'<a href="{re.escape(name)}"[^>]*class="[^"]*\bdownload\b', html), (
            f"{docname}.html offers no download of {name}")
        offered = site_dir / f"{docname}.ipynb"
        assert offered.is_file() and offered.read_bytes() == (REPO / f"{docname}.ipynb").read_bytes(), (
            f"the {name} offered on {docname}.html is not the committed lab notebook")
