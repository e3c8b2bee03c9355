"""Fill in the fingerprints a master's visible checks compare answers with.

In a master's test cell, write the right answer (or a mistaken one, to key a hint to it) as a placeholder
string ``"@@<expression>@@<decimals>"``, e.g. ``fingerprint(sens_05, 2) == "@@sens_05@@2"``. This script
runs the master's setup and solution cells, evaluates each expression there, and replaces the placeholder
with ``fingerprint(<expression>, <decimals>)`` (the helper cell of the master defines it):

    python instructors/fingerprints.py a01

Then release the assignment again (``autograder release a01``).
"""

from __future__ import annotations

import re
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from autograder import course
from autograder.repository import repo
from benchmarks.visible_checks import Kernel, cells_of
from tests.submissions import answer_cells

PLACEHOLDER = re.compile(r'"@@(.+?)@@(\d)"')


def main(name: str) -> None:
    a = course.find_assignment(name)
    text = a.master.read_text(encoding="utf-8")
    wanted = sorted(set(PLACEHOLDER.findall(text)))
    if not wanted:
        print(f"{a.id}: no placeholder to fill")
        return
    master = course.master_notebook(a)
    answers = answer_cells(master)
    keys = {}
    with tempfile.TemporaryDirectory() as tmp:
        for data in a.data:
            shutil.copy(repo() / "datasets" / data, Path(tmp) / data)
        kernel = Kernel(Path(tmp))
        try:
            for kind, gid, source in cells_of(master):
                if kind != "test":
                    error = kernel.run(answers[gid] if kind == "answer" else source)
                    if error:
                        raise SystemExit(f"{a.id} {gid}: {error}")
            for expression, decimals in wanted:
                out: list[str] = []

                def collect(msg, out=out):
                    if msg["msg_type"] == "stream":
                        out.append(msg["content"]["text"])

                kernel.kc.execute_interactive(f"print(fingerprint({expression}, {decimals}))", output_hook=collect)
                keys[(expression, decimals)] = "".join(out).split()[-1]
                print(f"{expression} ({decimals} decimals): {keys[(expression, decimals)]}")
        finally:
            kernel.close()
    a.master.write_text(PLACEHOLDER.sub(lambda m: f'"{keys[(m[1], m[2])]}"', text), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])
