"""Run one submission's notebook in a throwaway working copy, inside a sandbox, within limits.

This is the only place student code runs. It is a pure function of its payload (the sanitised notebook,
the data files, the limits) and returns the executed notebook, so it can run on any Dask worker, local or
remote, and never touches the course root or the gradebook.

Isolation, strongest available first:
- ``bwrap`` (bubblewrap, Linux namespaces): the kernel sees a read-only system, an empty /tmp and home,
  no network, its own process tree, and only its working copy writable; the course root, the repository
  (masters, gradebook, other students' files) are hidden behind empty folders, except the Python
  environment the kernel needs.
- ``none``, only when asked for (``--sandbox none``): the working copy alone, and student code runs with the
  grader's rights. Without bubblewrap the grader refuses to run unless told so.
Both add resource limits (address space, file size, CPU time; set by ``python -m autograder.launch``, which
then becomes bwrap or the kernel) and a watchdog on wall time for the whole notebook, resident memory and
number of processes. Output is capped per cell while it arrives.

Only public extension points of jupyter_client and nbclient are used: the command and interrupt mode on the
kernel manager's own kernel spec, the kernel's whole environment passed to ``start_kernel(env=...)``, the
provisioner's pid for the watchdog. Nothing here changes process-wide state, so one Dask worker may run
several executions at once in its threads.
"""

from __future__ import annotations

import asyncio
import contextvars
import os
import shutil
import sys
import tempfile
import threading
import time
import traceback
from dataclasses import asdict, dataclass
from pathlib import Path

import nbformat
from jupyter_core.utils import ensure_event_loop

from autograder.launch import LAUNCHER_PATH

@dataclass(frozen=True)
class Limits:
    cell_seconds: int = 60  # nbgrader's per-cell timeout: the cell errors, later cells still run
    notebook_seconds: int = 300  # the whole notebook; past it the kernel is killed
    memory_mb: int = 2048  # resident memory of the kernel's process tree
    address_space_mb: int = 8192  # RLIMIT_AS backstop for a single huge allocation
    processes: int = 64  # processes in the sandbox (a fork bomb is stopped here)
    output_kb_per_cell: int = 256  # outputs beyond this are dropped while they arrive
    file_mb: int = 64  # largest file the kernel may write


def default_workers() -> int:
    """One grading worker per core, plus one. Each worker runs one kernel at a time, and part of that time
    it waits (for its kernel to start, and while the judge and the kernel wait on each other's replies):
    the extra worker keeps every core busy meanwhile (benchmarks/README.md)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, cores) + 1


def bwrap_available() -> bool:
    return shutil.which("bwrap") is not None and sys.platform.startswith("linux")


def _hidden_paths(course_root: str | None, course_repo: str | None) -> list[str]:
    """Folders the kernel must not see: the course repository (masters) and the course root (gradebook)."""
    return sorted({str(Path(p).resolve()) for p in (course_repo, course_root) if p})


def _python_dirs() -> list[str]:
    """What the kernel's Python needs to read: its prefixes and every site-packages folder on the path
    (a normal install's, and any a .pth file adds), never the course repository itself."""
    dirs = {sys.prefix, sys.base_prefix, *(p for p in sys.path if Path(p).name in ("site-packages", "dist-packages"))}
    # Both spellings: a venv reached through a symlink is bound where the interpreter looks for it.
    return sorted({str(form) for d in dirs if d and Path(d).is_dir() for form in (Path(d).absolute(), Path(d).resolve())})


def sandbox_prefix(workdir: str, course_root: str | None, course_repo: str | None = None) -> list[str]:
    """The bwrap command line that wraps the kernel command."""
    masked = [*_hidden_paths(course_root, course_repo), "/tmp", "/var/tmp", str(Path.home())]
    args = [shutil.which("bwrap") or "bwrap", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc",
            "--tmpfs", "/tmp", "--tmpfs", "/var/tmp", "--tmpfs", str(Path.home())]
    for path in _hidden_paths(course_root, course_repo):
        args += ["--tmpfs", path]
    # The interpreter and its packages stay readable, even when they live inside a hidden folder.
    for path in _python_dirs():
        if any(Path(path).is_relative_to(m) for m in masked):
            args += ["--ro-bind", path, path]
    args += ["--bind", workdir, workdir, "--chdir", workdir,
             "--unshare-all", "--die-with-parent", "--new-session", "--setenv", "HOME", workdir, "--"]
    return args


def launcher(limits: Limits, use_bwrap: bool) -> list[str]:
    """``python -m autograder.launch``: sets the resource limits, then becomes bwrap or the kernel."""
    return [sys.executable, "-m", "autograder.launch", f"--address-space-mb={limits.address_space_mb}",
            f"--file-mb={limits.file_mb}", f"--cpu-seconds={limits.notebook_seconds}",
            *(["--forget-parent"] if use_bwrap else []), "--"]


def kernel_environment(workdir: str) -> dict[str, str]:
    """The kernel inherits only what it needs: no grader variables (NBGRADER_EXECUTION, tokens, paths)."""
    keep = {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ}
    # Where the launcher finds this package (the launcher drops both before the kernel starts).
    package_parent = str(Path(__file__).resolve().parent.parent)
    return keep | {"MPLBACKEND": "Agg", "HOME": workdir, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
                   "PYDEVD_DISABLE_FILE_VALIDATION": "1", "PYTHONPATH": package_parent, LAUNCHER_PATH: "1"}


def kernel_manager(workdir: str, course_root: str | None, course_repo: str | None, limits: Limits, use_bwrap: bool):
    """A kernel manager whose kernel command starts with the launcher (and bwrap): set on its kernel spec."""
    from jupyter_client.manager import AsyncKernelManager

    # Connection file and IPC sockets in the working copy: the kernel needs no network, so it gets none.
    kernel_dir = os.path.join(workdir, ".kernel")
    km = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(kernel_dir, "ipc"),
                            connection_file=os.path.join(kernel_dir, "connection.json"))
    spec = km.kernel_spec  # this manager's own copy
    if spec is None:
        raise RuntimeError("no python3 kernel is installed for the grader's Python")
    wrap = sandbox_prefix(workdir, course_root, course_repo) if use_bwrap else []
    kernel = list(spec.argv)
    if kernel[0] in ("python", f"python{sys.version_info[0]}", "python{}.{}".format(*sys.version_info[:2])):
        kernel[0] = sys.executable  # what jupyter_client does when the command starts with python
    spec.argv = launcher(limits, use_bwrap) + wrap + kernel
    # Interrupt through the control channel: a signal would stop at bwrap, not reach the kernel.
    spec.interrupt_mode = "message"
    return km


class Watchdog(threading.Thread):
    """Kills the kernel's process tree when the notebook runs too long or grows too big."""

    def __init__(self, limits: Limits):
        super().__init__(daemon=True)
        self.limits, self.root_pid, self.reason = limits, None, ""
        self._stop_event = threading.Event()
        self.start_time = time.monotonic()

    def run(self):
        import psutil

        # Five looks a second: each walks /proc (about 2 ms); a fast allocation overshoots the memory limit by
        # at most what it allocates in 0.2 s, and RLIMIT_AS stops a single huge one.
        while not self._stop_event.wait(0.2):
            if self.root_pid is None:
                continue
            try:
                root = psutil.Process(self.root_pid)
                tree = [root, *root.children(recursive=True)]
                rss = sum(p.memory_info().rss for p in tree if p.is_running())
            except psutil.Error:
                continue
            if time.monotonic() - self.start_time > self.limits.notebook_seconds:
                self.reason = f"the notebook ran longer than {self.limits.notebook_seconds} s in all"
            elif rss > self.limits.memory_mb << 20:
                self.reason = f"the notebook used more than {self.limits.memory_mb} MB of memory"
            elif len(tree) > self.limits.processes:
                self.reason = f"the notebook started more than {self.limits.processes} processes"
            if self.reason:
                self.kill_tree()
                return

    def stop(self):
        self._stop_event.set()

    def kill_tree(self):
        """End the kernel and everything it started. nbclient leaves a kernel it did not create running,
        so this runs after every notebook, not only when a limit is crossed."""
        import psutil

        if self.root_pid is None:
            return
        try:
            root = psutil.Process(self.root_pid)
            tree = [root, *root.children(recursive=True)]
        except psutil.Error:
            return
        for p in reversed(tree):
            try:
                p.kill()
            except psutil.Error:
                pass
        # The root is this process's child: waiting reaps it. The others are reaped by their own parent or,
        # once that is gone, by init, which here may take a second or more; a zombie holds no memory and
        # runs no code, so it counts as ended (psutil.wait_procs would wait for the reaping).
        try:
            root.wait(timeout=5)
        except psutil.Error:
            pass
        deadline = time.monotonic() + 5
        pending = tree[1:]
        while pending and time.monotonic() < deadline:
            pending = [p for p in pending if _still_running(p)]
            if pending:
                time.sleep(0.01)


def _still_running(p) -> bool:
    import psutil

    try:
        return p.is_running() and p.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def _executor_class(limits: Limits):
    from nbclient.util import run_sync
    from nbgrader.preprocessors import Execute

    cap = limits.output_kb_per_cell << 10

    class LimitedExecute(Execute):
        """nbgrader's own Execute, with output capped while it arrives and finished cells recorded."""

        finished: set
        watchdog: Watchdog
        kernel_env: dict  # the kernel's whole environment, given to start_kernel (never os.environ)
        judge = None  # autograder.judge.Judge: runs the test cells, which never reach the kernel

        async def async_start_new_kernel(self, **kwargs):
            await super().async_start_new_kernel(env=self.kernel_env, **kwargs)
            self.watchdog.root_pid = self.km.provisioner.pid  # from now on its process tree is watched

        start_new_kernel = run_sync(async_start_new_kernel)  # the synchronous spelling nbconvert calls

        def preprocess_cell(self, cell, resources, index):
            kind = self.judge.kind(cell) if self.judge is not None else None
            if kind == "test":
                self.judge.connect(self.km)
                cell.outputs = self.judge.run_test(cell)
                cell.execution_count = None
                self.finished.add(index)
                return cell, resources
            cell, resources = super().preprocess_cell(cell, resources, index)
            if kind == "locked":
                self.judge.connect(self.km)
                self.judge.run_locked(cell)
            return cell, resources

        def on_cell_executed(self, **kwargs):
            super().on_cell_executed(**kwargs)
            self.finished.add(kwargs["cell_index"])

        def output(self, outs, msg, display_id, cell_index):
            size = sum(len(str(o)) for o in outs)
            if size > cap:
                if not any(o.get("name") == "autograder-truncated" for o in outs):
                    outs.append(nbformat.v4.new_output("stream", name="stdout", text=f"\n... output truncated at {limits.output_kb_per_cell} KB ...\n"))
                    outs[-1]["name"] = "autograder-truncated"
                return None
            return super().output(outs, msg, display_id, cell_index)

    return LimitedExecute


def _mark_unfinished(nb: nbformat.NotebookNode, finished: set, reason: str) -> None:
    """Every code cell that did not finish (the one running when the kernel stopped, and all after it) gets
    an error output, so a grade cell can never pass by not running."""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and index not in finished and cell.source.strip():
            cell.outputs = [o for o in cell.get("outputs", []) if o.get("name") != "autograder-truncated"]
            cell.outputs.append(nbformat.v4.new_output("error", ename="NotebookStopped", evalue=reason,
                                                      traceback=[f"NotebookStopped: {reason}"]))


def _student_side(exc: BaseException) -> bool:
    """The kernel died, hung or was stopped: what a submission can do. Anything else is the grader's fault."""
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    from autograder.judge import KernelGone

    return isinstance(exc, (DeadKernelError, CellTimeoutError, KernelGone, TimeoutError))


def execute(payload: dict) -> dict:
    """Execute a sanitised notebook. ``payload``: notebook (JSON text), files ({name: bytes}), limits
    (dict), course_root and course_repo (paths to hide, or None), sandbox ("auto", "bwrap" or "none").

    Returns {"notebook": JSON text, "stopped": reason or "", "sandbox": what was used, "seconds": wall,
    "grader_error": a traceback, or "" (then the notebook is not to be scored: the grader failed, not the
    student)}. Nothing here changes the process's environment, so executions may share a worker's threads.
    """
    limits = Limits(**payload.get("limits", {}))
    wanted = payload.get("sandbox", "auto")
    use_bwrap = wanted == "bwrap" or (wanted == "auto" and bwrap_available())
    nb = nbformat.reads(payload["notebook"], as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.execution_count = None
            cell.outputs = []
    start = time.monotonic()
    stopped = grader_error = ""
    with tempfile.TemporaryDirectory(prefix="autograder-") as workdir:
        for name, data in payload.get("files", {}).items():
            (Path(workdir) / Path(name).name).write_bytes(data)
        os.makedirs(os.path.join(workdir, ".kernel"), exist_ok=True)
        watchdog = Watchdog(limits)
        executor = _executor_class(limits)(timeout=limits.cell_seconds, kernel_name="python3", allow_errors=True,
                                           interrupt_on_timeout=True)
        executor.finished, executor.watchdog, executor.kernel_env = set(), watchdog, kernel_environment(workdir)
        if payload.get("judge_cells"):
            from autograder.judge import Judge

            executor.judge = Judge(payload["judge_cells"], payload.get("files", {}), limits.cell_seconds)
        watchdog.start()

        def run() -> None:
            nonlocal stopped, grader_error
            # jupyter_client's and nbclient's blocking calls share one event loop per context: in a context of
            # its own, this execution gets a loop of its own, even beside another one in the same worker.
            loop = ensure_event_loop()
            try:
                km = kernel_manager(workdir, payload.get("course_root"), payload.get("course_repo"), limits, use_bwrap)
                executor.preprocess(nb, {"metadata": {"path": workdir}}, km=km)
            except Exception as exc:
                if watchdog.reason or _student_side(exc):  # killed by the watchdog, died, or hung
                    stopped = watchdog.reason or f"the kernel stopped ({type(exc).__name__})"
                else:
                    grader_error = traceback.format_exc()
            finally:
                watchdog.stop()
                watchdog.kill_tree()
                if executor.judge is not None:
                    executor.judge.close()
                asyncio.set_event_loop(None)
                loop.close()

        contextvars.Context().run(run)
        if stopped:
            _mark_unfinished(nb, executor.finished, stopped)
    return {"notebook": nbformat.writes(nb), "stopped": stopped, "grader_error": grader_error,
            "sandbox": "bwrap" if use_bwrap else "none", "seconds": time.monotonic() - start}


REFUSAL = ("bubblewrap is not installed, so student code would run with your rights: install it "
           "(apt-get install bubblewrap), or pass --sandbox none to accept that risk")
WEAK = ("--sandbox none: student code runs with your rights (it can read the masters and the gradebook); "
        "only resource limits and a throwaway folder apply")


def check_sandbox(sandbox: str) -> str | None:
    """Safe by default: refuse (UsageError) when the sandbox asked for, or the default, is not available.
    Returns the one warning to print when the instructor chose to run without one."""
    from autograder.course import UsageError

    if sandbox == "none":
        return WEAK
    if not bwrap_available():
        raise UsageError(REFUSAL)
    return None


def limits_dict(limits: Limits) -> dict:
    return asdict(limits)
