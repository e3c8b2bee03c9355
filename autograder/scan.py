"""Flag submissions that try to fool the tests or reach outside their copy, for an instructor to review.

The sandbox and the tests' own checks (types first, references recomputed from first principles) decide the
score; this scan only adds a note, so a fair instructor looks at a submission before trusting its grade.
It reads the student's cells as text and runs nothing.
"""

from __future__ import annotations

import re

import nbformat

PATTERNS = {
    "overrides comparison": r"def\s+__(eq|ne|lt|le|gt|ge|bool|float|abs|sub)__",
    "patches a library": r"^\s*(np|numpy|pd|pandas|sklearn|skm|metrics|math|builtins|scipy)\.[\w.]+\s*=(?!=)|setattr\(\s*(np|numpy|pd|pandas|sklearn|builtins|math)\b|__builtins__",
    "hides errors": r"showtraceback|set_custom_exc|sys\.excepthook|InteractiveShell|get_ipython\(\)\.\w+\s*=",
    "reads the grader's environment": r"NBGRADER|os\.environ|getenv",
    "kills the kernel": r"os\._exit|os\.kill|sys\.exit|signal\.",
    "reaches outside its folder": r"\.\./|/etc/|gradebook|sqlite3|instructors|os\.walk|glob\(\s*['\"]/",
    "runs other programs": r"subprocess|os\.system|os\.popen|pty\.",
}
_COMPILED = {name: re.compile(p, re.M) for name, p in PATTERNS.items()}


def student_code(nb: nbformat.NotebookNode) -> str:
    """The text of the cells a student may edit (answer cells and unlocked cells they added)."""
    parts = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "code" and not meta.get("locked") and not meta.get("grade"):
            parts.append(cell.source)
    return "\n".join(parts)


def scan_notebook(nb: nbformat.NotebookNode) -> list[str]:
    code = student_code(nb)
    return [name for name, rx in _COMPILED.items() if rx.search(code)]
