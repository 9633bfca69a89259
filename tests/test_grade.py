"""Grading one submission: does one cause that fails every check get said once, and do
the results go where git ignores them by default?

No student code runs here: the files are not notebooks, or the worker never starts.
"""

import json
import os
import shutil
import subprocess
import sys

import pytest

from autograder import cli
from autograder.grading import batch, command
from autograder.grading import grade as grading
from autograder.sandbox import launcher
from autograder.sources import REPO, source_notebook
from selfcheck.messages import say, speaking

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
    monkeypatch.setattr(launcher, "worker_command", lambda isolation, fds, data, args=None: (
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


# --------------------------------------------------------------------------- the pieces


def _parts(messages):
    """PartResults of the first parts of the rubric, each with one failed check saying
    the given message (and every other check passed)."""
    from autograder.rubric import RUBRIC
    from autograder.runner import CheckResult, PartResult

    return [PartResult(part, [CheckResult(check, i > 0, "" if i else message)
                              for i, check in enumerate(part.checks)])
            for part, message in zip(RUBRIC, messages, strict=False)]


def test_a_message_of_several_parts_becomes_one_note():
    """Is a failure message said by checks of two parts moved to the notes, once, each
    check pointing to it, while a message of one part stays where it is?"""
    parts, notes, causes = grading.said_once(
        _parts(["the worker died", "the worker died", "dx is wrong"]), ["a note"])
    assert causes == ["the worker died"] and notes == ["a note", "the worker died"]
    assert [part.checks[0].message for part in parts] == [say("see_note"), say("see_note"),
                                                         "dx is wrong"]
    assert [part.score for part in parts] == [part.max_score - part.checks[0].check.points
                                              for part in parts]


def test_an_ungraded_submission_scores_nothing_and_says_why_once():
    graded = grading.ungraded("not a notebook", origin="x.ipynb", student="ada",
                              assignment=None, isolation=None)
    assert graded.score == 0
    assert graded.results["extra_data"]["notes"] == ["not a notebook"]
    assert graded.results["extra_data"]["isolation"] is None


def test_a_missing_file_is_ungraded_with_no_digest(no_mnist, tmp_path):
    """A path with nothing there: is it graded 0, saying so, with no sha256 (nothing was
    read), and no worker started?"""
    graded = grading.grade_file(tmp_path / "gone.ipynb", isolation=launcher.Isolation("process"))
    assert graded.score == 0 and graded.parts is not None
    assert graded.results["extra_data"]["sha256"] is None
    assert "No such file" in graded.results["extra_data"]["notes"][0]


def test_an_unreadable_file_keeps_its_digest(no_mnist, tmp_path):
    """A file that is not a notebook: is its sha256 recorded (a resumed batch skips it)?"""
    import hashlib

    path = tmp_path / "x.ipynb"
    path.write_bytes(PNG)
    graded = grading.grade_file(path, isolation=launcher.Isolation("process"))
    assert graded.results["extra_data"]["sha256"] == hashlib.sha256(PNG).hexdigest()


def test_a_grader_speaks_the_submissions_language_without_touching_the_environment(
        monkeypatch):
    """Inside speaking("ko") every message is Korean, in this thread and in a thread handed
    the context (the early MNIST run), while $BACKPROP_LANG (the kernel's) is left alone;
    outside it the environment's language is back."""
    import contextvars
    import threading

    monkeypatch.setenv("BACKPROP_LANG", "en")
    english = say("see_note")
    heard = []
    with speaking("ko"):
        korean = say("see_note")
        thread = threading.Thread(target=contextvars.copy_context().run,
                                  args=(lambda: heard.append(say("see_note")),))
        thread.start()
        thread.join()
        assert os.environ["BACKPROP_LANG"] == "en"
    assert korean != english and heard == [korean]
    assert say("see_note") == english


def test_the_workers_data_folder_must_be_private(monkeypatch, tmp_path):
    """Is a shared temporary folder others could write into refused, not used (a student
    on the machine could have put their own MNIST there)?"""
    monkeypatch.setattr(grading.tempfile, "gettempdir", lambda: str(tmp_path))
    base = tmp_path / f"backprop-kit-{grading.os.getuid()}"
    base.mkdir(mode=0o777)
    base.chmod(0o777)
    with pytest.raises(grading.GraderError, match="not a private folder"):
        grading.worker_data_dir.__wrapped__()


def test_a_sandbox_is_started_ahead_in_the_submissions_language(tmp_path):
    """start_ahead on a Korean notebook: is one sandbox started, for Korean (the grade
    then takes it), and none for a file that is not a notebook?"""
    from autograder.sandbox import processes

    try:
        grading.start_ahead(source_notebook("ko"), overlap=False)
        ((arguments, handles),) = processes._ahead.items()
        assert arguments[2:] == ("ko", 1) and len(handles) == 1
        png = tmp_path / "x.ipynb"
        png.write_bytes(PNG)
        grading.start_ahead(png)
        assert not processes._ahead  # the one before was ended, and none started
    finally:
        processes.discard_ahead()


FORKED_GRADE = """
import os, sys
import numpy as np
from threadpoolctl import threadpool_limits
from autograder.grading import grade

pool = len(os.listdir("/proc/self/task"))  # OpenBLAS starts its pool when it loads
grade._blas().limit(limits=1)  # what grade.prepare sets in the process that forks
if os.fork() == 0:
    with threadpool_limits(1) if sys.argv[1] == "always set" else grade.one_blas_thread():
        np.ones((200, 200)) @ np.ones((200, 200))
        os.write(1, f"{pool} {len(os.listdir('/proc/self/task'))}".encode())
    os._exit(0)
os.wait()
"""


@pytest.mark.parametrize("how, restarted", [("always set", True), ("one_blas_thread", False)])
def test_a_forked_grading_process_starts_no_blas_thread(how, restarted):
    """Setting OpenBLAS's thread count in a forked process, even to the one it has, restarts
    its pool: a thread that spins ~0.1 s of CPU a submission. one_blas_thread sets nothing
    where the forking process already set one thread (the first case shows the probe can
    tell)."""
    pool, threads = _python_printing_ints(FORKED_GRADE, how)
    if pool == 1:
        pytest.skip("BLAS runs no thread pool on this machine (one core?)")
    assert threads == (pool if restarted else 1)


UNPREPARED_GRADE = """
from autograder.grading import grade

def threads():
    return grade._blas().info()[0]["num_threads"]

before = threads()
with grade.one_blas_thread():
    inside = threads()
print(before, inside, threads())
"""


def test_a_grade_in_a_process_not_prepared_runs_one_blas_thread_then_restores():
    """Graded in a process that did not fork it (a Dask worker, a test): one thread for the
    grade, and the process's own count back after it."""
    before, inside, after = _python_printing_ints(UNPREPARED_GRADE)
    if before == 1:
        pytest.skip("BLAS runs one thread on this machine (one core?)")
    assert (inside, after) == (1, before)


def _python_printing_ints(code, *args):
    """The integers ``code`` prints, run in a fresh Python without the thread-count
    variables (a Dask cluster started in this process sets them for its workers, here too):
    BLAS starts its usual pool."""
    env = {key: value for key, value in os.environ.items()
           if not key.endswith("_NUM_THREADS")}
    run = subprocess.run([sys.executable, "-c", code, *args], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=60, check=True)
    return [int(word) for word in run.stdout.split()]
