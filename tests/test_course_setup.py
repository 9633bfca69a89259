"""Course settings in one place (nbgrader_config.py), and a setup error caught before
anything is graded or touched: by the one command, nbgrader autograde and the demo."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder import course_settings, sources
from autograder.cli import main as cli_main
from autograder.grading.preflight import SetupError, check_setup

REPO = sources.REPO
SETTINGS = """
c = get_config()
c.BackpropCourse.mnist_dir = {mnist!r}
c.BackpropCourse.budget = 42.0
c.BackpropCourse.isolation = "process"
"""


def _course(folder, mnist):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / course_settings.CONFIG_NAME).write_text(SETTINGS.format(mnist=str(mnist)))
    return folder


@pytest.fixture
def keep_mnist_env():
    """Settings applied in this process set $BACKPROP_MNIST_DIR: put it back afterwards."""
    before = os.environ.get("BACKPROP_MNIST_DIR")
    yield
    if before is None:
        os.environ.pop("BACKPROP_MNIST_DIR", None)
    else:
        os.environ["BACKPROP_MNIST_DIR"] = before


def test_settings_are_read_from_the_course_config(tmp_path):
    """Does load() read c.BackpropCourse.* from the course's nbgrader_config.py, and say
    where they came from?"""
    settings = course_settings.load(_course(tmp_path, "/data/mnist"))
    assert (settings.mnist_dir, settings.budget, settings.isolation) == (
        "/data/mnist", 42.0, "process")
    assert str(tmp_path / "nbgrader_config.py") in settings.where("budget")


def test_the_kits_own_config_is_the_fallback(tmp_path):
    """Run in a folder without nbgrader_config.py, the kit's own course settings apply."""
    assert course_settings.config_file(tmp_path) == REPO / "nbgrader_config.py"


def test_a_broken_config_is_named(tmp_path):
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\nc.Nope = 1 / 0\n")
    with pytest.raises(RuntimeError, match="nbgrader_config.py: ZeroDivisionError"):
        course_settings.load(tmp_path)


def test_missing_mnist_names_the_setting_and_the_fix(tmp_path, keep_mnist_env):
    """A configured MNIST folder that is not there: the setting, the file, the fix."""
    settings = course_settings.load(_course(tmp_path, tmp_path / "no-mnist"))
    with pytest.raises(SetupError) as raised:
        check_setup(settings)
    message = str(raised.value)
    assert "c.BackpropCourse.mnist_dir in " + str(tmp_path / "nbgrader_config.py") in message
    assert "it does not exist" in message and "train-images-idx3-ubyte.gz" in message


def test_the_one_command_stops_before_grading(tmp_path, keep_mnist_env, capsys):
    """backprop-kit grade with MNIST missing: exit 2 within seconds, the reason on stderr,
    no results written."""
    course = _course(tmp_path / "course", tmp_path / "no-mnist")
    shutil.copy2(sources.SOURCE_NOTEBOOK, tmp_path / "ada.ipynb")
    start = time.perf_counter()
    status = cli_main(["grade", str(tmp_path / "ada.ipynb"), "--course-dir", str(course),
                       "--json", str(tmp_path / "out.json")])
    assert status == 2
    assert time.perf_counter() - start < 30  # a bound on a hang, not a speed measurement
    assert "c.BackpropCourse.mnist_dir" in capsys.readouterr().err
    assert not (tmp_path / "out.json").exists()


def test_command_line_overrides_the_course(tmp_path):
    """--budget and --isolation win over the course's settings."""
    from argparse import Namespace

    from autograder.grading.command import _settings

    args = Namespace(course_dir=str(_course(tmp_path, "/data")), isolation="bubblewrap",
                     budget=7.0)
    settings = _settings(args)
    assert (settings.isolation, settings.budget, settings.mnist_dir) == (
        "bubblewrap", 7.0, "/data")


@pytest.mark.slow
def test_demo_without_mnist_stops_at_once(tmp_path):
    """A copy of the kit with no MNIST anywhere: the demo stops before its first step,
    within seconds, naming the setting to fix, and makes nothing."""
    kit = tmp_path / "kit"
    for name in ("autograder", "selfcheck", "course_data", "solutions", "assignments"):
        shutil.copytree(REPO / name, kit / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.gz", "*.npz"))
    shutil.copy2(REPO / "nbgrader_config.py", kit / "nbgrader_config.py")
    env = {key: value for key, value in os.environ.items()
           if key not in ("BACKPROP_MNIST_DIR", "PYTHONPATH")}
    env["HOME"] = str(tmp_path / "home")  # no ~/.cache/backprop-mnist either
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "autograder", "demo"], cwd=kit, env=env,
                            capture_output=True, text=True, timeout=120)
    seconds = time.perf_counter() - start
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"c.BackpropCourse.mnist_dir in {kit / 'nbgrader_config.py'}" in result.stderr
    assert str(tmp_path / "shared" / "mnist") in result.stderr
    assert not (kit / "release").exists() and not (kit / "gradebook.db").exists()
    print(f"\nthe demo stopped after {seconds:.1f} s:\n{result.stderr}")


def test_a_failed_student_line_does_not_break_the_progress_bar():
    """nbgrader log lines of any form pass through the demo's progress display."""
    from autograder.demo.pipeline import _FAILED_STUDENT

    line = ("[AutogradeApp | ERROR] There was an error processing assignment 'backprop' "
            "for student 'x y'")
    assert _FAILED_STUDENT.search(line).group(1) == "x y"
    assert _FAILED_STUDENT.search("There was an error processing assignment: no quotes") is None


def test_course_settings_module_is_light():
    """The settings load without importing the grader (nbgrader imports them in every app)."""
    code = ("import sys; import autograder.course_settings; "
            "print(any(m.startswith('autograder.grading') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(REPO), timeout=60)
    assert out.stdout.strip() == "False", out.stderr
