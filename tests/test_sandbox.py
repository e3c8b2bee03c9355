"""The sandbox that runs student code: it leaves nothing running and hides what students must not see."""

from __future__ import annotations

import nbformat
import psutil
import pytest

from autograder import sandbox

pytestmark = pytest.mark.e2e  # real kernels

MODES = ["none", pytest.param("bwrap", marks=pytest.mark.skipif(not sandbox.bwrap_available(), reason="bubblewrap is not installed"))]


def notebook(*sources: str) -> str:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nbformat.writes(nb)


@pytest.mark.parametrize("mode", MODES)
def test_no_kernel_outlives_its_notebook(mode):
    before = {p.pid for p in psutil.Process().children(recursive=True)}
    for _ in range(2):
        result = sandbox.execute({"notebook": notebook("x = 1 + 1", "print(x)"), "files": {}, "sandbox": mode})
        assert result["stopped"] == "" and result["sandbox"] == mode
    left = [p for p in psutil.Process().children(recursive=True) if p.pid not in before and p.is_running()
            and p.status() != psutil.STATUS_ZOMBIE]
    assert left == [], f"processes left running: {[p.cmdline()[:3] for p in left]}"


@pytest.mark.parametrize("mode", MODES)
def test_data_files_are_in_the_working_copy_and_outputs_come_back(mode):
    result = sandbox.execute({"notebook": notebook("print(open('data.csv').read())"), "files": {"data.csv": b"a,b\n1,2\n"},
                              "sandbox": mode})
    out = nbformat.reads(result["notebook"], as_version=4)
    assert out.cells[0].outputs[0]["text"] == "a,b\n1,2\n\n"


def test_a_notebook_past_its_time_is_stopped_and_every_unfinished_cell_errs():
    limits = {"cell_seconds": 60, "notebook_seconds": 5}
    result = sandbox.execute({"notebook": notebook("import time\ntime.sleep(30)", "ok = True"), "files": {}, "limits": limits})
    assert "longer than 5 s" in result["stopped"]
    out = nbformat.reads(result["notebook"], as_version=4)
    for cell in out.cells:  # the cell that was running and the one after it: neither may pass as "no error"
        assert cell.outputs[-1]["output_type"] == "error" and cell.outputs[-1]["ename"] == "NotebookStopped"


@pytest.mark.parametrize("mode", MODES)
def test_two_executions_in_one_threaded_worker_keep_their_environments_apart(mode, monkeypatch):
    """Check that two notebooks run at once by one Dask worker's two threads each get their own environment,
    and that the grader's own environment is never touched while they start."""
    import os
    import threading

    from dask.distributed import Client, LocalCluster

    monkeypatch.setenv("AUTOGRADER_GRADER_ONLY", "secret")
    # Each notebook reports its HOME, its working copy and whether it sees the grader's variable.
    source = notebook("import os, time\ntime.sleep(1)",
                      "print(os.environ['HOME'], os.getcwd(), 'AUTOGRADER_GRADER_ONLY' in os.environ, sep='|')")
    changed, done = [], threading.Event()

    def watch():  # the process-wide environment must hold still the whole time
        while not done.wait(0.005):
            if os.environ.get("AUTOGRADER_GRADER_ONLY") != "secret":
                changed.append(dict(os.environ))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        futures = [client.submit(sandbox.execute, {"notebook": source, "files": {f"only_{i}.txt": b""}, "sandbox": mode},
                                 pure=False) for i in range(2)]
        results = client.gather(futures)
    done.set()
    watcher.join()
    assert changed == [], "the grader's environment changed while kernels started"
    seen = []
    for result in results:
        assert result["stopped"] == "" and result["grader_error"] == "", result["grader_error"]
        out = nbformat.reads(result["notebook"], as_version=4)
        home, cwd, leaked = out.cells[1].outputs[0]["text"].strip().split("|")
        assert home == cwd, "a kernel's HOME is not its own working copy"
        assert leaked == "False", "a kernel saw the grader's environment"
        seen.append(home)
    assert seen[0] != seen[1], "the two kernels shared one working copy"


def test_a_kernel_the_grader_cannot_start_is_the_graders_failure_not_the_students():
    """Check that a failure of the grader's own making comes back as a traceback, not as a stopped notebook."""
    result = sandbox.execute({"notebook": notebook("ok = True"), "files": {}, "sandbox": "none",
                              "limits": {"address_space_mb": 16}})  # too little for Python to start the kernel
    assert result["stopped"] == "", "a kernel that never started was blamed on the submission"
    assert "Traceback" in result["grader_error"] and "Kernel died" in result["grader_error"]
