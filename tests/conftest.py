"""Shared fixtures of the project's tests."""

import gc
import os
import signal
from pathlib import Path

import pytest

# First, so that the test modules' nbformat skips rfc3987_syntax's 2.5 s grammar build, as
# the kit's own processes do (see autograder/__init__.py).
import autograder  # noqa: F401

# Collecting the suite imports nbformat, nbgrader, matplotlib and hypothesis; the hidden
# checks run many times. At Python's default threshold (700 allocations) that is ~2,000
# garbage collections during collection alone, 4 of its 13 s; at 10,000 it is ~90 (1.4 s).
# Cycles are still collected.
gc.set_threshold(10_000, 10, 10)

# CI and developers keep MNIST beside the clone (../shared/mnist); never in the repo.
SHARED_MNIST = Path(__file__).resolve().parents[1].parent / "shared" / "mnist"


@pytest.fixture(scope="session")
def mnist_dir():
    """The MNIST folder (BACKPROP_MNIST_DIR, or ../shared/mnist); skip if there is none."""
    chosen = os.environ.get("BACKPROP_MNIST_DIR")
    if chosen and Path(chosen).is_dir():
        return Path(chosen)
    if not (SHARED_MNIST / "SHA256SUMS").exists():
        pytest.skip(f"MNIST not found: set BACKPROP_MNIST_DIR or put it in {SHARED_MNIST}")
    os.environ["BACKPROP_MNIST_DIR"] = str(SHARED_MNIST)
    return SHARED_MNIST


@pytest.fixture(scope="session")
def grade_gradient_parts():
    """``grade(parts=None, **classes)``: the reference classes, with ``classes`` (name ->
    class) swapped in, graded on ``parts`` (default: every gradient part, never MNIST).
    Returns {part id: PartResult}, cached per set of classes and parts, so several tests
    may ask about the same code at no extra cost."""
    import solutions
    from autograder.in_process_code import REQUIRED_CLASSES, InProcessCode
    from autograder.runner import run_checks
    from selfcheck.assignment import GRADIENT_PARTS as every

    cache = {}

    def grade(parts=None, **classes):
        parts = tuple(parts or every)
        key = (parts, tuple(sorted(classes.items(), key=lambda item: item[0])))
        if key not in cache:
            reference = {name: getattr(solutions, name) for name in REQUIRED_CLASSES}
            code = InProcessCode({**reference, **classes}, origin="a test")
            cache[key] = {result.part.id: result for result in run_checks(code, parts)}
        return cache[key]

    return grade


@pytest.fixture
def no_mnist(monkeypatch):
    """Grading without MNIST (only the MNIST check would need it): no setup check of it, no
    warm-up that loads it."""
    from autograder.grading import grade, preflight

    monkeypatch.setattr(grade, "prepare", lambda: None)
    monkeypatch.setattr(preflight, "_check_mnist", lambda settings: None)


# --------------------------------------------------------------------------- task markers
# One marker per graded part, as minitorch has one per task: `pytest -m relu` runs every
# test about Relu. The names come from the spine's part ids without the method
# ("relu_backward" -> relu, "mnist_training" -> mnist); pyproject.toml registers them
# (with --strict-markers, a hand-written mark that is not a part fails collection) and
# tests/test_markers.py holds that list to the rubric.
#
# A test is about a part when one of its parameters names it: a part id, a rubric Part, a
# catalog entry (its ``part``, or the class it ``replaces``), a class of the assignment
# (a subclass of a reference class), or an object with such a ``part``; or when its module
# is about one part only (PART_OF_MODULE). Hand marks (@pytest.mark.relu) add to these.

PART_OF_MODULE = {"test_mnist_check.py": "mnist_training"}


def part_marker(part_id):
    """The marker name of a rubric part: its id without the method's word."""
    return part_id.rsplit("_", 1)[0]


def _part_of_class():
    """{class name the students write: part id} ("Relu" -> "relu_backward"): the part of
    each class's answer cell (TwoLayerNet's is its gradient, not the training run)."""
    from selfcheck.assignment import PARTS

    return {part.cls: part.id for part in PARTS if part.cells.solution}


def _parts_named_by(value, parts, classes):
    """The part ids ``value`` (a test parameter) names (see above)."""
    if isinstance(value, str):
        return {value} & parts
    if isinstance(value, type):
        return {classes[base.__name__] for base in value.__mro__
                if base.__name__ in classes and base.__module__.startswith("solutions")}
    found = set()
    for attribute in ("part", "id"):  # a catalog entry's part; a rubric Part's id
        named = getattr(value, attribute, None)
        if isinstance(named, str) and named in parts:
            found.add(named)
    replaces = getattr(value, "replaces", None)
    if not found and isinstance(replaces, str) and replaces in classes:
        found.add(classes[replaces])
    return found


def pytest_collection_modifyitems(config, items):
    from selfcheck.assignment import PART

    parts, classes = set(PART), _part_of_class()
    for item in items:
        about = set()
        callspec = getattr(item, "callspec", None)
        if callspec is not None:
            for value in callspec.params.values():
                about |= _parts_named_by(value, parts, classes)
        if item.path.name in PART_OF_MODULE:
            about.add(PART_OF_MODULE[item.path.name])
        for part_id in sorted(about):
            item.add_marker(part_marker(part_id))


@pytest.fixture
def ctrl_c():
    """Ctrl-C raises KeyboardInterrupt, as in a terminal, for the test's length. A shell
    without job control starts a background job with SIGINT ignored, and Python then
    leaves it so: tests of what Ctrl-C does would see nothing happen."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)
