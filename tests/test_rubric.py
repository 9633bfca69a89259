"""Does the rubric agree with the hidden checks it scores?"""

import ast
from collections import Counter

import pytest

from autograder.rubric import NETWORK_LAYER_PARTS, PARTS, RUBRIC, TOTAL_POINTS
from autograder.runner import CHECKS_DIR
from autograder.student_code import REQUIRED_CLASSES


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
    assert len(gates) == (part.id not in ("mul_layer_backward", "add_layer_backward",
                                          "mnist_training"))


def test_part_ids_are_unique():
    """Is every part id (the nbgrader grade_id) used once?"""
    ids = [part.id for part in RUBRIC]
    assert len(ids) == len(set(ids)) == len(PARTS)


def test_total_is_100_points():
    """Do the parts add up to 100 points?"""
    assert TOTAL_POINTS == sum(part.points for part in RUBRIC) == 100


def test_network_layer_parts_exist():
    """Does NETWORK_LAYER_PARTS map class names the students write to existing parts?"""
    for kind, part_id in NETWORK_LAYER_PARTS.items():
        assert kind in REQUIRED_CLASSES
        assert part_id in PARTS
        assert PARTS[part_id].title == f"{kind}.backward"
