"""One-line hints for the slips of someone new to Python, used by the labs' set-up and "Your turn" cells.

They never show the answer: a percentage typed with its % sign anywhere in the notebook; in a check cell,
an answer typed in a form the check cannot read; the outcomes and the risks swapped in ``roc_auc_score``.
The assignments carry their own copy of the % sign hint, because a released assignment runs on its own.
"""

from __future__ import annotations

import re

import numpy as np


def _percent_sign_hint(shell, etype, value, tb, tb_offset=None):
    """A number typed with a % sign (ppv = 31%) is not Python: one line saying so, then Python's message."""
    if re.search(r"\d\s*%\s*($|#|,|\)|\])", getattr(value, "text", None) or ""):
        print("Type a percentage as a proportion, without the % sign: 0.31 for 31%.")
    shell.showsyntaxerror()


def show_percent_sign_hint():
    """From now on in this notebook, a number typed with a % sign gets the one-line hint above."""
    from IPython import get_ipython

    get_ipython().set_custom_exc((SyntaxError,), _percent_sign_hint)


def typing_hint(answer, proportion=False, keys=None, size=None):
    """What to change, in one line, when `answer` is not typed as asked: one number (between 0 and 1 if
    `proportion`), a dictionary with the given `keys`, or a list of `size` numbers. "" when it is."""
    if answer is None:
        return ""
    if keys is not None:
        if not isinstance(answer, dict):
            return f"Not quite: give a dictionary, {{key: value, ...}}, with one value for each key of {list(keys)}."
        for key in answer:
            if key not in keys:
                return f"Not quite: {key!r} is not one of the keys {list(keys)}: copy each key exactly."
        for key in keys:
            if key not in answer:
                return f"Not quite: your dictionary has no value for the key {key!r}."
        values = list(answer.values())
    elif size is not None:
        if not (isinstance(answer, (list, tuple)) or np.ndim(answer) == 1) or len(answer) != size:
            return f"Not quite: give {size} numbers in a list, in square brackets: [{', '.join(['...'] * size)}]."
        values = list(answer)
    else:
        values = [answer]
    each = "each value" if len(values) > 1 or keys is not None else "your answer"
    for value in values:
        if isinstance(value, str):
            if "%" in value:
                example = " (0.31 for 31%)" if proportion else ""
                return f"Not quite: type {each} as a number, without quotes or % sign{example}."
            return f"Not quite: type {each} without the quotes around it."
        if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
            found = "a dictionary" if isinstance(value, dict) else "True or False" if isinstance(value, (bool, np.bool_)) else "a list or a table"
            return f"Not quite: {each} should be one number, not {found}."
        if np.isnan(value):
            return "Not quite: your answer is nan, 'not a number': a step divided by zero or had no rows to work on."
        if proportion and value > 1:
            return (f"Not quite: give {each} as a proportion between 0 and 1, not a percentage or a count "
                    "(0.31 for 31%, in the numbers you start from too).")
        if proportion and value < 0:
            return "Not quite: a proportion lies between 0 and 1, and yours is below 0: check the order of a subtraction."
    return ""


def roc_auc_score(y_true, y_score, **kwargs):
    """scikit-learn's roc_auc_score, with a one-line hint when the outcomes and the risks are swapped."""
    from sklearn import metrics

    if not set(np.unique(np.asarray(y_true, dtype=float))) <= {0.0, 1.0}:
        raise ValueError("roc_auc_score(y_true, risk): put the true 0/1 outcomes first and the model's risks second.")
    return metrics.roc_auc_score(y_true, y_score, **kwargs)
