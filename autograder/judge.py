"""The judge: runs a notebook's test cells where no student code has ever run.

While the sandbox executes a submission, every cell goes to the student's kernel except the test cells
(nbgrader's ``grade: true, solution: false`` cells). When execution reaches one, the judge, in the grading
worker's own process, runs the instructor's version of the test:

- in a fresh namespace per submission (shared by its test cells, as in the notebook), with this process's
  own builtins and modules, which no student code has touched;
- the names the test reads that are the student's (found with ``ast``/``symtable``: read by the test, not
  bound by it, not builtins, not bound by the instructor's read-only cells) are fetched from the kernel as
  plain data (``autograder.plain``) and rebuilt here; a student's function becomes a proxy that sends plain
  arguments to the kernel and brings back a plain result, within the cell's time limit;
- names bound by the instructor's read-only code cells (the setup: data, a fitted reference model, imports)
  come from running those cells here too, so a test's references never come from the student's kernel;
- the test's outcome becomes the cell's outputs (an error with its message, or nothing), which nbgrader
  scores as usual.

Student code in the kernel can change only the data it hands over, which it always could.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import io
import json
import os
import symtable
import threading
import time
import traceback
import warnings
from pathlib import Path

import nbformat

from autograder import plain

_BUILTIN_NAMES = frozenset(dir(builtins))
_PLAIN_SOURCE = Path(plain.__file__).read_text(encoding="utf-8")
_CWD_LOCK = threading.Lock()  # the judge changes directory while a cell runs: one cell at a time per process


# ---------------------------------------------------------------- static analysis

def names_read(source: str) -> set[str]:
    """Module-level names a cell reads without binding them itself: what it needs from before.

    Names read at the top level or, as globals, inside its functions, lambdas, classes and comprehensions;
    minus what the cell binds at its top level and the builtins. A cell that does not parse reads nothing.
    """
    try:
        table = symtable.symtable(source, "<cell>", "exec")
    except SyntaxError:
        return set()
    top = table.get_symbols()
    bound = {s.get_name() for s in top if s.is_assigned() or s.is_imported() or s.is_namespace()}
    read = {s.get_name() for s in top if s.is_referenced()}
    stack = list(table.get_children())
    while stack:
        t = stack.pop()
        stack.extend(t.get_children())
        read |= {s.get_name() for s in t.get_symbols() if s.is_referenced() and s.is_global()}
    return read - bound - _BUILTIN_NAMES


def names_bound(source: str) -> set[str]:
    """Names bound at the top level of a cell (assignments, imports, defs, loop and with targets)."""
    try:
        table = symtable.symtable(source, "<cell>", "exec")
    except SyntaxError:
        return set()
    return {s.get_name() for s in table.get_symbols() if s.is_assigned() or s.is_imported() or s.is_namespace()}


def needed_setup(cells: list[dict]) -> set[str]:
    """grade_ids of the read-only cells whose names the tests (directly or through other such cells) read."""
    needed, run = set(), set()
    for cell in reversed(cells):
        if cell["kind"] == "test":
            needed |= names_read(cell["source"])
        elif cell["kind"] == "locked" and names_bound(cell["source"]) & needed:
            run.add(cell["grade_id"])
            needed |= names_read(cell["source"])
    return run


# ---------------------------------------------------------------- the link to the student's kernel

class KernelGone(RuntimeError):
    pass


class Link:
    """Requests to the student's kernel over its own Jupyter channels, answered as plain data."""

    def __init__(self, km, deadline_seconds: float):
        from jupyter_client.blocking import BlockingKernelClient

        self.km = km
        self.client = BlockingKernelClient()
        self.client.load_connection_info(km.get_connection_info(session=False))
        self.client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=True)
        self.default_timeout = deadline_seconds
        self.deadline: float | None = None  # monotonic time by which the current test cell must be done
        self.dead = False
        self.served = False  # whether the kernel holds autograder.plain's serving code from an earlier request

    def close(self):
        with contextlib.suppress(Exception):
            self.client.stop_channels()

    def _ask(self, request: dict) -> str:
        if self.dead:
            raise KernelGone("the student's kernel is no longer running")
        if self.served:  # the kernel already holds the serving code: call it (a request costs a round trip)
            expression = (f"__import__('sys').modules['__autograder_link__'].serve("
                          f"{json.dumps(request)!r}, globals())")
        else:
            expression = (f"(lambda __ns: (__import__('builtins').exec({_PLAIN_SOURCE!r}, __ns), "
                          f"__ns['serve']({json.dumps(request)!r}, globals()))[1])({{'__name__': '__autograder_link__'}})")
        msg_id = self.client.execute("", silent=True, store_history=False, user_expressions={"r": expression},
                                     allow_stdin=False, stop_on_error=False)
        remaining = (self.deadline - time.monotonic()) if self.deadline else self.default_timeout
        end = time.monotonic() + max(0.5, remaining)
        while True:
            left = end - time.monotonic()
            if left <= 0:
                self._interrupt()
                raise TimeoutError("the student's code did not answer within the cell's time limit")
            try:
                reply = self.client.get_shell_msg(timeout=min(left, 1.0))
            except Exception:  # queue.Empty: check that the kernel is still there
                if not self._alive():
                    self.dead = True
                    raise KernelGone("the student's kernel stopped") from None
                continue
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                break
        result = reply.get("content", {}).get("user_expressions", {}).get("r", {})
        text = result.get("data", {}).get("text/plain") if result.get("status") == "ok" else None
        if text is None and self.served:  # the serving code is gone from the kernel: send it again
            self.served = False
            return self._ask(request)
        self.served = True
        if type(text) is not str or len(text) > plain.MAX_TEXT + 1024:
            raise plain.Malformed("the kernel gave no readable answer")
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            raise plain.Malformed("the kernel gave no readable answer") from None
        if type(value) is not str:
            raise plain.Malformed("the kernel gave no readable answer")
        return value

    def _alive(self) -> bool:
        try:
            proc = self.km.provisioner.process if self.km.provisioner else None
            return proc is not None and proc.poll() is None
        except Exception:
            return False

    def _interrupt(self):
        with contextlib.suppress(Exception):
            self.client.control_channel.send(self.client.session.msg("interrupt_request", content={}))
        # Wait for the interrupted request's reply, so that the next one is not stuck behind it.
        with contextlib.suppress(Exception):
            self.client.get_shell_msg(timeout=5)

    def _function(self, handle: int, name: str):
        return StudentFunction(self, handle, name)

    def fetch(self, names: list[str]) -> dict:
        """name -> rebuilt value, for the names the kernel has; missing names are left out."""
        if not names:
            return {}
        envelope = _envelope(self._ask({"op": "get", "names": sorted(names)}))
        values = envelope.get("values")
        if type(values) is not dict:
            raise plain.Malformed("the kernel's answer does not follow the schema")
        out, budget = {}, [plain.MAX_ITEMS]
        for name in names:
            value = values.get(name, {"$": "missing"})
            if type(value) is dict and value.get("$") == "missing":
                continue
            try:
                out[name] = plain.decode(value, self._function, budget)
            except (plain.Malformed, RecursionError) as exc:
                out[name] = plain.Unsupported(f"unreadable ({exc})")
        return out

    def call(self, handle: int, args: tuple, kwargs: dict):
        def refuse(f):
            if isinstance(f, StudentFunction) and f.link is self:
                return f.handle
            return None

        request = {"op": "call", "id": handle, "args": [plain.encode(a, refuse) for a in args],
                   "kwargs": [[k, plain.encode(v, refuse)] for k, v in kwargs.items()]}
        if _has_unsupported(request):  # an argument that cannot travel as data
            raise TypeError("the test passed a value the grader cannot send to the student's function")
        data = _envelope(self._ask(request))
        if "error" in data:
            error = data["error"] if type(data["error"]) is dict else {}
            raise _student_error(str(error.get("ename", "Exception"))[:80], str(error.get("evalue", ""))[:2000])
        if "value" not in data:
            raise plain.Malformed("the kernel's answer does not follow the schema")
        return plain.decode(data["value"], self._function)


def _envelope(text: str) -> dict:
    """The outer object of a reply: checked for size and form only; its values are decoded one by one."""
    if len(text) > plain.MAX_TEXT:
        raise plain.Malformed("the answer is larger than the limit")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise plain.Malformed("the answer is not JSON") from None
    if type(data) is not dict:
        raise plain.Malformed("the kernel's answer does not follow the schema")
    return data


def _has_unsupported(d) -> bool:
    if type(d) is list:
        return any(_has_unsupported(v) for v in d)
    if type(d) is dict:
        return d.get("$") == "unsupported" or any(_has_unsupported(v) for v in d.values())
    return False


class StudentFunction:
    """A student's function, seen from the judge: arguments go to the kernel as data, a result comes back."""

    def __init__(self, link: Link, handle: int, name: str):
        self.link, self.handle, self.__name__ = link, handle, name

    def __call__(self, *args, **kwargs):
        return self.link.call(self.handle, args, kwargs)

    def __repr__(self):
        return f"<student function {self.__name__}>"


class StudentCodeError(Exception):
    """An error raised by the student's code, of a kind that is not one of Python's own."""


def _student_error(ename: str, evalue: str) -> BaseException:
    cls = getattr(builtins, ename, None)
    if isinstance(cls, type) and issubclass(cls, Exception):
        try:
            return cls(evalue)
        except Exception:
            pass
    return StudentCodeError(f"{ename}: {evalue}")


# ---------------------------------------------------------------- running cells

class Judge:
    """One submission's test cells. ``cells``: grade_id -> {"kind": "test" | "locked", "source": …}
    (the instructor's versions, from the course's source notebook); ``files``: the assignment's data."""

    def __init__(self, cells: dict[str, dict], files: dict[str, bytes], cell_seconds: float):
        import tempfile

        self.cells = cells
        ordered = [dict(v, grade_id=k) for k, v in cells.items()]
        self.setup = needed_setup(ordered)
        self.cell_seconds = cell_seconds
        self.ns: dict = {"__name__": "__main__", "__builtins__": builtins}
        self.owned: set[str] = set()  # names bound by code the judge ran itself (read-only cells, tests)
        self.link: Link | None = None
        self._dir = tempfile.TemporaryDirectory(prefix="autograder-judge-")
        for name, data in files.items():
            (Path(self._dir.name) / Path(name).name).write_bytes(data)

    def connect(self, km):
        if self.link is None:
            self.link = Link(km, self.cell_seconds)

    def _link(self) -> Link:
        if self.link is None:
            raise RuntimeError("the judge is not connected to the student's kernel")
        return self.link

    def close(self):
        if self.link is not None:
            self.link.close()
        self.ns.clear()
        self._dir.cleanup()
        import sys

        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")

    def kind(self, cell) -> str | None:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type != "code" or gid not in self.cells:
            return None
        return self.cells[gid]["kind"]

    def source(self, cell) -> str:
        return self.cells[cell.metadata["nbgrader"]["grade_id"]]["source"]

    def _bring(self, names: set[str]) -> None:
        """Put the student's current values of ``names`` into the namespace (or take stale ones out)."""
        wanted = sorted(n for n in names if n not in self.owned)
        for n in wanted:
            self.ns.pop(n, None)
        if not wanted:
            return
        try:
            self.ns.update(self._link().fetch(wanted))
        except (plain.Malformed, RecursionError) as exc:
            for n in wanted:
                self.ns[n] = plain.Unsupported(f"unreadable ({exc})")

    def run_locked(self, cell) -> None:
        """The instructor's read-only cell, run here too, when a test needs what it binds. Its errors
        are not the test's: a name it failed to bind is then taken from the kernel."""
        gid = cell.metadata["nbgrader"]["grade_id"]
        if gid not in self.setup:
            return
        source = self.source(cell)
        try:
            self._link().deadline = time.monotonic() + self.cell_seconds
            self._bring(names_read(source))
            self._exec(source, f"<setup {gid}>")
        except Exception:
            pass
        finally:
            self._link().deadline = None
        self.owned |= names_bound(source) & self.ns.keys()

    def run_test(self, cell) -> list:
        """The cell's outputs: an error with its message when the test fails, else nothing (or what it printed)."""
        gid = cell.metadata["nbgrader"]["grade_id"]
        source = self.source(cell)
        out, err = io.StringIO(), io.StringIO()
        outputs, result = [], None
        try:
            self._link().deadline = time.monotonic() + self.cell_seconds
            self._bring(names_read(source))
            result = self._exec(source, f"<test {gid}>", out, err)
        except BaseException as exc:  # noqa: BLE001 - any failure of the test is its verdict
            if isinstance(exc, KeyboardInterrupt):
                raise
            outputs.append(_error_output(exc))
        finally:
            self._link().deadline = None
            self.owned |= names_bound(source) & self.ns.keys()
        for name, stream in (("stdout", out), ("stderr", err)):
            if stream.getvalue():
                outputs.insert(0, nbformat.v4.new_output("stream", name=name, text=stream.getvalue()[:100_000]))
        if result is not None and not outputs:
            outputs.append(nbformat.v4.new_output("execute_result", data={"text/plain": repr(result)[:10_000]},
                                                  execution_count=None))
        return outputs

    def _exec(self, source: str, filename: str, out=None, err=None):
        """Run ``source`` in the namespace, in the data folder; returns the last expression's value, as
        IPython displays it."""
        tree = ast.parse(source, filename)
        last = None
        final = tree.body[-1] if tree.body else None
        if isinstance(final, ast.Expr):
            tree.body.pop()
            last = ast.Expression(final.value)
        body = compile(tree, filename, "exec")
        tail = compile(last, filename, "eval") if last is not None else None
        _one_thread_per_library()
        with _CWD_LOCK, _chdir(self._dir.name), warnings.catch_warnings(), \
                contextlib.redirect_stdout(out or io.StringIO()), contextlib.redirect_stderr(err or io.StringIO()):
            warnings.simplefilter("ignore")
            exec(body, self.ns)  # noqa: S102 - the instructor's code, in the judge's namespace
            return eval(tail, self.ns) if tail is not None else None  # noqa: S307


_LIMITED_AT = [-1]  # how many modules were loaded when the judge's thread pools were last limited


def _one_thread_per_library() -> None:
    """The judge's numerical libraries use one thread, as the kernel's do: each grading worker has its core.
    Done again only when new modules have been imported since (threadpoolctl walks every loaded library each
    time it is called, which cost more than most test cells)."""
    import sys

    if len(sys.modules) != _LIMITED_AT[0]:
        from threadpoolctl import threadpool_limits

        threadpool_limits(1)
        _LIMITED_AT[0] = len(sys.modules)


@contextlib.contextmanager
def _chdir(path):
    old = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def _error_output(exc: BaseException):
    tb = exc.__traceback__
    while tb is not None and not tb.tb_frame.f_code.co_filename.startswith("<"):
        tb = tb.tb_next  # the judge's own frames are not the test's story
    lines = [line.rstrip("\n") for line in traceback.format_exception(type(exc), exc, tb)]
    text = "\n".join(lines).splitlines()
    return nbformat.v4.new_output("error", ename=type(exc).__name__, evalue=str(exc)[:2000], traceback=text[-30:])


def trusted_cells(source_nb: nbformat.NotebookNode) -> dict[str, dict]:
    """The instructor's test cells and read-only code cells, by grade_id, from the course's source notebook."""
    cells = {}
    for cell in source_nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        gid = meta.get("grade_id")
        if cell.cell_type != "code" or not gid or meta.get("solution"):
            continue
        if meta.get("grade"):
            cells[gid] = {"kind": "test", "source": cell.source}
        elif meta.get("locked"):
            cells[gid] = {"kind": "locked", "source": cell.source}
    return cells
