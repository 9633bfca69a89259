"""Does the rubric agree with the hidden checks it scores, and with the spine?"""

import ast
from collections import Counter

import pytest

from autograder.rubric import GATE, PARTS, POINTS, RUBRIC, TOTAL_POINTS
from autograder.runner import CHECKS_DIR
from selfcheck import assignment


def _test_functions(module):
    """Names of the module-level ``def test_...`` functions of a checks module."""
    tree = ast.parse((CHECKS_DIR / module).read_text())
    return [node.name for node in tree.body
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")]


def test_every_checks_module_is_a_part():
    """Is every checks/test_*.py the module of exactly one part, and vice versa?"""
    modules = sorted(path.name for path in CHECKS_DIR.glob("test_*.py"))
    assert sorted(part.module for part in RUBRIC) == modules


@pytest.mark.parametrize("part", RUBRIC, ids=lambda part: part.id)
def test_checks_match_test_functions(part):
    """Is each test function of the part's module scored by exactly one check of the part,
    and does each check name a test function that exists?"""
    functions = _test_functions(part.module)
    names = [check.name for check in part.checks]
    assert len(functions) == len(set(functions))
    assert Counter(names) == Counter(functions)


@pytest.mark.parametrize("part", RUBRIC, ids=lambda part: part.id)
def test_checks_have_points_and_titles(part):
    """Is every check but a gate worth some points, and every one described for the
    student? Does every part whose gradient could be computed numerically have a gate?"""
    for check in part.checks:
        assert (check.points == 0) if check.gate else (check.points > 0), check.name
        assert check.title.strip(), check.name
    gates = [check for check in part.checks if check.gate]
    in_a_network = (assignment.LAYER, assignment.NETWORK_LAYER, assignment.NETWORK)
    assert len(gates) == (part.spec.role in in_a_network)


def test_part_ids_are_unique():
    """Is every part id (the nbgrader grade_id) used once?"""
    ids = [part.id for part in RUBRIC]
    assert len(ids) == len(set(ids)) == len(PARTS)


def test_total_is_100_points():
    """Do the parts add up to 100 points?"""
    assert TOTAL_POINTS == sum(part.points for part in RUBRIC) == 100


@pytest.mark.parametrize("spec", assignment.PARTS, ids=lambda spec: spec.id)
def test_rubric_scores_exactly_the_spines_checks(spec):
    """Does the rubric give points (or a gate) to every check of every part of the spine,
    and to nothing else?"""
    assert spec.id in POINTS, f"the rubric has no points for {spec.id}"
    assert set(POINTS[spec.id]) == {check.name for check in spec.checks}
    for value in POINTS[spec.id].values():
        assert value == GATE or value > 0
    assert set(POINTS) == set(assignment.PART)
