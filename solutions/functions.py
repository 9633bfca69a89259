"""Softmax and cross-entropy, as in the book (given to students in a read-only cell)."""

import numpy as np


def softmax(x):
    """Row-wise softmax.

    x: (N, C) scores, or (C,) for one sample.
    Returns probabilities of the same shape; each row sums to 1.
    Subtracting the row maximum first keeps ``np.exp`` from overflowing for large scores
    (softmax is unchanged by adding a constant to every score of a row).
    """
    x = x - x.max(axis=-1, keepdims=True)
    e = np.exp(x)
    return e / e.sum(axis=-1, keepdims=True)


def cross_entropy_error(y, t):
    """Mean cross-entropy of predicted probabilities ``y`` against targets ``t``.

    y: (N, C) probabilities, or (C,) for one sample.
    t: (N, C) one-hot targets, or (N,) integer labels (or the 1-sample forms).
    Returns a Python float: -(1/N) * sum_n log(y[n, label_n] + 1e-7).
    The 1e-7 keeps log away from -inf when a probability underflows to 0.
    """
    if y.ndim == 1:
        t = t.reshape(1, t.size)
        y = y.reshape(1, y.size)
    if t.size == y.size:  # one-hot targets: turn them into label indices
        t = t.argmax(axis=1)
    batch_size = y.shape[0]
    return float(-np.log(y[np.arange(batch_size), t] + 1e-7).sum() / batch_size)
