"""The self-check questions on the chapter pages, in a real browser, offline (the built `_build/html`).

On every chapter page of every module: the quiz renders two to four questions; the right answer of each
is accepted; a wrong answer gets its own feedback; a typed answer box has an accessible name; no request
leaves the local server, the console shows no error, and axe-core finds no serious or critical problem in
the quiz after it has been answered (feedback shown), in the light and the dark theme.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.builtsite import toc_docnames
from test_site_browser import (AXE_ALL_BUT_CONTRAST, AXE_CONTRAST, _SET_THEME, Offline, _describe, _new_context,
                               axe, browser, url_of)  # noqa: F401 (fixtures)

CHAPTER = re.compile(r"^book/m\d\d_[^/]+/\d\d_[^/]+$")
PAGES = [d for d in toc_docnames() if CHAPTER.match(d)]


def test_every_chapter_page_of_every_module_is_checked():
    modules = {d.split("/")[1] for d in PAGES}
    assert len(modules) == 5 and len(PAGES) >= 20, PAGES


@pytest.fixture(scope="module")
def quiz_page(browser, site_url):  # noqa: F811
    offline = Offline()
    context = _new_context(browser, site_url, offline)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
    yield page, offline, errors
    context.close()


def _mid(answer: dict) -> float:
    low, high = answer["range"]
    return (low + high) / 2


def _type(box, value: float) -> None:
    box.click()                        # jupyterquiz clears the box on focus
    box.type(repr(round(value, 6)))
    box.press("Enter")


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("docname", PAGES)
def test_the_self_check_renders_and_answers_offline(quiz_page, axe, site_url, docname, theme):  # noqa: F811
    page, offline, errors = quiz_page
    errors.clear()
    blocked_before = len(offline.blocked)
    response = page.goto(url_of(site_url, docname), wait_until="load")
    assert response is not None and response.ok, f"{docname}.html does not load (is the book built?)"
    page.evaluate(_SET_THEME, theme)
    heading = page.locator("h2", has_text="Check yourself")
    assert heading.count() == 1, f"{docname}.html has no 'Check yourself' section"
    quizzes = page.locator("div.Quiz")
    quizzes.first.wait_for(state="visible")
    assert 2 <= quizzes.count() <= 4, f"{docname}.html: {quizzes.count()} self-check questions"
    for i in range(quizzes.count()):
        q = quizzes.nth(i)
        feedback = q.locator(".Feedback")
        box = q.locator("input.Input-text")
        if box.count():
            assert box.get_attribute("aria-label"), f"{docname}.html question {i + 1}: the answer box has no name"
            answers = json.loads(box.get_attribute("data-answers"))
            right = next(a for a in answers if a.get("correct") is True)
            wrong = [a for a in answers if a.get("correct") is False and "range" in a]
            assert wrong, f"{docname}.html question {i + 1}: no feedback for a common wrong answer"
            for a in wrong:
                _type(box, _mid(a))
                assert "incorrect" in (feedback.get_attribute("class") or ""), \
                    f"{docname}.html question {i + 1}: a wrong answer was accepted"
                assert feedback.inner_text().strip() == a["feedback"].strip()
            _type(box, _mid(right))
            assert "correct" in (feedback.get_attribute("class") or "").split(), \
                f"{docname}.html question {i + 1}: the right answer was refused"
        else:
            options = q.locator("label.MCButton")
            assert options.count() >= 2
            for j in range(options.count()):
                option = options.nth(j)
                if option.get_attribute("data-correct") == "false":
                    option.click()
                    assert "incorrect" in (feedback.get_attribute("class") or "")
                    assert feedback.inner_text().strip() == (option.get_attribute("data-feedback") or "").strip()
            q.locator('label.MCButton[data-correct="true"]').click()
            assert "correct" in (feedback.get_attribute("class") or "").split()
    assert len(offline.blocked) == blocked_before, f"{docname}.html reached the network: {offline.blocked[blocked_before:]}"
    assert not errors, f"{docname}.html console errors: {errors}"
    quiz = "div.Quiz"
    page.evaluate("Promise.all(document.getAnimations().map(a => a.finished))")   # the colours as they settle
    violations = axe.run(page, context=quiz, options=AXE_ALL_BUT_CONTRAST).response["violations"]
    violations += axe.run(page, context=quiz, options=AXE_CONTRAST).response["violations"]
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, f"axe-core, the quiz of {docname}.html, {theme} theme:\n{_describe(serious)}"
