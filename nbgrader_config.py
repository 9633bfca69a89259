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
    DeduplicateIds,
    IgnorePattern,
    IncludeHeaderFooter,
    InstantiateTests,
    LimitOutput,
    LockCells,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
    SaveCells,
)

from autograder.nbgrader_plugins import (
    CODE_STUB,
    CheckedSetupExporter,
    IsolatedAutograde,
    NameTaskInStubs,
    RestoreReleasedMetadata,
)

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

# Autograde first sanitizes each submission: nbgrader's own list, after RestoreReleasedMetadata
# (each cell's nbgrader metadata as released, or none: a copied or edited cell's metadata
# would otherwise stop the whole autograde or fail that student).
c.Autograde.sanitize_preprocessors = [
    RestoreReleasedMetadata,
    ClearOutput,
    DeduplicateIds,
    OverwriteKernelspec,
    OverwriteCells,
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
c.Autograde.create_student = True
# Autograde checks the grader's setup (MNIST, the sandbox) before it touches any submission:
# a setup error stops it with the fix, and every earlier autograded folder stays.
c.Autograde.exporter_class = CheckedSetupExporter

# --- This course's own settings (autograder/course_settings.py), read by nbgrader autograde,
# `backprop-kit grade` and the demo alike.
# Where the four MNIST .gz files are (each checked by sha256). Default: ../shared/mnist
# beside the course folder. Empty: $BACKPROP_MNIST_DIR, course_data/, ~/.cache/backprop-mnist.
c.BackpropCourse.mnist_dir = os.path.join(os.path.dirname(HERE), "shared", "mnist")
# Wall time one notebook may take to grade, in seconds (a correct notebook takes a few): past
# it the checks not yet graded get 0, with a note. `backprop-kit grade --budget` overrides it.
c.BackpropCourse.budget = 300.0
# The grader's sandbox: "auto" is the strongest available (see README); "bubblewrap" refuses
# to grade without it.
c.BackpropCourse.isolation = "auto"

# --- The exchange (release, submit, collect, feedback). For one machine, a folder in the
# course (git-ignored); for a class with real Unix users, a folder everyone can reach, made
# with mode 1777 as nbgrader documents (README: "A real class"), e.g. /srv/nbgrader/exchange.
c.Exchange.root = os.path.join(HERE, "exchange")
