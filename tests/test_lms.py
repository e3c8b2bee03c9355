"""Canvas, Moodle and Blackboard both ways: their downloads collected, graded, and returned as they import.

Each LMS's "download all submissions" is built here in the shape its own source or help pages give
(cited in autograder/lms.py: Canvas's lib/content_zipper.rb, Moodle's mod/assign/classes/downloader.php,
the names nbgrader's zip collect reads for Blackboard), for one small class: a student with spaces and accents in her name, a late
resubmission (the newest file is the one graded), a wrong answer beside a non-notebook file, a walk-in
who is not on the roster, and a roster student who submitted nothing. Expected points come from the
grading tests' oracle: the master's answers score 17 of 17, a wrong question 5 loses its 2 points.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder import course, lms
from tests.submissions import answer_cells, fill

from tests.inprocess import autograder
from tests.repo import REPO
AUTOGRADER = str(Path(sys.executable).parent / "autograder")
A = course.find_assignment("a01")
NB = A.notebook_name


def run(*args):
    return subprocess.run([AUTOGRADER, *args], check=False, capture_output=True, text=True, timeout=1800)


def notebooks():
    master = course.master_notebook(A)
    release = nbformat.read(A.student_dir(REPO / "notebooks") / NB, as_version=4)
    memo = "At 2% prevalence most positives are false: confirm with a second test before treating."
    perfect = nbformat.writes(fill(release, answer_cells(master)))
    written = nbformat.writes(fill(release, {**answer_cells(master), "q11_written": memo}))  # needs grading by hand
    wrong = nbformat.writes(fill(release, answer_cells(master, q5_answer="ppv_clinic = float(sens_05)  # no prevalence")))
    return perfect, written, wrong, nbformat.writes(release)


PERFECT, WRITTEN, WRONG_Q5, UNTOUCHED = notebooks()
MAX_POINTS = sum(c.metadata["nbgrader"].get("points", 0) for c in course.master_notebook(A).cells
                 if c.metadata.get("nbgrader", {}).get("grade"))

# One class, as each LMS names it. (LMS id, name) per student; the walk-in is not on the roster.
CLASS = {
    "canvas": {"ana": ("3001", "núñezanamaría"), "chidi": ("3002", "okaforchidi"), "jin": ("3003", "leejin"),
               "walkin": ("3999", "walkinsam")},
    "moodle": {"ana": ("501", "Ana María Núñez"), "chidi": ("502", "Chidi Okafor"), "jin": ("503", "Jin Lee"),
               "walkin": ("599", "Sam Walk-in")},
    "blackboard": {"ana": ("anunez", "Ana María Núñez"), "chidi": ("cokafor", "Chidi Okafor"), "jin": ("jlee", "Jin Lee"),
                   "walkin": ("swalkin", "Sam Walk-in")},
}
STUDENT_IDS = {"ana": "s1001", "chidi": "s1002", "jin": "s1003"}
EXPECTED = {"s1001": 17, "s1002": 17, "s1003": 15}  # chidi's newest attempt is the full one; ana's memo awaits grading


def zip_of(path: Path, files: list[tuple[str, str | bytes, tuple]]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data, when in files:
            zf.writestr(zipfile.ZipInfo(name, date_time=when), data)
    return path


def canvas_download(path: Path) -> Path:
    c = CLASS["canvas"]
    early, later = (2026, 3, 1, 9, 0, 0), (2026, 3, 9, 9, 0, 0)
    return zip_of(path, [
        (f"{c['ana'][1]}_{c['ana'][0]}_2001_{NB}", WRITTEN, early),
        # a late resubmission: Canvas zips only the current submission and marks it LATE; the student attached
        # the old notebook beside the new one, which Canvas renamed a01-1.ipynb as a01.ipynb was taken. The
        # older upload has the smaller attachment id (and here the later zip time, which must not decide)
        (f"{c['chidi'][1]}_LATE_{c['chidi'][0]}_2002_{NB}", UNTOUCHED, later),
        (f"{c['chidi'][1]}_LATE_{c['chidi'][0]}_2050_{NB[:-6]}-1.ipynb", PERFECT, early),
        (f"{c['jin'][1]}_{c['jin'][0]}_2003_{NB}", WRONG_Q5, early),
        (f"{c['jin'][1]}_{c['jin'][0]}_2004_notes.pdf", b"%PDF-1.4", early),
        (f"{c['walkin'][1]}_{c['walkin'][0]}_2005_{NB}", UNTOUCHED, early),
    ])


def canvas_roster(path: Path) -> Path:
    c = CLASS["canvas"]
    rows = [["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Week 1 quiz (55)"],
            ["", "", "", "", "", "Manual Posting"],  # Canvas writes this row when grades are posted by hand
            ["    Points Possible", "", "", "", "", "10"],
            ["Núñez, Ana María", c["ana"][0], "s1001", "anunez", "Clinical AI 2026", "8"],
            ["Okafor, Chidi", c["chidi"][0], "s1002", "cokafor", "Clinical AI 2026", "9"],
            ["Lee, Jin", c["jin"][0], "s1003", "jlee", "Clinical AI 2026", "7"],
            ["Absent, Pat", "3004", "s1004", "pabsent", "Clinical AI 2026", ""]]
    return write_csv(path, rows)


CHIDI_GRADED_IN_MOODLE = "Monday, 2 March 2026, 10:15 AM"  # a grade given in Moodle before the worksheet was downloaded


def moodle_download(path: Path) -> Path:
    m, when = CLASS["moodle"], (2026, 3, 1, 9, 0, 0)
    folder = "_assignsubmission_file/"  # Moodle 4.1 and later (3.1 to 4.0 wrote "_assignsubmission_file_/")
    return zip_of(path, [
        (f"{m['ana'][1]}_{m['ana'][0]}{folder}{NB}", WRITTEN, when),
        (f"{m['chidi'][1]}_{m['chidi'][0]}{folder}{NB}", PERFECT, when),  # Moodle keeps the latest attempt only
        (f"{m['jin'][1]}_{m['jin'][0]}{folder}{NB}", WRONG_Q5, when),
        (f"{m['jin'][1]}_{m['jin'][0]}_assignsubmission_onlinetext_onlinetext.html", "<p>see my notebook</p>", when),
        (f"{m['walkin'][1]}_{m['walkin'][0]}{folder}{NB}", UNTOUCHED, when),
    ])


def moodle_roster(path: Path) -> Path:
    m = CLASS["moodle"]
    head = ["Identifier", "Full name", "ID number", "Email address", "Status", "Grade", "Maximum grade",
            "Grade can be changed", "Last modified (submission)", "Last modified (grade)", "Feedback comments"]
    top = f"{MAX_POINTS:.2f}"  # the assignment's Maximum grade in Moodle, set to the notebook's points
    rows = [head,
            [f"Participant {m['ana'][0]}", m["ana"][1], "s1001", "ana@example.org", "Submitted for grading", "", top, "Yes", "", "-", ""],
            [f"Participant {m['chidi'][0]}", m["chidi"][1], "s1002", "chidi@example.org",
             "Submitted for grading - 2 hours 5 mins late", "", top, "Yes", "", CHIDI_GRADED_IN_MOODLE, "Resubmitted late"],
            [f"Participant {m['jin'][0]}", m["jin"][1], "s1003", "jin@example.org", "Submitted for grading", "", top, "Yes", "", "-", ""],
            ["Participant 504", "Pat Absent", "s1004", "pat@example.org", "No submission", "", top, "Yes", "", "-", ""]]
    return write_csv(path, rows)


def blackboard_download(path: Path) -> Path:
    b, files = CLASS["blackboard"], []

    def attempt(key, stamp, data, zip_time, original=NB):
        user, name = b[key]
        files.append((f"A01_{user}_attempt_{stamp}_{original}", data, zip_time))
        files.append((f"A01_{user}_attempt_{stamp}.txt", f"Name: {name} ({user})\nAssignment: A01\n", zip_time))

    attempt("ana", "2026-03-01-09-00-00", WRITTEN, (2026, 3, 1, 9, 0, 0))
    # two attempts: the newer one (by the time in its name) counts, although its zip time is older
    attempt("chidi", "2026-03-01-09-00-00", UNTOUCHED, (2026, 3, 9, 9, 0, 0))
    attempt("chidi", "2026-03-08-21-30-00", PERFECT, (2026, 3, 1, 9, 0, 0))
    attempt("jin", "2026-03-01-10-00-00", WRONG_Q5, (2026, 3, 1, 10, 0, 0))
    files.append((f"A01_{b['jin'][0]}_attempt_2026-03-01-10-00-00_notes.docx", b"PK", (2026, 3, 1, 10, 0, 0)))
    attempt("walkin", "2026-03-01-11-00-00", UNTOUCHED, (2026, 3, 1, 11, 0, 0))
    return zip_of(path, files)


def blackboard_roster(path: Path) -> Path:
    b = CLASS["blackboard"]
    rows = [["Last Name", "First Name", "Username", "Student ID", "Last Access", "Availability", "A01 [Total Pts: 17 Score] |5678"],
            ["Núñez", "Ana María", b["ana"][0], "s1001", "", "Yes", ""],
            ["Okafor", "Chidi", b["chidi"][0], "s1002", "", "Yes", ""],
            ["Lee", "Jin", b["jin"][0], "s1003", "", "Yes", ""],
            ["Absent", "Pat", "pabsent", "s1004", "", "Yes", ""]]
    return write_csv(path, rows)


def write_csv(path: Path, rows) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


BUILD = {"canvas": (canvas_download, canvas_roster), "moodle": (moodle_download, moodle_roster),
         "blackboard": (blackboard_download, blackboard_roster)}


# ---------------------------------------------------------------- collecting (no grading)

@pytest.mark.parametrize("kind", lms.KINDS)
def test_each_download_is_recognised_and_the_newest_attempt_is_placed(tmp_path, kind):
    download, roster = BUILD[kind][0](tmp_path / "download.zip"), BUILD[kind][1](tmp_path / "roster.csv")
    assert lms.detect(lms.Download(download)) == kind
    root = tmp_path / "root"
    got = lms.collect(A, root, download, None, roster)
    placed = {s.student_id: s for s in got.placed}
    walkin = CLASS[kind]["walkin"][0]
    assert set(placed) == {"s1001", "s1002", "s1003", walkin}
    chidi = nbformat.read(root / "submitted" / "s1002" / A.id / NB, as_version=4)
    assert nbformat.writes(chidi) == nbformat.writes(nbformat.reads(PERFECT, as_version=4)), "an older attempt was kept"
    assert len(got.unplaced) == 1 and "not a notebook" in got.unplaced[0], got.unplaced
    assert got.not_on_roster == [f"{CLASS[kind]['walkin'][1]} ({walkin})"]
    assert len(got.without_submission) == 1 and "Pat" in got.without_submission[0], got.without_submission
    assert placed["s1001"].name in ("Núñez, Ana María", "Ana María Núñez"), "the roster's spelling of the name is kept"


@pytest.mark.parametrize("kind, path, expected", [
    ("canvas", "okaforchidi_LATE_3002_2050_a01-1.ipynb", ("3002", "a01-1.ipynb", True)),
    ("canvas", "leejin_3003_2004_notes.pdf", ("3003", "notes.pdf", False)),
    # an underscore Canvas kept in a name (it removes only those around digits), and anonymous grading
    ("canvas", "o_brien_3005_2006_a01.ipynb", ("3005", "a01.ipynb", False)),
    ("canvas", "LATE_anon_x7Kq2_2007_a01.ipynb", ("anon_x7Kq2", "a01.ipynb", True)),
    ("canvas", "anon_x7Kq2_2007_a01.ipynb", ("anon_x7Kq2", "a01.ipynb", False)),
    ("moodle", "Jin Lee_503_assignsubmission_file/a01.ipynb", ("503", "a01.ipynb", None)),  # Moodle 4.1 and later
    ("moodle", "Jin Lee_503_assignsubmission_file_/a01.ipynb", ("503", "a01.ipynb", None)),  # Moodle 3.1 to 4.0
    ("moodle", "Participant_503_assignsubmission_file/sub/a01.ipynb", ("503", "sub/a01.ipynb", None)),  # blind marking
    ("moodle", "Jin Lee_503_assignsubmission_file_a01.ipynb", ("503", "a01.ipynb", None)),  # not in folders
    # a name decomposed (as macOS writes it) reads the same as the composed one
    ("moodle", "Ana Mari\u0301a Nu\u0301n\u0303ez_501_assignsubmission_file_/a01.ipynb", ("501", "a01.ipynb", None)),
    ("blackboard", "Week 1_A01_jlee_attempt_2026-03-01-10-00-00_a01.ipynb", ("jlee", "a01.ipynb", None)),
])
def test_each_lms_s_file_names_are_read_as_documented(kind, path, expected):
    attempt = lms.parse(kind, path)
    assert (attempt.lms_id, attempt.file, attempt.late) == expected
    assert all(lms.parse(other, path) is None for other in lms.KINDS if other != kind)


def test_a_canvas_roster_with_semicolons_and_a_byte_order_mark_reads_the_same(tmp_path):
    """Canvas may export with ';' and a byte-order mark (lib/csv_with_i18n.rb), names split in two columns."""
    plain = lms.read_roster(canvas_roster(tmp_path / "plain.csv"))
    rows = list(csv.reader(io.StringIO((tmp_path / "plain.csv").read_text(encoding="utf-8"))))
    with (tmp_path / "semicolons.csv").open("w", newline="", encoding="utf-8-sig") as fh:
        csv.writer(fh, delimiter=";").writerows(rows)
    assert lms.read_roster(tmp_path / "semicolons.csv") == plain
    split = [["LastName", "FirstName", *rows[0][1:]]] + [[r[0].split(", ")[0], r[0].split(", ")[-1], *r[1:]] for r in rows[1:]]
    write_csv(tmp_path / "split.csv", split)
    got = lms.read_roster(tmp_path / "split.csv")
    assert {k: r.student_id for k, r in got.items()} == {k: r.student_id for k, r in plain.items()}
    assert got["3001"].name == "Ana María Núñez"


def test_a_blackboard_roster_saved_with_tabs_reads_the_same(tmp_path):
    plain = lms.read_roster(blackboard_roster(tmp_path / "plain.csv"))
    rows = list(csv.reader(io.StringIO((tmp_path / "plain.csv").read_text(encoding="utf-8"))))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter="\t").writerows(rows)
    (tmp_path / "tabs.xls").write_bytes(buffer.getvalue().encode("utf-16"))  # with its byte-order mark
    assert lms.read_roster(tmp_path / "tabs.xls") == plain


def test_lateness_comes_from_each_lms_s_own_marker(tmp_path):
    late = {}
    for kind in lms.KINDS:
        download, roster = BUILD[kind][0](tmp_path / f"{kind}.zip"), BUILD[kind][1](tmp_path / f"{kind}.csv")
        got = lms.collect(A, tmp_path / kind, download, None, roster)
        late[kind] = {s.student_id: s.late for s in got.placed}
    assert late["canvas"]["s1002"] is True and late["canvas"]["s1001"] is False  # the LATE marker in the name
    assert late["moodle"]["s1002"] is True and late["moodle"]["s1001"] is False  # the worksheet's status
    assert late["blackboard"]["s1002"] is None  # no marker: nbgrader judges it from the attempt's time
    stamp = (tmp_path / "blackboard" / "submitted" / "s1002" / A.id / "timestamp.txt").read_text()
    assert stamp.startswith("2026-03-08 21:30:00")
    assert not (tmp_path / "canvas" / "submitted" / "s1002" / A.id / "timestamp.txt").exists(), "a time was guessed"


def test_an_unpacked_download_collects_like_the_zip(tmp_path):
    download = moodle_download(tmp_path / "moodle.zip")
    with zipfile.ZipFile(download) as zf:
        zf.extractall(tmp_path / "unpacked")
    got = lms.collect(A, tmp_path / "root", tmp_path / "unpacked")
    assert got.kind == "moodle" and {s.lms_id for s in got.placed} == {"501", "502", "503", "599"}


def test_a_custom_pattern_keeps_the_newest_attempt_by_the_time_in_its_name(tmp_path):
    from autograder import collecting

    zip_of(tmp_path / "other.zip", [
        (f"x_s1_attempt_2026-03-01-09-00-00_{NB}", UNTOUCHED, (2026, 3, 9, 0, 0, 0)),
        (f"y_s1_attempt_2026-03-05-09-00-00_{NB}", PERFECT, (2026, 3, 1, 0, 0, 0)),
    ])
    placed, problems = collecting.collect(A, tmp_path / "root", tmp_path / "other.zip", pattern=collecting.LMS_NAME)
    assert placed == ["s1"] and not problems
    kept = (tmp_path / "root" / "submitted" / "s1" / A.id / NB).read_text()
    assert nbformat.writes(nbformat.reads(kept, as_version=4)) == nbformat.writes(nbformat.reads(PERFECT, as_version=4))


# ---------------------------------------------------------------- bad input: one line, exit 2, nothing written

def _one_line_exit_2(result, message, root: Path):
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and len(lines) == 1 and message in lines[0], result.stderr
    assert not (root / "submitted").exists() and not (root / "lms").exists()


def test_a_zip_that_is_not_an_lms_download_is_refused(tmp_path):
    zip_of(tmp_path / "photos.zip", [("holiday.jpg", b"\xff\xd8", (2026, 1, 1, 0, 0, 0)),
                                      ("notes.ipynb", UNTOUCHED, (2026, 1, 1, 0, 0, 0))])
    result = autograder("collect", "a01", "--from", str(tmp_path / "photos.zip"), "--course-root", str(tmp_path / "root"))
    _one_line_exit_2(result, "is not a Canvas, Moodle or Blackboard download", tmp_path / "root")


def test_grading_straight_from_a_zip_that_is_not_an_lms_download_is_refused(tmp_path):
    zip_of(tmp_path / "photos.zip", [("holiday.jpg", b"\xff\xd8", (2026, 1, 1, 0, 0, 0))])
    result = autograder("grade", "a01", "--submissions", str(tmp_path / "photos.zip"), "--course-root", str(tmp_path / "root"))
    _one_line_exit_2(result, "is not a Canvas, Moodle or Blackboard download", tmp_path / "root")
    assert not (tmp_path / "root" / "gradebook.db").exists()


def test_a_roster_without_an_lms_id_column_is_refused(tmp_path):
    download = canvas_download(tmp_path / "canvas.zip")
    write_csv(tmp_path / "roster.csv", [["Name", "Email"], ["Ana", "ana@example.org"]])
    result = autograder("collect", "a01", "--from", str(download), "--roster", str(tmp_path / "roster.csv"),
                 "--course-root", str(tmp_path / "root"))
    _one_line_exit_2(result, "has no LMS user id column", tmp_path / "root")


def test_a_download_of_another_lms_than_named_is_refused(tmp_path):
    download = canvas_download(tmp_path / "canvas.zip")
    result = autograder("collect", "a01", "--from", str(download), "--lms", "blackboard", "--course-root", str(tmp_path / "root"))
    _one_line_exit_2(result, "holds no notebook submission", tmp_path / "root")


# ---------------------------------------------------------------- the loop: collect, grade, export, feedback

@pytest.fixture(scope="module", params=lms.KINDS)
def loop(request, tmp_path_factory):
    kind = request.param
    tmp = tmp_path_factory.mktemp(kind)
    download, roster = BUILD[kind][0](tmp / "download.zip"), BUILD[kind][1](tmp / "roster.csv")
    root = tmp / "root"
    collected = run("collect", "a01", "--from", str(download), "--roster", str(roster), "--course-root", str(root))
    graded = run("grade", "a01", "--course-root", str(root), "--workers", "2")
    exported = run("export", "a01", "--lms", kind, "--course-root", str(root))
    return kind, root, collected, graded, exported


def test_collect_names_what_it_could_not_place_and_who_is_missing(loop):
    kind, _, collected, _, _ = loop
    assert collected.returncode == 0, collected.stderr
    assert "collected 4 submissions" in collected.stdout and kind.capitalize() in collected.stdout
    errors = collected.stderr.strip().splitlines()
    assert len(errors) == 3, collected.stderr
    assert errors[0].startswith("autograder: files not collected:") and "not a notebook" in errors[0]
    assert "not on the roster" in errors[1] and CLASS[kind]["walkin"][0] in errors[1]
    assert "without a submission" in errors[2] and "Pat" in errors[2]


def canvas_import(text: str) -> dict[str, str]:
    """Canvas's gradebook import (lib/gradebook_importer.rb) as it reads our file: user id -> grade."""
    rows = list(csv.reader(io.StringIO(text)))
    head = rows[0]
    # row_has_student_headers? and update_column_count: Student, ID, SIS User ID, SIS Login ID, then Section
    assert len(head) > 3 and "Student" in head[0] and "ID" in head[1], head
    assert head[2] == "SIS User ID" and head[3] == "SIS Login ID" and "Section" in head[4], head
    assert "Points Possible" in rows[1][0], "the second row should be Points Possible"
    return {r[1]: r[5] for r in rows[2:] if r[0] or r[1]}


def moodle_import(text: str) -> dict[str, tuple[str, str]]:
    """Moodle's worksheet upload (assignfeedback_offline_grade_importer) as it reads our file:
    participant id -> (grade, last modified)."""
    rows = list(csv.reader(io.StringIO(text)))
    head = rows[0]
    for needed in ("Identifier", "Grade", "Last modified (grade)"):
        assert needed in head, f"Moodle refuses a worksheet without {needed!r}: {head}"
    assert "Feedback comments" not in head, "an empty feedback column would blank the comments typed in Moodle"
    ident, grade, modified = (head.index(c) for c in ("Identifier", "Grade", "Last modified (grade)"))
    assert all(r[ident].startswith("Participant ") for r in rows[1:])
    return {r[ident][len("Participant "):]: (r[grade], r[modified]) for r in rows[1:]}


def blackboard_import(text: str) -> dict[str, str]:
    """Blackboard's Grade Center upload as its help pages describe it: username -> grade."""
    rows = list(csv.reader(io.StringIO(text)))
    head = rows[0]
    assert "Username" in head, head
    for line, row in zip(text.splitlines(), rows, strict=True):  # a comma-delimited file: every value within quotes
        assert line == ",".join(f'"{cell}"' for cell in row), line
    graded = [h for h in head if re.fullmatch(r".+ \[Total Pts: [\d.]+ Score\]( \|\d+)?", h)]
    assert len(graded) == 1, head
    return {r[head.index("Username")]: r[head.index(graded[0])] for r in rows[1:]}


def test_the_export_parses_as_the_lms_import_and_holds_the_gradebook_s_points(loop):
    kind, root, _, graded, exported = loop
    assert graded.returncode == 0, graded.stderr[-2000:]
    assert exported.returncode == 0, exported.stderr
    assert "written answers not graded yet" in exported.stderr and "s1001" in exported.stderr
    text = (root / "lms" / f"{A.id}-{kind}.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    walkin = CLASS[kind]["walkin"][0]
    ids = {CLASS[kind][k][0]: sid for k, sid in STUDENT_IDS.items()} | {walkin: walkin}
    if kind == "canvas":
        grades = canvas_import(text)
        assert rows[0][5] == A.title and float(rows[1][5]) == MAX_POINTS
        assert next(r for r in rows if r[1] == "3001")[0] == "Núñez, Ana María"
    elif kind == "moodle":
        read = moodle_import(text)
        grades = {k: v[0] for k, v in read.items()}
        assert read["502"][1] == CHIDI_GRADED_IN_MOODLE, "the worksheet's own last-modified time is written back"
        assert read["501"][1] == "-"
        assert all(float(r[rows[0].index("Maximum grade")]) == MAX_POINTS for r in rows[1:])
    else:
        grades = blackboard_import(text)
        assert rows[0][4] == f"{A.title} [Total Pts: {MAX_POINTS:g} Score]"
        assert next(r for r in rows if r[2] == "anunez")[:2] == ["Núñez", "Ana María"]
    assert {ids[k]: float(v) for k, v in grades.items()} == {**EXPECTED, walkin: 0}


def test_a_moodle_worksheet_out_of_other_points_is_refused(loop):
    kind, root, _, _, _ = loop
    if kind != "moodle":
        pytest.skip("Moodle's worksheet only")
    manifest = lms.manifest_path(root, A)
    saved = manifest.read_text(encoding="utf-8")
    try:
        data = json.loads(saved)
        for s in data["students"]:
            s["maximum"] = "100.00"  # Moodle's default Maximum grade
        manifest.write_text(json.dumps(data), encoding="utf-8")
        out = root / "lms" / "refused.csv"
        result = run("export", "a01", "--lms", "moodle", "--course-root", str(root), "--out", str(out))
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 2 and len(lines) == 1 and "maximum grade of 100" in lines[0], result.stderr
        assert not out.exists()
    finally:
        manifest.write_text(saved, encoding="utf-8")


def test_a_student_anonymous_in_canvas_is_left_out_of_the_import_with_why(loop):
    kind, root, _, _, _ = loop
    if kind != "canvas":
        pytest.skip("Canvas's anonymous grading only")
    manifest = lms.manifest_path(root, A)
    saved = manifest.read_text(encoding="utf-8")
    try:
        data = json.loads(saved)
        jin = next(s for s in data["students"] if s["student_id"] == "s1003")
        jin["lms_id"] = "anon_x7Kq2"  # as collected from [LATE_]anon_<anonymous id>_<attachment id>_<file>
        manifest.write_text(json.dumps(data), encoding="utf-8")
        out = root / "lms" / "anonymous.csv"
        result = run("export", "a01", "--lms", "canvas", "--course-root", str(root), "--out", str(out))
        assert result.returncode == 0 and "s1003 (anonymous in Canvas" in result.stderr, result.stderr
        assert "anon_x7Kq2" not in out.read_text(encoding="utf-8") and len(canvas_import(out.read_text(encoding="utf-8"))) == 3
    finally:
        manifest.write_text(saved, encoding="utf-8")


def test_hand_graded_points_are_added_once_graded(loop):
    from nbgrader.api import Gradebook

    kind, root, _, _, _ = loop
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        memo = gb.find_grade("q11_written", A.id, A.id, "s1001")
        assert memo.needs_manual_grade, "the memo should wait for the instructor"
        memo.manual_score = 4
        gb.db.commit()
    out = root / "lms" / "manual.csv"
    result = run("export", "a01", "--lms", kind, "--course-root", str(root), "--out", str(out))
    assert result.returncode == 0 and "not graded yet" not in result.stderr, result.stderr
    text = out.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text)))
    row = next(r for r in rows if "s1001" in r or "Participant 501" in r)
    column = rows[0].index("Grade") if kind == "moodle" else {"canvas": 5, "blackboard": 4}[kind]
    assert float(row[column]) == 17 + 4


def test_feedback_goes_back_the_way_the_lms_takes_it(loop):
    kind, root, _, _, _ = loop
    result = run("feedback", "a01", "--lms", kind, "--course-root", str(root))
    assert result.returncode == 0, result.stderr
    if kind == "moodle":
        with zipfile.ZipFile(root / "feedback-lms" / f"{A.id}-moodle.zip") as zf:
            names = zf.namelist()
        # Moodle's importer: split on the first four underscores -> name, participant id, plugin type, plugin, file
        parsed = [("/" + n).split("_", 4) for n in names]
        assert {p[1] for p in parsed} == {"501", "502", "503", "599"}
        assert all(p[2:4] == ["assignfeedback", "file"] and p[4].endswith(".html") for p in parsed)
        assert any(p[0] == "/Ana María Núñez" for p in parsed)
    else:
        folders = sorted(p.name for p in (root / "feedback-lms" / f"{A.id}-{kind}").iterdir())
        assert len(folders) == 4
        if kind == "blackboard":
            assert folders == sorted(["anunez", "cokafor", "jlee", "swalkin"])
        else:
            assert "núñezanamaría (3001)" in folders or "Núñez, Ana María (3001)" in folders
    assert "attach each folder's file in SpeedGrader" in result.stdout if kind == "canvas" else True


def test_exporting_for_another_lms_than_collected_is_refused(loop):
    kind, root, _, _, _ = loop
    other = next(k for k in lms.KINDS if k != kind)
    result = run("export", "a01", "--lms", other, "--course-root", str(root))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1 and f"--lms {kind}" in result.stderr
    assert not (root / "lms" / f"{A.id}-{other}.csv").exists()
