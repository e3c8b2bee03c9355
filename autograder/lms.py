"""The course's learning-management system (Canvas, Moodle, Blackboard) both ways.

In: an LMS's "download all submissions" (a zip, or the folder it unpacks to) is recognised by its file
names, each notebook placed under the gradebook's student id (through the LMS's roster export when one
is given), the newest attempt kept, and the LMS's late marker recorded. What was collected from which
LMS is kept in ``<course root>/lms/<assignment>.json``; the way back reads it.

Out: grades in the file each LMS imports, and feedback files named so each LMS can give them back.

Each rule below is cited to the LMS's own source code (Canvas and Moodle publish theirs) or, for
Blackboard, which does not, to its help pages. What no source settled is marked "Assumed", with what
was searched.

Canvas (instructure/canvas-lms):
  download  ``lib/content_zipper.rb`` (``ContentZipper#zip_assignment``, ``get_filename``,
            ``add_upload_submission``): each file is ``<name>[_LATE]_<user id>_<attachment id>_<file>``.
            ``<name>`` is the student's sortable name ("Núñez, Ana María") lower-cased with every non-word
            character removed (``núñezanamaría``; an ``_<digits>_`` inside it is removed too, so it
            never looks like an id); ``LATE`` is Canvas's own late flag (``submission.late?``);
            ``<file>`` is the student's file name with ``\\ / : * ? " < > |`` replaced by ``_``. With
            anonymous grading the name is left out and the id is ``anon_<anonymous id>``
            (``[LATE_]anon_<id>_<attachment id>_<file>``): such a student is collected under that id and
            cannot be exported (Canvas hides who it is). Only each student's current submission is
            zipped (``submission.attachment_ids``), so earlier attempts never appear; a file name already
            taken in the student's files gets a ``-1``, ``-2`` suffix (``Attachment.make_unique_filename``
            in ``app/models/attachment.rb``). The names carry no time, so none is recorded (nbgrader
            charges no penalty; Canvas applies its own late policy, if one is set). Assumed: of several
            notebooks in one submission, the largest attachment id is the last uploaded (ids come from a
            database sequence); the notebook named as released is preferred anyway.
  roster    the gradebook export, ``lib/gradebook_exporter.rb``: ``Student`` (or ``LastName``,
            ``FirstName``), ``ID`` (the user id in the file names), ``SIS User ID`` (when shown),
            ``SIS Login ID``, ``Section``, one ``<title> (<assignment id>)`` column per assignment; a
            ``    Points Possible`` row, and a "Manual Posting" row before it when grades are posted by
            hand. ``CSVWithI18n.csv_i18n_settings`` (``lib/csv_with_i18n.rb``) may write it with ``;``
            and a byte-order mark: both are read.
  grades    what ``lib/gradebook_importer.rb`` (``GradebookImporter``) accepts: a header whose first
            cell contains ``Student`` and second ``ID``, then ``SIS User ID``, ``SIS Login ID``, and
            ``Section`` closing the student columns; a row whose first cell contains ``Points Possible``;
            students matched on ``ID``, else the SIS ids, else the name. A column ``<title> (<id>)``
            updates that assignment; a column with a bare title updates the assignment of exactly that
            title, else creates a new one. Grades are points: the Canvas assignment must be out of the
            same points as the notebook.
  feedback  one folder per student. Canvas's "Re-Upload Submissions" zip (``Assignment#
            generate_comments_from_files``, ``app/models/assignment.rb``) matches files by
            ``_<user id>_<attachment id>_`` but names each returned file after the student's own
            attachment, so an HTML report would come back called ``a01.ipynb``.
  Searched without finding a stored copy: the Canvas Instructor Guide pages "How do I download all
  student submissions for an assignment?" and "How do I import grades in the Gradebook?"
  (community.canvaslms.com); the source above is what they describe.
Moodle (moodle/moodle, mod/assign):
  download  ``classes/downloader.php`` (Moodle 4.1 and later; ``tests/downloader_test.php`` lists the
            names): ``<Full Name>_<participant id>_assignsubmission_file/<file>`` with "Download
            submissions in folders" (the default since 3.1), ``<Full Name>_<participant id>_
            assignsubmission_file_<file>`` without. Moodle 3.1 to 4.0 wrote the folder with a trailing
            underscore (``…_assignsubmission_file_/<file>``), as ``feedback/file/importziplib.php`` still
            reads: both are recognised. Underscores in a name become spaces; with blind marking the name
            is "Participant". The participant id is the assignment's own id for the student
            (``get_uniqueid_for_user``), not the user id. Only the current submission is zipped, with no
            late marker: lateness comes from the grading worksheet's ``Status`` ("… late").
  roster    the grading worksheet (``feedback/offline/locallib.php``, ``download_grades``, through
            ``gradingtable.php``): ``Identifier`` ("Participant 123"), ``Full name``, the site's identity
            fields (``ID number``, ``Email address``), ``Status``, ``Grade``, ``Maximum grade`` (``Scale``
            instead for an assignment graded on a scale, which is not supported), ``Last modified
            (grade)``, ….
  grades    ``feedback/offline/importgradeslib.php`` (``assignfeedback_offline_grade_importer``) needs
            three columns, ``Identifier``, ``Grade`` and ``Last modified (grade)``, and ignores the
            rest; it reads any feedback-comment column it finds, and would blank comments typed in
            Moodle, so none is written. ``locallib.php`` (``process_import_grades``) skips a grade above
            the assignment's maximum grade, and a row whose grade was changed in Moodle after the
            worksheet's ``Last modified (grade)`` unless "Allow updating records that have been modified
            more recently in Moodle than in the spreadsheet" is ticked: the worksheet's own value is
            written back, and the export is refused when the worksheet's ``Maximum grade`` is not the
            notebook's points. The upload needs the "Offline grading worksheet" feedback type. Column
            names are the site's language strings (``lang/en/assign.php``: ``recordid``,
            ``lastmodifiedgrade``); an English-language site is assumed.
  feedback  ``feedback/file/importziplib.php`` ("Upload multiple feedback files in a zip") splits each
            path on its first four underscores: ``<name>_<participant id>_assignfeedback_file_<file>``.
Blackboard Learn Original (no public source. Blackboard Help, "Uploading or Downloading Grade Center
Items for Working Offline", library.blackboard.com/ref/3ea64795-6ecc-4abd-b595-0a9a8dfdec94/Content/
_instructor_grade_center/grade_center_upload_download.htm, the same text as help.blackboard.com's "Work
Offline with Grade Center Data"; its "Download assignments" page was searched for and not found in a
stored copy, so the download's names rest on the tools that read them):
  download  ``<assignment>_<username>_attempt_<YYYY-MM-DD-HH-MM-SS>_<file>`` beside a receipt
            ``<assignment>_<username>_attempt_<time>.txt`` (``Name: First Last (username)``), one set
            per attempt: nbgrader's zip-collect example (jupyter/nbgrader, ``nbgrader/plugins/
            zipcollect.py``) and vangef/BBGradebookOrganiser (``utils/organiser.py``, which also reads
            the receipt's ``Name:`` line). Assumed: the time is the attempt's submission time; the names
            carry no late marker, so lateness is nbgrader's, from that time and the assignment's due
            date in the gradebook.
  roster    the Grade Center download: ``Last Name``, ``First Name``, ``Username``, ``Student ID``, …,
            then ``<column> [Total Pts: <points> Score] |<column id>`` per column (the header form the
            help page's column ids take, as public scripts that read these downloads show). A
            tab-delimited ``.xls`` download is read too.
  grades    students are matched on their username and columns on their column id; a column without
            an id is added as a new text column worth 0 points, so pass ``--column`` with the column's
            header from the download to update the assignment's own column. In a comma-delimited
            file every value must sit within quotes: every value is quoted. Assumed: UTF-8 (the pages
            name no encoding for a comma-delimited upload).
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

# Canvas: <name>[_LATE]_<user id>_<attachment id>_<file>, or [LATE_]anon_<anonymous id>_<attachment id>_<file>
CANVAS = re.compile(r"^(?P<name>\w+?)(?:_(?P<late>LATE))?_(?P<uid>\d+)_(?P<sub>\d+)_(?P<file>[^/]+)$")
CANVAS_ANONYMOUS = re.compile(r"^(?:(?P<late>LATE)_)?(?P<uid>anon_[A-Za-z0-9]+)_(?P<sub>\d+)_(?P<file>[^/]+)$")
# Moodle: <name>_<participant id>_assignsubmission_<plugin>/<file> (4.1+), …_<plugin>_/<file> (3.1-4.0), …_<plugin>_<file> (flat)
MOODLE = re.compile(r"^(?P<name>[^_/]+)_(?P<uid>\d+)_assignsubmission_(?P<plugin>[a-z]+)(?:_?/(?P<nested>.+)|_(?P<file>[^/]+))$")
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
    maximum: str = ""  # Moodle's worksheet: Maximum grade
    modified: str = ""  # Moodle's worksheet: Last modified (grade), written back as it was


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
        m = CANVAS_ANONYMOUS.match(path) or CANVAS.match(path)
        if not m:
            return None
        stem = RESUBMITTED.match(m["file"])
        suffix = int(stem["n"]) if stem and stem["n"] else 0
        name = m["name"] if "name" in m.groupdict() else ""
        return Attempt(path, m["uid"], name, m["file"], (int(m["sub"]), suffix), None, m["late"] is not None)
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
    "first": ("first name", "firstname"),
    "last": ("last name", "lastname"),
    "email": ("email address", "email", "e-mail"),
    "section": ("section",),
    "login": ("sis login id",),
    "status": ("status",),
    "maximum": ("maximum grade",),
    "modified": ("last modified (grade)",),
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
    maximum: str = ""
    modified: str = ""


def _decode(data: bytes) -> str:
    """A roster's text: UTF-8 (with or without a byte-order mark), or UTF-16 when it starts with its mark."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    return data.decode("utf-8-sig")


def _delimiter(text: str) -> str:
    """The roster's delimiter: Canvas may write ``;`` (and, like GradebookImporter, we take the one that
    splits the first lines into the same number of fields), Blackboard may write tabs."""
    lines = text.splitlines()[:3]
    best, most = ",", 0
    for sep in (",", ";", "\t"):
        counts = {len(next(csv.reader([line], delimiter=sep), [])) for line in lines if line.strip()}
        if len(counts) == 1 and (n := counts.pop()) > most:
            best, most = sep, n
    return best


def read_roster(path: Path) -> dict[str, RosterRow]:
    """LMS id -> row, from the LMS's own export. A roster without an LMS-id column is bad input."""
    if not path.is_file():
        raise UsageError(f"no roster at {path}")
    try:
        text = _decode(path.read_bytes())
    except UnicodeDecodeError:
        raise UsageError(f"{path.name} is not a UTF-8 CSV file (export the roster again as CSV)") from None
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
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
        if not lms_id:  # Canvas's "Points Possible" and "Manual Posting" rows, blank lines
            continue
        status = cell("status")
        rows[lms_id] = RosterRow(lms_id, cell("student_id") or lms_id, cell("name") or f"{cell('first')} {cell('last')}".strip(),
                                 cell("first"), cell("last"), cell("email"), cell("section"), cell("login"),
                                 bool(re.search(r"\blate\b", status, re.IGNORECASE)) if status else None,
                                 cell("maximum"), cell("modified"))
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
            chosen.submitted_at.isoformat(sep=" ") if chosen.submitted_at else "",
            row.maximum if row else "", row.modified if row else ""))
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


def _moodle_maximum(text: str) -> float | None:
    """The worksheet's ``Maximum grade`` ("17.00", or "17,00" where a comma is the decimal mark), if it reads as one."""
    try:
        return float(text.strip().replace(",", "."))
    except ValueError:
        return None


def write_grades(a: Assignment, root: Path, kind: str, out: Path, column: str | None = None) -> tuple[int, list[str], list[str]]:
    """The LMS's grade import file. Returns rows written, students left out, students with written answers to grade."""
    rows, left_out = grades(a, root, kind)
    if kind == "canvas":  # Canvas's anonymous grading hides who the student is: there is no id to import under
        left_out += [f"{g.student.student_id} (anonymous in Canvas: enter the grade in SpeedGrader)"
                     for g in rows if g.student.lms_id.startswith("anon_")]
        rows = [g for g in rows if not g.student.lms_id.startswith("anon_")]
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
        for g in rows:
            moodle_max = _moodle_maximum(g.student.maximum)
            if moodle_max is not None and abs(moodle_max - g.max_points) > 0.005:
                raise UsageError(f"Moodle's grading worksheet gives {a.id} a maximum grade of {_number(moodle_max)}, but it is out of "
                                 f"{_number(g.max_points)} points: set the assignment's Maximum grade in Moodle to "
                                 f"{_number(g.max_points)}, then collect again with the new worksheet as --roster")
        w.writerow(["Identifier", "Full name", "Email address", "Grade", "Maximum grade", "Last modified (grade)"])
        for g in rows:
            s = g.student
            w.writerow([f"Participant {s.lms_id}", s.name, s.email, _number(g.points), _number(g.max_points), s.modified or "-"])
    elif kind == "blackboard":
        header = column or f"{a.title} [Total Pts: {_number(max_points)} Score]"
        w = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)  # comma-delimited: every value within quotes
        w.writerow(["Last Name", "First Name", "Username", "Student ID", header])
        for g in rows:
            s = g.student
            first, last = (s.first, s.last) if s.first or s.last else _split_name(s.name)
            w.writerow([last, first, s.lms_id, "" if s.student_id == s.lms_id else s.student_id, _number(g.points)])
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
