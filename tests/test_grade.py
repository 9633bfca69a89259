"""Grading one submission: does one cause that fails every check get said once, and do
the results go where git ignores them by default?

No student code runs here: the files are not notebooks, or the worker never starts.
"""

import json
import shutil
import subprocess

import pytest

from autograder import cli
from autograder.grading import batch, command
from autograder.grading import grade as grading
from autograder.sandbox import launcher
from autograder.sources import REPO, source_notebook
from selfcheck.messages import say

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))



def test_a_file_that_is_not_a_notebook_says_why_once(no_mnist, tmp_path, capsys):
    """A PNG named x.ipynb fails every check for one reason: do the results hold it once,
    as a note, each check pointing to it, and does the command print it once?"""
    path, out = tmp_path / "x.ipynb", tmp_path / "x.json"
    path.write_bytes(PNG)
    assert cli.main(["grade", str(path), "--json", str(out)]) == command.EXIT_GRADED
    results = json.loads(out.read_text(encoding="utf-8"))
    (cause,) = results["extra_data"]["notes"]
    assert "not UTF-8 text (byte 0)" in cause
    assert results["extra_data"]["causes"] == [cause]
    assert {test["output"] for test in results["tests"]} == {say("see_note")}
    assert results["output"].count("not UTF-8") == 1
    printed = capsys.readouterr().out
    assert printed.count("not UTF-8") == 1 and printed.count(say("see_note")) == 1


def test_a_worker_that_cannot_start_is_said_once(monkeypatch):
    """When the worker never runs (it exits at once, every time), is "stopped running it"
    one note, each check it failed pointing to it, and the check that says something else
    (MNIST not run) left as it is?"""
    monkeypatch.setattr(launcher, "worker_command", lambda isolation, fds, data: (
        ["/bin/false"], fds))
    graded = grading.grade_file(source_notebook(), isolation=grading.isolation_for("process"),
                                overlap=False)
    extra, tests = graded.results["extra_data"], graded.results["tests"]
    (cause,) = extra["causes"]
    assert "stopped running it" in cause and extra["notes"].count(cause) == 1
    outputs = [test["output"] for test in tests]
    assert outputs.count(say("see_note")) == len(tests) - 1
    assert "MNIST check not run" in outputs[-1]
    assert not any("stopped running it" in output for output in outputs)


def test_what_the_kit_writes_into_the_course_root_is_ignored():
    """The grade command's results (no --json), the demo's nbgrader folders, gradebook,
    grades and log, the tests' pictures, the MNIST files: is each of them, written into
    the course root (this repository) by default, ignored by git?"""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    written = [command.ONE_OUT, f"{command.MANY_OUT}/ada.json",
               f"{command.MANY_OUT}/{batch.SUMMARY_NAME}",
               *(f"{folder}/ada/backprop/backprop.ipynb"
                 for folder in ("submitted", "autograded", "feedback")),
               "release/backprop/backprop.ipynb", "feedback/ada/backprop/results.json",
               "gradebook.db", "grades.csv", "pipeline.log", "artifacts/graphs/mul.png",
               "course_data/train-images-idx3-ubyte.gz", "course_data/mnist-cache-0a1b.npz"]
    ignored = subprocess.run(["git", "-C", str(REPO), "check-ignore", "--no-index", "--stdin"],
                             input="\n".join(written), capture_output=True, text=True).stdout
    assert set(written) - set(ignored.splitlines()) == set()
