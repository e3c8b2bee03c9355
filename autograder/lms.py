"""The course's learning-management system (Canvas, Moodle, Blackboard) both ways.

In: an LMS's "download all submissions" (a zip, or the folder it unpacks to) is recognised by its file
names, each notebook placed under the gradebook's student id (through the LMS's roster export when one
is given), the newest attempt kept, and the LMS's late marker recorded. What was collected from which
LMS is kept in ``<course root>/lms/<assignment>.json``; the way back reads it.

Out: grades in the CSV each LMS imports, and feedback files named so each LMS can give them back.

Moodle's names below were checked against its source; Canvas's and Blackboard's follow the help pages
named (Blackboard's also nbgrader's zip-collect example), which were not at hand to re-read: what they
leave open, or what could not be checked, is marked "Assumed".

Canvas (Instructor Guide, "How do I download all student submissions for an assignment?" and "How do I
import grades in the Gradebook?", community.canvaslms.com):
  download  flat zip, ``<lastfirst>_<user id>_<attachment id>_<original name>``, with ``LATE`` after the
            name for work Canvas marks late (``<lastfirst>_LATE_<user id>_…``). The zip holds each
            student's latest submission only; a file re-uploaded under the same name gets a ``-1``, ``-2``
            suffix from Canvas. Assumed: attachment ids grow with time, so the largest is the newest; no
            submission time is in the download, so none is recorded (nbgrader then computes no penalty).
  roster    the gradebook export: ``Student``, ``ID`` (the user id in the file names), ``SIS User ID``,
            ``SIS Login ID``, ``Section``; a ``Points Possible`` row.
  grades    the same columns plus one column per assignment, ``<name> (<assignment id>)``; a column
            without an id creates a new assignment. Canvas applies its own late policy, if one is set.
  feedback  Canvas has no upload of feedback files matched to students in bulk: one folder per student.
Moodle (mod/assign in moodle/moodle: ``downloader.php`` builds the names, ``feedback/file/importziplib.php``
reads the feedback zip; docs.moodle.org "Assignment settings", "Using Assignment"):
  download  ``<Full Name>_<participant id>_assignsubmission_file_/<original name>`` ("Download
            submissions in folders", the default since 3.1) or the same name flat, without the slash;
            underscores in a name become spaces. The participant id is the assignment's own id for the
            student, not the user id. Only the latest attempt is in the download. It carries no late
            marker: Moodle writes lateness in the grading worksheet's ``Status`` ("… late").
  roster    the grading worksheet (Grading action: "Download grading worksheet"): ``Identifier``
            ("Participant 123"), ``Full name``, ``ID number`` (when the site shows it), ``Email address``,
            ``Status``.
  grades    the same worksheet, ``Grade`` filled in, uploaded with "Upload grading worksheet" (needs the
            assignment's "Offline grading worksheet" feedback type); rows match on ``Identifier``. Assumed:
            "-" in ``Last modified (grade)`` (what Moodle writes for a submission never graded) lets the
            upload through; if a grade was changed in Moodle since, tick "Allow updating records that have
            been modified more recently in Moodle than in the spreadsheet".
  feedback  "Upload multiple feedback files in a zip": ``<name>_<participant id>_assignfeedback_file_<file>``;
            Moodle splits the path on the first four underscores and matches the participant id.
Blackboard Learn Original (help.blackboard.com, "Download assignments" and "Work offline with Grade
Center data"; nbgrader's "zip collect" documents the same naming):
  download  ``<assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>_<original name>`` plus a receipt
            ``<assignment>_<username>_attempt_<time>.txt`` (``Name: First Last (username)``), one set
            per attempt. Assumed: the time is the LMS's submission time; the names carry no late marker,
            so lateness is nbgrader's, from that time and the assignment's due date in the gradebook.
  roster    the Grade Center download: ``Last Name``, ``First Name``, ``Username``, ``Student ID``.
  grades    the same columns plus ``<column> [Total Pts: <points> Score] |<column id>``; a column
            without an id is added as a new column. Comma-separated, UTF-8.
  feedback  no bulk upload of feedback files: one folder per student, named by username.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import unicodedata
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from autograder import results
from autograder.course import Assignment, UsageError
from autograder.layout import CourseRoot

KINDS = ("canvas", "moodle", "blackboard")

CANVAS = re.compile(r"^(?P<name>[^_/]+)(?:_(?P<late>LATE))?_(?P<uid>\d+)_(?P<sub>\d+)_(?P<file>[^/]+)$")
MOODLE = re.compile(r"^(?P<name>[^_/]+)_(?P<uid>\d+)_assignsubmission_(?P<plugin>[a-z]+)_(?:/(?P<nested>.+)|(?P<file>[^/]+))$")
BLACKBOARD = re.compile(r"^(?P<assignment>.+)_(?P<uid>[^_/]+)_attempt_(?P<time>\d{4}(?:-\d\d){5})(?:_(?P<file>[^/]+)|\.txt)$")
BLACKBOARD_TIME = "%Y-%m-%d-%H-%M-%S"
RESUBMITTED = re.compile(r"^(?P<stem>.+?)(?:-(?P<n>\d+))?\.ipynb$")  # Canvas: a01.ipynb, a01-1.ipynb, …


@dataclass
class Attempt:
    """One file of an LMS download, as the LMS names it."""
    origin: str  # path inside the download
    lms_id: str  # Canvas user id, Moodle participant id, Blackboard username
    name: str  # the student's name as the download spells it
    file: str  # the student's own file name
    order: tuple = ()  # larger is newer
    submitted_at: datetime | None = None  # the LMS's own time, when the download carries one
    late: bool | None = None  # the LMS's late marker; None when the download carries none


@dataclass
class Student:
    """What the way back needs about one collected student."""
    student_id: str
    lms_id: str
    name: str = ""
    email: str = ""
    section: str = ""
    login: str = ""  # Canvas SIS Login ID
    first: str = ""
    last: str = ""
    origin: str = ""
    late: bool | None = None
    submitted_at: str = ""


@dataclass
class Collected:
    kind: str
    placed: list[Student] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)  # "<file>: why"
    problems: list[tuple[str, str, str]] = field(default_factory=list)  # (student, status, detail)
    not_on_roster: list[str] = field(default_factory=list)
    without_submission: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- reading a download

class Download:
    """The files of a zip or a folder, by their path inside it (always with ``/``)."""

    def __init__(self, source: Path):
        self.source = source
        if source.is_file():
            if not zipfile.is_zipfile(source):
                raise UsageError(f"{source} is neither a folder nor a zip file")
            with zipfile.ZipFile(source) as zf:
                self.paths = sorted(i.filename for i in zf.infolist() if not i.is_dir())
        else:
            self.paths = sorted(str(p.relative_to(source)).replace("\\", "/") for p in source.rglob("*") if p.is_file())
        self.paths = [p for p in self.paths if not _junk(p)]

    def read(self, path: str) -> bytes:
        if self.source.is_file():
            with zipfile.ZipFile(self.source) as zf:
                return zf.read(path)
        return (self.source / path).read_bytes()


def _junk(path: str) -> bool:
    parts = path.split("/")
    return any(p.startswith(".") or p == "__MACOSX" for p in parts) or parts[-1] in ("Thumbs.db", "desktop.ini")


def parse(kind: str, path: str) -> Attempt | None:
    """The attempt a file of a ``kind`` download stands for, or None when its name is not that LMS's."""
    path = unicodedata.normalize("NFC", path)
    if kind == "canvas":
        m = CANVAS.match(path)
        if not m:
            return None
        stem = RESUBMITTED.match(m["file"])
        suffix = int(stem["n"]) if stem and stem["n"] else 0
        return Attempt(path, m["uid"], m["name"], m["file"], (int(m["sub"]), suffix), None, m["late"] is not None)
    if kind == "moodle":
        m = MOODLE.match(path)
        if not m:
            return None
        return Attempt(path, m["uid"], m["name"].strip(), m["nested"] or m["file"], (), None, None)
    if kind == "blackboard":
        m = BLACKBOARD.match(path.rsplit("/", 1)[-1])
        if not m:
            return None
        when = datetime.strptime(m["time"], BLACKBOARD_TIME)
        return Attempt(path, m["uid"], "", m["file"] or "", (when,), when, None)
    raise ValueError(kind)


def detect(download: Download) -> str:
    """Which LMS made this download: the one whose naming the most of its files follow."""
    counts = {kind: sum(parse(kind, p) is not None for p in download.paths) for kind in KINDS}
    best = max(counts.values())
    winners = [k for k, n in counts.items() if n == best]
    if best == 0:
        raise UsageError(f"{download.source.name} is not a Canvas, Moodle or Blackboard download: no file is named "
                         "as they name submissions (pass --lms if it is one, or give a folder of <student_id>/<notebook>.ipynb)")
    if len(winners) > 1:
        raise UsageError(f"cannot tell whether {download.source.name} comes from {' or '.join(winners)}: pass --lms")
    return winners[0]


def looks_like_lms(source: Path) -> bool:
    """True when a folder (or zip) is named the way one of the LMSs names its downloads."""
    try:
        download = Download(source)
    except UsageError:
        return False
    return any(parse(kind, p) for p in download.paths[:200] for kind in KINDS)


def is_download(source: Path, pattern: str | None, kind: str | None, roster: Path | None) -> bool:
    """Whether ``collect`` should read ``source`` as an LMS download (not a folder of <student_id>/ folders)."""
    if pattern is not None:
        return False
    return bool(kind or roster or source.is_file() or looks_like_lms(source))


def newest(attempts: list[Attempt]) -> Attempt:
    """The attempt the LMS counts: the newest. Ties keep the later file in the download's order."""
    return max(enumerate(attempts), key=lambda pair: (pair[1].order, pair[0]))[1]


def _blackboard_names(download: Download) -> dict[str, str]:
    """username -> full name, from the receipts Blackboard puts beside each attempt (``Name: First Last (user)``)."""
    names = {}
    for path in download.paths:
        attempt = parse("blackboard", path)
        if attempt and path.endswith(".txt") and not attempt.file:
            text = download.read(path).decode("utf-8", "replace")
            m = re.search(r"^Name:\s*(.+?)\s*\(([^)]+)\)\s*$", text, re.MULTILINE)
            if m:
                names[m[2]] = m[1]
    return names


# ---------------------------------------------------------------- roster

# Column names each LMS's export uses (compared lower-case), in order of preference.
ROSTER_COLUMNS = {
    "lms_id": ("id", "identifier", "username", "lms user id", "lms_id", "user id"),
    "student_id": ("sis user id", "id number", "student id", "student_id", "idnumber"),
    "name": ("student", "full name", "name"),
    "first": ("first name",),
    "last": ("last name",),
    "email": ("email address", "email", "e-mail"),
    "section": ("section",),
    "login": ("sis login id",),
    "status": ("status",),
}


@dataclass
class RosterRow:
    lms_id: str
    student_id: str
    name: str = ""
    first: str = ""
    last: str = ""
    email: str = ""
    section: str = ""
    login: str = ""
    late: bool | None = None


def read_roster(path: Path) -> dict[str, RosterRow]:
    """LMS id -> row, from the LMS's own export. A roster without an LMS-id column is bad input."""
    if not path.is_file():
        raise UsageError(f"no roster at {path}")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"{path.name} is not a UTF-8 CSV file (export the roster again as CSV)") from None
    reader = csv.reader(io.StringIO(text))
    header = [h.strip().lower() for h in next(reader, [])]
    where = {key: next((header.index(n) for n in names if n in header), None) for key, names in ROSTER_COLUMNS.items()}
    if where["lms_id"] is None:
        raise UsageError(f"roster {path.name} has no LMS user id column (one of: ID, Identifier, Username, lms_id); "
                         f"its columns are: {', '.join(header) or 'none'}")
    moodle_identifier = header[where["lms_id"]] == "identifier"
    rows = {}
    for cells in reader:
        def cell(key, cells=cells):
            i = where[key]
            return cells[i].strip() if i is not None and i < len(cells) else ""
        lms_id = cell("lms_id")
        if moodle_identifier:
            lms_id = "".join(re.findall(r"\d+", lms_id))  # Moodle: "Participant 123"
        if not lms_id:  # Canvas's "Points Possible" row and blank lines
            continue
        status = cell("status")
        rows[lms_id] = RosterRow(lms_id, cell("student_id") or lms_id, cell("name") or f"{cell('first')} {cell('last')}".strip(),
                                 cell("first"), cell("last"), cell("email"), cell("section"), cell("login"),
                                 bool(re.search(r"\blate\b", status, re.IGNORECASE)) if status else None)
    if not rows:
        raise UsageError(f"roster {path.name} lists no students")
    return rows


# ---------------------------------------------------------------- collect

def collect(a: Assignment, root: Path, source: Path, kind: str | None = None, roster: Path | None = None) -> Collected:
    """Place each student's newest notebook from an LMS download in ``submitted/``; record the rest."""
    from autograder.collecting import STUDENT_ID, place, read_notebook

    download = Download(source)
    kind = kind or detect(download)
    people = read_roster(roster) if roster else None
    result = Collected(kind)
    by_student: dict[str, list[Attempt]] = {}
    for path in download.paths:
        attempt = parse(kind, path)
        if attempt is None:
            result.unplaced.append(f"{path}: not named as {kind.capitalize()} names submissions")
        elif kind == "blackboard" and path.endswith(".txt") and not attempt.file:
            continue  # Blackboard's receipt for an attempt
        elif not attempt.file.lower().endswith(".ipynb"):
            result.unplaced.append(f"{path}: not a notebook")
        else:
            by_student.setdefault(attempt.lms_id, []).append(attempt)
    names = _blackboard_names(download) if kind == "blackboard" else {}
    for lms_id in sorted(by_student):
        attempts = by_student[lms_id]
        exact = [t for t in attempts if _base(t.file) == a.notebook_name]
        chosen = newest(exact or attempts)
        row = people.get(lms_id) if people is not None else None
        if people is not None and row is None:
            result.not_on_roster.append(f"{chosen.name or names.get(lms_id, lms_id)} ({lms_id})")
        student = row.student_id if row else lms_id
        if not STUDENT_ID.match(student):
            result.unplaced.append(f"{chosen.origin}: {student!r} is not a usable student id")
            continue
        nb, problem = read_notebook(Path(chosen.file), download.read(chosen.origin))
        if nb is None:
            result.problems.append((student, "malformed", problem))
            continue
        place(a, root, student, nb, chosen.submitted_at)
        late = chosen.late if chosen.late is not None else (row.late if row else None)
        result.placed.append(Student(
            student, lms_id, (row.name if row and row.name else chosen.name or names.get(lms_id, "")),
            row.email if row else "", row.section if row else "", row.login if row else "",
            row.first if row else "", row.last if row else "", chosen.origin, late,
            chosen.submitted_at.isoformat(sep=" ") if chosen.submitted_at else ""))
    if people is not None:
        seen = {s.lms_id for s in result.placed} | set(by_student)
        result.without_submission = [f"{r.name or r.student_id} ({r.lms_id})" for r in people.values() if r.lms_id not in seen]
    if not result.placed and not result.problems:
        raise UsageError(f"{source.name} holds no notebook submission of {a.id} ({len(result.unplaced)} other files)")
    _write_manifest(root, a, result)
    return result


def _base(file: str) -> str:
    """The notebook's name without Canvas's resubmission suffix (a01-1.ipynb -> a01.ipynb)."""
    m = RESUBMITTED.match(file.rsplit("/", 1)[-1])
    return f"{m['stem']}.ipynb" if m else file


def _write_manifest(root: Path, a: Assignment, result: Collected) -> None:
    path = manifest_path(root, a)
    path.parent.mkdir(parents=True, exist_ok=True)
    old = read_manifest(root, a) if path.exists() else None
    students = {s["student_id"]: s for s in old["students"]} if old and old["lms"] == result.kind else {}
    students.update({s.student_id: asdict(s) for s in result.placed})
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps({"lms": result.kind, "students": [students[k] for k in sorted(students)]}, indent=1,
                              ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def manifest_path(root: Path, a: Assignment) -> Path:
    return CourseRoot(root).lms_manifest(a)


def read_manifest(root: Path, a: Assignment) -> dict:
    path = manifest_path(root, a)
    if not path.is_file():
        raise UsageError(f"{a.id} was not collected from an LMS download in {root} "
                         "(run `autograder collect … --from <download>` first)")
    return json.loads(path.read_text(encoding="utf-8"))


def _manifest_for(root: Path, a: Assignment, kind: str) -> list[Student]:
    data = read_manifest(root, a)
    if data["lms"] != kind:
        raise UsageError(f"{a.id} was collected from {data['lms'].capitalize()}, not {kind.capitalize()}: "
                         f"use --lms {data['lms']}")
    return [Student(**s) for s in data["students"]]


# ---------------------------------------------------------------- grades back

@dataclass
class Grade:
    student: Student
    points: float  # autograded + hand-graded points, less any late penalty held in the gradebook
    max_points: float
    penalty: float
    manual_pending: bool


def grades(a: Assignment, root: Path, kind: str) -> tuple[list[Grade], list[str]]:
    """The gradebook's totals for each collected student; and the students left out, with why."""
    from nbgrader.api import Gradebook, MissingEntry

    out, left_out = [], []
    with Gradebook(CourseRoot(root).db_url) as gb:
        for s in _manifest_for(root, a, kind):
            state = results.saved(root, a, s.student_id)
            status = state["status"] if state else "not graded yet"
            if status != "graded":
                left_out.append(f"{s.student_id} ({status})")
                continue
            try:
                sub = gb.find_submission(a.id, s.student_id)
            except MissingEntry:
                left_out.append(f"{s.student_id} (not in the gradebook)")
                continue
            penalty = float(sub.late_submission_penalty or 0)
            # a written answer waits for the instructor until it has a manual score (the formgrader also clears the flag)
            pending = any(g.needs_manual_grade and g.manual_score is None for nb in sub.notebooks for g in nb.grades)
            out.append(Grade(s, max(0.0, float(sub.score) - penalty), float(sub.max_score), penalty, pending))
    return out, left_out


def _number(x: float) -> str:
    return f"{round(x, 2):g}"


def write_grades(a: Assignment, root: Path, kind: str, out: Path, column: str | None = None) -> tuple[int, list[str], list[str]]:
    """The LMS's grade import file. Returns rows written, students left out, students with written answers to grade."""
    rows, left_out = grades(a, root, kind)
    if not rows:
        raise UsageError(f"no graded submission of {a.id} to export (run `autograder grade {a.id[:3]}` first)")
    max_points = max(g.max_points for g in rows)
    buffer = io.StringIO()
    w = csv.writer(buffer, lineterminator="\n")
    if kind == "canvas":
        w.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", column or a.title])
        w.writerow(["    Points Possible", "", "", "", "", _number(max_points)])
        for g in rows:
            s = g.student
            w.writerow([s.name, s.lms_id, "" if s.student_id == s.lms_id else s.student_id, s.login, s.section, _number(g.points)])
    elif kind == "moodle":
        w.writerow(["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade", "Grade can be changed",
                    "Last modified (submission)", "Last modified (grade)", "Feedback comments"])
        for g in rows:
            s = g.student
            w.writerow([f"Participant {s.lms_id}", s.name, s.email, "Submitted for grading", _number(g.points),
                        _number(g.max_points), "Yes", "-", "-", ""])
    elif kind == "blackboard":
        header = column or f"{a.title} [Total Pts: {_number(max_points)} Score]"
        w.writerow(["Last Name", "First Name", "Username", "Student ID", "Last Access", "Availability", header])
        for g in rows:
            s = g.student
            first, last = (s.first, s.last) if s.first or s.last else _split_name(s.name)
            w.writerow([last, first, s.lms_id, "" if s.student_id == s.lms_id else s.student_id, "", "Yes", _number(g.points)])
    else:
        raise ValueError(kind)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_text(buffer.getvalue(), encoding="utf-8")
    tmp.replace(out)
    return len(rows), left_out, [g.student.student_id for g in rows if g.manual_pending]


def _split_name(name: str) -> tuple[str, str]:
    first, _, last = name.rpartition(" ")
    return (first, last) if first else ("", name)


# ---------------------------------------------------------------- feedback back

def _safe(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]', "", text).strip() or "student"


def package_feedback(a: Assignment, root: Path, kind: str) -> Path:
    """Feedback files as the LMS takes them back: Moodle's feedback zip, or one folder per student."""
    feedback = {s.student_id: CourseRoot(root).feedback_html(a, s.student_id) for s in _manifest_for(root, a, kind)}
    students = [s for s in _manifest_for(root, a, kind) if feedback[s.student_id].is_file()]
    if not students:
        raise UsageError(f"no feedback for {a.id} to package (run `autograder feedback {a.id[:3]}` first)")
    base = CourseRoot(root).lms_feedback
    base.mkdir(parents=True, exist_ok=True)
    name = f"{a.id}-feedback.html"
    if kind == "moodle":
        target = base / f"{a.id}-moodle.zip"
        tmp = target.with_name(target.name + ".tmp")
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for s in students:
                person = _safe(s.name.replace("_", " ")) or "Participant"
                zf.write(feedback[s.student_id], f"{person}_{s.lms_id}_assignfeedback_file_{name}")
        tmp.replace(target)
        return target
    target = base / f"{a.id}-{kind}"
    staging = target.with_name(target.name + ".tmp")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    for s in students:
        folder = staging / (_safe(s.lms_id) if kind == "blackboard" else f"{_safe(s.name)} ({s.lms_id})")
        folder.mkdir()
        shutil.copy2(feedback[s.student_id], folder / name)
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)
    return target
