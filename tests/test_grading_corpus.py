"""A class of bad and tricky submissions, graded the way a fair instructor expects.

Every case is a real notebook graded by `autograder grade` (real nbgrader, real kernels, the sandbox) in
one batch. Each case states what it scores out of 17 autograded points; the batch completes, and the
perfect submission graded beside them keeps its full marks. Then the feedback of the whole class is
checked for hidden tests and solutions, and the class report and the export are produced from it.
"""

from __future__ import annotations

import copy
import csv
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder import course, sandbox
from tests.leaks import find_leaks
from tests.repo import REPO
from tests.submissions import answer_cells, fill

pytestmark = pytest.mark.e2e  # real kernels and nbgrader

A01 = course.find_assignment("a01")
AUTOGRADER = str(Path(sys.executable).parent / "autograder")
needs_bwrap = pytest.mark.skipif(not sandbox.bwrap_available(), reason="bubblewrap is not installed: the isolation cases need it")


TRICKS = ["blank_later_cells", "run_cell_hook", "no_asserts", "event_hooks", "tracing", "shadowed_builtins",
          "shadowed_builtins_wrong", "patched_modules", "patched_modules_wrong", "hidden_errors", "lying_objects",
          "lying_function", "loop_in_function", "huge_answers"]


def released():
    return nbformat.read(A01.student_dir(REPO / "notebooks") / A01.notebook_name, as_version=4)


def submission(**wrong):
    return fill(released(), answer_cells(course.master_notebook(A01), **wrong))


def without(nb, grade_id):
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") != grade_id]
    return nb


def cell(nb, grade_id):
    return next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


WRONG_Q5 = "ppv_clinic = float(sens_05)  # the PPV taken as the sensitivity"
AUC = "from sklearn.metrics import roc_auc_score\nauc_test = float(roc_auc_score(y_test, risk))"


def blank_with(code: str):
    """The untouched release (no answer at all) with ``code`` typed at the top of the first answer cell."""
    nb = released()
    first = cell(nb, "q1_answer")
    first.source = code + "\n\n" + first.source
    return nb


# Tricks that change how later cells run or what their names mean. Test cells run in the judge, apart
# from the kernel these act on, so none gains a point: each scores what its honest answers earn.
BLANK_LATER_CELLS = "get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'])"
RUN_CELL_HOOK = """_ip = get_ipython()
_real = _ip.run_cell_async
async def _quiet(raw_cell, *args, **kwargs):
    return await _real("pass", *args, **kwargs)
_ip.run_cell_async = _quiet
_ip.run_cell = lambda raw_cell, *a, **k: type(_ip).run_cell(_ip, "pass", *a, **k)"""
NO_ASSERTS = """import ast
class _NoChecks(ast.NodeTransformer):
    def visit_Assert(self, node):
        return ast.Pass()
    def visit_Raise(self, node):
        return ast.Pass()
get_ipython().ast_transformers.append(_NoChecks())"""
EVENT_HOOKS = """def _forget(result):
    result.error_in_exec = None
    result.error_before_exec = None
get_ipython().events.register('post_run_cell', _forget)
get_ipython().events.register('pre_run_cell', lambda info: None)"""
TRACING = "import sys\nsys.settrace(lambda *a: None)\nsys.setprofile(lambda *a: None)"
SHADOWS = """abs = lambda x: 0
round = lambda *a, **k: 0
def isinstance(obj, kind):
    return True
type = lambda *a: dict
float = lambda *a: 0.5
AssertionError = Warning
np = math = pd = _il = importlib = None
sum = len = all = set = lambda *a: 1"""
PATCHES = """import builtins, math, sys, types
import numpy, pandas.testing
numpy.isclose = lambda *a, **k: True
numpy.allclose = lambda *a, **k: True
numpy.testing.assert_allclose = lambda *a, **k: None
math.isclose = lambda *a, **k: True
pandas.testing.assert_frame_equal = lambda *a, **k: None
sys.modules['importlib'] = types.SimpleNamespace(import_module=lambda name: None)
builtins.abs = lambda x: 0
builtins.AssertionError = Warning"""
HIDE_ERRORS = """import sys
from IPython.core.interactiveshell import InteractiveShell
sys.excepthook = lambda *a: None
InteractiveShell.showtraceback = lambda *a, **k: None
_ip = get_ipython()
_ip._showtraceback = lambda *a, **k: None
_ip.set_custom_exc((BaseException,), lambda *a, **k: None)"""
LIARS = """class Yes(float):
    def __eq__(self, other):
        return True
    __lt__ = __le__ = __gt__ = __ge__ = __eq__
    def __float__(self):
        return 0.123
ppv_clinic = Yes(0.4)"""
POSER = """class Number:
    __class__ = float
    def __float__(self):
        return 42.0
    def __eq__(self, other):
        return True
missed_per_1000 = Number()"""
ARRAY_LIKE = """class Sure:
    def __array__(self, *a, **k):
        import numpy
        return numpy.array(0.8)
    def __float__(self):
        return 0.8
    def __eq__(self, other):
        return True
auc_test = Sure()"""
LYING_FUNCTION = """class Anything(float):
    def __eq__(self, other):
        return True
    def __sub__(self, other):
        return 0.0
    __rsub__ = __sub__
    __lt__ = __gt__ = __eq__
return Anything(0.5)"""


def corpus(secret_path: str, course_root: Path) -> dict[str, tuple[object, float, str]]:
    """name -> (notebook or raw text, expected autograded score, why)."""
    cases = {}
    cases["perfect"] = (submission(), 17, "the master's solutions")
    cases["untouched"] = (released(), 0, "the stubs raise NotImplementedError")
    cases["infinite_loop"] = (submission(q8_answer="while True:\n    pass"), 16,
                              "the cell times out and is interrupted; later cells still run; q8 lost")
    cases["kernel_exit"] = (submission(q10_answer="import os\nos._exit(1)"), 16,
                            "the kernel dies at q10, the last question: every cell before keeps its points, q10's test scores 0")
    cases["memory_hog"] = (submission(q10_answer="hog = []\nwhile True:\n    hog.append(b'x' * (50 * 2**20))"), 16,
                           "killed at the memory limit, like a kernel death at q10")
    cases["exception"] = (submission(q7_answer="raise ValueError('I do not know')"), 15, "q7's answer raises: q7 lost")
    deleted = without(submission(q3_answer="return 0.5, 0.5, 2.0, 0.5"), "q3_tests")
    cases["deleted_test_cell"] = (deleted, 15, "the deleted test cell is put back from the gradebook; q3 is wrong")
    dup = submission()
    dup.cells.insert(5, copy.deepcopy(cell(dup, "q1_tests")))
    cases["duplicated_cells"] = (dup, 17, "nbgrader keeps one copy of a duplicated grade cell")
    reordered = submission()
    i, j = (reordered.cells.index(cell(reordered, g)) for g in ("q7_text", "q8_text"))
    reordered.cells[i], reordered.cells[j] = reordered.cells[j], reordered.cells[i]
    cases["reordered_cells"] = (reordered, 17, "moving instructions around changes nothing")
    edited = submission(q5_answer=WRONG_Q5)
    cell(edited, "q5_tests").source = '"""Check nothing."""\npass'
    cases["edited_test_cell"] = (edited, 15, "the edited test is restored from the gradebook; q5 is wrong")
    meta = submission(q5_answer=WRONG_Q5)
    cell(meta, "q5_tests").metadata["nbgrader"]["points"] = 100
    cell(meta, "q5_tests").metadata["nbgrader"]["grade"] = False
    cases["edited_metadata"] = (meta, 15, "points and grade flags come from the gradebook, not the notebook")
    kernel = submission()
    kernel.metadata["kernelspec"] = {"name": "ir", "display_name": "R", "language": "R"}
    cases["wrong_kernel"] = (kernel, 17, "the kernel spec is reset to the course's Python kernel")
    cases["flooding_output"] = (submission(q8_answer="for i in range(200_000):\n    print('spam', i)\n" + AUC), 17,
                                "printing is no crime; the output is capped")
    cases["always_equal"] = (submission(q5_answer="class Yes(float):\n    def __eq__(self, other):\n        return True\n"
                                                  "ppv_clinic = Yes(0.4)"), 15,
                             "the tests compare float(x) with a tolerance: the trick object fails q5")
    cases["patched_library"] = (submission(q4_answer="import sklearn.metrics\nsklearn.metrics.recall_score = lambda *a, **k: 0.5\n"
                                                     "sens_05 = spec_05 = 0.5"), 15,
                                "q4's reference is plain arithmetic, immune to the patch: q4 lost (q5 still consistent)")
    cases["hidden_traceback"] = (submission(q5_answer="get_ipython().showtraceback = lambda *a, **k: None\n" + WRONG_Q5), 15,
                                 "nbgrader reads the kernel's reply status, not the printed traceback: q5 lost")
    cases["exception_handler"] = (submission(q5_answer="get_ipython().set_custom_exc((AssertionError,), lambda *a, **k: None)\n" + WRONG_Q5), 15,
                                  "a custom handler still reports the error to the grader: q5 lost")
    cases["grader_environment"] = (submission(q8_answer="import os\nprint(sorted(os.environ))\n"
                                                        "if os.environ.get('NBGRADER_EXECUTION'):\n    raise SystemExit('grader seen')\n" + AUC), 17,
                                   "the kernel sees no grader variables, so the branch never fires")
    cases["malformed_json"] = ('{"cells": [ this is not json', None, "reported as malformed, not graded")
    cases["blank_later_cells"] = (blank_with(BLANK_LATER_CELLS), 0,
                                  "an input transformer that blanks every later cell: no answer runs, and tests do not run in the kernel")
    cases["run_cell_hook"] = (blank_with(RUN_CELL_HOOK), 0, "replacing the kernel's cell runner skips the answers, not the tests")
    cases["no_asserts"] = (blank_with(NO_ASSERTS), 0, "an AST transformer that turns assert and raise into pass: no answer, 0")
    cases["event_hooks"] = (submission(q5_answer=WRONG_Q5 + "\n" + EVENT_HOOKS), 15,
                            "pre/post_run_cell hooks that forget errors: q5 is wrong and still lost")
    cases["tracing"] = (submission(q5_answer=WRONG_Q5 + "\n" + TRACING), 15, "sys.settrace/setprofile: q5 still lost")
    cases["shadowed_builtins"] = (blank_with(SHADOWS), 0, "abs, round, isinstance, type, float, AssertionError, np… rebound, no answer: 0")
    cases["shadowed_builtins_wrong"] = (submission(q5_answer=WRONG_Q5, q7_answer="return 0.5", q8_answer=AUC + "\n" + SHADOWS), 11,
                                        "the same shadowing after wrong answers to q5 and q7: both lost, and the "
                                        "student's own later answers (q9, q10) are computed with the shadowed names")
    cases["patched_modules"] = (blank_with(PATCHES), 0, "numpy.isclose, math.isclose, pandas.testing, sys.modules, builtins patched: no answer, 0")
    cases["patched_modules_wrong"] = (submission(q5_answer=WRONG_Q5, q8_answer=AUC + "\n" + PATCHES), 15,
                                      "the same patches after a wrong q5: q5 lost")
    cases["hidden_errors"] = (blank_with(HIDE_ERRORS), 0, "sys.excepthook, showtraceback, a custom handler for every exception: no answer, 0")
    cases["lying_objects"] = (submission(q5_answer=LIARS, q6_answer=POSER, q8_answer=ARRAY_LIKE), 12,
                              "a float subclass equal to anything, an object posing as a float, one with __array__: not plain data, q5, q6, q8 lost")
    cases["lying_function"] = (submission(q7_answer=LYING_FUNCTION), 15,
                               "harm_threshold returns an object equal to anything: not plain data, q7 lost")
    cases["loop_in_function"] = (submission(q7_answer="while True:\n    pass"), 15,
                                 "harm_threshold never returns: the test's call times out, q7 lost, later cells still run")
    cases["huge_answers"] = (submission(q6_answer="missed_per_1000 = [0.0] * 5_000_000",
                                        q8_answer=AUC + "\nauc_test = 'x' * 60_000_000"), 14,
                             "answers beyond the judge's size limits are not read: q6 and q8 lost")
    if sandbox.bwrap_available():
        probe = (f"import os\nseen = []\nfor p in [{secret_path!r}, {str(course_root / 'gradebook.db')!r}, '../other/a01_diagnostic_models.ipynb']:\n"
                 "    try:\n        seen.append(open(p, 'rb').read(80))\n    except OSError as e:\n        seen.append(type(e).__name__)\n"
                 f"try:\n    open({str(course_root / 'planted.txt')!r}, 'w').write('x')\nexcept OSError as e:\n    seen.append(type(e).__name__)\n"
                 "print(seen)\n" + AUC)
        cases["reads_outside"] = (submission(q8_answer=probe), 17,
                                  "the master, the gradebook and other students' folders are not there; writes stay inside")
    return cases


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    subs = tmp_path_factory.mktemp("corpus")
    root = tmp_path_factory.mktemp("course")
    cases = corpus(str(A01.master), root)
    for name, (nb, _, _) in cases.items():
        (subs / name).mkdir()
        path = subs / name / A01.notebook_name
        path.write_text(nb) if isinstance(nb, str) else nbformat.write(nb, path)
    run = subprocess.run([AUTOGRADER, "grade", "a01", "--submissions", str(subs), "--course-root", str(root),
                          "--cell-timeout", "15", "--notebook-timeout", "120", "--memory-mb", "1024"],
                         capture_output=True, text=True, timeout=1200)
    rows = {r["student_id"]: r for r in csv.DictReader((root / "grades" / "a01_diagnostic_models.csv").open())}
    return cases, run, rows, root, subs


def test_the_batch_completes_and_reports_only_the_malformed_one(graded):
    cases, run, rows, _, _ = graded
    assert run.returncode == 2, run.stderr[-3000:]
    assert set(rows) == set(cases)
    assert [r for r in rows if rows[r]["status"] != "graded"] == ["malformed_json"]
    assert "Traceback" not in run.stderr


@pytest.mark.parametrize("name", [
    "perfect", "untouched", "infinite_loop", "kernel_exit", "memory_hog", "exception", "deleted_test_cell",
    "duplicated_cells", "reordered_cells", "edited_test_cell", "edited_metadata", "wrong_kernel", "flooding_output",
    "always_equal", "patched_library", "hidden_traceback", "exception_handler", "grader_environment",
    pytest.param("reads_outside", marks=needs_bwrap),
    *TRICKS,
])
def test_each_case_scores_what_a_fair_instructor_expects(graded, name):
    cases, _, rows, _, _ = graded
    _, expected, why = cases[name]
    assert float(rows[name]["autograded_score"]) == expected, f"{name}: expected {expected} ({why}); got {rows[name]}"
    assert float(rows[name]["autograded_max"]) == 17


def test_kernel_deaths_are_explained(graded):
    _, _, rows, _, _ = graded
    assert "stopped" in rows["kernel_exit"]["detail"]
    assert "memory" in rows["memory_hog"]["detail"]


def test_tricks_are_flagged_for_review_and_honest_work_is_not(graded):
    _, _, rows, _, _ = graded
    assert "overrides comparison" in rows["always_equal"]["flags"]
    assert "patches a library" in rows["patched_library"]["flags"]
    assert "hides errors" in rows["hidden_traceback"]["flags"] and "hides errors" in rows["exception_handler"]["flags"]
    assert "reads the grader's environment" in rows["grader_environment"]["flags"]
    assert "kills the kernel" in rows["kernel_exit"]["flags"]
    assert rows["perfect"]["flags"] == "" and rows["untouched"]["flags"] == ""


@pytest.mark.parametrize("name, flag", [
    ("blank_later_cells", "hooks the kernel"), ("run_cell_hook", "hooks the kernel"), ("no_asserts", "hooks the kernel"),
    ("event_hooks", "hooks the kernel"), ("tracing", "hooks the kernel"), ("shadowed_builtins", "rebinds builtin names"),
    ("shadowed_builtins_wrong", "rebinds builtin names"), ("patched_modules", "patches a library"),
    ("patched_modules_wrong", "patches a library"), ("hidden_errors", "hides errors"), ("lying_objects", "overrides comparison"),
    ("lying_function", "overrides comparison"),
])
def test_tricks_on_the_kernel_are_flagged(graded, name, flag):
    _, _, rows, _, _ = graded
    assert flag in rows[name]["flags"], rows[name]["flags"]


def _outputs(root: Path, student: str) -> str:
    nb = nbformat.read(root / "autograded" / student / A01.id / A01.notebook_name, as_version=4)
    return json.dumps([c.get("outputs", []) for c in nb.cells])


def test_flooding_output_is_capped(graded):
    _, _, _, root, _ = graded
    size = (root / "autograded" / "flooding_output" / A01.id / A01.notebook_name).stat().st_size
    assert size < 2_000_000, f"the flooding submission's graded notebook is {size} bytes"


def test_the_kernel_sees_no_grader_variables(graded):
    _, _, _, root, _ = graded
    printed = _outputs(root, "grader_environment")
    assert "NBGRADER" not in printed and "AUTOGRADER" not in printed and "PATH" in printed


@needs_bwrap
def test_a_submission_cannot_read_or_write_outside_its_copy(graded):
    _, _, _, root, _ = graded
    printed = _outputs(root, "reads_outside")
    assert printed.count("FileNotFoundError") >= 3, printed[:2000]  # master, gradebook, other student: not there
    assert "BEGIN SOLUTION" not in printed and "SQLite" not in printed
    assert not (root / "planted.txt").exists()


def test_feedback_has_no_hidden_test_or_solution_the_student_did_not_write(graded):
    _, _, rows, root, _ = graded
    run = subprocess.run([AUTOGRADER, "feedback", "a01", "--course-root", str(root)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    files = sorted((root / "feedback").rglob("*.html"))
    assert len(files) == sum(r["status"] == "graded" for r in rows.values())
    from autograder.feedback import secret_lines

    hidden = secret_lines(A01, kinds=("HIDDEN TESTS",))
    assert len(hidden) > 20, "too few hidden-test lines found to scan for"
    assert find_leaks(files, hidden) == []
    untouched = (root / "feedback" / "untouched" / A01.id / f"{A01.id}.html").read_text()
    assert find_leaks([root / "feedback" / "untouched" / A01.id / f"{A01.id}.html"], secret_lines(A01)) == []
    assert "(Score: 0.0 / 22.0)" in untouched and "Score: 0.0 / 2.0" in untouched  # nbgrader's page: autograded + written
    assert "Traceback (most recent call last)" not in untouched and "NotImplementedError" in untouched
    edited = (root / "feedback" / "edited_test_cell" / A01.id / f"{A01.id}.html").read_text()
    assert "PPV is the share of flagged patients who have CAD" in edited  # the visible message teaches


def test_report_and_export_read_the_class(graded):
    _, _, rows, root, _ = graded
    run = subprocess.run([AUTOGRADER, "report", "a01", "--course-root", str(root)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    page = (root / "reports" / "a01_diagnostic_models.html").read_text()
    assert page.count("<img") == 3 and 'alt=""' not in page
    assert "Item analysis" in page and "M1.3" in page and "02_prevalence.html" in page  # q5 missed -> prevalence page
    run = subprocess.run([AUTOGRADER, "export", "--course-root", str(root)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    exported = {r["student_id"]: r for r in csv.DictReader((root / "grades.csv").open())}
    assert list(exported["perfect"])[:11] == ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name",
                                              "email", "raw_score", "late_submission_penalty", "score", "max_score"]
    assert float(exported["edited_test_cell"]["a01_diagnostic_models:q5_tests"]) == 0
