"""Due dates on the students' assignment pages, from the one place the instructor states them.

``instructors/course.toml`` (``[due]``, one date per assignment; ``autograder`` writes the same dates into
nbgrader's gradebook, which computes lateness from them). Each assignment page writes ``{{ due_aNN }}``:
the date in UTC, or "announced by your instructor" when the file gives none.
"""

from __future__ import annotations

import tomllib
from datetime import datetime, timezone
from pathlib import Path

NO_DATE = "announced by your instructor"


def due_texts(course_file: Path, assignment_ids: list[str]) -> dict[str, str]:
    """``due_aNN`` -> the text the page shows, for every assignment id (``aNN_<slug>``)."""
    due = tomllib.loads(course_file.read_text(encoding="utf-8")).get("due", {}) if course_file.is_file() else {}
    texts = {}
    for aid in assignment_ids:
        when = due.get(aid)
        if isinstance(when, str):
            when = datetime.fromisoformat(when)
        if isinstance(when, datetime) and when.tzinfo is not None:
            text = when.astimezone(timezone.utc).strftime("%A %d %B %Y, %H:%M UTC")
        else:
            text = NO_DATE
        texts[f"due_{aid.split('_')[0]}"] = text
    return texts


def _substitutions(app, config):
    root = Path(app.confdir)
    ids = sorted(p.stem for p in (root / "instructors" / "assignments").glob("a[0-9][0-9]_*.py"))
    config.myst_substitutions = {**(config.myst_substitutions or {}),
                                 **due_texts(root / "instructors" / "course.toml", ids)}


def setup(app):
    app.connect("config-inited", _substitutions, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
