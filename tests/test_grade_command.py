"""`python -m autograder grade` on the reference and on the untouched release."""

import csv
import json
import shutil
import subprocess
import sys

import nbformat
import pytest

from autograder.class_report.reading import read_class
from autograder.demo.sample_class import release_notebook
from autograder.rubric import RUBRIC, TOTAL_POINTS
from autograder.sources import source_notebook

pytestmark = pytest.mark.slow

TEST_KEYS = {"name", "score", "max_score", "status", "output", "visibility"}


def _grade(path, out):
    run = subprocess.run([sys.executable, "-m", "autograder", "grade", str(path), "--json",
                          str(out)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return run.stdout, json.loads(out.read_text(encoding="utf-8"))


def _valid_gradescope(results):
    assert {"score", "execution_time", "tests", "output"} <= set(results)
    # every check but the backprop gates, which show only when they fire (0 points)
    assert len(results["tests"]) >= sum(not c.gate for part in RUBRIC for c in part.checks)
    assert sum(test["max_score"] for test in results["tests"]) == TOTAL_POINTS
    for test in results["tests"]:
        assert set(test) >= TEST_KEYS
        assert test["status"] in ("passed", "failed")
        assert (test["status"] == "passed") == (test["score"] == test["max_score"]) \
            or test["max_score"] == 0
    assert results["score"] == sum(test["score"] for test in results["tests"])


def test_reference_notebook_gets_full_marks(mnist_dir, tmp_path):
    """Does the instructor's notebook get 100 in a valid Gradescope results.json?"""
    stdout, results = _grade(source_notebook(), tmp_path / "results.json")
    _valid_gradescope(results)
    assert results["score"] == TOTAL_POINTS
    assert f"100 / {TOTAL_POINTS:g}" in stdout and "isolation:" in stdout
    assert results["execution_time"] > 0


def test_untouched_release_gets_zero_with_a_message_per_part(mnist_dir, tmp_path):
    """Does the untouched release get 0, every check failed with a message naming what to
    write (or why it did not run)?"""
    path = tmp_path / "release.ipynb"
    nbformat.write(release_notebook(), path)
    _, results = _grade(path, tmp_path / "results.json")
    _valid_gradescope(results)
    assert results["score"] == 0
    for part in RUBRIC:
        outputs = [t["output"] for t in results["tests"] if t["name"].startswith(part.title)]
        assert outputs and all(outputs), part.id
        expected = "not run" if part.id == "mnist_training" else "not written yet"
        assert all(expected in output for output in outputs), (part.id, outputs[0])


def test_an_untouched_release_in_a_class_says_why_it_got_zero(mnist_dir, tmp_path):
    """Graded in a folder, does the untouched release's summary row say "no check passed"
    (each check said its own reason: nothing is one cause of the whole notebook)?"""
    folder = tmp_path / "class"
    folder.mkdir()
    nbformat.write(release_notebook(), folder / "ada.ipynb")
    run = subprocess.run([sys.executable, "-m", "autograder", "grade", str(folder), "--json",
                          str(tmp_path / "graded"), "-q"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    with open(tmp_path / "graded" / "summary.csv", newline="", encoding="utf-8") as file:
        (line,) = csv.DictReader(file)
    assert (line["score"], line["reason"]) == ("0", "no check passed")
    assert json.loads((tmp_path / "graded" / "ada.json").read_text())["extra_data"][
        "causes"] == []


def test_a_korean_notebooks_points_land_in_its_parts_columns(mnist_dir, tmp_path):
    """Graded in a folder, does the unchanged Korean notebook (its tests titled in Korean:
    "MNIST 학습: ...") get every part's points in summary.csv's column of that part, and in
    the class report's reading of its results?"""
    folder = tmp_path / "class"
    folder.mkdir()
    shutil.copy(source_notebook("ko"), folder / "kim.ipynb")
    out = tmp_path / "graded"
    run = subprocess.run([sys.executable, "-m", "autograder", "grade", str(folder), "--json",
                          str(out), "-q"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    with open(out / "summary.csv", newline="", encoding="utf-8") as file:
        (line,) = csv.DictReader(file)
    full = {part.id: part.points for part in RUBRIC}
    assert float(line["score"]) == TOTAL_POINTS
    assert {part_id: float(line[part_id]) for part_id in full} == full
    (graded,) = read_class(out)
    assert graded.parts == full
