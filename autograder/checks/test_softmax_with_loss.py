"""Hidden checks of SoftmaxWithLoss.backward.

Expected gradients come from central differences of the *exact* mean cross-entropy
(``selfcheck.numerics.softmax_cross_entropy``, a stable log-softmax without the book's
1e-7); see ``SOFTMAX_TOL`` for why code following either convention passes.
"""

import numpy as np
import pytest

import solutions
from autograder.checks.backprop_gate import WIDE_BATCH, WIDE_CLASSES, expect_backprop
from autograder.checks.gradient_cache import cached_numerical_gradient
from autograder.checks.layer_pass import expect_no_carry_over, run_layer
from autograder.expectations import (
    CheckFailed,
    call_student,
    expect_array,
    expect_close,
    expect_gradient,
)
from selfcheck.diagnosis import diagnose_error, named
from selfcheck.messages import of, say
from selfcheck.numerics import (
    FORWARD_TOL,
    GRADIENT_TOL,
    OFFSET_SCORES_TOL,
    SOFTMAX_TOL,
    relative_error,
    softmax,
    softmax_cross_entropy,
)

SHAPES = [(4, 3), (6, 10), (2, 5)]


def _backward(code, x, t):
    """Student's forward(x, t) then backward(1); returns dx checked for shape.

    The loss returned by forward is checked first against the given forward pass.
    """
    forward, backward, _ = run_layer(code, "SoftmaxWithLoss", (x.copy(), t.copy()), (1,),
                                     made_as="SoftmaxWithLoss()")
    loss = call_student("SoftmaxWithLoss.forward", forward.get)
    loss = expect_array(of("SoftmaxWithLoss.forward", say("what_loss")), loss, ())
    # The book's loss (+ 1e-7 inside the log) or the exact one (log-softmax): both correct.
    book = solutions.SoftmaxWithLoss().forward(x.copy(), t.copy())
    exact = softmax_cross_entropy(x, t)
    expected = exact if relative_error(loss, exact) < relative_error(loss, book) else book
    expect_close(of("SoftmaxWithLoss.forward", say("what_loss")), loss, expected, FORWARD_TOL,
                 reason=say("reason_given_forward"),
                 target="SoftmaxWithLoss.loss")
    dx = call_student("SoftmaxWithLoss.backward", backward.get,
                      hint=lambda error: diagnose_error("SoftmaxWithLoss.backward", error,
                                                        {"t": t}))
    return expect_array(of("SoftmaxWithLoss.backward", "dx"), dx, x.shape,
                        target="SoftmaxWithLoss.dx", context=_context(x, t))


def _context(x, t):
    """What the softmax mistakes are computed from: y, one-hot t and N."""
    y = softmax(x)
    return {"y": y, "t": t if t.ndim == 2 else _one_hot(t, x.shape[1]), "n": x.shape[0]}


def _one_hot(labels, c):
    """(N, C) one-hot rows of ``labels`` (np.eye(c)[labels] would make C x C numbers)."""
    return (np.arange(c) == labels[:, None]).astype(np.float64)


def _labels(rng, n, c):
    return rng.integers(0, c, size=n)


def _label_problem(rng, shape):
    """(x, t) of a seed's case of ``shape`` with label targets: the shape check and the
    label check draw the same, so the student's layer answers their question once."""
    return 2.0 * rng.standard_normal(shape), _labels(rng, *shape)


def _check(code, x, t, what):
    dx = _backward(code, x, t)
    numerical = cached_numerical_gradient(lambda a: softmax_cross_entropy(a, t), x.copy(), 1.0)
    what = say(what, what=of("SoftmaxWithLoss.backward", "dx"))  # a key: what_label_targets...
    expect_gradient(what, dx, numerical, SOFTMAX_TOL,
                    target="SoftmaxWithLoss.dx", context=_context(x, t))
    return dx


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_backward_shape(code, rng, shape):
    """Does dx have the shape of the scores x?"""
    _backward(code, *_label_problem(rng, shape))


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_backward_one_hot(code, rng, shape):
    """With one-hot targets, does dx match central differences of the loss?"""
    t = np.eye(shape[1])[_labels(rng, *shape)]
    _check(code, 2.0 * rng.standard_normal(shape), t, "what_one_hot_targets")


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_backward_labels(code, rng, shape, first_seed):
    """With label-index targets, does dx match central differences of the loss, on a new
    layer and (first seed) on one that has made a pass before?"""
    x, t = _label_problem(rng, shape)
    dx = _check(code, x, t, "what_label_targets")
    if first_seed:
        expect_no_carry_over(code, "SoftmaxWithLoss", [dx], (_label_problem(rng, shape), (1,)),
                             (x.copy(), t.copy()), (1,))
        _expect_dout_applied_or_ignored(code, x, t, dx)


# The upstream gradient the dout check passes: not 1, whose product and quotient are alike.
DOUT = 2.0


def _expect_dout_applied_or_ignored(code, x, t, dx):
    """backward(DOUT) after the same forward: the chain rule gives DOUT * dx; the book's
    code, written for the last layer (dout = 1), ignores dout and gives dx. Both are right
    where the layer is used; anything else (dx / dout, say) is not."""
    _, backward, _ = run_layer(code, "SoftmaxWithLoss", (x.copy(), t.copy()), (DOUT,),
                               made_as="SoftmaxWithLoss()")
    got = call_student("SoftmaxWithLoss.backward", backward.get)
    got = expect_array(of("SoftmaxWithLoss.backward", "dx"), got, x.shape)
    if min(relative_error(got, DOUT * dx), relative_error(got, dx)) > FORWARD_TOL:
        raise CheckFailed(named("softmax_dout_misused", dout=DOUT))


@pytest.mark.parametrize("targets", ["labels", "one_hot"])
def test_backward_large_logits(code, rng, targets):
    """Scores in the thousands: is dx finite and equal to (y - t) / N?

    Central differences lose their precision at this scale, so the expected gradient is
    the closed form, from a stable softmax.
    """
    n, c = 5, 4
    x = 1000.0 * rng.standard_normal((n, c))
    labels = _labels(rng, n, c)
    t = labels if targets == "labels" else np.eye(c)[labels]
    dx = _backward(code, x, t)
    y = np.exp(x - x.max(axis=1, keepdims=True))
    y /= y.sum(axis=1, keepdims=True)
    expected = (y - np.eye(c)[labels]) / n
    what = say(f"what_large_scores_{targets}", what=of("SoftmaxWithLoss.backward", "dx"))
    expect_close(what, dx, expected,
                 GRADIENT_TOL, target="SoftmaxWithLoss.dx", context=_context(x, t))


@pytest.mark.parametrize("targets", ["labels", "one_hot"])
def test_backward_batch_of_one(code, rng, targets):
    """A batch of one sample, shaped (1, C)."""
    labels = _labels(rng, 1, 6)
    t = labels if targets == "labels" else np.eye(6)[labels]
    _check(code, rng.standard_normal((1, 6)), t, "what_batch_of_one")


def test_backward_is_backprop(code, rng, passed, first_seed):
    """Is dx exact even for scores offset by 1e6 (where finite differences of the loss
    lose every digit), and fast for 1,000 classes at batch 100 (first seed)?"""
    def error(x, t):
        dx = _backward(code, x, t)
        trusted = solutions.SoftmaxWithLoss()
        trusted.forward(x.copy(), t.copy())
        return relative_error(dx, trusted.backward(1))

    x, t = 2.0 * rng.standard_normal((6, 5)), _labels(rng, 6, 5)
    # The gate asks in the form of targets whose check earned points (a backward that
    # handles only one-hot targets is a bug the other checks judge, not evidence).
    earned = passed("test_backward_labels")
    one_hot = not earned and passed("test_backward_one_hot")
    if one_hot:
        earned, t = True, np.eye(5)[t]

    def full_size(n, c):  # drawn only on the seed that asks for it
        big_x, big_t = 2.0 * rng.standard_normal((n, c)), _labels(rng, n, c)
        return error(big_x, _one_hot(big_t, c) if one_hot else big_t)

    expect_backprop(code, "SoftmaxWithLoss.backward", earned, lambda: error(x, t),
                    [(say("probe_offset_scores"), lambda: error(x + 1e6, t), OFFSET_SCORES_TOL)],
                    [(say("probe_full_size", shape="100 x 1000"), lambda: full_size(100, 1000)),
                     (say("probe_wide", shape=f"{WIDE_BATCH} x {WIDE_CLASSES:,}"),
                      lambda: full_size(WIDE_BATCH, WIDE_CLASSES))]
                    if first_seed else [], tol=SOFTMAX_TOL)
