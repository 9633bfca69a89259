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
