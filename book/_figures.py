"""Figure style shared by the chapter pages of every module (book/mNN_*/*.md).

Each module's ``_helpers.py`` imports from here and re-exports, so pages keep writing
``from _helpers import BLUE, pct, style``: colours, ``style()`` for readable figures, ``pct()`` for numbers.
"""

from __future__ import annotations

import matplotlib.pyplot as plt

# Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
BLUE, ORANGE, GREEN, VERMILION = "#0072B2", "#E69F00", "#009E73", "#D55E00"
SKY, PURPLE, GREY = "#56B4E9", "#CC79A7", "#7F7F7F"


def style() -> None:
    """Readable figures: large fonts, light grid, no top/right frame.

    Also switches a notebook kernel to the inline backend: the book is built with
    MPLBACKEND=Agg (Makefile), under which `plt.show()` would otherwise output no image.
    """
    try:
        from IPython import get_ipython

        ip = get_ipython()
    except ImportError:  # extra code – plain Python, no IPython
        ip = None
    if ip is not None:
        ip.run_line_magic("matplotlib", "inline")
    plt.rcParams.update(
        {
            "figure.figsize": (6.4, 4.6),
            "figure.dpi": 110,
            "font.size": 12,
            "axes.titlesize": 13,
            "axes.labelsize": 12,
            "legend.fontsize": 11,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.grid": True,
            "grid.alpha": 0.3,
            "lines.linewidth": 2.2,
        }
    )


def pct(x: float, digits: int = 0) -> str:
    """0.719 -> '72%' (digits=0) or '71.9%' (digits=1)."""
    return f"{100 * x:.{digits}f}%"
