"""Grading end to end with real nbgrader and real kernels: a simulated class, exact scores.

Assignment 1 gets a class of 30 students of varied quality plus known cases; every other assignment gets
its perfect and untouched submissions. Expected scores come from an oracle written here, not from the
grader: for assignment 1, which answer cells each test depends on.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder import course
from tests.mistakes import CARRY_FORWARD
from tests.repo import REPO
from tests.submissions import answer_cells, fill, simulated_class

pytestmark = pytest.mark.e2e  # kernels and nbgrader end to end

AUTOGRADER = str(Path(sys.executable).parent / "autograder")
CLASS_SIZE = 30

# Assignment 1: the answer cells each test needs (q3 calls sens_spec; q4-q6 use the functions of q1-q2).
A01_POINTS = {"q1_tests": 2, "q2_tests": 2, "q3_tests": 2, "q4_tests": 2, "q5_tests": 2, "q6_tests": 2, "q7_tests": 2, "q8_tests": 1,
              "q9_tests": 1, "q10_tests": 1}
A01_NEEDS = {
    "q1_tests": {"q1_answer"}, "q2_tests": {"q2_answer"}, "q3_tests": {"q3_answer", "q2_answer"},
    "q4_tests": {"q4_answer", "q1_answer", "q2_answer"}, "q5_tests": {"q5_answer", "q4_answer", "q1_answer", "q2_answer"},
    "q6_tests": {"q6_answer", "q1_answer", "q2_answer"}, "q7_tests": {"q7_answer"}, "q8_tests": {"q8_answer"},
    "q9_tests": {"q9_answer"}, "q10_tests": {"q10_answer"},
}


def released(a):
    return nbformat.read(a.student_dir(REPO / "notebooks") / a.notebook_name, as_version=4)


def write(folder: Path, student: str, nb_or_text, name: str) -> None:
    (folder / student).mkdir(parents=True)
    path = folder / student / name
    path.write_text(nb_or_text) if isinstance(nb_or_text, str) else nbformat.write(nb_or_text, path)


def grade(folder: Path, root: Path, aid: str):
    run = subprocess.run([AUTOGRADER, "grade", aid[:3], "--submissions", str(folder), "--course-root", str(root)],
                         capture_output=True, text=True, timeout=1800)
    rows = {r["student_id"]: r for r in csv.DictReader((root / "grades" / f"{aid}.csv").open())}
    return run, rows


def write_slips(folder: Path, a, master, release) -> None:
    """The corpus's carry-forward cases (a slip that later answers build on) as students slip0, slip1, …"""
    for i, (cells, _, _) in enumerate(CARRY_FORWARD.get(a.id, [])):
        write(folder, f"slip{i}", fill(release, answer_cells(master, **cells)), a.notebook_name)


@pytest.fixture(scope="module")
def a01_class(tmp_path_factory):
    a = course.find_assignment("a01")
    subs, root = tmp_path_factory.mktemp("a01-subs"), tmp_path_factory.mktemp("a01-course")
    master, release = course.master_notebook(a), released(a)
    answers = answer_cells(master)
    write(subs, "perfect", fill(release, answers), a.notebook_name)
    write(subs, "untouched", release, a.notebook_name)
    wrong = answer_cells(master, q5_answer="ppv_clinic = float(sens_05)  # forgot the prevalence")
    write(subs, "wrong_q5", fill(release, wrong), a.notebook_name)
    write(subs, "renamed", fill(release, answers), "a01_diagnostic_models (1).ipynb")
    write(subs, "malformed", '{"cells": [ this is not json', a.notebook_name)
    write_slips(subs, a, master, release)
    expected = {}
    for student, nb, answered in simulated_class(master, release, CLASS_SIZE, seed=7):
        write(subs, student, nb, a.notebook_name)
        expected[student] = sum(p for q, p in A01_POINTS.items() if A01_NEEDS[q] <= answered)
    run, rows = grade(subs, root, a.id)
    return run, rows, expected


def points(rows, student):
    return float(rows[student]["autograded_score"]), float(rows[student]["autograded_max"])


def test_the_masters_solutions_score_full_marks(a01_class):
    _, rows, _ = a01_class
    assert points(rows, "perfect") == (17, 17)
    assert float(rows["perfect"]["manual_max"]) == 5


def test_the_untouched_release_scores_zero(a01_class):
    _, rows, _ = a01_class
    assert points(rows, "untouched") == (0, 17)


def test_one_wrong_answer_loses_exactly_that_questions_points(a01_class):
    _, rows, _ = a01_class
    assert points(rows, "wrong_q5") == (15, 17)
    assert rows["wrong_q5"]["q5_tests"] == "0"
    others = [q for q in A01_POINTS if q != "q5_tests"]
    assert all(rows["wrong_q5"][q] == rows["perfect"][q] for q in others)


def test_a_renamed_notebook_is_still_graded(a01_class):
    _, rows, _ = a01_class
    assert points(rows, "renamed") == (17, 17)


def test_a_malformed_notebook_is_reported_and_the_others_are_graded(a01_class):
    run, rows, expected = a01_class
    assert run.returncode == 2
    assert rows["malformed"]["status"] == "malformed"
    assert "malformed not graded: a01_diagnostic_models.ipynb is not a readable notebook" in run.stderr
    assert "Traceback" not in run.stderr
    slips = len(CARRY_FORWARD["a01_diagnostic_models"])
    assert sum(r["status"] == "graded" for r in rows.values()) == 4 + slips + len(expected)
    assert "perfect" in run.stdout and "17/17" in run.stdout


def test_a_simulated_class_scores_exactly_as_the_oracle_says(a01_class):
    _, rows, expected = a01_class
    got = {s: float(rows[s]["autograded_score"]) for s in expected}
    assert got == {s: float(v) for s, v in expected.items()}
    assert len(set(expected.values())) >= 5, "the simulated class should span many different scores"


def test_a_rerun_grades_only_what_changed(a01_class, tmp_path):
    run, rows, _ = a01_class
    root = Path(next(line for line in run.stdout.splitlines() if line.startswith("grades written to")).split(" to ")[1]).parent.parent
    again = subprocess.run([AUTOGRADER, "grade", "a01", "--course-root", str(root)], capture_output=True, text=True, timeout=600)
    assert again.returncode == 2, again.stderr  # the malformed submission is still not graded, and still listed
    assert "0/" not in again.stderr.split("grading")[0]
    assert "malformed not graded: a01_diagnostic_models.ipynb is not a readable notebook" in again.stderr
    rerun = {r["student_id"]: r for r in csv.DictReader((root / "grades" / "a01_diagnostic_models.csv").open())}
    assert {s: (r["status"], r["autograded_score"]) for s, r in rerun.items()} == {s: (r["status"], r["autograded_score"]) for s, r in rows.items()}


OTHER = [a.id for a in course.all_assignments() if a.id != "a01_diagnostic_models"]

# For every other assignment, one plausible clinician's slip in one answer cell, and the test it must fail:
# (answer cell, what the student wrote instead, the test cell that loses its points). No later question
# reads these answers, so every other question must keep its points.
ONE_WRONG = {
    "a02_external_validation": ("q9_answer", 'avoided_per_1000 = (net_benefit_20["model"] - net_benefit_20["treat all"]) * 1000'
                                "  # the threshold's weight forgotten", "q9_tests"),
    "a03_explainability": ("q9_answer", "oe_ratio = float(p_test.sum() / y_test.sum())  # E/O instead of O/E\n"
                           "score_logit = np.log(p_test / (1 - p_test))\n"
                           "cal_slope = float(LogisticRegression(C=np.inf).fit(score_logit.reshape(-1, 1), y_test).coef_[0, 0])",
                           "q9_tests"),
    "a04_fairness": ("q7_answer", 'sources = {"programme": "measurement", "oximeter": "label"}  # swapped', "q7_tests"),
    "a05_appraisal_deployment": ("q6_answer", 'observed_expected = float(silent["risk"].sum() / silent["positive"].sum())  # E/O\n'
                                 'oe_by_gender = {g: float(part["positive"].sum() / part["risk"].sum()) for g, part in silent.groupby("gender")}\n'
                                 'flagged_tests = silent[silent["risk"] >= 0.12]\n'
                                 'flagged_calibration = {"observed": float(flagged_tests["positive"].mean()), '
                                 '"predicted": float(flagged_tests["risk"].mean())}', "q6_tests"),
}


def test_every_other_assignment_has_a_one_wrong_case():
    assert set(ONE_WRONG) == set(OTHER), "add a one-wrong case to ONE_WRONG for each new assignment"


@pytest.fixture(scope="module")
def other_class(tmp_path_factory):
    """aid -> (run, rows): each other assignment graded once, on the full, the blank and the one-wrong
    submission and its carry-forward cases."""
    graded = {}

    def of(aid):
        if aid not in graded:
            a = course.find_assignment(aid)
            subs, root = tmp_path_factory.mktemp(f"{aid[:3]}-subs"), tmp_path_factory.mktemp(f"{aid[:3]}-course")
            master, release = course.master_notebook(a), released(a)
            write(subs, "perfect", fill(release, answer_cells(master)), a.notebook_name)
            write(subs, "untouched", release, a.notebook_name)
            answer, code, _ = ONE_WRONG[aid]
            write(subs, "one_wrong", fill(release, answer_cells(master, **{answer: code})), a.notebook_name)
            write_slips(subs, a, master, release)
            graded[aid] = grade(subs, root, aid)
        return graded[aid]

    return of


@pytest.mark.parametrize("aid", OTHER)
def test_every_other_assignment_grades_full_blank_and_one_wrong_exactly(other_class, aid):
    run, rows = other_class(aid)
    assert run.returncode == 0, run.stderr[-2000:]
    answer, _, test = ONE_WRONG[aid]
    maximum = float(rows["perfect"]["autograded_max"])
    assert maximum > 0 and points(rows, "perfect") == (maximum, maximum)
    assert points(rows, "untouched") == (0, maximum)
    assert rows["one_wrong"][test] == "0", f"{aid}: the slip in {answer} was not caught by {test}"
    lost = float(rows["perfect"][test])
    assert points(rows, "one_wrong") == (maximum - lost, maximum)


@pytest.mark.parametrize("aid", sorted(CARRY_FORWARD))
def test_a_slip_that_later_answers_build_on_costs_only_its_own_question(a01_class, other_class, aid):
    """One slip is counted once: graded for real, it loses its own question's points, and the later
    questions judged on the student's own earlier answers keep theirs."""
    rows = a01_class[1] if aid == "a01_diagnostic_models" else other_class(aid)[1]
    tests = [c.metadata["nbgrader"]["grade_id"] for c in course.master_notebook(course.find_assignment(aid)).cells
             if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")]
    for i, (_, label, loses) in enumerate(CARRY_FORWARD[aid]):
        lost = {t for t in tests if float(rows[f"slip{i}"][t]) < float(rows["perfect"][t])}
        assert lost == loses, f"{aid}, {label}: points lost in {sorted(lost)}, only in {sorted(loses)} expected"


def test_an_existing_dask_cluster_grades_the_same(tmp_path):
    """--scheduler sends the work to a running Dask cluster (here one on loopback) instead of a local one."""
    from distributed import Client, LocalCluster

    a = course.find_assignment("a01")
    release = released(a)
    write(tmp_path / "subs", "perfect", fill(release, answer_cells(course.master_notebook(a))), a.notebook_name)
    write(tmp_path / "subs", "untouched", release, a.notebook_name)
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None) as cluster:
        run = subprocess.run([AUTOGRADER, "grade", "a01", "--submissions", str(tmp_path / "subs"), "--course-root",
                              str(tmp_path / "course"), "--scheduler", cluster.scheduler_address],
                             capture_output=True, text=True, timeout=600)
        with Client(cluster) as client:  # the scheduler remembers the kinds of task it ran
            executed_there = client.run_on_scheduler(lambda dask_scheduler: list(dask_scheduler.task_prefixes))
    assert run.returncode == 0, run.stderr[-2000:]
    rows = {r["student_id"]: r for r in csv.DictReader((tmp_path / "course" / "grades" / f"{a.id}.csv").open())}
    assert points(rows, "perfect") == (17, 17) and points(rows, "untouched") == (0, 17)
    assert any(p.startswith("grade") for p in executed_there), f"no grading task ran on the cluster: {executed_there}"


def test_a_run_killed_half_way_resumes_and_keeps_what_it_graded(tmp_path):
    import json
    import signal
    import time

    a = course.find_assignment("a01")
    master, release = course.master_notebook(a), released(a)
    for student, nb, _ in simulated_class(master, release, 6, seed=11):
        write(tmp_path / "subs", student, nb, a.notebook_name)
    root = tmp_path / "course"
    cmd = [AUTOGRADER, "grade", "a01", "--submissions", str(tmp_path / "subs"), "--course-root", str(root), "--workers", "1"]
    first = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    state = root / "grading-state" / a.id
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline and len(list(state.glob("*.json"))) < 2 and first.poll() is None:
        time.sleep(0.2)
    os.killpg(first.pid, signal.SIGKILL)  # the instructor's laptop dies mid-run
    first.wait()
    done = {p.stem: p.stat().st_mtime_ns for p in state.glob("*.json")}
    assert 2 <= len(done) < 6, f"the kill came too late or too early to test resuming: {len(done)} graded"
    statuses = {s: json.loads((state / f"{s}.json").read_text())["status"] for s in done}
    assert set(statuses.values()) == {"graded"}
    second = subprocess.run(cmd[:3] + ["--course-root", str(root)], capture_output=True, text=True, timeout=900)
    assert second.returncode == 0, second.stderr[-2000:]
    assert all((state / f"{s}.json").stat().st_mtime_ns == t for s, t in done.items()), "work already done was redone"
    rows = {r["student_id"]: r for r in csv.DictReader((root / "grades" / f"{a.id}.csv").open())}
    assert len(rows) == 6 and all(r["status"] == "graded" for r in rows.values())
