"""Answers as plain data: the only thing that crosses from a student's kernel to the judge.

A value is written as JSON (no pickle, no code): None, bool, int, float (nan and inf included), str,
list, tuple, set, dict, numpy scalars and arrays of numeric, bool or str dtype, pandas Series, DataFrame
and Index (values per column with their dtype, categoricals as codes and categories), a module by name,
and a student's function as a handle the judge calls back through. Anything else becomes an
"unsupported" marker, so a test that reads it fails with a clear message instead of running the
student's object.

Only exact types count: a subclass of float, list or DataFrame (which could redefine ``==``, ``float()``
or ``__array__``) is unsupported; numpy's own scalar types are kept as they are.

The same source runs on both sides. In the student's kernel it is sent as text with each request (the
kernel cannot import this package: the repository is hidden from the sandbox) and encodes the answers;
whatever the kernel sends back is only data, which ``decode`` checks against the schema and its size
limits and rebuilds into fresh objects in the judge.
"""

import json
import math
import sys

MAX_TEXT = 64 << 20  # characters of JSON accepted from the kernel
MAX_ITEMS = 20_000_000  # scalars in one reply
MAX_DEPTH = 48  # nesting of lists, dicts, tuples
_SCALARS = (type(None), bool, int, float, str)
_DTYPE_KINDS = "biufU"


class Unsupported:
    """What the judge sees for an answer that is not plain data."""

    def __init__(self, what):
        self.what = str(what)[:200]

    def __repr__(self):
        return f"<not plain data: {self.what}>"

    def _refuse(self, *args, **kwargs):
        raise TypeError(f"this answer is {self.what}, which the grader cannot read: store plain numbers, strings, "
                        "lists, dicts, numpy arrays or pandas tables")

    __float__ = __int__ = __index__ = __iter__ = __len__ = __getitem__ = __call__ = __array__ = _refuse
    __lt__ = __le__ = __gt__ = __ge__ = __add__ = __sub__ = __mul__ = __truediv__ = __abs__ = _refuse

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        self._refuse()


class Malformed(ValueError):
    pass


# ---------------------------------------------------------------- encode (plain object -> JSON-able)

def _type_name(x):
    t = type(x)
    return f"an object of type {getattr(t, '__module__', '?')}.{getattr(t, '__qualname__', '?')}"


def encode(x, on_callable=None, _depth=0):
    """A JSON-able form of ``x``. ``on_callable(f)`` gives a handle for a function (or None to refuse)."""
    t = type(x)
    if _depth > MAX_DEPTH:
        return {"$": "unsupported", "what": "a value nested too deeply"}
    if t in _SCALARS:
        return x
    if t is list:
        return [encode(v, on_callable, _depth + 1) for v in x]
    if t in (tuple, set, frozenset):
        return {"$": t.__name__, "v": [encode(v, on_callable, _depth + 1) for v in x]}
    if t is dict:
        return {"$": "dict", "v": [[encode(k, on_callable, _depth + 1), encode(v, on_callable, _depth + 1)] for k, v in x.items()]}
    np = sys.modules.get("numpy")
    pd = sys.modules.get("pandas")
    try:
        if np is not None and isinstance(x, np.generic) and t.__module__ == "numpy":
            if x.dtype.kind in _DTYPE_KINDS:
                return {"$": "npscalar", "dtype": x.dtype.str, "v": x.item()}
        elif np is not None and t is np.ndarray:
            return _encode_array(x, np, on_callable, _depth)
        elif pd is not None and t is pd.Series:
            return {"$": "series", "values": _encode_values(x.array, x.dtype, np, pd, on_callable, _depth),
                    "index": _encode_index(x.index, np, pd, on_callable, _depth), "name": encode(x.name, on_callable, _depth + 1)}
        elif pd is not None and t is pd.DataFrame:
            return {"$": "frame", "columns": _encode_index(x.columns, np, pd, on_callable, _depth),
                    "index": _encode_index(x.index, np, pd, on_callable, _depth),
                    "data": [_encode_values(x.iloc[:, i].array, x.dtypes.iloc[i], np, pd, on_callable, _depth)
                             for i in range(x.shape[1])]}
        elif pd is not None and t in (pd.Index, pd.RangeIndex, pd.MultiIndex):
            return _encode_index(x, np, pd, on_callable, _depth)
    except _Refused as exc:
        return {"$": "unsupported", "what": str(exc)}
    if t.__name__ == "module" and isinstance(getattr(x, "__name__", None), str):
        return {"$": "module", "name": x.__name__}
    if on_callable is not None and callable(x):
        handle = on_callable(x)
        if handle is not None:
            return {"$": "callable", "id": handle, "name": str(getattr(x, "__name__", "function"))[:100]}
    return {"$": "unsupported", "what": _type_name(x)}


class _Refused(Exception):
    pass


def _encode_array(a, np, on_callable, depth):
    if a.dtype.kind in _DTYPE_KINDS:
        return {"$": "ndarray", "dtype": a.dtype.str, "shape": list(a.shape), "v": a.ravel().tolist()}
    if a.dtype.kind == "O":
        flat = [encode(v, on_callable, depth + 1) for v in a.ravel().tolist()]
        if any(isinstance(v, (dict, list)) for v in flat):
            raise _Refused("an array holding objects other than numbers and strings")
        return {"$": "ndarray", "dtype": "|O", "shape": list(a.shape), "v": flat}
    raise _Refused(f"an array of dtype {a.dtype}")


def _encode_values(array, dtype, np, pd, on_callable, depth):
    if isinstance(dtype, pd.CategoricalDtype):
        return {"$": "categorical", "categories": _encode_index(dtype.categories, np, pd, on_callable, depth),
                "codes": _encode_array(np.asarray(array.codes), np, on_callable, depth), "ordered": bool(dtype.ordered)}
    if not isinstance(dtype, np.dtype):
        raise _Refused(f"a column of dtype {dtype}")
    return _encode_array(np.asarray(array), np, on_callable, depth)


def _encode_index(index, np, pd, on_callable, depth):
    name = encode(index.name, on_callable, depth + 1)
    if type(index) is pd.RangeIndex:
        return {"$": "range", "v": [index.start, index.stop, index.step], "name": name}
    if type(index) is pd.MultiIndex:
        return {"$": "multiindex", "v": [encode(tuple(v), on_callable, depth + 1) for v in index],
                "names": [encode(n, on_callable, depth + 1) for n in index.names]}
    if type(index) is pd.CategoricalIndex:
        return {"$": "catindex", "values": _encode_values(index.array, index.dtype, np, pd, on_callable, depth), "name": name}
    if type(index) is pd.Index:
        return {"$": "index", "values": _encode_values(index.array, index.dtype, np, pd, on_callable, depth), "name": name}
    raise _Refused(f"an index of type {type(index).__name__}")


def dumps(x, on_callable=None):
    return json.dumps(encode(x, on_callable), allow_nan=True, separators=(",", ":"))


# ---------------------------------------------------------------- decode (JSON -> fresh plain objects)

def loads(text, on_callable=None):
    """Check ``text`` against the schema and rebuild it; raises Malformed when it does not fit."""
    if type(text) is not str or len(text) > MAX_TEXT:
        raise Malformed("the reply is not text, or larger than the limit")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise Malformed(f"the reply is not JSON ({type(exc).__name__})") from None
    budget = [MAX_ITEMS]
    return decode(data, on_callable, budget)


def _spend(budget, n):
    budget[0] -= n
    if budget[0] < 0:
        raise Malformed("the reply holds more values than the limit")


def decode(d, on_callable=None, budget=None, _depth=0):
    budget = budget if budget is not None else [MAX_ITEMS]
    if _depth > MAX_DEPTH + 2:
        raise Malformed("the reply is nested too deeply")
    _spend(budget, 1)
    t = type(d)
    if t in _SCALARS:
        return d
    if t is list:
        return [decode(v, on_callable, budget, _depth + 1) for v in d]
    if t is not dict or type(d.get("$")) is not str:
        raise Malformed("an unknown kind of value")
    kind = d["$"]
    if kind in ("tuple", "set", "frozenset"):
        items = [decode(v, on_callable, budget, _depth + 1) for v in _list(d, "v")]
        try:
            return {"tuple": tuple, "set": set, "frozenset": frozenset}[kind](items)
        except TypeError:
            return Unsupported("a set of unhashable values")
    if kind == "dict":
        out = {}
        for pair in _list(d, "v"):
            if type(pair) is not list or len(pair) != 2:
                raise Malformed("a dict entry is not a pair")
            key = decode(pair[0], on_callable, budget, _depth + 1)
            try:
                out[key] = decode(pair[1], on_callable, budget, _depth + 1)
            except TypeError:
                return Unsupported("a dict with unhashable keys")
        return out
    if kind == "unsupported":
        return Unsupported(d.get("what", "not plain data"))
    if kind == "missing":
        raise Malformed("a missing value in an unexpected place")
    if kind == "module":
        name = d.get("name")
        module = sys.modules.get(name) if type(name) is str else None
        # Only a module this process has already imported: a name from the kernel never triggers an import.
        return module if module is not None else Unsupported(f"the module {str(name)[:60]}")
    if kind == "callable":
        if on_callable is None or type(d.get("id")) is not int:
            raise Malformed("a function where none can be called")
        return on_callable(d["id"], str(d.get("name", "function"))[:100])
    import numpy as np

    if kind == "npscalar":
        dtype = _dtype(d.get("dtype"), np)
        if dtype.kind == "O":
            raise Malformed("an object scalar")
        return _array_of(dtype, [d.get("v")], np)[0]
    if kind == "ndarray":
        return _decode_array(d, on_callable, budget, _depth, np)
    import pandas as pd

    if kind == "series":
        values = _decode_values(d.get("values"), on_callable, budget, _depth, np, pd)
        index = _decode_index(d.get("index"), on_callable, budget, _depth, np, pd)
        if len(index) != len(values):
            raise Malformed("a Series whose index and values differ in length")
        return pd.Series(values, index=index, name=_hashable(decode(d.get("name"), on_callable, budget, _depth + 1)), copy=False)
    if kind == "frame":
        columns = _decode_index(d.get("columns"), on_callable, budget, _depth, np, pd)
        index = _decode_index(d.get("index"), on_callable, budget, _depth, np, pd)
        data = [_decode_values(v, on_callable, budget, _depth, np, pd) for v in _list(d, "data")]
        if len(data) != len(columns) or any(len(v) != len(index) for v in data):
            raise Malformed("a DataFrame whose shape does not add up")
        frame = pd.DataFrame({i: v for i, v in enumerate(data)}, index=index, copy=False) if data else pd.DataFrame(index=index)
        frame.columns = columns
        return frame
    if kind in ("range", "index", "multiindex", "catindex"):
        return _decode_index(d, on_callable, budget, _depth, np, pd)
    raise Malformed(f"an unknown kind of value: {kind[:40]}")


def _list(d, key):
    v = d.get(key)
    if type(v) is not list:
        raise Malformed(f"'{key}' is not a list")
    return v


def _hashable(v):
    try:
        hash(v)
    except TypeError:
        raise Malformed("a name that is not hashable") from None
    return v


def _dtype(text, np):
    if type(text) is not str or len(text) > 12:
        raise Malformed("a bad dtype")
    try:
        dtype = np.dtype(text)
    except TypeError:
        raise Malformed("a bad dtype") from None
    if dtype.kind not in _DTYPE_KINDS + "O" or dtype.hasobject and dtype.kind != "O" or dtype.fields or dtype.subdtype:
        raise Malformed("a dtype that is not numeric, bool or str")
    return dtype


_PLAIN_FOR_KIND = {"b": (bool,), "i": (int, bool), "u": (int, bool), "f": (float, int, bool), "U": (str,)}


def _array_of(dtype, values, np):
    allowed = _PLAIN_FOR_KIND[dtype.kind]
    if not all(type(v) in allowed for v in values):
        raise Malformed(f"values that do not fit the dtype {dtype}")
    try:
        return np.array(values, dtype=dtype)
    except (ValueError, OverflowError, TypeError):
        raise Malformed(f"values that do not fit the dtype {dtype}") from None


def _decode_array(d, on_callable, budget, depth, np):
    dtype = _dtype(d.get("dtype"), np)
    shape = _list(d, "shape")
    values = _list(d, "v")
    if len(shape) > 32 or not all(type(n) is int and n >= 0 for n in shape) or math.prod(shape) != len(values):
        raise Malformed("an array whose shape does not match its values")
    _spend(budget, len(values))
    if dtype.kind == "O":
        items = [decode(v, on_callable, budget, depth + 1) for v in values]
        if any(type(v) not in _SCALARS and not isinstance(v, Unsupported) for v in items):
            raise Malformed("an object array holding more than scalars")
        out = np.empty(len(items), dtype=object)
        out[:] = items
        return out.reshape(shape)
    return _array_of(dtype, values, np).reshape(shape)


def _decode_values(d, on_callable, budget, depth, np, pd):
    if type(d) is dict and d.get("$") == "categorical":
        categories = _decode_index(d.get("categories"), on_callable, budget, depth, np, pd)
        codes = _decode_array(d.get("codes") if type(d.get("codes")) is dict else {}, on_callable, budget, depth, np)
        if codes.ndim != 1 or codes.dtype.kind not in "iu" or (len(codes) and (codes.min() < -1 or codes.max() >= len(categories))):
            raise Malformed("categorical codes out of range")
        return pd.Categorical.from_codes(codes, categories=categories, ordered=d.get("ordered") is True)
    if type(d) is not dict or d.get("$") != "ndarray":
        raise Malformed("column values are not an array")
    values = _decode_array(d, on_callable, budget, depth, np)
    if values.ndim != 1:
        raise Malformed("column values are not one-dimensional")
    return values


def _decode_index(d, on_callable, budget, depth, np, pd):
    if type(d) is not dict:
        raise Malformed("an index is not described")
    kind = d.get("$")
    if kind == "range":
        v = _list(d, "v")
        if len(v) != 3 or not all(type(n) is int for n in v) or v[2] == 0:
            raise Malformed("a bad range index")
        index = pd.RangeIndex(*v)
        _spend(budget, len(index))
    elif kind == "multiindex":
        tuples = [decode(t, on_callable, budget, depth + 1) for t in _list(d, "v")]
        names = [_hashable(decode(n, on_callable, budget, depth + 1)) for n in _list(d, "names")]
        if not all(type(t) is tuple and len(t) == len(names) for t in tuples) or not names:
            raise Malformed("a bad multi-index")
        return pd.MultiIndex.from_tuples(tuples, names=names) if tuples else pd.MultiIndex.from_arrays([[]] * len(names), names=names)
    elif kind == "index":
        index = pd.Index(_decode_values(d.get("values"), on_callable, budget, depth, np, pd), copy=False)
    elif kind == "catindex":
        index = pd.CategoricalIndex(_decode_values(d.get("values"), on_callable, budget, depth, np, pd))
    else:
        raise Malformed("an index of an unknown kind")
    index.name = _hashable(decode(d.get("name"), on_callable, budget, depth + 1))
    return index


# ---------------------------------------------------------------- the kernel's side of a request

def serve(request_text, user_ns):
    """Run in the student's kernel: answer one request from the judge, as JSON text.

    {"op": "get", "names": [...]} -> {"values": {name: value or {"$": "missing"}}}
    {"op": "call", "id": handle, "args": [...], "kwargs": [[name, value], ...]} -> {"value": v} or {"error": …}
    """
    link = sys.modules.get("__autograder_link__")
    if link is None:
        link = type(sys)("__autograder_link__")
        link.handles = []
        sys.modules["__autograder_link__"] = link
    # Later requests call this function again instead of sending and compiling this module each time.
    # Student code could replace it, which changes only the data it hands over, as it always could.
    link.serve = serve

    def handle_of(f):
        link.handles.append(f)
        return len(link.handles) - 1

    def function_of(i, name):
        if not 0 <= i < len(link.handles):
            raise Malformed("unknown function handle")
        return link.handles[i]

    request = json.loads(request_text)
    if request["op"] == "get":
        values = {}
        for name in request["names"]:
            values[name] = encode(user_ns[name], handle_of) if name in user_ns else {"$": "missing"}
        return json.dumps({"values": values}, allow_nan=True, separators=(",", ":"))
    function = function_of(request["id"], "")
    args = [decode(a, function_of) for a in request["args"]]
    kwargs = {k: decode(v, function_of) for k, v in request["kwargs"]}
    try:
        value = function(*args, **kwargs)
    except BaseException as exc:  # the student's error is the answer to this call
        return json.dumps({"error": {"ename": type(exc).__name__, "evalue": str(exc)[:2000]}})
    return json.dumps({"value": encode(value, handle_of)}, allow_nan=True, separators=(",", ":"))
