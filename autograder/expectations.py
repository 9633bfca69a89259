"""The hidden checks' expectations: :mod:`selfcheck.expect` (shared with the public
self-checks), told that the grader's and the reference's lines are not the student's."""

from pathlib import Path

import autograder
import solutions
from selfcheck.expect import (
    CheckFailed,
    call_student,
    expect_array,
    expect_close,
    expect_gradient,
    expect_pair,
    not_student_code,
    recording,
    type_name,
)

not_student_code(Path(autograder.__file__).parent)
not_student_code(Path(solutions.__file__).parent)

__all__ = ["CheckFailed", "call_student", "expect_array", "expect_close", "expect_gradient",
           "expect_pair", "recording", "type_name"]
