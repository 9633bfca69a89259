"""End to end: the instructor pipeline on the sample class, with real nbgrader commands.

One module-scoped fixture runs ``pipeline.run`` once in a scratch course (generate_assignment,
the sample submissions, autograde, generate_feedback, export; about two minutes); the tests
read the grade table, the gradebook, nbgrader's log, grades.csv and the feedback.
"""

import base64
import csv
import json
import re
from html import escape

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder import mnist_check
from autograder.demo import pipeline
from autograder.demo.sample_class import SAMPLE_CLASS
from autograder.rubric import PARTS, RUBRIC, TOTAL_POINTS

pytestmark = pytest.mark.slow

ASSIGNMENT = pipeline.ASSIGNMENT
STUDENTS = [student.id for student in SAMPLE_CLASS]
# The students with one wrong backward, and the part it costs them.
ONE_WRONG_PART = {
    "cho": "relu_backward",
    "dev": "affine_backward",
    "eun": "sigmoid_backward",
    "fay": "softmax_with_loss_backward",
}
# Hidden-check source that must never reach a student's feedback.
HIDDEN_SOURCE = ["def test_", "numerical_gradient(lambda", "away_from_zero", "HIDDEN_SEEDS",
                 "1013"]


@pytest.fixture(scope="module")
def course(tmp_path_factory, mnist_dir):
    """(course dir, the grade table pipeline.run returned) for the whole sample class."""
    course_dir = tmp_path_factory.mktemp("course")
    table = pipeline.run(course_dir, echo=lambda *args, **kwargs: None)
    return course_dir, table


@pytest.fixture(scope="module")
def course_dir(course):
    return course[0]


@pytest.fixture(scope="module")
def table(course):
    return course[1]


def full(part_id):
    return PARTS[part_id].points


def gradebook_scores(course_dir):
    """{student: (total score, max score)} of the notebook, straight from the gradebook."""
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gradebook:
        scores = {}
        for student in STUDENTS:
            nb = gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, student)
            scores[student] = (nb.score, nb.max_score)
        return scores


# ------------------------------------------------------------------------------- grades


def test_table_covers_the_class(table, course_dir):
    """Does the table have every sample student and every rubric part, as the gradebook?"""
    assert sorted(table) == sorted(STUDENTS)
    for student in STUDENTS:
        assert set(table[student]) == {part.id for part in RUBRIC}, student
    assert pipeline.grade_table(course_dir) == table


def test_max_score_is_rubric_total(course_dir):
    """Does the gradebook's max score of the notebook equal the rubric's total?"""
    for student, (_, max_score) in gradebook_scores(course_dir).items():
        assert max_score == TOTAL_POINTS, student


def test_everything_is_graded_automatically(course_dir):
    """Is every grade an auto score, with nothing left for manual grading?"""
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gradebook:
        for student in STUDENTS:
            nb = gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, student)
            assert not nb.needs_manual_grade, student
            for grade in nb.grades:
                assert grade.auto_score is not None, f"{student}: {grade.name}"
                assert grade.manual_score is None, f"{student}: {grade.name}"
            # failed_tests: some grade cell scored below its points
            assert nb.failed_tests == (student not in ("ada", "hana")), student


def test_reference_gets_full_marks(table, course_dir):
    """Does ada (the reference answers) get full points on every part: 100?"""
    for part in RUBRIC:
        assert table["ada"][part.id] == part.points, part.id
    assert sum(table["ada"].values()) == TOTAL_POINTS == 100
    assert gradebook_scores(course_dir)["ada"][0] == 100


def test_untouched_release_gets_zero(table, course_dir):
    """Does ben (the release handed in untouched) get 0 on every part?"""
    for part in RUBRIC:
        assert table["ben"][part.id] == 0, part.id
    assert gradebook_scores(course_dir)["ben"][0] == 0


@pytest.mark.parametrize("student", sorted(ONE_WRONG_PART))
def test_one_wrong_backward_costs_only_its_part(table, student):
    """Does one wrong backward cost points on its own part only (MNIST included)?"""
    wrong = ONE_WRONG_PART[student]
    assert table[student][wrong] < full(wrong)
    for part in RUBRIC:
        if part.id != wrong:
            assert table[student][part.id] == part.points, f"{student}: {part.id}"


def test_runtime_warnings_cost_nothing(table):
    """Does hana (correct code that prints numpy RuntimeWarnings) get 100?"""
    for part in RUBRIC:
        assert table["hana"][part.id] == part.points, part.id


def test_wrong_layer_order_costs_gradient_and_mnist(table):
    """Does gus (layers walked in forward order) lose TwoLayerNet.gradient and MNIST only?"""
    lost = {"two_layer_net_gradient", "mnist_training"}
    for part in RUBRIC:
        if part.id in lost:
            assert table["gus"][part.id] < part.points, part.id
        else:
            assert table["gus"][part.id] == part.points, part.id


# ---------------------------------------------------------------------- nbgrader's traces


def test_log_has_no_checksum_or_autograde_warnings(course_dir):
    """Does nbgrader's log show no 'has changed' checksum and no autograde warning?"""
    log = (course_dir / "pipeline.log").read_text(encoding="utf-8")
    assert "$ nbgrader autograde" in log
    assert "has changed" not in log
    assert "[AutogradeApp | WARNING]" not in log
    assert "[AutogradeApp | ERROR]" not in log


def test_grades_csv(course_dir):
    """Does grades.csv hold one row per student and assignment, with ada's and ben's scores?"""
    with open(course_dir / "grades.csv", newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    keys = [(row["student_id"], row["assignment"]) for row in rows]
    assert sorted(keys) == sorted((student, ASSIGNMENT) for student in STUDENTS)
    by_student = {row["student_id"]: row for row in rows}
    assert float(by_student["ada"]["score"]) == 100
    assert float(by_student["ben"]["score"]) == 0
    for row in rows:
        assert float(row["max_score"]) == TOTAL_POINTS


def test_feedback_exists_for_everyone(course_dir):
    """Does generate_feedback write an HTML page for every student?"""
    for student in STUDENTS:
        assert (course_dir / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html").is_file()


def test_feedback_explains_failure_without_check_source(course_dir):
    """Does cho's feedback say what failed (Relu.backward) without the hidden checks' code?"""
    html = (course_dir / "feedback" / "cho" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text(
        encoding="utf-8")
    assert "Relu.backward" in html
    assert "✗" in html
    assert "matches numerical gradients" in html
    for text in HIDDEN_SOURCE:
        assert text not in html, text


def test_feedback_has_no_check_source_for_anyone(course_dir):
    """Is hidden-check source absent from every student's feedback, untouched release too?"""
    for student in STUDENTS:
        html = (course_dir / "feedback" / student / ASSIGNMENT / f"{ASSIGNMENT}.html"
                ).read_text(encoding="utf-8")
        for text in HIDDEN_SOURCE:
            assert text not in html, f"{student}: {text}"
        assert "autograder.checks" not in html, student


def test_two_mistakes_get_two_diagnoses_in_the_feedback(table, course_dir):
    """Does ivy (Relu mask inverted, db averaged) lose exactly those two parts, and does her
    feedback name both mistakes, with no hidden source?"""
    from selfcheck.messages import say

    for part in RUBRIC:
        wrong = part.id in ("relu_backward", "affine_backward")
        assert (table["ivy"][part.id] < part.points) == wrong, part.id
    html = (course_dir / "feedback" / "ivy" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text(
        encoding="utf-8")
    for key in ("relu_mask_inverted", "affine_db_mean"):
        assert escape(say(key)) in html or say(key) in html, key
    for text in HIDDEN_SOURCE:
        assert text not in html, text


def test_feedback_shows_the_mnist_training_curve(course_dir):
    """Does ada's feedback carry the grader's training curve as a picture, and the accuracy?"""
    html = (course_dir / "feedback" / "ada" / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text(
        encoding="utf-8")
    (picture,) = re.findall(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", html)
    dots = base64.b64decode(picture).decode().count("<circle")  # one per spot-checked step
    assert mnist_check.SPOT_CHECKS - 2 <= dots <= mnist_check.SPOT_CHECKS
    assert "test accuracy 0." in html


def test_autograded_reference_reports_mnist_accuracy(course_dir):
    """Does ada's autograded MNIST cell report the test accuracy her network reached?"""
    path = course_dir / "autograded" / "ada" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = nbformat.read(path, as_version=4)
    (cell,) = [c for c in nb.cells
               if c.metadata.get("nbgrader", {}).get("grade_id") == "mnist_training"]
    text = "".join(out.get("text", "") for out in cell.outputs)
    assert not [out for out in cell.outputs if out.output_type == "error"]
    assert "test accuracy 0." in text
    assert f"training on MNIST: {full('mnist_training'):g} / " in text


def test_autograde_is_idempotent(course_dir, table):
    """Does autograding one student again (--force) give the very same grades?"""
    pipeline.nbgrader(course_dir, "autograde", ASSIGNMENT, "--force", "--student", "cho")
    assert pipeline.grade_table(course_dir) == table


def _results(course_dir, student):
    path = course_dir / "feedback" / student / ASSIGNMENT / "results.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_results_json_in_gradescope_format(course_dir, table):
    """Is there a Gradescope-format results.json per student, with the gradebook's score?"""
    for student in STUDENTS:
        results = _results(course_dir, student)
        assert set(results) >= {"score", "execution_time", "tests", "output"}
        assert results["score"] == pytest.approx(sum(table[student].values()))
        assert sum(t["max_score"] for t in results["tests"]) == TOTAL_POINTS
        for test in results["tests"]:
            assert set(test) >= {"name", "score", "max_score", "status", "output", "visibility"}
            assert test["status"] in ("passed", "failed")
            assert (test["status"] == "passed") == (test["score"] == test["max_score"])
        assert results["execution_time"] > 0


def test_results_json_carries_diagnoses_accuracy_and_curve(course_dir):
    """Does results.json name ivy's two mistakes, and show ada's MNIST accuracy and curve?"""
    from selfcheck.messages import say

    outputs = " ".join(t["output"] for t in _results(course_dir, "ivy")["tests"])
    assert say("relu_mask_inverted") in outputs
    assert say("affine_db_mean") in outputs
    ada = _results(course_dir, "ada")
    assert "MNIST: test accuracy 0." in ada["output"]
    assert "data:image/svg+xml;base64," in ada["output"]
    for text in HIDDEN_SOURCE:
        assert text not in json.dumps(ada) and text not in outputs, text


def test_results_json_is_the_one_commands(course_dir):
    """Does autograde's results.json hold what `backprop-kit grade` writes for the same
    notebook (same tests and score, the submitted file's sha256, the sandbox named)?"""
    import hashlib

    from autograder.grading.grade import grade_file

    submitted = course_dir / "submitted" / "ivy" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    autograded = json.loads((course_dir / "autograded" / "ivy" / ASSIGNMENT /
                             "results.json").read_text(encoding="utf-8"))
    one_command = grade_file(submitted, student="ivy").results
    assert autograded["tests"] == one_command["tests"]
    assert autograded["score"] == one_command["score"]
    extra = autograded["extra_data"]
    assert extra["sha256"] == hashlib.sha256(submitted.read_bytes()).hexdigest()
    same_but_uid = [re.sub(r"uid \d+", "uid N", text)  # the uid comes from the process id
                    for text in (extra["isolation"], one_command["extra_data"]["isolation"])]
    assert same_but_uid[0] == same_but_uid[1]
    assert _results(course_dir, "ivy") == autograded  # generate_feedback's copy


@pytest.fixture
def course_copy(course_dir, tmp_path):
    """A copy of the graded course, for steps that change it."""
    import shutil

    copy = tmp_path / "course"
    shutil.copytree(course_dir, copy, symlinks=True)
    return copy


def _snapshot(course_dir):
    """{relative path: bytes} of autograded/ and feedback/, and the gradebook's scores."""
    files = {str(p.relative_to(course_dir)): p.read_bytes()
             for folder in ("autograded", "feedback")
             for p in sorted((course_dir / folder).rglob("*")) if p.is_file()}
    return files, gradebook_scores(course_dir)


def test_a_setup_error_loses_nothing(course_copy):
    """`nbgrader autograde --force` on a graded class with MNIST missing: it stops at once,
    saying what to fix, and every autograded folder, feedback and grade stays as it was."""
    before = _snapshot(course_copy)
    config = course_copy / "nbgrader_config.py"
    config.write_text(config.read_text(encoding="utf-8") +
                      f"\nc.BackpropCourse.mnist_dir = {str(course_copy / 'gone')!r}\n",
                      encoding="utf-8")
    with pytest.raises(pipeline.PipelineError) as failed:
        pipeline.nbgrader(course_copy, "autograde", ASSIGNMENT, "--force")
    assert "c.BackpropCourse.mnist_dir in " in str(failed.value)
    assert "Removing" not in str(failed.value)
    assert _snapshot(course_copy) == before


def test_generate_feedback_force_keeps_results(course_copy):
    """`nbgrader generate_feedback --force` rewrites the feedback and results.json is still
    beside it (copied again from the autograded folder)."""
    (course_copy / "feedback" / "ada" / ASSIGNMENT / "results.json").unlink()
    pipeline.nbgrader(course_copy, "generate_feedback", ASSIGNMENT, "--force")
    for student in STUDENTS:
        assert _results(course_copy, student) == json.loads(
            (course_copy / "autograded" / student / ASSIGNMENT / "results.json").read_text(
                encoding="utf-8"))
