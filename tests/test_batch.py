"""Does a batch survive what can happen to a grading process (killed, stuck, interrupted),
write one results file per submission and a summary.csv that is safe to open?

Grading itself is faked (``grade_file`` patched before the grading processes are forked,
so they inherit it): these tests are about the batch, and fast.
"""

import csv
import hashlib
import json
import os
import signal
import stat
import time
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from autograder import cli
from autograder.grading import batch, command
from autograder.grading import grade as grading
from autograder.grading.submission import find
from autograder.rubric import RUBRIC, TOTAL_POINTS
from autograder.sandbox import warm_pool

SCORES = {"ada": 100.0, "ben": 0.0, "cho": 92.0, "dev": 88.0}
PYTEST = os.getpid()  # what a grading process does to itself must never hit this one



@pytest.fixture
def fake_grading(monkeypatch, no_mnist):
    """``{student: action}``: what the grading process of that student does before it
    scores the submission (SCORES, else 50) the way grade_file would."""
    actions = {}

    def grade_file(path, *, student=None, assignment=None, isolation=None, overlap=True,
                   budget=grading.DEFAULT_BUDGET):
        actions.get(student, lambda: None)()
        graded = grading.ungraded("graded by a fake", origin=path, student=student,
                                  assignment=assignment, isolation=isolation)
        graded.results["score"] = SCORES.get(student, 50.0)
        graded.results["extra_data"]["causes"] = []  # graded: each check said its own
        graded.results["extra_data"].update(
            sha256=hashlib.sha256(Path(path).read_bytes()).hexdigest(), budget=budget)
        return graded

    monkeypatch.setattr(grading, "grade_file", grade_file)
    return actions


@pytest.fixture
def folder(tmp_path):
    """A class of four notebooks (their content does not matter to the fake)."""
    folder = tmp_path / "class"
    folder.mkdir()
    for student in SCORES:
        (folder / f"{student}.ipynb").write_text(f'{{"student": "{student}"}}')
    return folder


def _kill_self():
    assert os.getpid() != PYTEST, "grading ran in the batch's own process"
    os.kill(os.getpid(), signal.SIGKILL)  # as the kernel's OOM killer does


def _summary(out):
    with open(out / batch.SUMMARY_NAME, newline="", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def _results(out, key):
    return json.loads((out / f"{key}.json").read_text(encoding="utf-8"))


def test_a_process_killed_once_is_graded_again_in_a_fresh_one(fake_grading, folder, tmp_path):
    """When one student's grading process is killed (SIGKILL) the first time, does the batch
    go on, grade that student again (its real score) and everyone else, and write the
    summary, with each process's peak memory?"""
    marker = tmp_path / "killed-once"

    def kill_once():
        if not marker.exists():
            marker.touch()
            _kill_self()

    fake_grading["cho"] = kill_once
    out = tmp_path / "graded"
    rows = batch.grade_batch(find(folder), out, workers=2, show=False)
    assert marker.exists()
    assert {row.student: row.score for row in rows} == SCORES
    assert {row.status for row in rows} == {"graded"}
    summary = _summary(out)
    assert [line["student"] for line in summary] == list(SCORES)
    assert all(float(line["peak_mb"]) > 0 for line in summary)
    assert _results(out, "cho")["extra_data"]["grader_peak_mb"] == rows[2].peak_mb > 0


def test_a_process_killed_every_time_costs_only_its_submission(fake_grading, folder, tmp_path,
                                                              capsys):
    """When one student's grading process is killed on each attempt, does that student get
    a results file (0, a note saying what happened), status "grader error" in the summary,
    the command exit 1, and every other student their score?"""
    fake_grading["cho"] = _kill_self
    out = tmp_path / "graded"
    assert cli.main(["grade", str(folder), "--json", str(out), "-q"]) == \
        command.EXIT_SOME_FAILED
    results = _results(out, "cho")
    assert results["score"] == 0 and {t["score"] for t in results["tests"]} == {0}
    (note,) = results["extra_data"]["notes"]
    assert "its process was killed (SIGKILL) twice; ask your instructor to regrade it" in note
    lines = {line["student"]: line for line in _summary(out)}
    assert lines["cho"]["status"] == "grader error" and lines["cho"]["score"] == ""
    assert "killed (SIGKILL) twice" in lines["cho"]["reason"]
    assert {s: float(lines[s]["score"]) for s in SCORES if s != "cho"} == \
        {s: score for s, score in SCORES.items() if s != "cho"}
    assert "1 grader errors" in capsys.readouterr().out


def test_one_notebook_is_graded_in_a_process_of_its_own(fake_grading, folder, tmp_path,
                                                        capsys):
    """Is the single-notebook command protected the same way: a killed process, then a
    results file saying so and exit 1?"""
    fake_grading["cho"] = _kill_self
    out = tmp_path / "results.json"
    assert cli.main(["grade", str(folder / "cho.ipynb"), "--json", str(out)]) == \
        command.EXIT_SOME_FAILED
    assert "killed (SIGKILL) twice" in json.loads(out.read_text())["extra_data"]["notes"][0]
    assert "killed (SIGKILL) twice" in capsys.readouterr().err
    assert cli.main(["grade", str(folder / "ada.ipynb"), "--json", str(out)]) == \
        command.EXIT_GRADED
    assert json.loads(out.read_text())["score"] == SCORES["ada"]


@pytest.mark.slow  # ~2 s: waits for a wall limit to pass
def test_a_process_past_its_wall_limit_is_killed(fake_grading, folder, tmp_path, monkeypatch):
    """Is a grading process still running at budget + grace killed (SIGKILL), tried once
    more, then reported, while the others are graded with the budget given to grade_file?"""
    monkeypatch.setattr(batch, "GRACE_SECONDS", 0.5)
    fake_grading["dev"] = lambda: time.sleep(60)
    out = tmp_path / "graded"
    start = time.monotonic()
    rows = {row.student: row for row in batch.grade_batch(find(folder), out, workers=2,
                                                          show=False, budget=0.5)}
    assert time.monotonic() - start < 30
    assert rows["dev"].status == "grader error"
    assert "ran past its wall limit of 1 s and was killed (SIGKILL) twice" in rows["dev"].reason
    assert "wall limit" in _results(out, "dev")["extra_data"]["notes"][0]
    assert {s: rows[s].score for s in ("ada", "ben", "cho")} == \
        {s: SCORES[s] for s in ("ada", "ben", "cho")}
    assert _results(out, "ada")["extra_data"]["budget"] == 0.5


def test_an_interrupted_batch_still_writes_its_summary(fake_grading, folder, tmp_path, ctrl_c):
    """When the batch is interrupted (Ctrl-C while cho is graded), is summary.csv written
    with the submissions graded before, and is the grading process left running killed?"""
    pid_file = tmp_path / "pid"

    def interrupt():
        assert os.getpid() != PYTEST, "grading ran in the batch's own process"
        pid_file.write_text(str(os.getpid()))
        # Give the batch time to return from fork(): Python runs its own after-fork handlers
        # with KeyboardInterrupt unraisable, so a Ctrl-C landing there would be lost. So
        # may one landing in a finalizer the garbage collector runs: press again, as a
        # user would, until the batch stops (it kills this process on its way out).
        time.sleep(1)
        for _ in range(30):
            os.kill(os.getppid(), signal.SIGINT)
            time.sleep(2)

    fake_grading["cho"] = interrupt
    out = tmp_path / "graded"
    with pytest.raises(KeyboardInterrupt):
        batch.grade_batch(find(folder), out, workers=1, show=False)
    assert [line["student"] for line in _summary(out)] == ["ada", "ben"]
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)


@pytest.mark.slow  # starts a Dask cluster (~2 s)
def test_a_failed_dask_task_costs_only_its_submission(fake_grading, folder, tmp_path,
                                                      monkeypatch):
    """When a Dask task raises (its worker was killed: KilledWorker), does that submission
    get a grader-error row and a results file, and the batch go on?"""
    from dask.distributed import LocalCluster
    from distributed.scheduler import KilledWorker

    grade_one = batch.grade_one

    def dies_for_cho(sub, *args, **kwargs):
        if sub.student == "cho":
            raise KilledWorker("grade-cho", SimpleNamespace(address="tcp://10.0.0.9:4000"), 3)
        return grade_one(sub, *args, **kwargs)

    monkeypatch.setattr(batch, "grade_one", dies_for_cho)
    out = tmp_path / "graded"
    try:
        with LocalCluster(n_workers=1, processes=False, dashboard_address=":0") as cluster:
            rows = {row.student: row for row in batch.grade_batch(
                find(folder), out, scheduler=cluster.scheduler_address, show=False)}
    finally:  # the worker ran in this process: so did its warm sandbox
        warm_pool.close_own()
    assert rows["cho"].status == "grader error" and "KilledWorker" in rows["cho"].reason
    assert "its Dask task failed (KilledWorker)" in _results(out, "cho")["extra_data"]["notes"][0]
    assert {s: rows[s].score for s in ("ada", "ben", "dev")} == \
        {s: SCORES[s] for s in ("ada", "ben", "dev")}


def test_every_submission_gets_its_own_results_file(fake_grading, tmp_path):
    """Do names that sanitize alike or differ only in case ("x y", "x_y"; "Ada", "ada") get
    distinct results files (also to a case-insensitive file system), the same on every run
    (resume finds them), each named in summary.csv beside its submission?"""
    folder = tmp_path / "class"
    folder.mkdir()
    names = ["x y", "x_y", "Ada", "ada", "학생" * 40, "bob"]  # 240 bytes: keys are cut
    for name in names:
        (folder / f"{name}.ipynb").write_text("{}")
    subs = find(folder)
    keys = batch.result_keys(subs)
    assert len({key.casefold() for key in keys}) == len(names)
    assert keys == batch.result_keys(find(folder))
    assert all(len(f".{key}.json.abcdefgh.tmp".encode()) <= 255 for key in keys)
    assert dict(zip([s.student for s in subs], keys, strict=True))["bob"] == "bob"
    out = tmp_path / "graded"
    batch.grade_batch(subs, out, show=False)
    summary = _summary(out)
    assert sorted(line["submission"] for line in summary) == sorted(f"{n}.ipynb" for n in names)
    for line in summary:
        assert _results(out, line["results"][:-5])["extra_data"]["submission"] == \
            str(folder / line["submission"])
    again = batch.grade_batch(find(folder), out, show=False)
    assert {row.status for row in again} == {"resumed"}


def test_summary_cells_never_start_a_formula(fake_grading, tmp_path):
    """Do student folders named like spreadsheet formulas come out of summary.csv as text
    (a leading ')? (A folder name holds no "/": the URL has none.)"""
    folder = tmp_path / "submitted"
    names = ['=HYPERLINK("x","y")', "+1", "@SUM(A1)", "-2"]
    for name in names:
        (folder / name).mkdir(parents=True)
        (folder / name / "homework.ipynb").write_text("{}")
    batch.grade_batch(find(folder), tmp_path / "graded", show=False)
    lines = _summary(tmp_path / "graded")
    assert sorted(line["student"] for line in lines) == sorted(f"'{name}" for name in names)
    for line in lines:
        assert line["submission"].startswith("'")
        for cell in line.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), line


def test_an_honest_zero_says_no_check_passed(fake_grading, folder, tmp_path):
    """Does ben's 0 (graded, every check failed) say so in the summary's reason column,
    and does a score earned need no reason?"""
    batch.grade_batch(find(folder), tmp_path / "graded", show=False)
    reasons = {line["student"]: line["reason"] for line in _summary(tmp_path / "graded")}
    assert reasons == {"ada": "", "ben": "no check passed", "cho": "", "dev": ""}


def test_summary_gives_each_part_of_a_korean_notebook_its_points(no_mnist, tmp_path,
                                                                  monkeypatch):
    """Full marks in a Korean notebook, whose tests' names title the parts in Korean ("MNIST
    학습: ..."): does each part's column of summary.csv, named by its id, hold all its
    points, so the columns add up to the score?"""
    def full_marks_in_korean(path, *, student=None, assignment=None, isolation=None,
                             overlap=True, budget=grading.DEFAULT_BUDGET):
        graded = grading.ungraded("graded by a fake", origin=path, student=student,
                                  assignment=assignment, isolation=isolation, language="ko")
        for test in graded.results["tests"]:
            test["score"] = test["max_score"]
        graded.results["score"] = TOTAL_POINTS
        return graded

    monkeypatch.setattr(grading, "grade_file", full_marks_in_korean)
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "kim.ipynb").write_text("{}")
    batch.grade_batch(find(folder), tmp_path / "graded", show=False)
    (line,) = _summary(tmp_path / "graded")
    assert float(line["score"]) == TOTAL_POINTS
    assert {part.id: float(line[part.id]) for part in RUBRIC} == \
        {part.id: part.points for part in RUBRIC}


def test_every_file_not_graded_says_why_in_the_summary(no_mnist, tmp_path, capsys):
    """Corrupt JSON, JSON that is no notebook, a PNG, another assignment's notebook, a
    symbolic link, a named pipe: does each one's summary row say why it got 0, in one line,
    and the command print it beside the score? (Real reading; no student code runs.)"""
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "corrupt.ipynb").write_text('{"cells": [')
    (folder / "list.ipynb").write_text("[1, 2]")
    (folder / "png.ipynb").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (folder / "other.ipynb").write_text(nbformat.writes(nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("x = 1")])))
    (folder / "link.ipynb").symlink_to(folder / "other.ipynb")
    os.mkfifo(folder / "fifo.ipynb")
    out = tmp_path / "graded"
    assert cli.main(["grade", str(folder), "--json", str(out), "-q"]) == command.EXIT_GRADED
    printed = capsys.readouterr().out.splitlines()
    reasons = {line["student"]: line["reason"] for line in _summary(out)
               if line["score"] == "0"}
    assert reasons.keys() == {"corrupt", "list", "png", "other", "link", "fifo"}
    for student, says in {"corrupt": "not valid JSON (line 1, column 12)",
                          "list": "JSON, but not in the notebook format",
                          "png": "not UTF-8 text (byte 0)",
                          "other": "not the backprop assignment",
                          "link": "not a regular file (a symbolic link)",
                          "fifo": "not a regular file (a named pipe)"}.items():
        assert says in reasons[student] and "\n" not in reasons[student], student
        assert says in next(line for line in printed if line.strip().startswith(student))


def test_every_file_written_gets_the_mode_open_gives(fake_grading, folder, tmp_path):
    """Under umask 022, are the results files and summary.csv 0644, like the feedback HTML
    nbgrader writes (a file open() creates), readable by the course's web server?"""
    before = os.umask(0o022)
    try:
        batch.grade_batch(find(folder), tmp_path / "graded", show=False)
    finally:
        os.umask(before)
    modes = {path.name: stat.S_IMODE(path.stat().st_mode)
             for path in (tmp_path / "graded").iterdir()}
    assert modes == dict.fromkeys([*(f"{s}.json" for s in SCORES), "summary.csv"], 0o644)


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)",
                                  "\tx", "\rx"])
def test_every_text_column_is_defused(tmp_path, text):
    """Is each text column (student, submission, results, status, reason) defused?"""
    row = batch.Row(text, text, text, None, {}, 0.0, text, text)
    batch.write_summary(tmp_path / "summary.csv", [row])
    (line,) = _summary(tmp_path)
    for column in ("student", "submission", "results", "status", "reason"):
        assert line[column].startswith("'"), column


MARKER = "MARKER-7f3a-only-root-may-read-this"


def test_no_byte_of_a_file_reaches_any_output(no_mnist, tmp_path, capfd):
    """A link to a file only root may read, a file that is not JSON and a notebook that
    fails the schema check, all holding a marker: does the marker appear nowhere, not in
    the results files, summary.csv or what the command prints, for the folder and for the
    link given alone? (Real reading and grading: no student code runs for these.)"""
    secret = tmp_path / "secret"
    secret.write_text(f"{MARKER}\n")
    secret.chmod(0o600)
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "evil.ipynb").symlink_to(secret)
    (folder / "garbage.ipynb").write_text(f"{MARKER} {{")
    (folder / "schema.ipynb").write_text(json.dumps(
        {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
         "cells": [{"cell_type": "code", "id": "a", "metadata": {}, "outputs": [],
                    "source": "x = 1", "execution_count": MARKER}]}))
    out = tmp_path / "graded"
    assert cli.main(["grade", str(folder), "--json", str(out), "-q"]) == command.EXIT_GRADED
    assert cli.main(["grade", str(folder / "evil.ipynb"), "--json",
                     str(tmp_path / "evil.json")]) == command.EXIT_GRADED
    printed = capfd.readouterr()
    written = [path.read_text(encoding="utf-8") for path in [*out.iterdir(),
                                                              tmp_path / "evil.json"]]
    for text in [printed.out, printed.err, *written]:
        assert MARKER not in text and "MARKER" not in text
    notes = {name: _results(out, name)["extra_data"]["notes"][0]
             for name in ("evil", "garbage", "schema")}
    assert "not a regular file (a symbolic link): not graded" in notes["evil"]
    assert "not valid JSON (line 1, column 1)" in notes["garbage"]
    assert "the schema check failed at cells/0/execution_count" in notes["schema"]
