"""The student edition of the book in a real browser (Debian's chromium driven by Playwright).

Reads the already-built `_build/html` (`make book`), served on 127.0.0.1. Every page of `_toc.yml`
must load without a console error, a missing image or a broken internal link; next/previous and the
sidebar reach every page; search works; a released assignment can be downloaded as the student
version; launch buttons open student copies; and axe-core finds no serious or critical accessibility
problem in the content of any page, in the light and the dark theme; formulas are typeset by the copy of
MathJax in the site. Screenshots go to
`_build/screenshots/` (kept by CI).

The browser never reaches the network: every request that does not go to the local server is
aborted (and recorded), so the tests behave the same offline and in CI.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urldefrag, urlparse

import pytest
import yaml
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.builtsite import REPO, SCREENSHOTS, toc_docnames
from tests.leaks import MARKERS, find_leaks, secret_lines

pytestmark = pytest.mark.e2e  # the built site in a real browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
CONTENT = "article.bd-article"  # the page's own content; the theme's chrome is upstream's to test
TOC = toc_docnames()
RELEASED = sorted(p.relative_to(REPO).as_posix() for p in REPO.glob("notebooks/*/a[0-9][0-9]_*/a[0-9][0-9]_*.ipynb"))
CONFIG = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))


SEARCH_TERMS = [
    "sensitivity",
    "SHAP",
]


# -- browser, server, one visit of every page -------------------------------------------------------------

@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); "
                    ".ci/run does this in CI.", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@dataclass
class Offline:
    """Requests that left the local server, aborted."""
    blocked: list[str] = field(default_factory=list)


def _new_context(browser, site_url, offline: Offline, **options):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True,
                                  service_workers="block", **options)
    local = re.compile("^" + re.escape(site_url))

    def abort(route):
        offline.blocked.append(route.request.url)
        route.abort()

    context.route(lambda url: not local.match(url) and not url.startswith(("data:", "blob:", "about:")), abort)
    context.set_default_timeout(20_000)
    return context


@pytest.fixture(scope="module")
def offline() -> Offline:
    return Offline()


@pytest.fixture(scope="module")
def page(browser, site_url, offline):
    context = _new_context(browser, site_url, offline)
    yield context.new_page()
    context.close()


def url_of(site_url: str, docname: str) -> str:
    return f"{site_url}{docname}.html"


def docname_of(site_url: str, url: str) -> str | None:
    """The page a URL of the local site shows, or None for anything else."""
    url = urldefrag(url)[0].split("?")[0]
    if not url.startswith(site_url):
        return None
    path = unquote(url[len(site_url):])
    if path == "" or path.endswith("/"):
        path += "index.html"
    return path.removesuffix(".html") if path.endswith(".html") else None


@dataclass
class Visit:
    status: int | None
    url: str
    errors: list[str]
    images: list[dict]
    links: list[str]
    downloads: list[str]
    launch: list[str]
    next: str | None = None  # the page's "next" and "previous" links, as rendered
    previous: str | None = None


_COLLECT = """(content) => {
  const root = document.querySelector(content) || document.querySelector('main') || document.body;
  return {
    images: [...document.images].map(img => ({
      src: img.currentSrc || img.src, alt: img.getAttribute('alt'), loaded: img.complete && img.naturalWidth > 0,
      inContent: root.contains(img), role: img.getAttribute('role'), hidden: img.getAttribute('aria-hidden')})),
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    downloads: [...document.querySelectorAll('a.download, a[download]')].map(a => a.href),
    next: (document.querySelector('a.right-next') || {}).href || null,
    previous: (document.querySelector('a.left-prev') || {}).href || null,
  };
}"""


def visit(page, url: str, local: str) -> Visit:
    """Open `url` and gather what the checks need: console errors, failed requests, images, links."""
    errors: list[str] = []

    def on_console(msg):
        if msg.type == "error":
            where = (msg.location or {}).get("url", "")
            if where.startswith(local) or not where:  # failures of blocked external requests are not the page's
                errors.append(f"console: {msg.text} ({where})")

    def on_pageerror(exc):
        errors.append(f"uncaught: {exc}")

    def on_failed(request):
        # ERR_ABORTED is the browser cancelling a fetch it no longer needs (MathJax drops a font request
        # when a faster one wins); a file that is really missing answers 404 and is caught by on_response.
        if request.url.startswith(local) and "ERR_ABORTED" not in (request.failure or ""):
            errors.append(f"request failed: {request.url} ({request.failure})")

    def on_response(response):
        if response.url.startswith(local) and response.status >= 400:
            errors.append(f"HTTP {response.status}: {response.url}")

    page.on("console", on_console)
    page.on("pageerror", on_pageerror)
    page.on("requestfailed", on_failed)
    page.on("response", on_response)
    try:
        response = page.goto(url, wait_until="load")
        data = page.evaluate(_COLLECT, CONTENT)
    finally:
        page.remove_listener("console", on_console)
        page.remove_listener("pageerror", on_pageerror)
        page.remove_listener("requestfailed", on_failed)
        page.remove_listener("response", on_response)
    launch_hosts = [urlparse(u).netloc for u in (CONFIG.get("launch_buttons") or {}).values()
                    if isinstance(u, str) and u.startswith("http")]
    launch = [href for href in data["links"] if any(urlparse(href).netloc == host for host in launch_hosts if host)]
    launch += [href for href in data["links"] if "colab.research.google.com" in href]
    return Visit(response.status if response else None, page.url, errors, data["images"], data["links"],
                 data["downloads"], sorted(set(launch)), data["next"], data["previous"])


@pytest.fixture(scope="module")
def visits(page, site_url) -> dict[str, Visit]:
    """Every page of the table of contents, opened once."""
    return {docname: visit(page, url_of(site_url, docname), site_url) for docname in TOC}


# -- every page: loads, images, links ---------------------------------------------------------------------

@pytest.mark.parametrize("docname", TOC)
def test_page_loads_without_errors_or_missing_images(visits, docname):
    v = visits[docname]
    assert v.status == 200, f"{docname}.html: HTTP {v.status} (is it in the built site?)"
    assert not v.errors, f"{docname}.html:\n  " + "\n  ".join(v.errors)
    missing = [img["src"] for img in v.images if not img["loaded"]]
    assert not missing, f"{docname}.html: images that did not load: {missing}"


_ids_cache: dict[Path, set[str]] = {}


def _ids(path: Path) -> set[str]:
    if path not in _ids_cache:
        text = path.read_text(encoding="utf-8", errors="replace")
        _ids_cache[path] = set(re.findall(r'\bid="([^"]+)"', text)) | set(re.findall(r'\bname="([^"]+)"', text))
    return _ids_cache[path]


@pytest.mark.parametrize("docname", TOC)
def test_internal_links_resolve(visits, site_url, site_dir, docname):
    broken = []
    for href in visits[docname].links:
        if not href.startswith(site_url):
            continue
        target, fragment = urldefrag(href)
        path = unquote(urlparse(target).path.removeprefix(urlparse(site_url).path))
        file = site_dir / (path + "index.html" if path == "" or path.endswith("/") else path)
        if not file.is_file():
            broken.append(f"{href} (no {file.relative_to(site_dir)})")
        elif fragment and file.suffix == ".html" and unquote(fragment) not in _ids(file):
            broken.append(f"{href} (no anchor #{fragment})")
    assert not broken, f"{docname}.html has broken internal links:\n  " + "\n  ".join(sorted(set(broken)))


_FILENAME = re.compile(r"^[\w\-. /\\]+\.(png|jpe?g|gif|svg|webp|pdf)$", re.I)


@pytest.mark.parametrize("docname", TOC)
def test_every_figure_has_alt_text_that_describes_it(visits, docname):
    bad = []
    for img in visits[docname].images:
        if not img["inContent"] or img["role"] == "presentation" or img["hidden"] == "true":
            continue
        alt = (img["alt"] or "").strip()
        name = Path(urlparse(img["src"]).path).name
        if not alt:
            bad.append(f"{name}: no alt text")
        elif _FILENAME.match(alt) or alt in (name, Path(name).stem) or re.fullmatch(r"[0-9a-f]{16,}", alt):
            bad.append(f"{name}: alt text is a file name ({alt!r})")
        elif len(alt.split()) < 4:
            bad.append(f"{name}: alt text {alt!r} is too short to say what the figure shows")
    assert not bad, f"{docname}.html:\n  " + "\n  ".join(bad)


# -- navigation ------------------------------------------------------------------------------------------

def test_next_and_previous_reach_every_page_in_order(page, visits, site_url):
    """Every page's "next" leads to the following page of the table of contents and "previous" back; the
    links are read from every page as the browser rendered it, and a click on each kind is followed once."""
    after = {d: docname_of(site_url, visits[d].next) if visits[d].next else None for d in TOC}
    before = {d: docname_of(site_url, visits[d].previous) if visits[d].previous else None for d in TOC}
    assert after == dict(zip(TOC, [*TOC[1:], None], strict=True)), "'next' does not follow the table of contents"
    assert before == dict(zip(TOC, [None, *TOC[:-1]], strict=True)), "'previous' does not go back through the table of contents"
    for start, selector, lands in ((TOC[0], "a.right-next", TOC[1]), (TOC[-1], "a.left-prev", TOC[-2])):
        page.goto(url_of(site_url, start))
        with page.expect_navigation():
            page.locator(selector).first.click()
        assert docname_of(site_url, page.url) == lands


def test_home_page_and_sidebar_reach_every_page(page, site_url):
    page.goto(site_url)  # index.html forwards to the root page
    page.wait_for_url(re.compile(re.escape(url_of(site_url, TOC[0]))))
    hrefs = page.eval_on_selector_all("nav.bd-docs-nav a.reference.internal, .bd-sidebar-primary a.navbar-brand",
                                      "links => links.map(a => a.href)")
    reached = {docname_of(site_url, h) for h in hrefs}
    assert set(TOC) - {TOC[0]} <= reached, f"pages missing from the sidebar: {sorted(set(TOC) - {TOC[0]} - reached)}"
    # Click through to the last top-level chapter, as a reader would.
    target = next(d for d in reversed(TOC) if page.locator(f"nav.bd-docs-nav a[href$='{Path(d).name}.html']:visible").count())
    with page.expect_navigation():
        page.locator(f"nav.bd-docs-nav a[href$='{Path(target).name}.html']:visible").first.click()
    assert docname_of(site_url, page.url) == target


# -- search ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("term", SEARCH_TERMS)
def test_search_box_finds(page, site_url, term):
    page.goto(url_of(site_url, TOC[0]))
    page.locator("button.search-button__button:visible").first.click()  # opens the search dialog
    box = page.locator("#pst-search-dialog input[name='q']")
    box.fill(term)
    with page.expect_navigation():
        box.press("Enter")
    assert "search.html" in page.url
    # Sphinx titles the results "Searching" while it works and "Search Results" once it has finished.
    page.wait_for_function("() => (document.querySelector('#search-results h2') || {}).textContent"
                           " === 'Search Results'")
    results = page.eval_on_selector_all("#search-results ul.search li a", "links => links.map(a => a.href)")
    pages = {docname_of(site_url, h) for h in results} & set(TOC)
    assert pages, f"searching for {term!r} finds no page of the book"


# -- the released assignment and the launch buttons ------------------------------------------------------

@pytest.fixture(scope="module")
def secrets() -> set[str]:
    return secret_lines(REPO)


@pytest.mark.parametrize("released", RELEASED)
def test_assignment_page_offers_the_student_notebook(page, visits, site_url, tmp_path, secrets, released):
    name = Path(released).name
    offering = [d for d, v in visits.items() if any(Path(urlparse(h).path).name == name for h in v.downloads)]
    assert offering, f"no page of the book offers {released} for download (a MyST {{download}} link)"
    committed = (REPO / released).read_bytes()
    for docname in offering:
        page.goto(url_of(site_url, docname))
        link = page.locator(f"a[download][href$='/{name}'], a.download[href$='/{name}']").first
        with page.expect_download() as info:
            link.click()
        saved = tmp_path / f"{Path(docname).name}-{name}"
        info.value.save_as(saved)
        assert saved.read_bytes() == committed, (
            f"{docname}.html offers a {name} that differs from the committed student notebook {released}")
        leaks = find_leaks([saved], secrets | set(MARKERS))
        assert not leaks, f"the {name} offered on {docname}.html holds solution or hidden-test lines: {leaks[:5]}"


def _launch_target(href: str) -> str | None:
    """The repository path a launch button opens."""
    parsed = urlparse(href)
    query = parse_qs(parsed.query)
    for key in ("urlpath", "labpath", "filepath"):
        if key in query:
            value = re.sub(r"^(lab/tree|tree|notebooks|doc/tree)/", "", query[key][0]).split("?")[0]
            if parsed.path.endswith("/git-pull"):  # a JupyterHub's nbgitpuller: <clone folder>/<path>
                value = value.split("/", 1)[-1]
            return value
    match = re.search(r"/blob/[^/]+/(.+)$", parsed.path)  # Colab
    return match.group(1) if match else None


def test_launch_buttons_open_student_copies(visits):
    launchers = (CONFIG.get("launch_buttons") or {})
    if not any(launchers.get(k) for k in ("binderhub_url", "colab_url", "jupyterhub_url")):
        pytest.skip("no launch button is configured in _config.yml")
    problems, notebook_pages = [], [d for d in TOC if d.startswith("notebooks/")]
    for docname in notebook_pages:
        if not visits[docname].launch:
            problems.append(f"{docname}.html has no launch button")
    for docname, v in visits.items():
        for href in v.launch:
            target = _launch_target(href)
            if target is None:
                problems.append(f"{docname}.html: cannot tell what {href} opens")
            elif target == "notebooks" and not docname.startswith("notebooks/"):
                continue  # the set-up page opens the course's notebooks folder
            elif target.startswith("instructors") or not (REPO / target).is_file():
                problems.append(f"{docname}.html: launch button opens {target!r}, not a committed student file")
            elif docname.startswith("notebooks/") and target != f"{docname}.ipynb":
                problems.append(f"{docname}.html: launch button opens {target!r}, expected {docname}.ipynb")
    assert not problems, "\n".join(problems)


# -- accessibility ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


AXE_ALL_BUT_CONTRAST = {"resultTypes": ["violations"], "rules": {"color-contrast": {"enabled": False}}}
AXE_CONTRAST = {"resultTypes": ["violations"], "runOnly": ["color-contrast"]}


def _describe(violations) -> str:
    lines = []
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({len(v['nodes'])} element(s); {v['helpUrl']})")
        for node in v["nodes"][:3]:
            lines.append(f"      {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"        {summary[:240]}")
    return "\n".join(lines)


_SET_THEME = """(theme) => {
  // What pydata-sphinx-theme's switch does: remember the choice, then restyle the page through
  // html[data-theme]; every theme-dependent style (colours, Pygments, images) is keyed on it.
  localStorage.setItem('mode', theme); localStorage.setItem('theme', theme);
  document.documentElement.dataset.mode = theme; document.documentElement.dataset.theme = theme;
}"""


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("docname", TOC)
def test_no_serious_accessibility_violation(page, axe, site_url, docname, theme):
    url = url_of(site_url, docname)
    if page.url != url:  # the light-theme test of the same page has just loaded it
        response = page.goto(url, wait_until="load")
        assert response is not None and response.ok, f"{docname}.html does not load (is it in the built site?)"
    page.evaluate(_SET_THEME, theme)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    brightness = sum(map(int, re.findall(r"\d+", background)[:3])) / 3
    assert (brightness > 200) if theme == "light" else (brightness < 80), (
        f"{docname}.html did not switch to the {theme} theme (page background {background})")
    assert page.locator(CONTENT).count() == 1, f"{docname}.html has no {CONTENT}"
    # Two passes, for speed: every rule but colour contrast on the whole content; then colour contrast
    # on the content except syntax-highlighted code, whose colours are pydata-sphinx-theme's
    # a11y-high-contrast Pygments palettes (contrast-checked upstream) and whose thousands of tokens
    # made one page's scan take 20 s.
    violations = axe.run(page, context=CONTENT, options=AXE_ALL_BUT_CONTRAST).response["violations"]
    violations += axe.run(page, context={"include": [[CONTENT]], "exclude": [["div.highlight"]]},
                          options=AXE_CONTRAST).response["violations"]
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not serious, f"axe-core, {docname}.html, {theme} theme:\n{_describe(serious)}"


# -- screenshots -----------------------------------------------------------------------------------------

def _shoot(page, site_url, docname: str, name: str) -> Path:
    page.goto(url_of(site_url, docname), wait_until="load")
    page.wait_for_load_state("networkidle")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def _is_blank(path: Path) -> bool:
    from PIL import Image, ImageStat

    with Image.open(path) as image:
        rgb = image.convert("RGB")
        colours = rgb.getcolors(maxcolors=1 << 16)
        spread = max(ImageStat.Stat(rgb.convert("L")).stddev)
    return (colours is not None and len(colours) < 16) or spread < 10


def test_screenshots_of_home_chapter_and_assignment(page, visits, site_url, tmp_path):
    from PIL import Image

    Image.new("RGB", (320, 200), "white").save(tmp_path / "white.png")
    assert _is_blank(tmp_path / "white.png"), "the blank-screenshot check does not recognise a white image"
    with_figures = [d for d in TOC[1:] if d.startswith("book/") and any(i["inContent"] for i in visits[d].images)]
    chapter = with_figures[0] if with_figures else TOC[1]  # a chapter with a figure shows the most
    offering = [d for d, v in visits.items() if any(Path(urlparse(h).path).suffix == ".ipynb" for h in v.downloads)]
    assignment = offering[0] if offering else next((d for d in TOC if re.search(r"/a\d\d_", d)), TOC[-1])
    shots = {name: _shoot(page, site_url, docname, name)
             for name, docname in [("home", TOC[0]), ("chapter", chapter), ("assignment", assignment)]}
    blank = [name for name, path in shots.items() if _is_blank(path)]
    assert not blank, f"blank screenshots: {blank} (in {SCREENSHOTS})"


_TYPESET = """() => MathJax.startup.promise.then(() => {
  const math = [...document.querySelectorAll('article .math')];
  return {math: math.length, typeset: math.filter(m => m.querySelector('mjx-container')).length,
          errors: [...document.querySelectorAll('mjx-merror')].map(e => e.getAttribute('data-mjx-error') || e.textContent),
          script: [...document.scripts].map(s => s.src).filter(src => /mathjax/i.test(src))};
})"""


def _pages_with_formulas(site_dir) -> list[str]:
    return [d for d in TOC if 'class="math' in (site_dir / f"{d}.html").read_text(encoding="utf-8", errors="replace")]


def test_formulas_render_offline_from_the_site(page, site_url, site_dir):
    """A reader with no internet still sees formulas: MathJax is loaded from the site itself (the browser
    here cannot reach any other host) and typesets every formula on every page that has one, without error."""
    pages = _pages_with_formulas(site_dir)
    assert len(pages) >= 3, f"only {pages} have formulas: is dollarmath still enabled in _config.yml?"
    problems = []
    for docname in pages:
        page.goto(url_of(site_url, docname), wait_until="load")
        try:
            page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=10_000)
        except PlaywrightTimeout:
            scripts = page.evaluate("() => [...document.scripts].map(s => s.src).filter(src => /mathjax/i.test(src))")
            pytest.fail(f"{docname}: MathJax did not load from {scripts} (is _static/mathjax/ in the site?)", pytrace=False)
        found = page.evaluate(_TYPESET)
        if not all(src.startswith(site_url) for src in found["script"]):
            problems.append(f"{docname}: MathJax comes from {found['script']}")
        if found["typeset"] != found["math"] or found["errors"]:
            problems.append(f"{docname}: {found['typeset']} of {found['math']} formulas typeset; errors {found['errors']}")
    assert not problems, "\n".join(problems)


def test_no_request_left_the_machine(offline, visits):
    """Every asset a page loads is in the site: nothing was asked of another host while every page was opened."""
    hosts = sorted({urlparse(u).netloc for u in offline.blocked})
    assert not hosts, f"pages load assets from {hosts}; ship them in the site instead: {offline.blocked[:5]}"


# -- formulas fit the screen -------------------------------------------------------------------------------

_OVERFLOWING_FORMULAS = """() => MathJax.startup.promise.then(() =>
  [...document.querySelectorAll('article div.math')]
    .filter(box => box.querySelector('mjx-container'))
    .map(box => {
      const math = box.querySelector('mjx-math') || box.querySelector('mjx-container');
      const article = box.closest('article').getBoundingClientRect();
      const outer = box.getBoundingClientRect(), inner = math.getBoundingClientRect();
      const room = Math.min(outer.right, article.right) - Math.max(outer.left, article.left);
      return {tex: box.textContent.trim().slice(0, 80), width: Math.round(inner.width), room: Math.round(room),
              out: inner.left < Math.max(outer.left, article.left) - 1 || inner.right > Math.min(outer.right, article.right) + 1};
    })
    .filter(f => f.out || f.width > f.room + 1))"""


@pytest.mark.parametrize("width", [390, 1280])
def test_display_formulas_fit_their_column(browser, site_url, site_dir, offline, width):
    """On a phone (390 px) and on a desktop, every display formula fits the page's column: none is cut off or
    runs off the screen."""
    context = _new_context(browser, site_url, offline)
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    problems = []
    try:
        for docname in _pages_with_formulas(site_dir):
            page.goto(url_of(site_url, docname), wait_until="load")
            page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=10_000)
            for f in page.evaluate(_OVERFLOWING_FORMULAS):
                problems.append(f"{docname}: a formula {f['width']} px wide in {f['room']} px ({f['tex']!r})")
    finally:
        context.close()
    assert not problems, f"at {width} px:\n" + "\n".join(problems)
