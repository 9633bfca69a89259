"""Does RestoreReleasedMetadata leave every submitted notebook one that nbgrader's own
sanitizing takes (DeduplicateIds, then CheckCellMetadata's schema), whatever metadata the
student's cells carry? (A real gradebook in a temporary sqlite file, made once: nbgrader
takes ~5 s to create one, so these are in the slow suite; nothing is run.)"""

import nbformat
import pytest
from nbgrader.api import Gradebook
from nbgrader.nbgraderformat import MetadataValidator
from nbgrader.preprocessors import DeduplicateIds

from autograder.nbgrader_plugins import RestoreReleasedMetadata

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def resources(tmp_path_factory):
    """A gradebook holding one notebook: a given locked cell, an answer cell, a test cell."""
    db_url = f"sqlite:///{tmp_path_factory.mktemp('course') / 'gradebook.db'}"
    with Gradebook(db_url) as gradebook:
        gradebook.add_assignment("hw")
        gradebook.add_notebook("hw", "hw")
        for name, locked in (("given", True), ("answer", False), ("check", True)):
            gradebook.add_source_cell(name, "hw", "hw", cell_type="code", locked=locked,
                                      source=f"{name} source", checksum="0" * 32)
        gradebook.add_solution_cell("answer", "hw", "hw")
        gradebook.add_grade_cell("check", "hw", "hw", max_score=10, cell_type="code")
    return {"nbgrader": {"db_url": db_url, "notebook": "hw", "assignment": "hw"}}


def _cell(source, metadata):
    cell = nbformat.v4.new_code_cell(source)
    if metadata is not None:
        cell.metadata["nbgrader"] = metadata
    return cell


def _restored(cells, resources):
    nb = nbformat.v4.new_notebook(cells=cells)
    nb, _ = RestoreReleasedMetadata().preprocess(nb, resources)
    return nb


def test_released_cells_get_their_released_metadata(resources):
    """Is each known cell's metadata the gradebook's (points too), whatever it claimed?"""
    nb = _restored([_cell("a", {"grade_id": "given"}),
                    _cell("b", {"grade_id": "answer", "grade": True, "points": 1000}),
                    _cell("c", {"grade_id": "check", "points": 1000, "schema_version": 1})],
                   resources)
    meta = [cell.metadata["nbgrader"] for cell in nb.cells]
    assert [m["grade_id"] for m in meta] == ["given", "answer", "check"]
    assert [(m["locked"], m["solution"], m["grade"]) for m in meta] == [
        (True, False, False), (False, True, False), (True, False, True)]
    assert meta[2]["points"] == 10 and "points" not in meta[1]
    MetadataValidator().validate_nb(nb)


def test_a_deleted_graded_cell_is_put_back_after_the_cell_before_it(resources):
    """Does a deleted hidden-check cell come back (so that its points reach the gradebook),
    after the released cell before it, with its released source and metadata?"""
    nb = _restored([_cell("a", {"grade_id": "given"}), _cell("b", {"grade_id": "answer"}),
                    _cell("mine", None)], resources)
    assert [cell.source for cell in nb.cells] == ["a", "b", "check source", "mine"]
    assert nb.cells[2].metadata["nbgrader"]["points"] == 10
    MetadataValidator().validate_nb(nb)


def test_copies_and_broken_or_made_up_metadata_leave_plain_cells(resources):
    """Does only one copy of a cell keep its id (of an answer cell, the one graded: the
    last answered), does every cell with unknown, malformed or empty metadata become a
    plain cell, and does nbgrader's own sanitizing then pass (it stopped the whole
    autograde on an emptied copy)?"""
    broken = [{}, "graded", {"grade_id": 5}, {"grade_id": "bonus", "grade": True,
                                              "points": 1000, "schema_version": 3}]
    cells = [_cell("first", {"grade_id": "answer"}), _cell("copy", {"grade_id": "answer"})]
    cells += [_cell(f"x = {i}", metadata) for i, metadata in enumerate(broken)]
    cells.append(_cell("check source", {"grade_id": "check"}))
    nb = _restored(cells, resources)
    assert [cell.metadata.get("nbgrader", {}).get("grade_id") for cell in nb.cells] == [
        None, "answer", None, None, None, None, "check"]
    assert all("nbgrader" not in cell.metadata for cell in [nb.cells[0], *nb.cells[2:-1]])
    nb, _ = DeduplicateIds().preprocess(nb, {})
    MetadataValidator().validate_nb(nb)
