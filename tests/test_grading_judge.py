"""The judge's parts that need no kernel: answers as plain data, the names a test reads, the review scan."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from autograder import plain
from autograder.judge import names_bound, names_read, needed_setup
from autograder.scan import rebound_names, scan_notebook


def round_trip(x):
    return plain.loads(plain.dumps(x))


# ---------------------------------------------------------------- plain data

@pytest.mark.parametrize("value", [
    None, True, 0, -(2 ** 70), 0.1, "text", "", [1, 2.5, "a", None], (1, (2, 3)), {"TP": 1, "FN": 2}, {1: "a", (1, 2): [3]},
    {1, 2}, frozenset({"a"}), [[1, 2], {"k": (True, False)}],
])
def test_python_values_come_back_equal_and_of_the_same_type(value):
    back = round_trip(value)
    assert back == value and type(back) is type(value)


def test_nan_and_infinities_survive():
    back = round_trip([math.nan, math.inf, -math.inf])
    assert math.isnan(back[0]) and back[1:] == [math.inf, -math.inf]


@pytest.mark.parametrize("value", [
    np.float64(0.25), np.float32(1.5), np.int64(-3), np.int8(7), np.bool_(True), np.str_("x"),
])
def test_numpy_scalars_keep_their_type(value):
    back = round_trip(value)
    assert type(back) is type(value) and back == value


@pytest.mark.parametrize("array", [
    np.arange(12, dtype=np.int32).reshape(3, 4), np.array([0.5, np.nan, np.inf]), np.array([True, False]),
    np.array(["a", "bc"]), np.zeros((0, 3)), np.array([1, "a", None, 2.5], dtype=object),
])
def test_arrays_keep_dtype_shape_and_values(array):
    back = round_trip(array)
    assert type(back) is np.ndarray and back.dtype == array.dtype and back.shape == array.shape
    assert back.tolist() == array.tolist() or np.array_equal(back, array, equal_nan=True)


def test_frames_and_series_keep_index_columns_and_dtypes():
    df = pd.DataFrame({"age": [61, 54], "risk": [0.3, np.nan], "sex": pd.Categorical(["F", "M"]), "site": ["a", "b"],
                       "flag": [True, False]}, index=pd.Index(["p1", "p2"], name="patient"))
    back = round_trip(df)
    pd.testing.assert_frame_equal(back, df)
    s = pd.Series([0.1, 0.2], index=pd.RangeIndex(2), name="fnr")
    pd.testing.assert_series_equal(round_trip(s), s)
    grouped = pd.DataFrame({"fnr": [0.1, 0.3]}, index=pd.MultiIndex.from_tuples([("F", 1), ("M", 0)], names=["sex", "g"]))
    pd.testing.assert_frame_equal(round_trip(grouped), grouped)


class Yes(float):
    def __eq__(self, other):
        return True


class Poser:
    __class__ = float

    def __float__(self):
        return 0.5


class SureFrame(pd.DataFrame):
    def equals(self, other):
        return True


@pytest.mark.parametrize("liar", [Yes(0.4), Poser(), SureFrame({"a": [1]}), [1, Yes(2)], {"TP": Yes(1)}, object(),
                                  np.array([Yes(1)], dtype=object), pd.Series([1], dtype="Int64")],
                         ids=["float-subclass", "poser", "frame-subclass", "list-with-liar", "dict-with-liar", "object",
                              "object-array", "nullable-series"])  # stable ids: pytest-xdist workers must collect the same names
def test_objects_that_are_not_exactly_plain_data_arrive_unsupported(liar):
    back = round_trip(liar)
    inner = back if isinstance(back, plain.Unsupported) else json.dumps(plain.encode(liar))
    assert isinstance(inner, plain.Unsupported) or '"unsupported"' in inner
    with pytest.raises(TypeError, match="plain numbers"):
        float(plain.Unsupported("x"))


def test_a_module_comes_back_only_if_the_judge_has_it():
    assert plain.loads(json.dumps({"$": "module", "name": "math"})) is math
    assert isinstance(plain.loads(json.dumps({"$": "module", "name": "antigravity"})), plain.Unsupported)


@pytest.mark.parametrize("text", [
    "not json", json.dumps({"$": "ndarray", "dtype": "<f8", "shape": [2], "v": [1.0]}),  # shape and values disagree
    json.dumps({"$": "ndarray", "dtype": "<f8", "shape": [1], "v": ["1.5"]}),  # a string in a float array
    json.dumps({"$": "ndarray", "dtype": "|O", "shape": [1], "v": [[1, 2]]}),  # a list inside an object array
    json.dumps({"$": "ndarray", "dtype": "<M8[ns]", "shape": [0], "v": []}),  # not numeric, bool or str
    json.dumps({"$": "pickle", "v": "gASV"}), json.dumps({"no": "tag"}),
    json.dumps({"$": "callable", "id": 0}),  # a function where none may be called
    json.dumps({"$": "series", "values": {"$": "ndarray", "dtype": "<i8", "shape": [2], "v": [1, 2]},
                "index": {"$": "range", "v": [0, 3, 1], "name": None}, "name": None}),
    "[" * 200 + "]" * 200,
])
def test_replies_outside_the_schema_are_refused(text):
    with pytest.raises(plain.Malformed):
        plain.loads(text)


def test_size_limits(monkeypatch):
    monkeypatch.setattr(plain, "MAX_ITEMS", 1000)
    with pytest.raises(plain.Malformed, match="more values"):
        plain.loads(plain.dumps(list(range(5000))))
    monkeypatch.setattr(plain, "MAX_TEXT", 100)
    with pytest.raises(plain.Malformed, match="larger"):
        plain.loads(plain.dumps("x" * 200))


def test_the_kernel_side_answers_requests_as_plain_data():
    ns = {"auc": np.float64(0.8), "f": lambda counts: (counts["TP"] / 2, "ok"), "boom": lambda: 1 / 0}
    got = json.loads(plain.serve(json.dumps({"op": "get", "names": ["auc", "f", "nothing"]}), ns))["values"]
    assert got["nothing"] == {"$": "missing"} and got["f"]["$"] == "callable"
    assert plain.decode(got["auc"]) == np.float64(0.8)
    reply = json.loads(plain.serve(json.dumps({"op": "call", "id": got["f"]["id"], "args": [plain.encode({"TP": 4})],
                                               "kwargs": []}), ns))
    assert plain.decode(reply["value"]) == (2.0, "ok")
    boom = json.loads(plain.serve(json.dumps({"op": "get", "names": ["boom"]}), ns))["values"]["boom"]
    error = json.loads(plain.serve(json.dumps({"op": "call", "id": boom["id"], "args": [], "kwargs": []}), ns))["error"]
    assert error["ename"] == "ZeroDivisionError"


# ---------------------------------------------------------------- the names a test reads

def test_names_read_are_the_free_module_level_names_minus_builtins():
    source = '''"""Check."""
import importlib as _il
_np = _il.import_module("numpy")
result = sens_spec({"TP": 1})
assert isinstance(result, tuple) and abs(result[0] - ref) < 1e-9, "message"
for _t in range(3):
    assert all(f(x) for x in data)
def helper(v):
    return v + offset
total = [g(k) for k in keys]
'''
    assert names_read(source) == {"sens_spec", "ref", "f", "data", "offset", "g", "keys"}
    assert {"_il", "_np", "result", "_t", "helper", "total"} <= names_bound(source)
    assert names_read("x = (") == set()


def test_only_the_setup_cells_a_test_needs_are_run_in_the_judge():
    cells = [
        {"grade_id": "setup", "kind": "locked", "source": "import numpy as np\nmodel = 1\ndata = 2"},
        {"grade_id": "plots", "kind": "locked", "source": "figure = draw(answer)"},
        {"grade_id": "more", "kind": "locked", "source": "reference = model + 1"},
        {"grade_id": "t1", "kind": "test", "source": "assert answer == reference"},
    ]
    assert needed_setup(cells) == {"more", "setup"}


# ---------------------------------------------------------------- the review scan

def _nb(code: str):
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nb.cells[0].metadata["nbgrader"] = {"solution": True, "grade": False, "locked": False, "grade_id": "a"}
    return nb


@pytest.mark.parametrize("code, flag", [
    ("get_ipython().input_transformers_cleanup.append(f)", "hooks the kernel"),
    ("ip = get_ipython()\nip.ast_transformers.append(T())", "hooks the kernel"),
    ("get_ipython().events.register('pre_run_cell', f)", "hooks the kernel"),
    ("import sys\nsys.settrace(f)", "hooks the kernel"),
    ("from IPython.core.interactiveshell import InteractiveShell", "hooks the kernel"),
    ("import sys\nsys.modules['numpy'] = fake", "hooks the kernel"),
    ("import builtins\nbuiltins.abs = f", "patches a library"),
    ("numpy.isclose = lambda *a, **k: True", "patches a library"),
    ("import math\nmath.isclose = f", "patches a library"),
    ("setattr(np, 'allclose', f)", "patches a library"),
    ("abs = lambda x: 0", "rebinds builtin names"),
    ("def round(x, n=0):\n    return 0", "rebinds builtin names"),
    ("float = int", "rebinds builtin names"),
    ("np = None", "rebinds builtin names"),
    ("import math as np", "rebinds builtin names"),
    ("class A:\n    def __array__(self):\n        return 1", "overrides comparison"),
    ("sys.excepthook = f", "hides errors"),
])
def test_the_scan_flags_tricks(code, flag):
    assert flag in scan_notebook(_nb(code))


@pytest.mark.parametrize("code", [
    "import numpy as np\nimport pandas as pd\nrisk = np.mean([1, 2])",
    "def f(input):\n    return input",  # a parameter named like a builtin
    "from sklearn.metrics import roc_auc_score\nauc = float(roc_auc_score(y, p))",
])
def test_the_scan_leaves_honest_code_alone(code):
    assert scan_notebook(_nb(code)) == [] and rebound_names(code) == set()
