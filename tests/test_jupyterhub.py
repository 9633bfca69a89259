"""A class on JupyterHub, end to end in a real browser.

The repository's jupyterhub_config.py runs a real JupyterHub (as root, on 127.0.0.1, with
configurable-http-proxy from npm and PAM logins) for two real Unix users, an instructor
(bph-instructor) and a student (bph-student), each with the environment README's "A class
on JupyterHub" gives them: the student's server runs from a venv with only the student
package, the instructor's from one with the whole kit, in the course folder. Headless
Chromium, driven by Playwright, then does what they would:

- the instructor generates and releases the assignment in the formgrader;
- the student fetches it in the Assignments tab, opens it, validates and submits it (the
  answers, the reference ones, go in through the Jupyter contents API as that user);
- the instructor collects, autogrades (in the grader's bubblewrap sandbox, as the
  instructor's own uid) and releases feedback from the formgrader: 100 / 100;
- the student fetches the feedback and opens it.

Screenshots go to artifacts/browser/hub-*.png. Needs root, Chromium and Playwright
(scripts/install_browser.sh), JupyterHub, configurable-http-proxy and Debian's python3
with venv (scripts/install_hub.sh), bubblewrap and MNIST. Without them the test skips, or
fails under CI.

The users' venvs are made from Debian's python3 (a Python under /root is out of other
users' reach) and kept between runs in BACKPROP_HUB_VENVS (default
/var/cache/backprop-kit/hub-venvs), one pair per set of dependencies; each run reinstalls
this checkout's own packages into them.
"""

import contextlib
import fcntl
import hashlib
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import nbformat
import pytest

from tests.student_env import build_student_wheel, clean_env, make_student_env
from tests.test_browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    VIEWPORT,
    _free_port,
    _in_ci,
    _tail,
    _wait_for_server,
    wait_until,
)
from tests.unix_accounts import ensure_user, make_course, make_exchange, run_as, write_as

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.users]

REPO = Path(__file__).resolve().parents[1]
INSTRUCTOR, STUDENT = "bph-instructor", "bph-student"  # bph-: this test's users only
COURSE_ID = ASSIGNMENT = "backprop"
BASE_PYTHON = Path(os.environ.get("BACKPROP_HUB_PYTHON", "/usr/bin/python3"))
VENV_CACHE = Path(os.environ.get("BACKPROP_HUB_VENVS", "/var/cache/backprop-kit/hub-venvs"))
# Bounds on every wait, so a broken setup fails instead of hanging.
HUB_START_S = 60
SPAWN_S = 150  # login to a running JupyterLab (a cold server imports a lot)
VALIDATE_S = 300  # the whole notebook, MNIST training included (~40 s here)
AUTOGRADE_S = 360  # the grader's own budget is 300 s
STEP_S = 120  # generate, release, collect, feedback
ACTION_MS = 30_000
PIP_S = 900


def _unavailable(reason):
    """Fail under CI (this test must run there); skip on a developer's machine."""
    hint = " Install with scripts/install_hub.sh and scripts/install_browser.sh (as root)."
    if _in_ci():
        pytest.fail(reason + hint, pytrace=False)
    pytest.skip(reason + hint)


@pytest.fixture(scope="module")
def playwright_api():
    """Everything the test needs from the machine, checked before anything starts."""
    if sys.version_info < (3, 11):
        _unavailable("This test reads pyproject.toml with tomllib (Python >= 3.11).")
    if os.geteuid() != 0:
        _unavailable("JupyterHub with PAM and local users needs root.")
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"Chromium not found at {CHROMIUM}.")
    if not shutil.which("configurable-http-proxy"):
        _unavailable("configurable-http-proxy (npm) is not on PATH.")
    if not shutil.which("bwrap"):
        _unavailable("bubblewrap (the grader's sandbox) is not installed.")
    if subprocess.run([str(BASE_PYTHON), "-c", "import ensurepip, venv"],
                      capture_output=True).returncode != 0:
        _unavailable(f"{BASE_PYTHON} with venv (Debian: python3-venv) is missing.")
    for module in ("jupyterhub", "pamela"):
        if subprocess.run([sys.executable, "-c", f"import {module}"],
                          capture_output=True).returncode != 0:
            _unavailable(f"{module} is not installed in {sys.prefix}.")
    try:
        from playwright import sync_api
    except ImportError:
        _unavailable("Python Playwright is not installed in this environment.")
    return sync_api


# --------------------------------------------------------------------------- environments


def _run(command, timeout=PIP_S, **kwargs):
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout,
                            **kwargs)
    if result.returncode != 0:
        raise RuntimeError(f"`{' '.join(map(str, command))}` failed ({result.returncode}):\n"
                           f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return result.stdout


def _in_parallel(*jobs):
    """Run the callables at once (pip waits on the network and the disk); re-raise the
    first failure."""
    errors = []

    def call(job):
        try:
            job()
        except BaseException as error:  # noqa: BLE001 (re-raised below)
            errors.append(error)

    threads = [threading.Thread(target=call, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]


def _project(path):
    """[project] of the pyproject.toml in ``path``."""
    import tomllib  # Python >= 3.11; the fixture playwright_api checks

    return tomllib.loads((path / "pyproject.toml").read_text())["project"]


def _hub_spec():
    """JupyterHub's range, pyproject.toml's `hub` extra (the hub's and the servers')."""
    return _project(REPO)["optional-dependencies"]["hub"][0]


def _make_instructor_env(venv_dir):
    _run([str(BASE_PYTHON), "-m", "venv", str(venv_dir)])
    _run([str(venv_dir / "bin" / "python"), "-m", "pip", "install", "--quiet",
          str(REPO / "student"), str(REPO), _hub_spec()], env=clean_env(), cwd=venv_dir)


def _dependencies_key():
    """What the cached venvs depend on: the Python and both projects' dependency lists
    (not their own code, which every run reinstalls)."""
    lists = []
    for project in (REPO, REPO / "student"):
        meta = _project(project)
        lists.append([meta["dependencies"], meta.get("optional-dependencies", {})])
    version = _run([str(BASE_PYTHON), "--version"]).strip()
    text = json.dumps([lists, str(BASE_PYTHON), version], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@contextlib.contextmanager
def _locked(path):
    path.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
    with open(path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


@pytest.fixture(scope="module")
def venvs(playwright_api, tmp_path_factory):
    """{"student": venv, "instructor": venv}, both holding this checkout's packages.

    The venvs (and their dependencies) are made once per set of dependency lists and
    kept in VENV_CACHE; this checkout's own wheels are reinstalled into them every run
    (without dependencies), so the code under test is always the checkout's."""
    cache = VENV_CACHE / _dependencies_key()
    wheels = tmp_path_factory.mktemp("wheels")
    with _locked(VENV_CACHE / ".lock"):
        student_wheel = build_student_wheel(wheels)
        if not (cache / ".complete").exists():
            for stale in VENV_CACHE.iterdir():  # other dependency lists': never used again
                if stale.is_dir():
                    shutil.rmtree(stale, ignore_errors=True)
            cache.mkdir(mode=0o755, parents=True)
            _in_parallel(
                lambda: make_student_env(cache / "student", student_wheel, extras=("lab",),
                                         packages=(_hub_spec(),), base_python=BASE_PYTHON),
                lambda: _make_instructor_env(cache / "instructor"))
            (cache / ".complete").touch()
        _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels),
              str(REPO)], env=clean_env(), cwd=wheels)
        kit_wheel = next(wheels.glob("backprop_kit-*.whl"))
        for venv, packages in (("student", [student_wheel]),
                               ("instructor", [student_wheel, kit_wheel])):
            _run([str(cache / venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                  "--no-deps", "--force-reinstall", *map(str, packages)], env=clean_env(),
                 cwd=wheels)
    return {"student": cache / "student", "instructor": cache / "instructor"}


# --------------------------------------------------------------------------- users, course

LAB_SETTINGS = {  # every cell in the DOM; no news pop-up over the buttons
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": '{"windowingMode": "none"}',
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
        '{"fetchNews": "false", "checkForUpdates": false}',
}


def _make_user(name):
    """The Unix user ``name`` with an empty private home and a fresh password."""
    user = ensure_user(name)
    home = Path(user.pw_dir)
    for entry in home.iterdir():  # what an earlier run left (its notebooks, its settings)
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    for relative, text in LAB_SETTINGS.items():
        path = home / ".jupyter" / "lab" / "user-settings" / relative
        run_as(name, ["mkdir", "-p", str(path.parent)])
        write_as(name, path, text + "\n")
    password = secrets.token_urlsafe(16)
    _run(["chpasswd"], input=f"{name}:{password}\n")
    return user, password


@pytest.fixture(scope="module")
def users(playwright_api):
    """{name: password} for the instructor and the student (whatever an interrupted run
    of theirs left running is stopped first)."""
    _kill_processes_of(INSTRUCTOR, STUDENT)
    return {name: _make_user(name)[1] for name in (INSTRUCTOR, STUDENT)}


@pytest.fixture(scope="module")
def run_dir(playwright_api):
    """A scratch folder every user can enter: the exchange, the hub's state, its log."""
    folder = Path(tempfile.mkdtemp(prefix="bph-hub-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def course(users, run_dir):
    """The instructor's course folder (0700): this repo's nbgrader_config.py, naming the
    class's exchange, and the source notebook; nothing generated yet."""
    course_dir = Path(pwd.getpwnam(INSTRUCTOR).pw_dir) / COURSE_ID
    return make_course(course_dir, INSTRUCTOR, make_exchange(run_dir), COURSE_ID)


# --------------------------------------------------------------------------- the hub


class Hub:
    def __init__(self, url, process, log_path, run_dir):
        self.url, self.process, self.log_path, self.run_dir = url, process, log_path, run_dir

    def log(self):
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@pytest.fixture(scope="module")
def hub(venvs, users, course, run_dir, mnist_dir):
    """JupyterHub from jupyterhub_config.py, its settings for this scratch class given as
    BACKPROP_HUB_* variables. Each server gets a host of its own under localhost
    (bph-instructor.localhost: Chromium takes any *.localhost for the loopback), so the
    formgrader may be shown in JupyterLab. Stops with everything it started."""
    exchange = run_dir / "exchange"  # made by the fixture course
    port, hub_port, proxy_port = _free_port(), _free_port(), _free_port()
    settings = {
        "COURSE_ID": COURSE_ID, "INSTRUCTOR": INSTRUCTOR, "STUDENTS": STUDENT,
        "COURSE_DIR": str(course), "EXCHANGE_ROOT": str(exchange),
        "STUDENT_VENV": str(venvs["student"]), "INSTRUCTOR_VENV": str(venvs["instructor"]),
        "STATE_DIR": str(run_dir / "state"), "BIND_URL": f"http://127.0.0.1:{port}",
        "HUB_API_URL": f"http://127.0.0.1:{hub_port}",
        "PROXY_API_URL": f"http://127.0.0.1:{proxy_port}",
        "SUBDOMAIN_HOST": f"http://localhost:{port}",
    }
    env = clean_env(**{f"BACKPROP_HUB_{name}": value for name, value in settings.items()},
                    BACKPROP_MNIST_DIR=str(mnist_dir), PYTHONUNBUFFERED="1")
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent),
                                   str(Path(shutil.which("configurable-http-proxy")).parent),
                                   env.get("PATH", "/usr/bin:/bin")])
    log_path = run_dir / "jupyterhub.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(REPO / "jupyterhub_config.py")],
            cwd=run_dir, env=env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True)
    hub = Hub(f"http://localhost:{port}", process, log_path, run_dir)
    try:
        _wait_for_server(process, f"http://127.0.0.1:{hub_port}/hub/health", log_path,
                         what="jupyterhub", timeout_s=HUB_START_S)
        yield hub
    finally:
        _stop_hub(hub, run_dir / "state" / "jupyterhub-proxy.pid")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copy2(log_path, ARTIFACTS / "hub-jupyterhub.log")


def _processes_of(uids):
    """Pids of the processes owned by ``uids``."""
    pids = []
    for entry in os.scandir("/proc"):
        try:
            if entry.name.isdigit() and entry.stat().st_uid in uids:
                pids.append(int(entry.name))
        except OSError:
            continue
    return pids


def _stop_hub(hub, proxy_pid_file):
    """SIGTERM the hub (it stops the users' servers and its proxy); then SIGKILL whatever
    is left: the hub's process group, the proxy, every process of the test's users."""
    if hub.process.poll() is None:
        hub.process.send_signal(signal.SIGTERM)
        try:
            hub.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(hub.process.pid, signal.SIGKILL)
    hub.process.wait(timeout=10)
    with contextlib.suppress(OSError, ValueError):
        os.kill(int(proxy_pid_file.read_text().strip()), signal.SIGKILL)
    _kill_processes_of(INSTRUCTOR, STUDENT)


def _kill_processes_of(*names):
    uids = set()
    for name in names:
        with contextlib.suppress(KeyError):
            uids.add(pwd.getpwnam(name).pw_uid)
    for pid in _processes_of(uids):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="module")
def chromium(playwright_api):
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=CHROMIUM_ARGS, timeout=ACTION_MS)
        try:
            yield browser
        finally:
            browser.close()


def screenshot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name))


def log_in(browser, hub, name, password, console):
    """A browser context of its own (its own cookies) with ``name`` logged in and its
    JupyterLab shown; returns the page."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    page.set_default_timeout(ACTION_MS)
    page.on("console", lambda message: console.append(f"[{name} {message.type}] "
                                                      f"{message.text}"))
    page.on("pageerror", lambda error: console.append(f"[{name} pageerror] {error}"))
    page.goto(f"{hub.url}/hub/login")
    page.fill("#username_input", name)
    page.fill("#password_input", password)
    page.click("#login_submit")
    try:
        page.locator(".lm-MenuBar-itemLabel").filter(
            has_text=re.compile(r"^Nbgrader$")).wait_for(timeout=SPAWN_S * 1000)
    except Exception as error:
        screenshot(page, f"hub-timeout-login-{name}.png")
        raise AssertionError(f"{name}'s JupyterLab did not come up ({page.url}):\n"
                             f"{_tail(hub.log_path)}") from error
    return page


def menu(page, *labels):
    first, *rest = labels
    page.locator(".lm-MenuBar-itemLabel").filter(
        has_text=re.compile(rf"^{re.escape(first)}$")).click()
    for label in rest:
        page.locator(".lm-Menu:not(.lm-mod-hidden) .lm-Menu-itemLabel").filter(
            has_text=re.compile(rf"^{re.escape(label)}$")).click()


def show_tab(page, title):
    page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab").filter(
        has_text=re.compile(rf"^{re.escape(title)}$")).click()


# --- the student's Assignments tab (nbgrader's assignment_list lab extension)

def item(page, section):
    """The backprop entry of a section of the Assignments tab: released, fetched or
    submitted."""
    return page.locator(f"#{section}_assignments_list .list_item").filter(
        has=page.locator(".item_name", has_text=ASSIGNMENT)).first


def contents_api(page, method, path, body=None):
    """The Jupyter contents API of the page's own server, with the page's cookies (and
    the XSRF token JupyterHub's servers ask for)."""
    return page.evaluate("""async ([method, path, body]) => {
        const base = JSON.parse(document.getElementById('jupyter-config-data').textContent)
            .baseUrl;
        const xsrf = (document.cookie.match(/_xsrf=([^;]+)/) || [])[1] || '';
        const response = await fetch(base + 'api/contents/' + path, {
            method, headers: {'Content-Type': 'application/json', 'X-XSRFToken': xsrf},
            body: body === null ? undefined : JSON.stringify(body)});
        return {status: response.status, json: await response.json()};
    }""", [method, path, body])


def server_status(page, path):
    """The HTTP status of ``path`` on the page's own server."""
    return page.evaluate("""async (path) => {
        const base = JSON.parse(document.getElementById('jupyter-config-data').textContent)
            .baseUrl;
        return (await fetch(base + path)).status;
    }""", path)


def fill_answers(page, path):
    """Put the reference answers into the solution cells of ``path`` (the student's own
    fetched notebook), through the contents API as the student."""
    from nbgrader.utils import is_solution

    from autograder.demo.sample_class import reference_answers

    reply = contents_api(page, "GET", path)
    assert reply["status"] == 200, reply
    nb = nbformat.from_dict(reply["json"]["content"])
    answers = reference_answers()
    filled = 0
    for cell in nb.cells:
        if is_solution(cell):
            cell.source = answers[cell.metadata.nbgrader["grade_id"]]
            filled += 1
    assert filled == len(answers), (filled, sorted(answers))
    reply = contents_api(page, "PUT", path, {"type": "notebook", "format": "json",
                                             "content": nb})
    assert reply["status"] in (200, 201), reply


# --- the instructor's formgrader

def formgrader(page):
    """The formgrader's frame in the instructor's JupyterLab (Nbgrader > Formgrader)."""
    frame = page.locator("#formgrader-iframe iframe")
    frame.wait_for()
    return frame.content_frame


def assignment_row(frame):
    return frame.locator("tr").filter(
        has=frame.locator("td", has_text=re.compile(rf"^\s*{ASSIGNMENT}\s*$"))).first


def click_and_confirm(page, frame, button, what, timeout_s=STEP_S, shot=None):
    """Click a formgrader button; wait for its Success modal (fail on an Error one) and
    return the modal's text (with the log nbgrader shows)."""
    button.click()
    modal = frame.locator("#success-modal, #error-modal")
    try:
        modal.first.wait_for(state="visible", timeout=timeout_s * 1000)
    except Exception as error:
        screenshot(page, f"hub-timeout-{what}.png")
        raise AssertionError(f"no answer from the formgrader to {what} within "
                             f"{timeout_s} s") from error
    page.wait_for_timeout(500)  # the modal's fade-in
    text = modal.first.inner_text()
    if shot:
        screenshot(page, shot)
    assert modal.first.get_attribute("id") == "success-modal", f"{what} failed:\n{text}"
    modal.first.locator(".modal-footer button").click()
    modal.first.wait_for(state="detached")
    return text


# --------------------------------------------------------------------------- the test


def test_a_class_on_jupyterhub(hub, chromium, course, users, venvs):
    """Release, fetch, validate, submit, collect, autograde (100 / 100), feedback: every
    step a click in the browser of the user who would do it."""
    console = []
    try:
        _the_class(hub, chromium, course, users, venvs, console)
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "hub-console.log").write_text("\n".join(console) + "\n",
                                                   encoding="utf-8")


def _the_class(hub, chromium, course, users, venvs, console):
    # The instructor generates the student version and releases it.
    teacher = log_in(chromium, hub, INSTRUCTOR, users[INSTRUCTOR], console)
    menu(teacher, "Nbgrader", "Formgrader")
    frame = formgrader(teacher)
    frame.get_by_role("heading", name="Manage Assignments").wait_for()
    row = assignment_row(frame)
    row.wait_for()
    click_and_confirm(teacher, frame, row.locator("td.assign a"), "generate")
    row.locator("td.release a").wait_for()
    click_and_confirm(teacher, frame, row.locator("td.release a"), "release")
    row.locator("td.status", has_text="released").wait_for()
    screenshot(teacher, "hub-01-formgrader-released.png")

    # The student fetches it, opens it, validates and submits.
    student = log_in(chromium, hub, STUDENT, users[STUDENT], console)
    assert server_status(student, "formgrader") == 404, "the student's server has a formgrader"
    menu(student, "Nbgrader", "Assignment List")
    item(student, "released").locator("button", has_text="Fetch").click()
    fetched = item(student, "fetched")
    fetched.wait_for(timeout=STEP_S * 1000)
    notebook_path = f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb"
    fill_answers(student, notebook_path)
    fetched.locator("a.assignment-notebooks-link").click()
    notebook_link = student.locator("#fetched_assignments_list .nested_list_item a",
                                    has_text=ASSIGNMENT)
    notebook_link.wait_for()
    screenshot(student, "hub-02-student-fetched.png")

    notebook_link.click()
    panel = student.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")
    panel.locator(".jp-Cell").first.wait_for(timeout=60_000)
    student.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell",
                    has_text="dx[self.mask] = 0").first.scroll_into_view_if_needed()
    student.wait_for_timeout(500)
    screenshot(student, "hub-03-student-notebook.png")

    show_tab(student, "Assignments")
    student.locator("#fetched_assignments_list button", has_text="Validate").click()
    dialog = student.locator(".nbgrader-SuccessDialog, .nbgrader-ErrorDialog")
    try:
        dialog.first.wait_for(timeout=VALIDATE_S * 1000)
    except Exception as error:
        screenshot(student, "hub-timeout-validate.png")
        raise AssertionError(f"Validate gave no answer within {VALIDATE_S} s") from error
    validation = dialog.first.inner_text()
    screenshot(student, "hub-04-student-validated.png")
    assert "nbgrader-SuccessDialog" in dialog.first.get_attribute("class"), validation
    assert "Success! Your notebook passes all the tests." in validation, validation
    dialog.first.locator(".jp-Dialog-button").last.click()
    dialog.first.wait_for(state="detached")

    fetched.locator("button", has_text="Submit").click()
    submitted = item(student, "submitted")
    submitted.wait_for(timeout=STEP_S * 1000)
    screenshot(student, "hub-05-student-submitted.png")

    # The instructor collects, autogrades, and releases feedback.
    teacher.bring_to_front()
    frame.locator("a", has_text="Manage Assignments").first.click()
    row = assignment_row(frame)
    row.locator("td.collect a").wait_for()
    click_and_confirm(teacher, frame, row.locator("td.collect a"), "collect")
    row.locator("td.num-submissions a", has_text="1").click()
    frame.get_by_role("heading", name=re.compile("Manage Submissions")).wait_for()
    submission = frame.locator("tr").filter(
        has=frame.locator("td", has_text=re.compile(rf"^\s*{STUDENT}\s*$"))).first
    submission.wait_for()
    log = click_and_confirm(teacher, frame, submission.locator("td.autograde a"),
                            "autograde", timeout_s=AUTOGRADE_S)
    submission.locator("td", has_text="graded").first.wait_for()
    score = submission.locator("td.score")
    wait_until(lambda: score.inner_text().strip(), 20, "the score on Manage Submissions")
    teacher.wait_for_timeout(300)
    screenshot(teacher, "hub-06-formgrader-graded.png")
    assert score.inner_text().strip() == "100 / 100", score.inner_text()
    sandboxed = re.search(r"Graded \S+ in the sandbox: ([\d.]+) points \((.*?)\)\s*$", log,
                          re.MULTILINE)
    assert sandboxed, f"the autograde log says nothing of the sandbox:\n{log}"
    assert sandboxed.group(1) == "100", log
    assert sandboxed.group(2).startswith("bubblewrap sandbox"), sandboxed.group(2)
    assert ", uid " not in sandboxed.group(2), "the grader ran as root, not the instructor"
    click_and_confirm(teacher, frame, submission.locator("td.generate-feedback a"),
                      "generate-feedback")
    click_and_confirm(teacher, frame, submission.locator("td.release-feedback a"),
                      "release-feedback")

    # The student fetches the feedback and opens it.
    student.bring_to_front()
    student.locator("#refresh_assignments_list").click()
    submitted = item(student, "submitted")
    submitted.locator("button", has_text="Fetch Feedback").click()
    view = student.locator("#submitted_assignments_list a", has_text="view feedback")
    view.wait_for(timeout=STEP_S * 1000)
    screenshot(student, "hub-07-student-feedback-fetched.png")
    view.click()  # the file browser goes to the feedback folder
    feedback_html = student.locator(".jp-DirListing-item", has_text=f"{ASSIGNMENT}.html")
    feedback_html.wait_for()
    feedback_html.dblclick()
    viewer = student.locator(".jp-MainAreaWidget:not(.lm-mod-hidden) iframe")
    viewer.wait_for()
    report = viewer.content_frame
    report.locator("body", has_text="Score").wait_for()
    student.wait_for_timeout(500)
    screenshot(student, "hub-08-student-feedback.png")
    assert re.search(r"Score:\s*100(\.0)?\s*/\s*100", report.locator("body").inner_text())

    _the_student_cannot_reach_the_instructor(hub, course, venvs)
    _the_autograde_ran_as_the_instructor(hub, course)


def _the_student_cannot_reach_the_instructor(hub, course, venvs):
    """The student's server runs the student venv's Python, with no PYTHONPATH; that
    Python cannot import the reference or the grader; the course folder is closed."""
    student_uid = pwd.getpwnam(STUDENT).pw_uid
    servers = [pid for pid in _processes_of({student_uid})
               if b"jupyterhub-singleuser" in Path(f"/proc/{pid}/cmdline").read_bytes()]
    assert servers, "no single-user server of the student is running"
    for pid in servers:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        environ = dict(entry.split(b"=", 1) for entry in
                       Path(f"/proc/{pid}/environ").read_bytes().split(b"\0") if b"=" in entry)
        assert any(part.startswith(str(venvs["student"]).encode()) for part in cmdline), cmdline
        assert b"PYTHONPATH" not in environ, environ[b"PYTHONPATH"]
        assert environ[b"PATH"].startswith(str(venvs["student"] / "bin").encode())
    python = str(venvs["student"] / "bin" / "python")
    for module in ("solutions", "autograder"):
        status, output = run_as(STUDENT, [python, "-c", f"import {module}"], check=False)
        assert status != 0 and "ModuleNotFoundError" in output, (module, output)
    run_as(STUDENT, [python, "-c", "import selfcheck, course_data, nbgrader"])
    for target in (course, course / "gradebook.db", course / "autograded"):
        status, output = run_as(STUDENT, ["ls", str(target)], check=False)
        assert status != 0 and "Permission denied" in output, (target, output)


def _the_autograde_ran_as_the_instructor(hub, course):
    """The graded notebook is the instructor's, and the hub's log has the grader's line
    for the submission: bubblewrap, as the instructor's own (unprivileged) uid."""
    instructor = pwd.getpwnam(INSTRUCTOR)
    graded = course / "autograded" / STUDENT / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    assert graded.is_file(), f"no autograded notebook at {graded}"
    assert graded.stat().st_uid == instructor.pw_uid
    feedback = course / "feedback" / STUDENT / ASSIGNMENT / f"{ASSIGNMENT}.html"
    assert feedback.is_file()
    lines = [line for line in hub.log().splitlines() if "in the sandbox:" in line]
    assert any(f"Graded {STUDENT} in the sandbox: 100 points (bubblewrap sandbox" in line
               for line in lines), "\n".join(lines) or _tail(hub.log_path)
    (ARTIFACTS / "hub-autograde.json").write_text(json.dumps(lines, indent=1) + "\n")
