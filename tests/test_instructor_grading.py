"""The instructor's loop end to end: a small class graded, a written answer graded in formgrader in a
real browser (Debian's chromium driven by Playwright), then the tables, the export, the report and the
feedback students receive.

The class: ``perfect`` (every answer, a written answer), ``untouched`` (the release as handed out),
``late`` (perfect, 45 hours after the due date; the course file charges 1 point per started day) and
``resubmitted`` (an empty notebook, then a complete one as ``a01_diagnostic_models (1).ipynb``).
Formgrader runs on a real Jupyter server started in the course root (loopback only, a free port, a token),
as the instructor guide says; the browser never reaches the network.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

from autograder import course
from autograder.feedback import secret_lines
from tests.leaks import find_leaks
from tests.submissions import answer_cells, fill

from tests.repo import REPO

pytestmark = pytest.mark.e2e  # a real Jupyter server, formgrader in chromium, graded courses
BIN = Path(sys.executable).parent
AUTOGRADER = str(BIN / "autograder")
A01 = course.find_assignment("a01")
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WRITTEN = "q11_written"
ANSWER = "Of 1,000 patients like Mrs K., about 14 with CAD would be missed; $PPV = TP/(TP+FP)$ is low at this prevalence."
COMMENT = "Good: now name the harm of each missed patient."
DUE = dt.datetime(2027, 2, 5, 17, 0, tzinfo=dt.timezone.utc)


def _env(tmp: Path) -> dict:
    return {**os.environ, "AUTOGRADER_COURSE_FILE": str(tmp / "course.toml"), "PYTHONPATH": str(REPO)}


def _run(tmp: Path, *args, cwd=None, timeout=1800):
    return subprocess.run([AUTOGRADER, *args], capture_output=True, text=True, timeout=timeout, env=_env(tmp), cwd=cwd)


def _write(path: Path, nb, when: dt.datetime) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    os.utime(path, (when.timestamp(), when.timestamp()))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("loop")
    (tmp / "course.toml").write_text(f'[due]\n{A01.id} = {DUE.isoformat().replace("+00:00", "Z")}\n'
                                     '[late]\nmethod = "per_day"\npoints_per_day = 1\n')
    release = nbformat.read(A01.student_dir(REPO / "notebooks") / A01.notebook_name, as_version=4)
    answers = answer_cells(course.master_notebook(A01))
    answers[WRITTEN] = ANSWER
    full = fill(release, answers)
    subs, root = tmp / "subs", tmp / "root"
    on_time = DUE - dt.timedelta(days=1)
    _write(subs / "perfect" / A01.notebook_name, full, on_time)
    _write(subs / "untouched" / A01.notebook_name, release, on_time)
    _write(subs / "late" / A01.notebook_name, full, DUE + dt.timedelta(hours=45))
    _write(subs / "resubmitted" / A01.notebook_name, release, on_time - dt.timedelta(hours=2))
    _write(subs / "resubmitted" / "a01_diagnostic_models (1).ipynb", full, on_time)
    run = _run(tmp, "grade", "a01", "--submissions", str(subs), "--course-root", str(root))
    assert run.returncode == 0, run.stderr[-3000:]
    return tmp, root, run


def _rows(path: Path, key="student_id") -> dict[str, dict]:
    return {r[key]: r for r in csv.DictReader(path.open(encoding="utf-8"))}


def test_the_resubmission_is_graded_and_the_choice_reported(graded):
    _, root, run = graded
    rows = _rows(root / "grades" / f"{A01.id}.csv")
    assert rows["resubmitted"]["autograded_score"] == "17", "the older, empty notebook was graded"
    assert "resubmitted: 2 submissions: graded the newest, resubmitted/a01_diagnostic_models (1).ipynb" in run.stderr


def test_lateness_and_its_penalty_show_in_the_table_and_the_csv(graded):
    _, root, run = graded
    rows = _rows(root / "grades" / f"{A01.id}.csv")
    assert rows["late"]["hours_late"] == "45.0" and rows["late"]["late_penalty"] == "2"
    assert rows["perfect"]["hours_late"] == "0.0" and rows["perfect"]["late_penalty"] == "0"
    assert re.search(r"^late\s+17/17\s+to grade\s+15/22\s+graded \[late 45\.0 h, -2\]", run.stdout, re.M), run.stdout
    assert rows["perfect"][WRITTEN] == "" and rows["untouched"][WRITTEN] == "0"  # not graded yet; left blank: 0


# ---------------------------------------------------------------- formgrader in a real browser

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def formgrader(graded):
    tmp, root, _ = graded
    port, token = _free_port(), secrets.token_hex(16)
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    env = {**_env(tmp), "HOME": str(home), "JUPYTER_CONFIG_DIR": str(home / ".jupyter"),
           "JUPYTER_RUNTIME_DIR": str(home / "runtime"), "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    log = (tmp / "server.log").open("w")
    server = subprocess.Popen([str(BIN / "jupyter"), "server", "--no-browser", "--allow-root", "--ServerApp.ip=127.0.0.1",
                               f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
                               f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}"],
                              cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300  # a loaded machine takes its time loading every server extension
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5)
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(f"the Jupyter server stopped: {(tmp / 'server.log').read_text()[-2000:]}")
                if time.monotonic() > deadline:
                    pytest.fail(f"the Jupyter server did not answer: {(tmp / 'server.log').read_text()[-2000:]}")
                time.sleep(0.5)
        yield base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def _offline_page(browser, allowed: str | None, **options):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block", **options)
    blocked = []

    def abort(route):
        blocked.append(route.request.url)
        route.abort()

    context.route(lambda url: not ((allowed and url.startswith(allowed)) or url.startswith(("data:", "blob:", "about:", "file:"))), abort)
    context.set_default_timeout(30_000)
    return context, context.new_page(), blocked


def test_a_written_answer_graded_in_formgrader_reaches_export_and_feedback(graded, formgrader, browser):
    """Check that a score and a comment typed in formgrader's manual-grading page end up in the export,
    the grades CSV, the report and the student's feedback, and survive a re-grade."""
    from nbgrader.api import Gradebook

    tmp, root, _ = graded
    base, token = formgrader
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        submission_id = gb.find_submission_notebook(A01.id, A01.id, "perfect").id
    context, page, _ = _offline_page(browser, base, extra_http_headers={"Authorization": f"token {token}"})
    try:
        page.goto(f"{base}/formgrader/submissions/{submission_id}/")
        score = page.locator(f"input.score#{WRITTEN}")
        score.wait_for()
        with page.expect_response(lambda r: "/formgrader/api/grade/" in r.url and r.request.method == "PUT"):
            score.fill("4")
            score.press("Tab")
        comment = page.locator(f"textarea#{WRITTEN}-comment")
        with page.expect_response(lambda r: "/formgrader/api/comment/" in r.url and r.request.method == "PUT"):
            comment.fill(COMMENT)
            comment.press("Tab")
        (REPO / "_build" / "screenshots").mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(REPO / "_build" / "screenshots" / "formgrader-written-answer.png"), full_page=False)
    finally:
        context.close()

    export = _run(tmp, "export", "--course-root", str(root))
    assert export.returncode == 0, export.stderr
    row = _rows(root / "grades.csv")["perfect"]
    assert float(row[f"{A01.id}:{WRITTEN}"]) == 4 and float(row["score"]) == 21 and float(row["max_score"]) == 22
    late = _rows(root / "grades.csv")["late"]
    assert float(late["late_submission_penalty"]) == 2 and float(late["hours_late"]) == 45

    # grading the same student again keeps the hand grade, and does not ask for it again
    again = _run(tmp, "grade", "a01", "--student", "perfect", "--course-root", str(root))
    assert again.returncode == 0, again.stderr[-2000:]
    assert re.search(r"^perfect\s+17/17\s+4/5\s+21/22\s+graded", again.stdout, re.M), again.stdout
    assert re.search(r"^untouched\s+0/17", again.stdout, re.M), "the other students vanished from the table"
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        grade = gb.find_grade(WRITTEN, A01.id, A01.id, "perfect")
        assert grade.manual_score == 4 and not grade.needs_manual_grade
    assert _rows(root / "grades" / f"{A01.id}.csv")["perfect"][WRITTEN] == "4"

    feedback = _run(tmp, "feedback", "a01", "--course-root", str(root))
    assert feedback.returncode == 0, feedback.stderr[-2000:]
    page_html = (root / "feedback" / "perfect" / A01.id / f"{A01.id}.html").read_text(encoding="utf-8")
    assert COMMENT in page_html and "Score: 21.0 / 22.0" in page_html and "Score: 4.0 / 5.0" in page_html
    untouched = (root / "feedback" / "untouched" / A01.id / f"{A01.id}.html").read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" not in untouched and "NotImplementedError" in untouched
    late_html = (root / "feedback" / "late" / A01.id / f"{A01.id}.html").read_text(encoding="utf-8")
    assert f"{WRITTEN}: to be graded by your instructor" in late_html and "Late submission penalty" in late_html
    for name in ("timestamp.txt", "submission_secret.txt"):  # what nbgrader's release_feedback reads
        assert (root / "feedback" / "perfect" / A01.id / name).is_file()

    report = _run(tmp, "report", "a01", "--course-root", str(root))
    assert report.returncode == 0, report.stderr[-2000:]
    text = (root / "reports" / f"{A01.id}.html").read_text(encoding="utf-8")
    assert "17/17 autograded; 4/5 by hand; total 21/22" in text and "late 45.0 h (-2)" in text


def test_nbgrader_own_feedback_in_the_course_root_holds_no_hidden_test(graded):
    """Check that plain `nbgrader generate_feedback` (what formgrader's button runs) in the course root
    writes feedback with no hidden test, and that release_feedback takes it into the course's exchange."""
    tmp, root, _ = graded
    env = {**_env(tmp), "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    for student in ("untouched", "late"):
        shutil.rmtree(root / "feedback" / student, ignore_errors=True)
    run = subprocess.run([str(BIN / "nbgrader"), "generate_feedback", A01.id, "--force"], cwd=root, env=env,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    files = sorted((root / "feedback").rglob("*.html"))
    assert {f.parent.parent.name for f in files} >= {"untouched", "late", "perfect", "resubmitted"}
    hidden = secret_lines(A01, kinds=("HIDDEN TESTS",))
    assert len(hidden) > 20
    assert find_leaks(files, hidden) == []
    for f in files:
        text = f.read_text(encoding="utf-8")
        assert "BEGIN HIDDEN TESTS" not in text and "Traceback (most recent call last)" not in text
        assert not re.search(r"<script[^>]+src=[\"']https?:", text), f"{f} loads a script from the network"
    released = subprocess.run([str(BIN / "nbgrader"), "release_feedback", A01.id], cwd=root, env=env,
                              capture_output=True, text=True, timeout=600)
    assert released.returncode == 0, released.stderr[-3000:]
    assert list((root / "exchange").rglob("feedback/*.html")), "release_feedback put nothing in the course's exchange"


def test_feedback_formulas_render_offline(graded, browser):
    """Check that the formula in a student's answer is typeset in the feedback page with no network."""
    _, root, _ = graded
    context, page, blocked = _offline_page(browser, None)
    try:
        page.goto((root / "feedback" / "perfect" / A01.id / f"{A01.id}.html").as_uri())
        page.locator("mjx-container").first.wait_for(timeout=30_000)
    finally:
        context.close()
    assert blocked == [], f"the feedback page asked the network for {blocked[:3]}"


def test_a_master_changed_after_submissions_is_released_and_graded_with_notice(graded, tmp_path, capsys):
    """Check that removing a question and re-weighting another after submissions works: release and grade
    go through, everyone is graded against the new master, hand grades stay, and the instructor is told
    who submitted against the earlier release."""
    from autograder import grading

    tmp, root, _ = graded
    text = A01.master.read_text(encoding="utf-8")
    start = text.index("# %% [markdown]", text.rindex("\n", 0, text.index('"grade_id": "q10_text"')))
    end = text.rindex("\n", 0, text.index('"grade_id": "q11_text"')) + 1
    text = text[:start] + text[end:]
    text = text.replace('"grade_id": "q9_tests", "locked": true, "points": 1,', '"grade_id": "q9_tests", "locked": true, "points": 2,')
    (tmp_path / A01.master.name).write_text(text, encoding="utf-8")
    changed = course.load_assignment(tmp_path / A01.master.name)
    (tmp_path / "notebooks").mkdir()
    os.environ["AUTOGRADER_COURSE_FILE"] = str(tmp / "course.toml")
    try:
        course.release(changed, root, tmp_path / "notebooks")
        results = {r.student: r for r in grading.grade(changed, root)}
    finally:
        del os.environ["AUTOGRADER_COURSE_FILE"]
    err = capsys.readouterr().err
    assert re.search(r"perfect submitted against an earlier release of a01_diagnostic_models \(since then: .*"
                     r"q10_answer, q10_tests, q10_text removed; .*q9_tests", err), err
    perfect = results["perfect"]
    assert "q10_tests" not in perfect.questions and perfect.max_points["q9_tests"] == 2
    assert perfect.score == 17 and perfect.manual == {WRITTEN: 4.0} and perfect.total == 21
    assert results["untouched"].score == 0
