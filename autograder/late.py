"""Late submissions: nbgrader's penalty plugin, plus a penalty per started day late.

Configured in ``instructors/course.toml`` (``[late] method = "per_day"``, ``points_per_day = 1``); nbgrader's
own methods (``none``, ``zero``) work there too. nbgrader's AssignLatePenalties calls the plugin with the
notebook's score and how late the submission's timestamp is against the assignment's due date.
"""

from __future__ import annotations

import math

from nbgrader.plugins import LateSubmissionPlugin
from traitlets import Enum, Float


class LatePenalty(LateSubmissionPlugin):
    penalty_method = Enum(("none", "zero", "per_day"), default_value="none",
                          help="none: no penalty; zero: a late submission scores 0; "
                               "per_day: points_per_day lost per started day late, never below 0").tag(config=True)
    points_per_day = Float(0.0, help="points lost per started day late (per_day only)").tag(config=True)

    def late_submission_penalty(self, student_id: str, score: float, total_seconds_late: float) -> float | None:
        if self.penalty_method != "per_day":
            return super().late_submission_penalty(student_id, score, total_seconds_late)
        days = math.ceil(total_seconds_late / 86400) if total_seconds_late > 0 else 0
        return min(score, days * self.points_per_day)
