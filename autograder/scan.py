"""Flag submissions that try to fool the tests or reach outside their copy, for an instructor to review.

The sandbox and the judge (test cells run apart from student code, on the answers as plain data) decide the
score; this scan only adds a note, so a fair instructor looks at a submission before trusting its grade.
It reads the student's cells as text (and, where they parse, their syntax tree) and runs nothing.
"""

from __future__ import annotations

import ast
import builtins
import re

import nbformat

PATTERNS = {
    "overrides comparison": r"def\s+__(eq|ne|lt|le|gt|ge|bool|float|int|index|abs|sub|array\w*|len|hash|instancecheck|subclasscheck|class_getitem)__|__class__\s*=",
    "hooks the kernel": r"get_ipython|\bipython\b|IPython|input_transformers|ast_transformers|events\.register|pre_run_cell|post_run_cell"
                        r"|run_cell|sys\.settrace|sys\.setprofile|settrace|setprofile|sys\.modules|sys\.meta_path|sys\.path_hooks|__import__"
                        r"|import\s+builtins|from\s+builtins|__builtins__|gc\.get_|inspect\.currentframe|sys\._getframe|f_globals|f_locals|atexit",
    "patches a library": r"^\s*(np|numpy|pd|pandas|sklearn|skm|metrics|math|builtins|scipy|sys|os|json|operator|importlib|_?il|\w+\.testing)\.[\w.]+\s*=(?!=)"
                         r"|setattr\(|delattr\(|__builtins__|__dict__\s*\[|\.__dict__\.update|monkeypatch|unittest\.mock|mock\.patch",
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


_BUILTINS = frozenset(n for n in dir(builtins) if not n.startswith("_"))
# Names the tests lean on besides the builtins: modules and helpers a test cell may use as it is.
_HELPERS = frozenset({"np", "numpy", "pd", "pandas", "math", "sklearn", "skm", "metrics", "importlib", "_il", "sys", "os",
                      "json", "re", "operator", "functools", "itertools", "statistics", "scipy"})


def rebound_names(code: str) -> set[str]:
    """Builtin and helper names a student's code binds (``abs = …``, ``def round(…)``, ``import math as np``),
    at any level: cells that do not parse are read line by line."""
    found = set()
    try:
        trees = [ast.parse(code)]
    except SyntaxError:
        trees = []
        for chunk in code.split("\n\n"):
            try:
                trees.append(ast.parse(chunk))
            except SyntaxError:
                continue
    for tree in trees:
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
                names.append(node.id)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.append(node.name)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    bound = alias.asname or alias.name.split(".")[0]
                    # importing a helper under its usual name is honest; binding another module to it is not
                    usual = alias.asname is None or (alias.name, alias.asname) in {("numpy", "np"), ("pandas", "pd"), ("sklearn.metrics", "skm"), ("importlib", "_il")}
                    if not usual or isinstance(node, ast.ImportFrom) and bound in _BUILTINS:
                        names.append(bound)
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                names.extend(node.names)
            elif isinstance(node, ast.arg):
                continue  # a parameter named like a builtin shadows it only inside that function
            elif isinstance(node, ast.ExceptHandler) and node.name:
                names.append(node.name)
            found |= {n for n in names if n in _BUILTINS or n in _HELPERS}
    return found


def scan_notebook(nb: nbformat.NotebookNode) -> list[str]:
    code = student_code(nb)
    flags = [name for name, rx in _COMPILED.items() if rx.search(code)]
    if rebound_names(code):
        flags.append("rebinds builtin names")
    return flags
