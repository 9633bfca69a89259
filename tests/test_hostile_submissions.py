"""Are hostile and broken submissions graded as they deserve, by the one command?

Every case of tests/hostile.py is graded in the bubblewrap sandbox; the score must be what
the same code earns without the cheat, the student's results must say what happened, and
nothing may be written outside the grader's own output. Then the whole set goes through
one batch with two workers: every submission gets its results, whatever the others did.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import hostile
import pytest

from autograder.grading import batch
from autograder.grading.grade import DEFAULT_BUDGET, grade_file, isolation_for
from autograder.grading.submission import find
from autograder.sandbox import launcher

pytestmark = pytest.mark.slow

HIDDEN_SOURCE = ("def test_backward_shape", "### BEGIN SOLUTION", "dx[self.mask] = 0")


@pytest.fixture(scope="module")
def sandbox(mnist_dir):
    """The bubblewrap sandbox: these tests are about it, so they never run weaker."""
    if not launcher.bubblewrap():
        pytest.fail("bubblewrap is not installed (apt-get install bubblewrap); the "
                    "hostile-submission tests need it")
    return isolation_for("bubblewrap")


def _text(results):
    return json.dumps(results, ensure_ascii=False)


@pytest.mark.parametrize("case", hostile.CASES, ids=lambda case: case.id)
def test_case_gets_the_score_it_deserves(case, sandbox, tmp_path):
    """Does the case get exactly its deserved score, with a message saying why?"""
    path = hostile.write(case, tmp_path)
    budget = case.budget or DEFAULT_BUDGET
    start = time.monotonic()
    graded = grade_file(path, isolation=sandbox, budget=budget)
    assert time.monotonic() - start < budget + 20  # the budget holds, with a small grace
    results = graded.results
    assert results["score"] == case.score, _summary(results)
    assert case.says in _text(results), _summary(results)
    if "time budget" not in case.says:  # not even after the last check, while closing
        assert not any("time budget" in note for note in results["extra_data"]["notes"])
    assert len(_text(results)) < 200_000  # every text the worker sent was cut short
    for hidden in HIDDEN_SOURCE:  # neither the checks nor the reference leak out
        assert hidden not in _text(results)
    for planted in hostile.PLANTED:
        assert not Path(planted).exists(), f"the submission wrote {planted}"


def test_isolation_is_stated_and_hides_the_course(sandbox, tmp_path):
    """Does the result say which sandbox was used, and could the code see nothing of the
    course (its listing attempts all failed)?"""
    case = next(c for c in hostile.CASES if c.id == "snoop_and_plant_files")
    graded = grade_file(hostile.write(case, tmp_path), isolation=sandbox)
    extra = graded.results["extra_data"]
    assert extra["isolation"].startswith("bubblewrap sandbox")
    assert "cannot list" in extra["student_output"]
    assert "cannot read" in extra["student_output"]
    assert "cannot write" in extra["student_output"]


@pytest.mark.parametrize("case_id", ["fork_bomb", "detached_spinner"])
def test_no_process_outlives_its_submission(sandbox, tmp_path, case_id):
    """After a fork bomb, or a process left spinning in a session of its own, is every
    process of the workers' uids gone?"""
    case = next(c for c in hostile.CASES if c.id == case_id)
    grade_file(hostile.write(case, tmp_path), isolation=sandbox)
    if sandbox.uid is None:
        return
    uids = f"{sandbox.uid},{sandbox.uid + launcher.SPARE_UID_OFFSET}"
    left = subprocess.run(["ps", "-o", "pid=", "-u", uids], capture_output=True,
                          text=True).stdout.split()
    assert left == []


def test_a_batch_of_hostile_submissions_grades_every_one(sandbox, tmp_path):
    """In one batch (2 workers), does every submission get its results and the summary
    list them all, with the deserved scores, and is anything written only in the output?"""
    folder = tmp_path / "class"
    folder.mkdir()
    cases = [c for c in hostile.CASES if not c.slow]
    for case in cases:
        hostile.write(case, folder)
    out = tmp_path / "graded"
    rows = batch.grade_batch(find(folder), out, workers=2, isolation_level="bubblewrap",
                             show=False)
    scores = {row.student: row.score for row in rows}
    assert scores == {case.id: case.score for case in cases}
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{case.id}.json" for case in cases] + ["summary.csv"])
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{c.id}.ipynb" for c in cases)


def test_the_command_line_on_the_hostile_class(sandbox, tmp_path):
    """Does `python -m autograder grade DIR --json OUT` exit 0, print a summary, and resume
    (grade nothing again) when run a second time?"""
    folder = tmp_path / "class"
    folder.mkdir()
    for case in hostile.CASES:
        if case.id in ("reference", "os_exit_in_backward", "corrupt_json"):
            hostile.write(case, folder)
    command = [sys.executable, "-m", "autograder", "grade", str(folder), "--json",
               str(tmp_path / "out"), "-q"]
    first = subprocess.run(command, capture_output=True, text=True, env=os.environ)
    assert first.returncode == 0, first.stderr
    assert "3 submissions (0 already graded, 0 grader errors)" in first.stdout
    assert "isolation: bubblewrap sandbox" in first.stdout
    second = subprocess.run(command, capture_output=True, text=True, env=os.environ)
    assert "3 submissions (3 already graded" in second.stdout


GRADE_AND_MEASURE = """
import sys
from autograder.grading.batch import peak_mb
from autograder.grading.grade import grade_file, isolation_for
graded = grade_file(sys.argv[1], isolation=isolation_for("bubblewrap"))
print(graded.score, int(peak_mb()))
"""


@pytest.mark.parametrize("case_id", ["returns_250_million_elements", "json_bomb_reply",
                                     "list_bomb_answers", "states_as_a_list_bomb",
                                     "huge_error_text", "huge_callback"])
def test_the_grader_stays_under_1_gb(sandbox, tmp_path, case_id):
    """Whatever a worker sends back, does the grading process itself (a fresh Python)
    peak under 1 GB, with the score the case deserves?"""
    case = next(c for c in hostile.CASES if c.id == case_id)
    done = subprocess.run([sys.executable, "-c", GRADE_AND_MEASURE,
                           str(hostile.write(case, tmp_path))],
                          capture_output=True, text=True, env=os.environ, check=True)
    score, peak_mb = done.stdout.split()[-2:]
    assert float(score) == case.score
    assert int(peak_mb) < 1024, f"{case_id}: the grader peaked at {peak_mb} MB"


def test_answers_kept_for_later_checks_stay_small(sandbox, tmp_path):
    """A worker that answers every question with as much as a reply may hold: does the
    grading process peak within 64 MB of the reference's? (Answers two checks share are
    kept, up to autograder.asked_once.KEPT_BYTES; keeping them all took 213 MB more.)"""
    peaks = {}
    for case_id in ("reference", "big_answer_to_every_question"):
        case = next(c for c in hostile.CASES if c.id == case_id)
        done = subprocess.run([sys.executable, "-c", GRADE_AND_MEASURE,
                               str(hostile.write(case, tmp_path))],
                              capture_output=True, text=True, env=os.environ, check=True)
        score, peaks[case_id] = done.stdout.split()[-2:]
        assert float(score) == case.score
    growth = int(peaks["big_answer_to_every_question"]) - int(peaks["reference"])
    assert growth < 64, f"the grader kept {growth} MB more than for the reference"


def _summary(results):
    lines = [f"score {results['score']}", *results["extra_data"]["notes"]]
    lines += [f"{t['name']}: {t['score']}/{t['max_score']} {t['output'][:300]}"
              for t in results["tests"] if t["status"] != "passed"]
    return "\n".join(lines)
