"""Do the cheats also fail under real `nbgrader autograde` with this course's config?

Plain nbgrader runs hidden tests in the student's kernel, where these cheats work. With
IsolatedAutograde (nbgrader_config.py) the gradebook must hold exactly the one command's
score for each, the feedback no hidden source, and the course folder no planted file.
"""

import os

import hostile
import pytest
from nbgrader.api import Gradebook

from autograder.demo import pipeline
from autograder.grading.grade import grade_file

pytestmark = pytest.mark.slow

ASSIGNMENT = pipeline.ASSIGNMENT
CASES = ["reference", "honest_wrong_relu", "allclose_patched", "ast_transformer",
         "exec_instructor_solution", "snoop_and_plant_files", "patch_grader_modules_and_builtins",
         "os_exit_in_backward", "os_exit_at_top_level", "edited_locked_and_test_cells",
         # the worker's own code turned against the grader, and correct code the book's way
         "oracle_layers", "oracle_everything", "closed_form_mnist", "numerical_everything",
         "returns_250_million_elements", "json_bomb_reply", "huge_error_text",
         "callbacks_never_read", "detached_spinner", "patched_worker_exits",
         "forged_replies", "book_signature_net", "affine_constructor_raises",
         # copied, deleted and edited cells and their nbgrader metadata: one submission's
         # cells never stop the autograde of the others (nbgrader's own checks would)
         "answer_cell_duplicated", "answer_cell_deleted", "test_and_given_cells_deleted",
         "test_cell_copied_with_a_fake_pass",
         "points_claimed_and_metadata_broken"]


@pytest.fixture(scope="module")
def course(tmp_path_factory, mnist_dir):
    """A scratch course where every case was submitted, autograded and given feedback."""
    course_dir = pipeline.prepare_course(tmp_path_factory.mktemp("hostile-course"))
    pipeline.nbgrader(course_dir, "generate_assignment", ASSIGNMENT, "--force")
    for case_id in CASES:
        folder = course_dir / "submitted" / case_id / ASSIGNMENT
        folder.mkdir(parents=True)
        case = next(c for c in hostile.CASES if c.id == case_id)
        (folder / f"{ASSIGNMENT}.ipynb").write_bytes(hostile.notebook_bytes(case))
    output = pipeline.nbgrader(course_dir, "autograde", ASSIGNMENT, "--force")
    pipeline.nbgrader(course_dir, "generate_feedback", ASSIGNMENT, "--force")
    return course_dir, output


def test_gradebook_holds_the_deserved_scores(course):
    """Is each case's gradebook score the score it deserves (the honest one)?"""
    course_dir, _ = course
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gradebook:
        scores = {case: gradebook.find_submission(ASSIGNMENT, case).score for case in CASES}
    assert scores == {c.id: c.score for c in hostile.CASES if c.id in CASES}


def test_nbgrader_and_the_one_command_agree(course):
    """Does `backprop-kit grade` give each submitted notebook the gradebook's score?"""
    course_dir, _ = course
    with Gradebook(f"sqlite:///{course_dir / 'gradebook.db'}") as gradebook:
        for case in CASES:
            path = course_dir / "submitted" / case / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
            assert grade_file(path).score == gradebook.find_submission(ASSIGNMENT, case).score


def test_every_submission_was_graded_in_the_sandbox(course):
    """Did autograde finish every notebook (no 'error processing'), in the sandbox?"""
    _, output = course
    assert "There was an error processing" not in output
    assert output.count("Graded ") == len(CASES)
    assert "bubblewrap sandbox" in output


def test_feedback_shows_no_hidden_source_and_nothing_was_planted(course):
    """Is the hidden checks' and the reference's source absent from every feedback, and no
    file written by a cheat, in the course folder or elsewhere?"""
    course_dir, _ = course
    for case in CASES:
        html = (course_dir / "feedback" / case / ASSIGNMENT / f"{ASSIGNMENT}.html").read_text()
        assert "def test_backward_shape" not in html and "dx[self.mask] = 0" not in html
    assert not list(course_dir.rglob("pwned*"))
    assert not any(os.path.exists(p) for p in hostile.PLANTED)
