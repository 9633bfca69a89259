"""Are the task markers (one per graded part: `pytest -m relu`) the rubric's parts, and do
they reach the tests about each part?"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import _parts_named_by, part_marker

import solutions
from autograder.rubric import PARTS, RUBRIC

REPO = Path(__file__).resolve().parents[1]


def _registered():
    """{marker name: description} of pyproject.toml's [tool.pytest.ini_options] markers."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    lines = config["tool"]["pytest"]["ini_options"]["markers"]
    return dict(line.split(":", 1) for line in lines)


GENERAL = {"slow", "browser", "users"}  # the markers that are not about one part


def test_one_registered_marker_per_part():
    """Is there exactly one registered marker per rubric part, named after it, with a
    description that names the part, and no marker for a part that is gone?"""
    registered = _registered()
    wanted = {part_marker(part.id): part for part in RUBRIC}
    assert len(wanted) == len(RUBRIC), "two parts give one marker name"
    assert set(registered) - GENERAL == set(wanted)
    for name, part in wanted.items():
        assert part.id in registered[name], f"{name}: {registered[name]!r}"


def test_marker_names_are_the_ids_without_the_method():
    """Are the names what a student would type (relu, two_layer_net, mnist)?"""
    assert part_marker("relu_backward") == "relu"
    assert part_marker("two_layer_net_gradient") == "two_layer_net"
    assert part_marker("mnist_training") == "mnist"


def test_parameters_name_their_part():
    """Does a test parameter name its part when it is a part id, a rubric Part, a class of
    the assignment or a catalog entry, and no part when it is none of these?"""
    parts = set(PARTS)
    classes = {"Relu": "relu_backward", "TwoLayerNet": "two_layer_net_gradient"}

    class Broken(solutions.Relu):
        pass

    class Entry:  # a catalog Variant: no part of its own, the class it replaces
        replaces = "TwoLayerNet"

    assert _parts_named_by("relu_backward", parts, classes) == {"relu_backward"}
    assert _parts_named_by(PARTS["affine_backward"], parts, classes) == {"affine_backward"}
    assert _parts_named_by(Broken, parts, classes) == {"relu_backward"}
    assert _parts_named_by(Entry(), parts, classes) == {"two_layer_net_gradient"}
    assert _parts_named_by("relu", parts, classes) == set()
    assert _parts_named_by(int, parts, classes) == set()
    assert _parts_named_by(3, parts, classes) == set()


DUMP_PLUGIN = """
def pytest_collection_finish(session):
    names = set(session.config.getini("part_markers").split())
    for item in session.items:
        marks = sorted({mark.name for mark in item.iter_markers()} & names)
        print("MARKS", item.nodeid, ",".join(marks))


def pytest_addoption(parser):
    parser.addini("part_markers", "the part markers to report")
"""


def _marks_of_every_test(tmp_path):
    """{node id: [part markers]} of every test, slow ones included (one collection)."""
    (tmp_path / "dump_marks.py").write_text(DUMP_PLUGIN, encoding="utf-8")
    names = " ".join(part_marker(part.id) for part in RUBRIC)
    listing = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
         "-p", "dump_marks", "-o", f"part_markers={names}", "-m", "slow or not slow"],
        capture_output=True, text=True, cwd=REPO, check=False,
        env={**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(REPO)])}).stdout
    marks = {}
    for line in listing.splitlines():
        if line.startswith("MARKS "):
            _, node, found = line.split(" ", 2)
            marks[node] = found.split(",") if found else []
    return marks


@pytest.mark.slow
def test_every_part_selects_tests_about_it(tmp_path):
    """Does every part's marker select some tests (`pytest -m relu`: the catalog's Relu
    bugs, the Relu property tests...), and does a test marked for one layer never carry
    a catalog entry of another in its id?"""
    marks = _marks_of_every_test(tmp_path)
    assert len(marks) > 500
    for part in RUBRIC:
        name = part_marker(part.id)
        assert [node for node, found in marks.items() if name in found], name
    relu = {node for node, found in marks.items() if "relu" in found}
    assert "tests/test_bug_catalog.py::test_bug_is_caught_and_diagnosed[relu_mask_inverted]" \
        in relu
    assert any(node.startswith("tests/test_layer_properties.py") for node in relu)
    assert not any("[sigmoid" in node or "[affine" in node for node in relu)
    assert any(node.startswith("tests/test_mnist_check.py") and "mnist" in found
               for node, found in marks.items())
