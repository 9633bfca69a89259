"""Read a class's results.json files (Gradescope format, written by the grader) into
:class:`Submission` records: each part's score and the ids of the mistakes each failed
check names (``tests[i].extra_data``, see :mod:`autograder.results`).

Where they are: a course root (nbgrader's ``autograded/<student>/<assignment>/
results.json``; the copies beside the feedback are not read again), a folder the one
command wrote (``backprop-kit grade ... --json graded/``: ``<student>.json`` each), any
folder holding such files at any depth, or one results file.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from autograder.results import RESULTS_NAME
from autograder.rubric import RUBRIC

# A test's part is its extra_data's id. Only results written before tests carried ids are
# read by the part's title in the test's name: those are all English (grading spoke the
# notebook's language only after ids came), so English titles find every part.
_PART_OF_TITLE = {part.title: part.id for part in RUBRIC}


class NoResults(ValueError):
    """No results file where the report was asked to look."""


@dataclass(frozen=True)
class Submission:
    """One student's graded submission, as the class report needs it.

    parts: part id -> points earned.
    failed: part id -> one tuple of diagnosis ids per failed check (empty: no named mistake).
    mnist_accuracy: the test accuracy of the grader's training run (None: not run).
    has_ids: False for results written before tests carried diagnosis ids.
    """

    student: str
    score: float
    parts: dict
    failed: dict
    mnist_accuracy: float | None
    path: Path
    has_ids: bool = True


def results_files(source):
    """The results files under ``source`` (a course root, a folder or one file), sorted."""
    source = Path(source)
    if source.is_file():
        return [source]
    if not source.is_dir():
        raise NoResults(f"{source} does not exist")
    autograded = source / "autograded"
    if autograded.is_dir():  # a course root: feedback/ holds copies of the same files
        files = sorted(autograded.glob(f"*/*/{RESULTS_NAME}"))
    else:
        files = sorted(path for path in source.rglob("*.json") if _looks_like_results(path))
    if not files:
        raise NoResults(f"no results files in {source} (looked for autograded/*/*/"
                        f"{RESULTS_NAME} and *.json with Gradescope tests)")
    return files


def _looks_like_results(path):
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and isinstance(data.get("tests"), list)


def read_class(source):
    """Every :class:`Submission` under ``source``, sorted by student id (a student found
    twice, in two assignments' folders say, is told apart by the folder)."""
    submissions = {}
    for path in results_files(source):
        submission = read_submission(path)
        key = submission.student
        if key in submissions:
            key = f"{key} ({path.parent.name})"
            submission = Submission(key, *_fields_after_student(submission))
        submissions[key] = submission
    return [submissions[key] for key in sorted(submissions)]


def _fields_after_student(submission):
    return (submission.score, submission.parts, submission.failed,
            submission.mnist_accuracy, submission.path, submission.has_ids)


def read_submission(path):
    """The :class:`Submission` in the results file at ``path``."""
    path = Path(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    parts = {part.id: 0.0 for part in RUBRIC}
    failed = {}
    accuracy = None
    has_ids = True
    for test in data.get("tests", ()):
        extra = test.get("extra_data") or {}
        part = extra.get("part") or _PART_OF_TITLE.get(test["name"].split(": ", 1)[0])
        if part not in parts:
            continue
        has_ids = has_ids and "diagnoses" in extra
        parts[part] += float(test.get("score", 0.0))
        if test.get("status") != "passed":
            failed.setdefault(part, []).append(tuple(extra.get("diagnoses", ())))
        if extra.get("mnist_accuracy") is not None:
            accuracy = float(extra["mnist_accuracy"])
    return Submission(student=_student_of(path, data), score=float(data.get("score", 0.0)),
                      parts=parts, failed={k: tuple(v) for k, v in failed.items()},
                      mnist_accuracy=accuracy, path=path, has_ids=has_ids)


def _student_of(path, data):
    """The student id the grader recorded, else the folder (nbgrader's layout) or name."""
    student = (data.get("extra_data") or {}).get("student")
    if student:
        return str(student)
    return path.parent.parent.name if path.name == RESULTS_NAME else path.stem
