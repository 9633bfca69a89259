"""Does everything that needs the assignment's parts follow the spine (selfcheck.assignment)?

One test per part of the spine and per place that must know it, each saying what is
missing: a part added to the spine alone fails here until its points, check module, check
titles, cells, self-check, label and (for a layer of a network) the grader's stand-in exist.
"""

import ast

import numpy as np
import pytest
from nbgrader.utils import is_grade, is_locked, is_solution

import solutions
from autograder import authoring
from autograder.authoring import backprop
from autograder.demo.pipeline import format_table
from autograder.in_process_code import REQUIRED_CLASSES
from autograder.reference_layers import book_structure, reference_layer
from autograder.rubric import PARTS
from autograder.runner import CHECKS_DIR
from autograder.sources import GRADER_RUNS
from selfcheck import assignment
from selfcheck.checks import SELF_CHECKS
from selfcheck.messages import LANGUAGES, MESSAGES

SPINE = pytest.mark.parametrize("part", assignment.PARTS, ids=lambda part: part.id)
IN_A_NETWORK = (assignment.LAYER, assignment.NETWORK_LAYER)


@pytest.fixture(scope="module", params=assignment.LANGUAGES)
def notebook_cells(request):
    """{grade_id: cell} of a fresh build of the source notebook in each language."""
    nb = authoring.build_notebook(request.param)
    return {cell.metadata["nbgrader"]["grade_id"]: cell for cell in nb.cells
            if "nbgrader" in cell.metadata}


@SPINE
def test_the_rubric_scores_it(part):
    assert part.id in PARTS, f"autograder/rubric.py: no points for {part.id}"
    assert PARTS[part.id].points > 0


@SPINE
def test_its_check_module_has_its_checks(part):
    path = CHECKS_DIR / part.module
    assert path.is_file(), f"no check module autograder/checks/{part.module}"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    functions = [node.name for node in tree.body
                 if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")]
    assert functions == [check.name for check in part.checks], part.module


@SPINE
def test_its_check_titles_are_messages_in_every_language(part):
    for check in part.checks:
        assert check.title_key in MESSAGES, f"selfcheck/messages.py: no {check.title_key!r}"
        assert set(MESSAGES[check.title_key]) == set(LANGUAGES), check.title_key


@SPINE
def test_its_class_and_method_are_in_the_reference(part):
    assert part.cls in REQUIRED_CLASSES
    assert callable(getattr(getattr(solutions, part.cls), part.method)), part.title


@SPINE
def test_authoring_builds_its_cells(part):
    assert part.id in backprop.PART_CELLS, \
        f"autograder/authoring/backprop.py: no PART_CELLS entry for {part.id}"


@SPINE
def test_the_source_notebook_has_its_cells(part, notebook_cells):
    hidden = notebook_cells.get(part.id)
    assert hidden is not None and is_grade(hidden) and is_locked(hidden), \
        f"no hidden-check cell {part.id} in autograder/authoring/backprop.py"
    assert hidden.metadata["nbgrader"]["points"] == PARTS[part.id].points
    if part.cells.solution:
        assert is_solution(notebook_cells[part.cells.solution]), part.cells.solution
    for grade_id in (*part.cells.given, *part.cells.visible):
        assert grade_id in notebook_cells, f"no cell {grade_id} of {part.id}"
        grader_runs = notebook_cells[grade_id].metadata.get("backprop_kit", {}).get(GRADER_RUNS)
        assert bool(grader_runs) == (grade_id in part.cells.given), grade_id


def test_the_notebook_has_the_parts_in_the_spines_order(notebook_cells):
    graded = [grade_id for grade_id, cell in notebook_cells.items() if is_grade(cell)]
    assert graded == [part.id for part in assignment.PARTS]


@SPINE
def test_the_self_check_table_has_it(part):
    if part.self_check is None:
        return
    assert part.id in SELF_CHECKS, f"selfcheck/checks.py has no {part.self_check}"
    assert SELF_CHECKS[part.id][0] == part.title


@SPINE
def test_the_demo_table_has_its_label(part):
    assert 0 < len(part.label) <= 6
    header = format_table({}, students=()).split("\n")[0]
    assert f" {part.label}" in header


@SPINE
def test_the_sandbox_stands_in_for_its_layer(part):
    """Can the grader stand in for a layer a network may hold, and hand back what the
    layer keeps after a pass?"""
    if part.role not in IN_A_NETWORK:
        assert part.cls not in assignment.STAND_IN_KINDS
        return
    assert part.cls in assignment.STAND_IN_KINDS
    layer = reference_layer(part.cls, solutions.Affine(np.ones((2, 2)), np.zeros(2)))
    assert type(layer).__name__ == part.cls
    in_book = part.cls in {kind for kind, *_ in book_structure((2, 2, 2)).values()}
    assert in_book == (part.role == assignment.NETWORK_LAYER)
    assert (assignment.NETWORK_LAYER_PARTS.get(part.cls) == part.id) == in_book
    for name in part.keeps:
        assert name in layer.__dict__ or hasattr(type(layer), name) or _kept_after_a_pass(
            layer, name), f"{part.cls} keeps no {name}"


def _kept_after_a_pass(layer, name):
    x = np.ones((2, 2))
    if isinstance(layer, solutions.SoftmaxWithLoss):
        layer.forward(x, np.array([0, 1]))
        layer.backward()
    else:
        layer.forward(x)
        layer.backward(x)
    return getattr(layer, name, None) is not None


def test_roles():
    """One network part, one training part, and the network's layers are parts."""
    assert assignment.PART[assignment.NETWORK_PART].role == assignment.NETWORK
    assert assignment.PART[assignment.TRAINING_PART].role == assignment.TRAINING
    assert assignment.GRADIENT_PARTS == tuple(p.id for p in assignment.PARTS
                                              if p.id != assignment.TRAINING_PART)
    kinds = {kind for kind, *_ in book_structure((2, 2, 2)).values()}
    assert kinds == set(assignment.NETWORK_LAYER_PARTS)
