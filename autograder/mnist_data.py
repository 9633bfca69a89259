"""The grader's own copies of MNIST, loaded once per process: the training set a run's
batches index (and the workers' read-only copy of it), and the held-out test images the
grader measures accuracy on."""

import functools
from pathlib import Path

import numpy as np


@functools.cache
def _mnist():
    from course_data import load_mnist

    return load_mnist(normalize=False)


def training_set():
    """(x_train uint8 (60000, 784), t_train (60000,)): the images a run's batches index."""
    (x_train, t_train), _ = _mnist()
    return x_train, t_train


@functools.cache
def held_out_images(dtype):
    """(x_test (10000, 784) in [0, 1] as ``dtype``, t_test (10000,))."""
    _, (x_test, t_test) = _mnist()
    return x_test.astype(dtype) / np.dtype(dtype).type(255), t_test


def write_worker_data(folder):
    """Save the MNIST training set as .npy in ``folder`` for sandboxed workers (read-only,
    memory-mapped: a worker reads the batches the grader names)."""
    x_train, t_train = training_set()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for name, array in (("x_train", x_train), ("t_train", t_train)):
        np.save(folder / f"{name}.npy", array)
    return folder
