"""The book's "Open in JupyterHub" button, followed on a real JupyterHub.

An instructor sets `launch_buttons.jupyterhub_url` in `_config.yml`; every lab and assignment page then
links to the course's hub with the theme's nbgitpuller link, built from `repository.url`. This test

- builds that link for lab 1's page with the theme's own code (Jupyter Book's reading of `_config.yml`,
  sphinx-book-theme's launch buttons, then the book's labelling in `book/_ext/student_links.py`);
- starts JupyterHub on 127.0.0.1 (dummy password login, local single-user servers from this Python
  environment, the Python proxy), configured as `instructors/guide.md` tells a course's hub to be: the
  course's loader found in the pulled folder, no nbgrader in the student's JupyterLab;
- stands in for GitHub with a bare mirror of this checkout's HEAD, mapped by the student's git config
  (`url.<mirror>.insteadOf <repository.url>`), so that the published link is followed unchanged;
- logs in with Debian's chromium and opens the link: JupyterLab must show lab 1's notebook from the
  pulled folder, run its set-up cell and load the patients with the pulled folder's loader, and show
  no nbgrader menu, sidebar or formgrader.

Every process it starts is stopped and its temporary folder removed, pass or fail.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlparse

import psutil
import pytest
import yaml
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.builtsite import SCREENSHOTS
from tests.repo import REPO
from tests.test_site_browser import browser  # noqa: F401  (the site tests' chromium, a pytest fixture)

BIN = Path(sys.executable).parent   # the environment's jupyterhub, proxy and single-user server
LAB1 = "notebooks/m01_diagnostic_models/lab01_diagnostic_models"
USER, PASSWORD = "student", "a-password-for-the-test"
NBGRADER_SERVER_EXTENSIONS = ("formgrader", "validate_assignment", "assignment_list", "course_list")


# -- the link, as the book publishes it ----------------------------------------------------------------

def launch_buttons(pagename: str, jupyterhub_url: str) -> list[dict]:
    """The labelled launch buttons the book shows on `pagename` when `_config.yml` names this hub.

    `_config.yml` goes through Jupyter Book's own translation to Sphinx's configuration; the theme's
    `add_launch_buttons` (the `html-page-context` handler that makes the rocket menu) and the book's
    `labelled_launch_buttons` then run on the page's context as in a build, with the few attributes of
    the Sphinx application they read.
    """
    from jupyter_book.config import get_final_config
    from sphinx_book_theme.header_buttons import update_context_with_repository_info
    from sphinx_book_theme.header_buttons.launch import add_launch_buttons

    sys.path.insert(0, str(REPO / "book" / "_ext"))
    try:
        from student_links import labelled_launch_buttons
    finally:
        sys.path.remove(str(REPO / "book" / "_ext"))

    user_yaml = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    user_yaml["launch_buttons"]["jupyterhub_url"] = jupyterhub_url
    sphinx_config, _ = get_final_config(user_yaml=user_yaml, cli_config={"latex_individualpages": False},
                                        sourcedir=REPO)

    class Config(dict):  # Sphinx's config answers both config["x"] and config.x
        __getattr__ = dict.__getitem__

    config = Config(html_theme_options=sphinx_config["html_theme_options"], html_context={})
    source = REPO / f"{pagename}.ipynb"
    assert source.is_file(), f"{source.relative_to(REPO)} is missing: run tools/labs.py"
    app = SimpleNamespace(config=config, builder=SimpleNamespace(theme_options=config.html_theme_options),
                          env=SimpleNamespace(doc2path=lambda docname: str(REPO / f"{docname}.ipynb"),
                                              metadata={pagename: {"kernelspec": {"name": "python3"}}}),
                          outdir=str(REPO / "_build" / "html"))
    update_context_with_repository_info(app)
    context = dict(config.html_context, pagename=pagename, sourcename=f"{pagename}.ipynb.txt",
                   page_source_suffix=".ipynb", header_buttons=[])
    add_launch_buttons(app, pagename, "page.html", context, None)
    labelled_launch_buttons(context["header_buttons"], pagename)
    return context["header_buttons"]


def test_the_hub_button_is_labelled_and_built_from_the_repository():
    """Check that setting jupyterhub_url adds a labelled hub button whose link pulls repository.url."""
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    buttons = {b["text"]: b["url"] for b in launch_buttons(LAB1, "https://hub.example.org/")}
    assert "Open in JupyterHub" in buttons, f"no labelled JupyterHub button on lab 1's page: {sorted(buttons)}"
    link = urlparse(buttons["Open in JupyterHub"])
    assert link.path == "/hub/user-redirect/git-pull", link
    query = {key: values[0] for key, values in parse_qs(link.query).items()}
    assert query["repo"] == config["repository"]["url"].rstrip("/"), query
    assert query["branch"] == config["repository"]["branch"], query
    folder = urlparse(config["repository"]["url"]).path.rstrip("/").rsplit("/", 1)[-1]
    assert query["urlpath"] == f"lab/tree/{folder}/{LAB1}.ipynb", query
    if config["launch_buttons"].get("binderhub_url"):
        assert "Open in Binder" in buttons, "the Binder button went away when the hub's was added"


# -- a JupyterHub on 127.0.0.1 -------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run(*args: str, **kwargs) -> str:
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, **kwargs)
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


HUB_CONFIG = """\
c = get_config()  # noqa
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.JupyterHub.db_url = "sqlite:///{root}/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "{root}/jupyterhub_cookie_secret"
c.JupyterHub.pid_file = "{root}/jupyterhub.pid"
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = "{password}"
c.Authenticator.allowed_users = {{"{user}"}}
c.ConfigurableHTTPProxy.command = ["{bin}/configurable-http-proxy"]
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_api_port}"
c.ConfigurableHTTPProxy.pid_file = "{root}/proxy.pid"
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = "{root}/home/{{username}}"
c.Spawner.cmd = ["{bin}/jupyterhub-singleuser"]
c.Spawner.args = {args}
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 60
c.Spawner.http_timeout = 60
# The course's hub, as instructors/guide.md sets it up: the notebooks find the course's loader
# (`from clinical_data import load`) and practice questions in the folder the link pulls.
c.Spawner.environment = {{
    "PYTHONPATH": "{root}/home/{user}/{folder}:{root}/home/{user}/{folder}/datasets",
    "JUPYTER_CONFIG_DIR": "{root}/home/{user}/.jupyter",   # the student's own Jupyter settings
    "JUPYTER_DATA_DIR": "{root}/home/{user}/.local/share/jupyter",
    "GIT_CONFIG_NOSYSTEM": "1",
}}
"""


@pytest.fixture(scope="module")
def hub():
    """A running JupyterHub whose student account is ready; yields its URL and where it keeps files."""
    config = yaml.safe_load((REPO / "_config.yml").read_text(encoding="utf-8"))
    repository, branch = config["repository"]["url"].rstrip("/"), config["repository"]["branch"]
    folder = urlparse(repository).path.rsplit("/", 1)[-1]
    for tool in ("jupyterhub", "configurable-http-proxy", "jupyterhub-singleuser", "jupyter"):
        if not (BIN / tool).is_file():
            pytest.fail(f"{BIN / tool} is missing: install the test dependencies (make)", pytrace=False)
    if shutil.which("git") is None:
        pytest.fail("git is missing (nbgitpuller runs it)", pytrace=False)

    root = Path(tempfile.mkdtemp(prefix="course-hub-"))
    processes: list[psutil.Process] = []
    hub_process = log = None
    try:
        # GitHub, stood in for by a bare mirror of this checkout's HEAD on the configured branch.
        mirror = root / "mirror.git"
        _run("git", "clone", "--quiet", "--bare", "--no-tags", str(REPO), str(mirror))
        head = _run("git", "-C", str(REPO), "rev-parse", "HEAD").strip()
        _run("git", "-C", str(mirror), "update-ref", f"refs/heads/{branch}", head)
        _run("git", "-C", str(mirror), "symbolic-ref", "HEAD", f"refs/heads/{branch}")

        # The student's home: git maps the published repository to the mirror; Jupyter's user settings
        # turn nbgrader off, as `binder/postBuild` and the instructor guide do.
        home = root / "home" / USER
        home.mkdir(parents=True)
        (home / ".gitconfig").write_text(f'[url "{mirror.as_uri()}"]\n\tinsteadOf = {repository}\n',
                                         encoding="utf-8")
        if importlib.util.find_spec("nbgrader"):  # this environment is also the instructor's
            # What `jupyter labextension disable --level=user @jupyter/nbgrader` (binder/postBuild) and
            # `jupyter server extension disable --user nbgrader.server_extensions.<name>` write in the
            # student's Jupyter settings; written here directly, as each command takes seconds to start.
            (home / ".jupyter" / "labconfig").mkdir(parents=True)
            (home / ".jupyter" / "labconfig" / "page_config.json").write_text(
                json.dumps({"disabledExtensions": {"@jupyter/nbgrader": True}}), encoding="utf-8")
            (home / ".jupyter" / "jupyter_server_config.json").write_text(json.dumps({"ServerApp": {
                "jpserver_extensions": {f"nbgrader.server_extensions.{name}": False
                                        for name in NBGRADER_SERVER_EXTENSIONS}}}), encoding="utf-8")

        port, hub_port, proxy_api_port = _free_port(), _free_port(), _free_port()
        args = ["--allow-root"] if os.geteuid() == 0 else []
        (root / "jupyterhub_config.py").write_text(HUB_CONFIG.format(
            port=port, hub_port=hub_port, proxy_api_port=proxy_api_port, root=root, bin=BIN, user=USER,
            password=PASSWORD, args=args, folder=folder), encoding="utf-8")
        log = (root / "jupyterhub.log").open("w", encoding="utf-8")
        hub_env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "PYTHONPATH"))}
        hub_env["PATH"] = f"{BIN}{os.pathsep}{hub_env.get('PATH', '')}"
        hub_process = subprocess.Popen([str(BIN / "jupyterhub"), "-f", str(root / "jupyterhub_config.py")],
                                       cwd=root, env=hub_env, stdout=log, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/hub/api", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if hub_process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"JupyterHub did not start:\n{(root / 'jupyterhub.log').read_text()[-3000:]}")
            time.sleep(0.5)
        yield SimpleNamespace(url=url, root=root, home=home, folder=folder, log=root / "jupyterhub.log",
                              processes=processes, pid=hub_process.pid)
    finally:
        if hub_process is not None:
            try:
                processes.extend(psutil.Process(hub_process.pid).children(recursive=True))
            except psutil.NoSuchProcess:
                pass
            _stop(hub_process, processes)
        if log is not None:
            log.close()
        shutil.rmtree(root, ignore_errors=True)


def _stop(hub_process: subprocess.Popen, started: list[psutil.Process]) -> None:
    """Stop the hub (it stops the student's server and the proxy), then anything of ours still running."""
    if hub_process.poll() is None:
        hub_process.send_signal(signal.SIGTERM)
        try:
            hub_process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            hub_process.kill()
            hub_process.wait(timeout=10)
    survivors = [p for p in started if p.is_running()]
    for process in survivors:
        try:
            process.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(survivors, timeout=10)
    for process in alive:
        process.kill()


# -- a student follows the link --------------------------------------------------------------------------

def _run_cell(page, cell, expected: str) -> str:
    """Run one code cell as a student does (select it, Ctrl+Enter); wait for `expected` in its output."""
    prompt = cell.locator(".jp-InputPrompt")
    for _ in range(3):  # a key pressed while JupyterLab still connects to the kernel does nothing: again
        prompt.click()
        page.keyboard.press("Control+Enter")
        try:
            expect(prompt).not_to_have_text(re.compile(r"^\[ \]:$"), timeout=5_000)
            break
        except AssertionError:
            continue
    output = cell.locator(".jp-OutputArea")
    try:
        output.get_by_text(expected).first.wait_for(timeout=90_000)
    except PlaywrightTimeout:
        pytest.fail(f"the cell did not print {expected!r}; its output was: {output.inner_text()!r}",
                    pytrace=False)
    return output.inner_text()


@pytest.mark.e2e  # a real hub, single-user server and kernel, and a browser
def test_the_hub_link_opens_lab_1_in_the_student_view(hub, browser):
    """Check that the book's hub link logs in, pulls the course and opens lab 1, runnable, without nbgrader."""
    started = time.monotonic()
    link = {b["text"]: b["url"] for b in launch_buttons(LAB1, hub.url + "/")}["Open in JupyterHub"]
    local = f"http://127.0.0.1:{urlparse(hub.url).port}"
    blocked: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    context.set_default_timeout(60_000)

    def abort(route):
        blocked.append(route.request.url)
        route.abort()

    context.route(lambda url: not url.startswith((local, "data:", "blob:", "about:")), abort)
    page = context.new_page()
    try:
        page.goto(link)                                       # not logged in yet: the hub asks who it is
        page.fill("input[name=username]", USER)
        page.fill("input[name=password]", PASSWORD)
        page.click("#login_submit")
        # Spawn, nbgitpuller's clone, then JupyterLab with the notebook the link names.
        notebook = f"{LAB1.rsplit('/', 1)[-1]}.ipynb"
        page.wait_for_url(f"**/user/{USER}/lab/tree/{hub.folder}/{LAB1}.ipynb*", timeout=90_000)
        tab = page.locator(".jp-mod-current .lm-TabBar-tabLabel", has_text=notebook)
        tab.first.wait_for()
        pulled = hub.home / hub.folder / f"{LAB1}.ipynb"
        assert pulled.is_file(), f"lab 1 was not pulled into the student's home ({pulled})"
        assert (hub.home / hub.folder / ".git").is_dir(), "the course folder is not nbgitpuller's clone"

        panel = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden)")
        page.get_by_text(re.compile(r"^Python 3 \(ipykernel\) \| Idle$")).first.wait_for(timeout=90_000)
        panel.locator(".jp-MarkdownCell h1", has_text="Lab 1").first.wait_for()  # lab 1's own title
        # The set-up cell (imports, `from clinical_data import load`), then the cell that loads the patients.
        code = panel.locator(".jp-CodeCell")
        _run_cell(page, code.nth(0), "Ready.")
        loading = panel.locator(".jp-CodeCell", has_text='load("heart_disease")').first
        shown = _run_cell(page, loading, "trestbps")  # its first rows, columns named
        assert "Error" not in shown, f"loading the patients failed on the hub:\n{shown}"
        # Where the loader came from: the folder the link pulled, not another copy of the course.
        page.keyboard.press("Escape")
        page.keyboard.press("b")  # a new cell below, as a student would add one
        page.keyboard.press("Enter")
        page.keyboard.insert_text("import autograder.practice, clinical_data\n"
                                  "print(clinical_data.__file__, autograder.practice.__file__,\n"
                                  "      len(clinical_data.load('heart_disease')))")
        page.keyboard.press("Escape")
        asked = panel.locator(".jp-CodeCell", has_text="clinical_data.__file__").first
        loader, practice, patients = _run_cell(page, asked, "__init__.py").split()
        for module in (loader, practice):  # the loader, and the practice notebooks' questions
            assert module.startswith(str(hub.home / hub.folder)), \
                f"the notebook imported {module}, not the copy in the pulled course folder"
        assert patients == "920", f"the loader read {patients} patients, lab 1 expects 920"

        # The student view: no nbgrader menu, sidebar panel or formgrader.
        menus = page.locator("#jp-MainMenu .lm-MenuBar-itemLabel").all_inner_texts()
        assert "File" in menus and "Kernel" in menus, f"JupyterLab's menu bar did not load: {menus}"
        assert not [m for m in menus if "nbgrader" in m.lower()], f"an nbgrader menu is shown: {menus}"
        ui = page.locator("body").inner_text()
        for word in ("Create Assignment", "Formgrader", "Assignment List", "Course List"):
            assert word.lower() not in ui.lower(), f"the student's JupyterLab shows {word!r}"
        sidebar = page.locator(".jp-SideBar .lm-TabBar-tab").evaluate_all(
            "tabs => tabs.map(t => (t.getAttribute('title') || '') + ' ' + (t.dataset.id || ''))")
        assert sidebar and not [t for t in sidebar if "nbgrader" in t.lower() or "assignment" in t.lower()], \
            f"a sidebar panel of nbgrader is shown: {sidebar}"
        for path in ("formgrader", "assignments", "courses"):
            answer = page.request.get(f"{local}/user/{USER}/{path}")
            assert answer.status == 404, f"/{path} answers {answer.status}: nbgrader's server extension is on"
        assert not blocked, f"the hub's pages asked for outside addresses: {blocked[:5]}"
    except BaseException:  # pytest.fail included: keep what shows why
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "hosted-lab01.png"))
        print(hub.log.read_text(encoding="utf-8")[-6000:])
        raise
    finally:
        hub.processes.extend(psutil.Process(hub.pid).children(recursive=True))
        context.close()
    print(f"lab 1 opened and ran on the hub in {time.monotonic() - started:.0f} s")
