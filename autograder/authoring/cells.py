"""Cell constructors for the nbgrader source notebook.

nbgrader reads its roles from ``cell.metadata.nbgrader``: a *solution* cell is where the
student writes (its ``### BEGIN/END SOLUTION`` regions become stubs), a *grade* cell scores
points, a *locked* cell is read-only and restored at grading. Every cell's source is the
same in the source notebook and the release (no ``### HIDDEN TESTS`` regions), so no
honest submission can trigger nbgrader's "Attribute 'checksum' ... has changed" warning.
"""

import inspect
import textwrap

import nbformat

from autograder.sources import GRADER_RUNS

SCHEMA_VERSION = 3


def _meta(grade_id, *, grade=False, solution=False, locked=False, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked,
            "schema_version": SCHEMA_VERSION, "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    cell_meta = {"nbgrader": meta}
    if locked:
        cell_meta.update(deletable=False, editable=False)
    return cell_meta


def source_of(*objects):
    """The source code of classes and functions, one blank-line-separated block each."""
    return "\n\n\n".join(textwrap.dedent(inspect.getsource(obj)).rstrip() for obj in objects)


def markdown(text):
    """A plain markdown cell (explanations are not graded or locked)."""
    return nbformat.v4.new_markdown_cell(textwrap.dedent(text).strip())


def given(grade_id, source, *, defines=False):
    """A read-only code cell: code the students run but do not change.

    defines: the cell defines what the answer cells build on (imports, the given forward
    passes); the grader runs these cells, and the answer cells, and no others.
    """
    metadata = _meta(grade_id, locked=True)
    if defines:
        metadata["backprop_kit"] = {GRADER_RUNS: True}
    return nbformat.v4.new_code_cell(source.strip(), metadata=metadata)


def solution(grade_id, source):
    """A code cell the student fills in; its solution regions become stubs."""
    return nbformat.v4.new_code_cell(source.strip(), metadata=_meta(grade_id, solution=True))


def hidden_checks(part, comment):
    """A locked grade cell worth ``part.points`` that runs the part's hidden checks, under
    ``comment`` (one line, in the notebook's language)."""
    source = f'# {comment}\nrun_hidden_checks("{part.id}")'
    return nbformat.v4.new_code_cell(
        source, metadata=_meta(part.id, grade=True, locked=True, points=part.points))
