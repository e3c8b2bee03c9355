"""The sandbox that runs student code: it leaves nothing running and hides what students must not see."""

from __future__ import annotations

import nbformat
import psutil
import pytest

from autograder import sandbox

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
