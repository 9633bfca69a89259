"""nbgrader configuration of the backprop course (the repository is the course root)."""

import os

from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearHiddenTests,
    ClearMarkScheme,
    ClearOutput,
    ClearSolutions,
    ComputeChecksums,
    IgnorePattern,
    IncludeHeaderFooter,
    InstantiateTests,
    LimitOutput,
    LockCells,
    SaveAutoGrades,
    SaveCells,
)

from autograder.nbgrader_plugins import CODE_STUB, IsolatedAutograde, NameTaskInStubs

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

HERE = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.course_id = "backprop"
c.CourseDirectory.root = HERE
# The instructor's notebooks (generated from solutions/ by `python -m autograder build-source`).
c.CourseDirectory.source_directory = "assignments"

c.ClearSolutions.code_stub = {"python": CODE_STUB}
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

# Autograde: nbgrader's own list (after its sanitizing, which restores locked and test cells
# from the gradebook), with Execute replaced by IsolatedAutograde: the notebook is never run
# in a kernel with the student's code; the answer cells run in a sandboxed worker and the
# hidden checks in the grader's process, as `python -m autograder grade` does. It must come
# first (it writes the hidden-check cells' outputs) and before SaveAutoGrades (which reads
# the points from them).
c.Autograde.autograde_preprocessors = [
    IsolatedAutograde,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]
c.IsolatedAutograde.isolation = "auto"  # the strongest sandbox available (see README)
# Wall time one notebook may take to grade, in seconds (default 300; a correct notebook
# takes a few): past it the checks not yet graded get 0, with a note. The same as
# `backprop-kit grade --budget`.
# c.IsolatedAutograde.budget = 300.0
c.Autograde.create_student = True
