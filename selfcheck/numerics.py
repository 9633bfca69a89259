"""Numerics shared by the hidden checks and the public self-checks: central differences,
relative error with a floor, and the tolerances (each justified where it is set).

All in float64. The grader computes every expected gradient itself, from the trusted
forward functions in ``solutions`` (never from the student's code); the self-checks, which
students run, differentiate the given forward passes of their own notebook.
"""

import numpy as np

# Step for central differences. The truncation error is O(h^2 * f''') ~ 1e-10 and the
# rounding error O(eps * |f| / h) ~ 1e-11 for the O(1) functions checked here, so with
# h = 1e-5 the numerical gradients are good to about 1e-9 absolute.
STEP = 1e-5

# Relative error is measured against the larger of the two gradients' magnitudes, with this
# floor: gradients smaller than 1e-3 overall count as "about zero" and are compared in
# absolute terms, so numerical noise (~1e-9) on a vanishing gradient cannot fail a check.
FLOOR = 1e-3

# Tolerances on that relative error. The reference stays below 1e-8 on every check over
# 25 seeds (tests/test_reference_calibration.py prints the figures), while the mistakes
# students make give 1e-2 or more (a factor of N or -1, a transpose, a missing term):
# 1e-6 leaves two orders of magnitude on either side.
GRADIENT_TOL = 1e-6
# Softmax-with-loss: the book's loss adds 1e-7 inside the log, so (y - t) / N differs from
# the exact gradient of *that* loss by up to ~1e-5 relative. We differentiate the exact loss
# (no 1e-7), which (y - t) / N matches to ~1e-9, and allow 1e-4 so that code following
# either convention passes; missing the 1/N or the labels still gives >= 0.5.
SOFTMAX_TOL = 1e-4
# Forward outputs computed by the same formula as the reference: only rounding differs.
FORWARD_TOL = 1e-9
# Backprop, not finite differences: on inputs where differences lose their precision
# (ReLU inputs from 1e-300 to 1e300, a saturated sigmoid, an Affine bias of 1e12, scores
# offset by 1e6) every analytic backward tried stays within 4e-13 of the exact gradient
# (y - y^2, exp(-x) / (1 + exp(-x))^2, loops, einsum), while central differences with any
# step err by 1e-9 or more and the 5-point stencil, the best of them, by 3e-11
# (tests/test_backprop_gate.py prints the table): 3e-12 leaves ~8x on either side.
EXACT_TOL = 3e-12
# Except for scores offset by 1e6: an analytic backward that takes log-probabilities as
# x - logsumexp(x) (not x - max first) rounds them to the spacing of floats near 1e6,
# 1.2e-10, and errs by up to 5e-11 (correct code a red team wrote failed 3e-12), while
# finite differences of the exact loss there, central or 5-point with any step, err by
# 9e-10 or more (tests/test_backprop_gate.py prints the table): 3e-10 leaves ~6x and ~3x.
# What decides for softmax is the gate's wide probe (100,000 classes), where differences
# need a pass per class: minutes.
OFFSET_SCORES_TOL = 3e-10


def relative_error(got, expected, floor=FLOOR):
    """max |got - expected| / max(max |got|, max |expected|, floor), as a float.

    Both arrays must have the same shape; shapes are checked (with a message for the
    student) before this is called.
    """
    got = np.asarray(got, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    if got.size == 0:
        return 0.0
    scale = max(float(np.max(np.abs(got))), float(np.max(np.abs(expected))), floor)
    return float(np.max(np.abs(got - expected))) / scale


def numerical_gradient(f, x, dout, h=STEP):
    """Gradient of sum(f(x) * dout) with respect to x, by central differences.

    f: callable mapping x to an array (or scalar) shaped like dout; it may read x through a
       closure, as x is perturbed in place and restored exactly.
    x: float64 array of any shape. dout: the upstream gradient, shaped like f(x).
    Returns an array shaped like x (CS231n's eval_numerical_gradient_array).
    """
    grad = np.zeros_like(x, dtype=np.float64)
    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    while not it.finished:
        idx = it.multi_index
        original = x[idx].copy()
        x[idx] = original + h
        f_plus = np.array(f(x), dtype=np.float64, copy=True)
        x[idx] = original - h
        f_minus = np.array(f(x), dtype=np.float64, copy=True)
        x[idx] = original
        grad[idx] = np.sum((f_plus - f_minus) * dout) / (2 * h)
        it.iternext()
    return grad


def away_from_zero(rng, shape, margin=1e-2):
    """Standard-normal float64 values pushed at least ``margin`` away from 0.

    ReLU has a kink at 0 where the numerical gradient is meaningless; keeping inputs
    100 x STEP... 1000 x STEP away from it makes the check exact (no false failures).
    """
    x = rng.standard_normal(shape)
    return np.where(x >= 0, x + margin, x - margin)


def softmax(x):
    """Row-wise softmax of (N, C) scores in float64, shifted by each row's max so that
    large scores cannot overflow."""
    e = np.exp(np.asarray(x, dtype=np.float64) - np.max(x, axis=1, keepdims=True))
    return e / np.sum(e, axis=1, keepdims=True)


def softmax_cross_entropy(x, t):
    """Exact mean cross-entropy of softmax(x) against t, computed stably.

    x: (N, C) scores. t: (N,) labels or (N, C) one-hot (or soft) targets.
    Uses log-softmax (x - logsumexp(x)), with no 1e-7: its gradient is exactly (y - t) / N.
    """
    shifted = x - np.max(x, axis=1, keepdims=True)
    log_y = shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    n = x.shape[0]
    if t.ndim == 1:
        return -float(np.sum(log_y[np.arange(n), t])) / n
    return -float(np.sum(t * log_y)) / n
