"""nbgrader configuration of the backprop course (the repository is the course root)."""

import os

from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearHiddenTests,
    ClearMarkScheme,
    ClearOutput,
    ClearSolutions,
    ComputeChecksums,
    IncludeHeaderFooter,
    InstantiateTests,
    LockCells,
    SaveCells,
)

from autograder.nbgrader_plugins import NameTaskInStubs

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = "backprop"
c.CourseDirectory.root = HERE
# The instructor's notebooks (generated from solutions/ by `python -m autograder build-source`).
c.CourseDirectory.source_directory = "assignments"

c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# nbgrader's own list with NameTaskInStubs added. Order matters: NameTaskInStubs must run
# right after ClearSolutions (it rewrites the stubs ClearSolutions wrote) and before the
# first ComputeChecksums, so the stored checksums cover the final release text.
c.GenerateAssignment.preprocessors = [
    IncludeHeaderFooter,
    InstantiateTests,
    LockCells,
    ClearSolutions,
    NameTaskInStubs,
    ClearOutput,
    CheckCellMetadata,
    ComputeChecksums,
    SaveCells,
    ClearHiddenTests,
    ClearMarkScheme,
    ComputeChecksums,
    CheckCellMetadata,
]

# A student's notebook gets this long to run in full (it includes the MNIST check, ~1 s).
c.Execute.timeout = 120
c.Execute.interrupt_on_timeout = True
c.Autograde.create_student = True
