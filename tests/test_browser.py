"""End to end in a real browser: what a student sees in JupyterLab.

A scratch course gets its release from ``nbgrader generate_assignment``; JupyterLab (with
nbgrader's server and lab extensions, as installed in the venv) serves it on 127.0.0.1, and
headless Chromium driven by Playwright opens the release notebook as a student would: it
types the reference answers into the solution cells, runs Run > Run All Cells from the menu,
and reads what the notebook shows. Another test runs the untouched release, one opens
nbgrader's formgrader, and one runs the Korean edition (its words and its plot in Hangul).
Screenshots go to ``artifacts/browser/`` (git-ignored).

Needs Debian's Chromium (/usr/bin/chromium, or BACKPROP_CHROMIUM) and Python Playwright:
``scripts/install_browser.sh`` installs both. Without them the tests skip, or fail under CI.
"""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest
from nbgrader.utils import is_solution

from autograder.demo.pipeline import nbgrader, prepare_course
from autograder.demo.sample_class import reference_answers
from selfcheck.assignment import NAMES
from selfcheck.messages import say

pytestmark = [pytest.mark.slow, pytest.mark.browser]

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "artifacts" / "browser"
SHARED_MNIST = REPO.parent / "shared" / "mnist"
CHROMIUM = Path(os.environ.get("BACKPROP_CHROMIUM", "/usr/bin/chromium"))
ASSIGNMENT = "backprop"
# Without the background-networking flags Chromium keeps calling home on a closed network.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1400, "height": 900}
# Bounds on every wait, so a broken setup fails instead of hanging.
SERVER_START_S = 60
NOTEBOOK_OPEN_S = 60
RUN_ALL_S = 150  # the reference run takes ~30 s here, half of it the MNIST training
ACTION_MS = 30_000  # Playwright's default for one click, fill, or selector


def _in_ci():
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _unavailable(reason):
    """Fail under CI (the browser tests must run there); skip on a developer's machine."""
    hint = " Install both with scripts/install_browser.sh."
    if _in_ci():
        pytest.fail(reason + hint, pytrace=False)
    pytest.skip(reason + hint)


@pytest.fixture(scope="module", autouse=True)
def playwright_api():
    """Playwright's sync API, checked together with the Chromium it will drive (first, so
    that nothing else starts when either is missing)."""
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"Chromium not found at {CHROMIUM} (set BACKPROP_CHROMIUM to another).")
    try:
        from playwright import sync_api
    except ImportError:
        _unavailable("Python Playwright is not installed in this environment.")
    return sync_api


# --------------------------------------------------------------------------- the course


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A scratch course root holding the releases of both editions from nbgrader
    (release/backprop/backprop.ipynb, release/backprop_ko/backprop_ko.ipynb)."""
    course_dir = prepare_course(tmp_path_factory.mktemp("browser") / "course")
    for name in NAMES.values():
        nbgrader(course_dir, "generate_assignment", name, "--force")
        release = course_dir / "release" / name / f"{name}.ipynb"
        assert release.is_file(), f"generate_assignment wrote no release notebook of {name}"
    return course_dir


def fetch_release(course_dir, student, assignment=ASSIGNMENT):
    """Copy the release as ``student`` fetches it; returns its path relative to the course.

    Each test opens its own copy, so what one test runs or saves never reaches another.
    """
    release = course_dir / "release" / assignment / f"{assignment}.ipynb"
    target = course_dir / "students" / student / assignment / f"{assignment}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(release, target)
    return target.relative_to(course_dir).as_posix()


# --------------------------------------------------------------------------- JupyterLab


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _write_lab_settings(settings_dir):
    """User settings of the scratch JupyterLab: every cell in the DOM, no news pop-up."""
    settings = {
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings":
            '{"windowingMode": "none"}',
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
            '{"fetchNews": "false", "checkForUpdates": false}',
    }
    for name, text in settings.items():
        path = settings_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text + "\n", encoding="utf-8")


def _mnist_dir():
    chosen = os.environ.get("BACKPROP_MNIST_DIR")
    if chosen and Path(chosen).is_dir():
        return chosen
    if (SHARED_MNIST / "SHA256SUMS").exists():
        return str(SHARED_MNIST)
    return None


def _tail(path, chars=3000):
    try:
        return path.read_text(encoding="utf-8", errors="replace")[-chars:]
    except OSError:
        return "(no log)"


@pytest.fixture(scope="module")
def jupyter(course, tmp_path_factory):
    """Base URL of JupyterLab serving ``course`` (its cwd and root, where nbgrader_config.py
    is, so the formgrader finds the course) on a free port of 127.0.0.1, without a token.

    Jupyter's user config, data, runtime and settings dirs are scratch ones; the venv's
    (sys.prefix) extensions stay found. The server and its kernels stop at the end."""
    home = tmp_path_factory.mktemp("jupyter-home")
    dirs = {name: home / name for name in ("config", "data", "runtime", "settings",
                                            "workspaces", "ipython", "mpl", "exchange")}
    for folder in dirs.values():
        folder.mkdir()
    _write_lab_settings(dirs["settings"])
    bin_dir = str(Path(sys.executable).parent)
    env = {
        **os.environ,
        "PATH": bin_dir + os.pathsep + os.environ.get("PATH", ""),
        "JUPYTER_CONFIG_DIR": str(dirs["config"]),
        "JUPYTER_DATA_DIR": str(dirs["data"]),
        "JUPYTER_RUNTIME_DIR": str(dirs["runtime"]),
        "JUPYTERLAB_SETTINGS_DIR": str(dirs["settings"]),
        "JUPYTERLAB_WORKSPACES_DIR": str(dirs["workspaces"]),
        "IPYTHONDIR": str(dirs["ipython"]),
        "MPLCONFIGDIR": str(dirs["mpl"]),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("NBGRADER_EXECUTION", None)
    mnist = _mnist_dir()
    if mnist:
        env["BACKPROP_MNIST_DIR"] = mnist
    port = _free_port()
    command = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
        "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
        "--IdentityProvider.token=", "--ServerApp.password=",
        f"--ServerApp.root_dir={course}", "--LabApp.news_url=None",
        f"--Exchange.root={dirs['exchange']}",
    ]
    log_path = home / "jupyter-server.log"
    with open(log_path, "wb") as log:
        # A session of its own: the finalizer can stop the server and whatever it started.
        server = subprocess.Popen(command, cwd=course, env=env, stdout=log,
                                  stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                  start_new_session=True)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_server(server, f"{base_url}/api/status", log_path)
        yield base_url
    finally:
        _stop_server(server)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shutil.copy2(log_path, ARTIFACTS / "jupyter-server.log")


def _wait_for_server(server, status_url, log_path, what="jupyter lab",
                     timeout_s=SERVER_START_S):
    """Poll ``status_url`` until it answers 200; fail with the log's tail if the server
    exits or ``timeout_s`` passes first."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"{what} exited ({server.returncode}):\n{_tail(log_path)}")
        try:
            with urllib.request.urlopen(status_url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    raise RuntimeError(f"{what} did not answer within {timeout_s} s:\n{_tail(log_path)}")


def _stop_server(server):
    """SIGTERM (the server shuts its kernels down), then SIGKILL of its process group."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(server.pid, signal.SIGKILL)  # its group: the server's own session
    except (ProcessLookupError, PermissionError):
        pass
    server.wait(timeout=10)


# --------------------------------------------------------------------------- the browser


@pytest.fixture(scope="module")
def browser(playwright_api, tmp_path_factory):
    """A headless Chromium (Debian's, never a downloaded one) with a fresh profile."""
    profile = tmp_path_factory.mktemp("chromium-profile")
    with playwright_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS,
            viewport=VIEWPORT, timeout=ACTION_MS)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser, request):
    """A new tab; the browser console of the test is saved next to the screenshots."""
    tab = browser.new_page()
    tab.set_default_timeout(ACTION_MS)
    console = []
    tab.on("console", lambda message: console.append(f"[{message.type}] {message.text}"))
    tab.on("pageerror", lambda error: console.append(f"[pageerror] {error}"))
    try:
        yield tab
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / f"console-{request.node.name}.log").write_text(
            "\n".join(console) + "\n", encoding="utf-8")
        tab.close()


def screenshot(page, name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path))
    return path


def wait_until(condition, timeout_s, what, interval_s=0.25, state=None):
    """Poll ``condition()`` until it is true; fail saying ``what`` after ``timeout_s``
    (and what ``state()`` says then)."""
    deadline = time.monotonic() + timeout_s
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            detail = f"\n{state()}" if state else ""
            raise AssertionError(f"timed out after {timeout_s} s waiting for {what}{detail}")
        time.sleep(interval_s)


# --------------------------------------------------------------------------- the notebook UI

KERNEL_STATUS_JS = """() => [...document.querySelectorAll('.jp-StatusBar-Item')]
    .map(item => item.textContent.trim()).find(text => / \\| \\S+$/.test(text)) || ''"""
# The notebook on show (a hidden panel would be another document's).
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"
PROMPTS_JS = f"""() => [...document.querySelectorAll('{NOTEBOOK} .jp-CodeCell .jp-InputPrompt')]
    .map(prompt => prompt.textContent.trim())"""


def kernel_status(page):
    """The status bar's kernel item, e.g. 'Python 3 (ipykernel) | Idle'."""
    return page.evaluate(KERNEL_STATUS_JS)


class NotebookPage:
    """The open notebook in JupyterLab, its cells in the order of ``nb`` (the file)."""

    def __init__(self, page, nb):
        self.page = page
        self.nb = nb

    def cell(self, cell_id):
        """The DOM cell of the notebook cell with this id (the nbgrader grade_id)."""
        index = next(i for i, cell in enumerate(self.nb.cells) if cell.id == cell_id)
        return self.page.locator(f"{NOTEBOOK} .jp-Cell[data-windowed-list-index='{index}']")

    def output_text(self, cell_id):
        outputs = self.cell(cell_id).locator(".jp-OutputArea-output")
        return "\n".join(outputs.all_inner_texts())

    def prompt(self, cell_id):
        return self.cell(cell_id).locator(".jp-InputPrompt").inner_text().strip()

    def menu(self, *labels):
        """Click through the menu bar, e.g. menu("Run", "Run All Cells")."""
        first, *rest = labels
        self.page.locator(".lm-MenuBar-itemLabel").filter(
            has_text=re.compile(rf"^{re.escape(first)}$")).click()
        for label in rest:
            self.page.locator(".lm-Menu:not(.lm-mod-hidden) .lm-Menu-itemLabel").filter(
                has_text=re.compile(rf"^{re.escape(label)}$")).click()

    def type_into(self, cell_id, text):
        """Replace the cell's text as a student would: click, select all, type ``text``.

        The text goes in as typed text (Playwright's insertText), so the editor's own
        auto-indent and bracket closing do not rewrite it."""
        cell = self.cell(cell_id)
        cell.scroll_into_view_if_needed()
        editor = cell.locator(".cm-content")
        editor.click()
        self.page.keyboard.press("Control+A")
        self.page.keyboard.insert_text(text)
        flat = text.replace("\n", "")
        wait_until(lambda: editor.text_content() == flat, 10,
                   f"the editor of {cell_id} to hold the typed text")
        self.page.keyboard.press("Escape")  # back to command mode

    def run_all(self, timeout_s):
        """Run > Run All Cells; wait until the run is over: it ran the first code cell, no
        cell is queued or running ("[*]:"), and the kernel is idle. Run All also ends at
        the first error: the caller checks where it got to.

        The kernel status alone would not do: it reads Idle in the middle of the training
        cell (the progress widget's messages flip it), and between two cells."""
        first_code = next(cell.id for cell in self.nb.cells if cell.cell_type == "code")
        self.menu("Run", "Run All Cells")

        def over():
            prompts = self.page.evaluate(PROMPTS_JS)
            return (not any("*" in prompt for prompt in prompts)
                    and re.fullmatch(r"\[\d+\]:", self.prompt(first_code))
                    and kernel_status(self.page).endswith("| Idle"))

        def state():
            screenshot(self.page, "timeout-run-all.png")
            prompts = " ".join(self.page.evaluate(PROMPTS_JS))
            return f"kernel: {kernel_status(self.page)!r}; prompts: {prompts}"

        wait_until(over, timeout_s, "Run All Cells to finish", interval_s=0.5, state=state)
        time.sleep(1.0)  # still over a moment later: not a gap between two cells
        wait_until(over, timeout_s, "Run All Cells to finish", interval_s=0.5, state=state)

    def ran(self, cell_id):
        """Whether the cell has an execution count, e.g. "[12]:"."""
        return re.fullmatch(r"\[\d+\]:", self.prompt(cell_id)) is not None

    def save(self, path_on_disk):
        before = path_on_disk.stat().st_mtime_ns
        self.menu("File", "Save Notebook")
        wait_until(lambda: path_on_disk.stat().st_mtime_ns != before, 20,
                   "the saved notebook on disk")
        # The tab drops its dirty mark once the save completed.
        wait_until(lambda: self.page.locator(".lm-TabBar-tab.jp-mod-current.jp-mod-dirty")
                   .count() == 0, 20, "the notebook tab to be clean")

    def scroll_to(self, locator, top=False):
        """Bring ``locator`` into view (to the top of the notebook's view if ``top``)."""
        if top:
            locator.evaluate("element => element.scrollIntoView({block: 'start'})")
        else:
            locator.scroll_into_view_if_needed()
        self.page.wait_for_timeout(300)  # let the scroll settle before a screenshot


def open_notebook(page, base_url, relative_path, nb, workspace):
    """Open the notebook at ``relative_path`` (URL path under the server root) in JupyterLab,
    in a fresh ``workspace`` (no other document restored), and wait until its cells are
    shown and its kernel is idle."""
    page.goto(f"{base_url}/lab/workspaces/{workspace}/tree/{relative_path}?reset",
              timeout=NOTEBOOK_OPEN_S * 1000)
    page.locator(f"{NOTEBOOK} .jp-Cell").first.wait_for(timeout=NOTEBOOK_OPEN_S * 1000)
    wait_until(lambda: page.locator(f"{NOTEBOOK} .jp-Cell").count()
               == len(nb.cells), NOTEBOOK_OPEN_S, f"all {len(nb.cells)} cells in the page")
    wait_until(lambda: kernel_status(page).endswith("| Idle"), NOTEBOOK_OPEN_S,
               "the notebook's kernel to start (status bar: '... | Idle')")
    # Fold the file browser away: the notebook gets the whole width of the screenshots.
    current_tab = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
    if current_tab.count():
        current_tab.first.click()
    return NotebookPage(page, nb)


# --------------------------------------------------------------------------- checks

TRACEBACK = re.compile(r"Traceback \(most recent call last\)|^-{20,}\s*$|^\w*(Error|Exception)\b",
                       re.MULTILINE)
VISIBLE_CHECK = re.compile(r'check_close\(\s*(?:"([^"]+)"|say\("(\w+)"\))'
                           r'|print\("(✓[^"]+)"\)|print\(say\("(visible_gradient_agrees)"\)\)')


def expected_ticks(source, lang="en"):
    """The ✓ lines a visible-check cell prints when every check in it passes (its words
    from selfcheck.messages in ``lang``, where the cell says them with say())."""
    ticks = []
    for what, key, tick, tick_key in VISIBLE_CHECK.findall(source):
        if what or key:
            ticks.append(f"✓ {what or say(key, lang)}")
        else:
            ticks.append(tick or say(tick_key, lang))
    return ticks


STDERR = ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"


def errors_shown(notebook):
    """{cell id: text} of the outputs that show a raised exception. JupyterLab renders
    error outputs and stderr streams alike (application/vnd.jupyter.stderr); warnings and
    progress bars on stderr are no errors, tracebacks are."""
    errors = {}
    for cell in notebook.nb.cells:
        if cell.cell_type == "code":
            texts = notebook.cell(cell.id).locator(STDERR).all_inner_texts()
            shown = [text for text in texts if TRACEBACK.search(text)]
            if shown:
                errors[cell.id] = "\n".join(shown)
    return errors


# --------------------------------------------------------------------------- tests


def test_reference_answers_pass_every_visible_check(course, jupyter, page, mnist_dir):
    """A student types the reference answers and runs everything: every visible check
    prints its ✓, nothing raises, MNIST trains, and the saved file holds what was typed."""
    path = fetch_release(course, "ada")
    nb = nbformat.read(course / path, as_version=4)
    answers = reference_answers()
    solution_ids = [cell.id for cell in nb.cells if is_solution(cell)]
    assert sorted(solution_ids) == sorted(answers), "release and reference disagree on cells"

    notebook = open_notebook(page, jupyter, path, nb, "ada")
    for cell_id in solution_ids:
        notebook.type_into(cell_id, answers[cell_id])

    notebook.run_all(RUN_ALL_S)

    notebook.scroll_to(notebook.cell(nb.cells[0].id))
    screenshot(page, "01-reference-notebook-top.png")
    apple_orange = notebook.cell("add_layer_visible").locator(".jp-OutputArea")
    notebook.scroll_to(apple_orange)
    screenshot(page, "02-reference-apple-orange-check.png")
    # The apple-and-orange graph drawn from the student's layers: a picture, in full view.
    graph = notebook.cell("add_layer_graph").locator(".jp-OutputArea-output img")
    assert graph.count() == 1, "the apple/orange graph is not shown"
    notebook.scroll_to(graph, top=True)
    screenshot(page, "02b-reference-apple-orange-graph.png")
    has_self_check = any(cell.id == "self_check" for cell in nb.cells)
    if has_self_check:
        notebook.scroll_to(notebook.cell("self_check").locator(".jp-OutputArea"))
        screenshot(page, "03-reference-self-check.png")
    notebook.scroll_to(notebook.cell("train").locator(".jp-OutputArea"), top=True)
    screenshot(page, "04-reference-notebook-end.png")

    errors = errors_shown(notebook)
    assert not errors, "errors shown:\n" + "\n\n".join(f"[{cell_id}]\n{text}"
                                                      for cell_id, text in errors.items())
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert notebook.ran(cell.id), f"Run All did not reach {cell.id}"
        ticks = expected_ticks(cell.source) if cell.id.endswith("_visible") else []
        if ticks:
            shown = notebook.output_text(cell.id).splitlines()
            missing = [tick for tick in ticks if tick not in shown]
            assert not missing, f"{cell.id} shows no {missing}; it shows:\n" + "\n".join(shown)
    visible = [cell.id for cell in nb.cells if cell.id.endswith("_visible")]
    assert len(visible) >= 7, visible
    price = notebook.output_text("mul_layer_visible").splitlines()
    assert "✓ price" in price
    relu = notebook.output_text("relu_visible")
    assert "✓ Relu.backward passes dout where x > 0" in relu
    assert "The hidden checks of 'mul_layer_backward' run when your notebook is graded." in \
        notebook.output_text("mul_layer_backward")

    if has_self_check:  # the self-check table: a ✓ for every method, no ✗
        table = notebook.output_text("self_check")
        assert "✗" not in table, table
        assert table.count("✓") >= len(solution_ids), table

    training = notebook.output_text("train")
    match = re.search(r"final train accuracy (\d\.\d+), test accuracy (\d\.\d+)", training)
    assert match, f"the training cell shows no final accuracy:\n{training}"
    assert float(match.group(2)) > 0.9, training
    assert notebook.cell("plot").locator(".jp-OutputArea-output img").count() == 1, \
        "the training plot is not shown"

    notebook.save(course / path)
    saved = nbformat.read(course / path, as_version=4)
    for cell in saved.cells:
        if is_solution(cell):
            assert cell.source == answers[cell.id], f"{cell.id} was not typed as given"
        for output in cell.get("outputs", []):
            assert output.output_type != "error", (cell.id, output.get("ename"))


def test_untouched_release_stops_at_the_first_task(course, jupyter, page):
    """Run All on the untouched release stops at the first visible check with the stub's
    NotImplementedError, which names MulLayer.backward."""
    path = fetch_release(course, "ben")
    nb = nbformat.read(course / path, as_version=4)
    notebook = open_notebook(page, jupyter, path, nb, "ben")
    notebook.run_all(60)

    check = notebook.cell("mul_layer_visible")
    notebook.scroll_to(check.locator(".jp-OutputArea"))
    screenshot(page, "05-untouched-release-error.png")

    errors = errors_shown(notebook)
    assert list(errors) == ["mul_layer_visible"], errors
    assert "NotImplementedError" in errors["mul_layer_visible"]
    assert "MulLayer.backward" in errors["mul_layer_visible"]
    assert "NotImplementedError" in notebook.output_text("mul_layer_visible")
    assert "MulLayer.backward is not written yet" in notebook.output_text("mul_layer_visible")
    assert "✓" not in notebook.output_text("mul_layer_visible")
    # The cells before it ran; Run All stopped there: the next cell never ran.
    assert notebook.ran("setup") and notebook.ran("mul_layer_code")
    assert notebook.ran("mul_layer_visible")
    assert not notebook.ran("mul_layer_backward"), notebook.prompt("mul_layer_backward")


def test_formgrader_lists_the_assignment(course, jupyter, page):
    """JupyterLab's Nbgrader > Formgrader (nbgrader's lab extension, showing its server
    extension's /formgrader) lists the assignment 'backprop', with the generated release
    to preview."""
    page.goto(f"{jupyter}/lab/workspaces/instructor?reset", timeout=NOTEBOOK_OPEN_S * 1000)
    page.locator(".lm-MenuBar-itemLabel").filter(has_text=re.compile(r"^Nbgrader$")).wait_for(
        timeout=NOTEBOOK_OPEN_S * 1000)
    NotebookPage(page, None).menu("Nbgrader", "Formgrader")
    iframe = page.locator(".jp-MainAreaWidget:not(.lm-mod-hidden) iframe")
    iframe.wait_for()
    assert "/formgrader" in iframe.get_attribute("src")
    formgrader = iframe.content_frame
    formgrader.get_by_role("heading", name="Manage Assignments").wait_for()
    row = formgrader.locator("tr").filter(
        has=formgrader.locator("td", has_text=re.compile(rf"^\s*{ASSIGNMENT}\s*$")))
    row.first.wait_for()
    page.wait_for_timeout(300)  # the table's last repaint
    screenshot(page, "06-formgrader-in-jupyterlab.png")
    assert row.count() == 1
    # The preview link appears only when the formgrader finds the release of the assignment.
    assert row.locator("td.preview a").count() == 1


def test_korean_notebook_in_korean(course, jupyter, page, mnist_dir):
    """A Korean student types the reference answers into the Korean release and runs
    everything: are the visible checks, the hidden-check cells, the training and its plot
    in Korean, with nothing raised? (artifacts/browser/korean-notebook.png: the training
    plot with its Korean title, as Chromium shows it; korean-notebook-top.png: the top.)"""
    assignment = NAMES["ko"]
    path = fetch_release(course, "hana", assignment)
    nb = nbformat.read(course / path, as_version=4)
    answers = reference_answers()
    notebook = open_notebook(page, jupyter, path, nb, "hana")
    for cell_id in (cell.id for cell in nb.cells if is_solution(cell)):
        notebook.type_into(cell_id, answers[cell_id])
    notebook.run_all(RUN_ALL_S)

    notebook.scroll_to(notebook.cell(nb.cells[0].id))
    screenshot(page, "korean-notebook-top.png")
    errors = errors_shown(notebook)
    assert not errors, "errors shown:\n" + "\n\n".join(f"[{cell_id}]\n{text}"
                                                      for cell_id, text in errors.items())
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.id.endswith("_visible"):
            shown = notebook.output_text(cell.id).splitlines()
            missing = [tick for tick in expected_ticks(cell.source, "ko") if tick not in shown]
            assert not missing, f"{cell.id} shows no {missing}; it shows:\n" + "\n".join(shown)
    assert f"✓ {say('visible_relu', 'ko')}" in notebook.output_text("relu_visible")
    assert say("hidden_checks_later", "ko", part="mul_layer_backward") in \
        notebook.output_text("mul_layer_backward")
    assert "✗" not in notebook.output_text("self_check")
    training = notebook.output_text("train")
    assert re.search(r"최종 훈련 정확도 \d\.\d+, 시험 정확도 (\d\.\d+)", training), training

    plot = notebook.cell("plot").locator(".jp-OutputArea-output img")
    assert plot.count() == 1, "the training plot is not shown"
    notebook.scroll_to(notebook.cell("plot"), top=True)
    shot = screenshot(page, "korean-notebook.png")
    assert shot.stat().st_size > 10_000
    heading = page.locator(f"{NOTEBOOK} h2").filter(has_text="MNIST로 학습하기")
    assert heading.count() == 1
