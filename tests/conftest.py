"""Shared fixtures of the project's tests."""

import os
from pathlib import Path

import pytest

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
    from autograder.runner import run_checks
    from autograder.student_code import REQUIRED_CLASSES, StudentCode
    from selfcheck.assignment import GRADIENT_PARTS as every

    cache = {}

    def grade(parts=None, **classes):
        parts = tuple(parts or every)
        key = (parts, tuple(sorted(classes.items(), key=lambda item: item[0])))
        if key not in cache:
            reference = {name: getattr(solutions, name) for name in REQUIRED_CLASSES}
            code = StudentCode({**reference, **classes}, origin="a test")
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
