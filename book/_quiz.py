"""Self-check questions at the end of the chapter pages, drawn by jupyterquiz.

jupyterquiz writes each quiz into the page as HTML and JavaScript, with its questions inline (a list, never a
URL), so the quizzes work in the static site offline. Every numeric answer is passed in from the page's own
computation; each wrong answer a learner commonly gives gets its own feedback. These checks are formative:
the answers sit in the page's HTML, and nothing is recorded.

Use from a page (which runs in its module's folder)::

    import sys; sys.path.insert(0, "..")
    from _quiz import choice, numeric, self_check
    self_check([numeric("…", answer=ppv, wrong=[(sens, "That is the sensitivity …")]), choice(...)])
"""

from __future__ import annotations

from IPython.display import Javascript, display

# Colours with a contrast of at least 4.5:1 wherever jupyterquiz uses them: white text on the question's
# blue, on the answer box and on a button marked right (green) or wrong (red); the box's label and the red
# and green feedback on the cell's output area, which is white in the light theme and light grey in the dark.
COLORS = {
    "--jq-multiple-choice-bg": "#0b4f7c",
    "--jq-many-choice-bg": "#0b4f7c",
    "--jq-numeric-bg": "#0b4f7c",
    "--jq-string-bg": "#0b4f7c",
    "--jq-mc-button-bg": "#ffffff",
    "--jq-mc-button-border": "#6b6b6b",
    "--jq-numeric-input-bg": "#08314d",
    "--jq-numeric-input-label": "#1a1a1a",
    "--jq-incorrect-color": "#9a001b",
    "--jq-correct-color": "#145a18",
    "--jq-text-color": "#ffffff",
    "--jq-link-color": "#cfe6ff",
}

# jupyterquiz's answer box has a visible "Type numeric answer here" that is not tied to it: each box gets an
# accessible name (the start of its question) so that screen readers announce it.
_START = """
(function () {
  var code = %s;
  function label() {
    document.querySelectorAll('.Quiz input.Input-text:not([aria-label])').forEach(function (box) {
      var text = box.closest('.Quiz').querySelector('[id^=quizQn]');
      box.setAttribute('aria-label', 'Your answer' + (text ? ': ' + text.textContent.trim().slice(0, 120) : ''));
    });
  }
  function run() {
    var script = document.createElement('script');
    script.text = code;                       // run in the page's global scope, as jupyterquiz expects
    document.body.appendChild(script);        // jupyterquiz draws the questions at once
    label();
  }
  function start() {
    var m = window.MathJax;
    if (m && m.startup && m.startup.promise) { m.startup.promise.then(run); } else { run(); }
  }
  if (document.readyState === 'complete') { start(); } else { window.addEventListener('load', start); }
})();
"""


def numeric(question: str, answer: float, tol: float, wrong=(), *, percent_hint: bool = False,
            right: str = "Correct.", fallback: str | None = None) -> dict:
    """A number to type. ``wrong`` is a list of (value, feedback) for the common wrong answers.

    An answer within ``tol`` of ``answer`` is right. A wrong value whose window would overlap the right one,
    or an earlier wrong one, is left out (its feedback could fire on a right answer, or on another mistake). ``percent_hint`` adds feedback for a proportion
    typed as a percentage."""
    answers = [{"type": "range", "range": [answer - tol, answer + tol], "correct": True, "feedback": right}]
    kept = [answer]
    for value, feedback in wrong:
        if all(abs(value - k) > 2 * tol for k in kept):
            kept.append(value)
            answers.append({"type": "range", "range": [value - tol, value + tol], "correct": False,
                            "feedback": feedback})
    if percent_hint and 0 < answer < 1:
        answers.append({"type": "range", "range": [100 * answer - 100 * tol, 100 * answer + 100 * tol],
                        "correct": False,
                        "feedback": "That is a percentage: give a proportion between 0 and 1 (0.25, not 25)."})
    answers.append({"type": "default", "feedback": fallback or "Not quite: work it through again from the page."})
    return {"question": question, "type": "numeric", "answers": answers}


def choice(question: str, options: list[tuple[str, bool, str]]) -> dict:
    """One right option among several; each option has its own feedback (why it is right, or the mistake)."""
    assert sum(correct for _, correct, _ in options) == 1, "a self-check choice has exactly one right option"
    return {"question": question, "type": "multiple_choice",
            "answers": [{"answer": text, "correct": correct, "feedback": fb} for text, correct, fb in options]}


def self_check(questions: list[dict]) -> None:
    """Draw the questions (2 to 4 per page) in the page.

    jupyterquiz's own script is run once the page has loaded and, on a page with formulas, once the site's
    MathJax has started: run earlier, jupyterquiz finds MathJax half-loaded and fetches another copy from a
    CDN (a network request, which fails offline and replaces the page's MathJax configuration)."""
    import json
    import secrets

    from IPython.display import HTML
    from jupyterquiz.dynamic.loader import load_questions_script
    from jupyterquiz.dynamic.renderer import build_script, build_styles, render_div

    assert 2 <= len(questions) <= 4, "a page's self-check has two to four questions"
    div_id = "selfcheck" + secrets.token_hex(4)
    prefix, static, url = load_questions_script(questions, div_id)   # a list: inline, never a URL
    assert static and not url
    display(HTML(render_div(div_id, False, False, False, 1_000_000, 720, 10, "left")
                 + build_styles(div_id, COLORS) + "</div>"))
    code = json.dumps(build_script(prefix, static, url, div_id, True)).replace("</", "<\\/")  # safe in <script>
    display(Javascript(_START % code))
