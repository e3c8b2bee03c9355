"""Find solution code and hidden tests of the graded masters wherever they must not be.

The masters (``instructors/assignments/aNN_<slug>.py``, jupytext percent) hold the only copies of the
solutions (between ``### BEGIN SOLUTION`` and ``### END SOLUTION``) and of the hidden tests (between
``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS``). A leak is one of those *actual lines* turning
up somewhere students can see it: the built site, a released notebook, a feedback report. Looking for
the lines, not only for the markers, also catches a solution copied by hand.

Two functions, used by the site tests and by the notebook and feedback tests::

    from tests.leaks import secret_lines, find_leaks

    secrets = secret_lines(REPO)                     # {"truth = np.asarray(y_true).astype(int)", ...}
    assert not find_leaks([REPO / "_build/html"], secrets)

``find_leaks`` reads every text file under the given paths (HTML, JS, JSON, notebooks, Python,
Markdown, CSS, CSV, …) and finds a secret line even when it is

- HTML-escaped (``&quot;TP&quot;``) or split into syntax-highlighting ``<span>`` tokens,
- inside an attribute (an image's ``alt`` text, a ``title``),
- JSON-escaped (``\\"TP\\"``, ``\\u003c``) as in ``searchindex.js`` or the source of a notebook cell,

and it compares with runs of whitespace collapsed, so re-indented code is still caught.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Iterable

__all__ = ["MARKERS", "secret_lines", "find_leaks", "master_paths"]

#: The nbgrader markers. They never appear in anything students see either.
MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")

_BEGIN = re.compile(r"^\s*#+\s*BEGIN (SOLUTION|HIDDEN TESTS)\s*$")
_END = re.compile(r"^\s*#+\s*END (SOLUTION|HIDDEN TESTS)\s*$")

#: A secret line must be at least this long (after stripping) to count: shorter lines (`return {`,
#: `else:`, `)`) are syntax, not content.
MIN_LENGTH = 12

_TEXT_SUFFIXES = {
    ".html", ".htm", ".js", ".mjs", ".json", ".txt", ".ipynb", ".py", ".md", ".markdown", ".rst",
    ".css", ".csv", ".tsv", ".xml", ".svg", ".yml", ".yaml", ".toml", ".cfg", ".ini", ".tex", ".inv",
    ".log", ".err", ".map", ".buildinfo",
}
_TAG = re.compile(r"<[^>]*>", re.S)
_ATTRIBUTE = re.compile(r"""\s[\w:-]+\s*=\s*("([^"]*)"|'([^']*)')""")
_SPACE = re.compile(r"\s+")
_RELEASED = re.compile(r"^a\d\d_")
_JSON_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|[\"\\/bfnrt])")
_JSON_SIMPLE = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def master_paths(repo: Path | str) -> list[Path]:
    """The graded masters: ``instructors/assignments/a[0-9][0-9]_*.py``, sorted."""
    return sorted(Path(repo, "instructors", "assignments").glob("a[0-9][0-9]_*.py"))


def _split_master(text: str) -> tuple[list[str], list[str]]:
    """(lines inside solution / hidden-test regions, the other lines) of one master."""
    inside, outside, depth = [], [], 0
    for line in text.splitlines():
        if _BEGIN.match(line):
            depth += 1
        elif _END.match(line):
            depth = max(depth - 1, 0)
        elif depth:
            inside.append(line)
        else:
            outside.append(line)
    return inside, outside


def _is_trivial(line: str) -> bool:
    """Too short or too empty to say anything: syntax, a comment, a docstring quote."""
    if len(line) < MIN_LENGTH or line.startswith("#"):
        return True
    return not re.search(r"[A-Za-z0-9]{3}", line)


def _teaching_text(repo: Path) -> str:
    """Normalised text of the teaching sources: book/ and notebooks/ (md, py, ipynb cell sources),
    except the released assignments (``notebooks/*/aNN_*/``), which are generated from the masters and
    are among the places a leak is looked for."""
    parts: list[str] = []
    for folder in ("book", "notebooks"):
        for path in sorted(Path(repo, folder).rglob("*")):
            if path.suffix not in {".md", ".py", ".ipynb"} or not path.is_file():
                continue
            if any(_RELEASED.match(part) for part in path.relative_to(repo).parts[:-1]):
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            if path.suffix == ".ipynb":
                try:
                    cells = json.loads(text).get("cells", [])
                    text = "\n".join("".join(c.get("source", "")) for c in cells)
                except (ValueError, AttributeError):
                    pass
            parts.extend(_normalise(line) for line in text.splitlines())
    return "\n".join(parts)


def _normalise(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


def secret_lines(repo: Path | str, masters: Iterable[Path | str] | None = None) -> set[str]:
    """Every non-trivial line of solution code or hidden test in the masters, whitespace-normalised.

    ``masters`` defaults to :func:`master_paths` of ``repo``. A line between the markers is left out

    - when it is trivial: shorter than ``MIN_LENGTH`` characters, a comment, or no word in it
      (``pass``, ``else:``, ``return {``, ``)``);
    - when students see it anyway: it occurs, even inside a longer line, outside the markers of a
      master (a question's text that gives the formula, the setup cell's ``import numpy as np``);
    - when it is taught: it occurs in a teaching source, a chapter under ``book/`` or a lab under
      ``notebooks/`` (a lab shows ``MetricFrame(metrics={...})``, the assignment asks for it again).

    Released assignments (``notebooks/*/aNN_*/``) never exempt a line: they are generated from the
    masters, so a line there is exactly the kind of leak to look for.
    """
    repo = Path(repo)
    masters = master_paths(repo) if masters is None else [Path(m) for m in masters]
    inside: set[str] = set()
    shown_parts: list[str] = []
    for master in masters:
        secret, shown = _split_master(master.read_text(encoding="utf-8"))
        inside.update(_normalise(line) for line in secret)
        # Markdown cells are "# "-prefixed in jupytext percent: students read them without the prefix.
        shown_parts.extend(_normalise(re.sub(r"^\s*#+ ?", "", line)) for line in shown)
        shown_parts.extend(_normalise(line) for line in shown)
    visible = "\n".join(shown_parts)
    candidates = {line for line in inside if not _is_trivial(line) and line not in visible}
    if candidates:
        taught = _teaching_text(repo)
        candidates = {line for line in candidates if line not in taught}
    return candidates


def _json_unescape(text: str) -> str:
    def one(match: re.Match) -> str:
        code = match.group(1)
        if code.startswith("u"):
            return chr(int(code[1:], 16))
        return _JSON_SIMPLE[code]

    return _JSON_ESCAPE.sub(one, text)


def _views(path: Path, text: str) -> list[str]:
    """The readings of a file a secret could hide in, each whitespace-normalised."""
    views = [text]
    if "\\" in text:  # JSON/JS string escapes: notebooks, searchindex.js, *.json
        views.append(_json_unescape(text))
    for view in list(views):
        if "&" in view or "<" in view:
            # Text with the tags removed (joins highlighted <span> tokens), then the attribute values
            # (alt, title, aria-label, data-*), both with entities decoded.
            views.append(html.unescape(_TAG.sub("", view)))
            attributes = [m.group(2) if m.group(2) is not None else m.group(3) for m in _ATTRIBUTE.finditer(view)]
            views.append(html.unescape("\n".join(attributes)))
    return [_normalise(view) for view in views]


def _read_text(path: Path) -> str | None:
    """The file as text, or None when it is binary (an image, a font)."""
    data = path.read_bytes()
    if path.suffix.lower() not in _TEXT_SUFFIXES:
        if b"\0" in data[:4096]:
            return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        if path.suffix.lower() in _TEXT_SUFFIXES:
            return data.decode("latin-1")
        return None


def _files(paths: Iterable[Path | str]) -> Iterable[Path]:
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and not p.is_symlink())
        elif path.is_file():
            yield path
        else:
            raise FileNotFoundError(f"find_leaks: {path} does not exist")


def find_leaks(paths: Iterable[Path | str], secrets: Iterable[str]) -> list[tuple[Path, str]]:
    """Where secret lines occur: ``[(file, secret line), …]``, sorted; empty when nothing leaked.

    ``paths`` are files or folders (searched recursively; binary files are skipped). ``secrets`` are
    lines as returned by :func:`secret_lines` or any other strings to look for (for example the
    :data:`MARKERS`, or distinctive sentences of the instructor guide). Matching is by substring,
    whitespace-insensitive, on the raw text and on its HTML- and JSON-decoded readings.
    """
    wanted = sorted({_normalise(s) for s in secrets if _normalise(s)})
    found: set[tuple[Path, str]] = set()
    if not wanted:
        return []
    for path in _files(paths):
        text = _read_text(path)
        if text is None:
            continue
        views = _views(path, text)
        for secret in wanted:
            if any(secret in view for view in views):
                found.add((path, secret))
    return sorted(found)
