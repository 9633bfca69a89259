"""The course's source notebooks as grading finds them: where they are in a checkout, and
the metadata the grader reads in them. (What the notebooks hold is built by
:mod:`autograder.authoring`; the assignment's names and cells are in
:mod:`selfcheck.assignment`.) Light on purpose: grading imports it, not the builder.
"""

from pathlib import Path

from selfcheck import assignment

REPO = Path(__file__).resolve().parents[1]  # the checkout: the course root of `make demo`
# In cell.metadata.backprop_kit: the grader runs this given cell (imports, forward passes).
GRADER_RUNS = "grader_runs"


def source_notebook(lang=assignment.DEFAULT_LANGUAGE):
    """The path of the source notebook in ``lang``."""
    return REPO / assignment.notebook_path(lang)


SOURCE_NOTEBOOKS = {lang: source_notebook(lang) for lang in assignment.LANGUAGES}
SOURCE_NOTEBOOK = SOURCE_NOTEBOOKS[assignment.DEFAULT_LANGUAGE]
