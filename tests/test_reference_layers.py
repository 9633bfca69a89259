"""The grader's stand-in layers for a student's network in the sandbox: answered only for
the network it built, with the inputs that network gives them; a refused pass records the
mistake it looked like, so that the checks can name it (the worker only hears "refused")."""

import numpy as np
import pytest

from autograder.reference_layers import (
    NO_FORWARD,
    NUMBER_FOR_ARRAY,
    OTHER_SHAPE,
    NetworkStandIns,
)
from autograder.sandbox.session import Refused

SIZES = (6, 5, 4)  # D, H, C
N = 3
STUBS = [11, 12, 13, 14]


@pytest.fixture
def scope():
    """A request's scope for the book's network, every layer a stand-in."""
    placed = [[0, "Affine", 11], [1, "Relu", 12], [2, "Affine", 13],
              [3, "SoftmaxWithLoss", 14]]
    return NetworkStandIns(SIZES, placed, STUBS).scope(N)


def _call(stub, method, *args, state=None):
    return {"stub": stub, "method": method, "args": list(args), "state": state}


def test_an_ordinary_pass_is_answered(scope):
    """Does the Relu stand-in answer a forward of the shape the network gives it?"""
    x = np.array([[-1.0, 2.0, 0.5, -3.0, 1.0]] * N)
    answer = scope.answer(_call(12, "forward", x))
    assert np.array_equal(answer["value"], np.maximum(x, 0)) and scope.refusal is None


@pytest.mark.parametrize(("value", "cause"), [
    (1, NUMBER_FOR_ARRAY),  # dout = 1 fed straight into Affine2 (the loss layer skipped)
    (np.ones((N, 5)), OTHER_SHAPE),  # Affine2's dout of Affine1's width: forward order
    ("x", None),  # nothing a usual mistake makes
])
def test_a_refused_backward_records_what_it_looked_like(scope, value, cause):
    """Is Affine2's backward with a number, an array of another shape or a string refused,
    with the cause the checks turn into a diagnosis?"""
    with pytest.raises(Refused):
        scope.answer(_call(13, "backward", value))
    assert scope.refusal == cause


def test_a_backward_before_any_forward_is_refused_as_such(scope):
    """Does the loss layer's backward, before any forward pass, record NO_FORWARD (rather
    than the reference's own AttributeError reaching the student)?"""
    with pytest.raises(Refused, match="forward"):
        scope.answer(_call(14, "backward", 1))
    assert scope.refusal == NO_FORWARD


def test_a_layer_it_did_not_place_is_refused_with_no_cause(scope):
    """Is a stub the grader never sent refused, with no diagnosis to give?"""
    with pytest.raises(Refused):
        scope.answer(_call(99, "forward", np.ones((N, 5))))
    assert scope.refusal is None


def test_the_loss_layer_takes_labels_or_one_hot_of_any_numeric_dtype(scope):
    """Does the loss stand-in answer labels and one-hot targets as floats, integers
    (np.eye(C, dtype=int)[t]) or booleans, for the batch or one of its samples, and refuse
    labels out of range or targets of another shape?"""
    scores, labels = np.zeros((N, SIZES[2])), np.array([0, 3, 1])
    for t in (labels, np.eye(SIZES[2])[labels], np.eye(SIZES[2], dtype=int)[labels],
              np.eye(SIZES[2], dtype=bool)[labels]):
        assert scope.answer(_call(14, "forward", scores, t))["value"] == pytest.approx(
            np.log(SIZES[2]))
        scope.answer(_call(14, "forward", scores[:1], t[:1]))
        scope = NetworkStandIns(SIZES, [[3, "SoftmaxWithLoss", 14]], STUBS).scope(N)
    for t in (np.array([0, 3, 4]), np.eye(SIZES[2])[labels][:, :3], labels[:2]):
        with pytest.raises(Refused):
            scope.answer(_call(14, "forward", scores, t))


def _gradient_with_mask(params, x, t, active):
    """The book's network's gradient with ReLU's mask given: (N, H) bool, unit passes."""
    hidden = x @ params["W1"] + params["b1"]
    out = np.where(active, hidden, 0.0)
    scores = out @ params["W2"] + params["b2"]
    prob = np.exp(scores - scores.max(axis=1, keepdims=True))
    prob /= prob.sum(axis=1, keepdims=True)
    dscores = (prob - np.eye(scores.shape[1])[t]) / len(x)
    dhidden = np.where(active, dscores @ params["W2"].T, 0.0)
    return {"W1": x.T @ dhidden, "b1": dhidden.sum(axis=0), "W2": out.T @ dscores,
            "b2": dscores.sum(axis=0)}


def test_the_gradient_range_bounds_every_side_of_the_kink():
    """Where hidden units sit at ReLU's kink, does the range hold the gradient of every
    choice of their sides (each unit on or off), and no wider than they make it?"""
    from itertools import product

    from autograder.reference_layers import reference_gradient_range

    rng = np.random.default_rng(3)
    d, h, c = SIZES
    params = {"W1": rng.standard_normal((d, h)), "b1": rng.standard_normal(h),
              "W2": rng.standard_normal((h, c)), "b2": rng.standard_normal(c)}
    x, t = rng.standard_normal((N, d)), rng.integers(0, c, N)
    kinks = [(0, 1), (1, 1), (2, 3)]  # put these units' inputs a hair from 0
    for sample, unit in kinks:
        params["b1"][unit] = 0.0
        x[sample, -1] = 0.0
        x[sample, 0] = -(x[sample, 1:] @ params["W1"][1:, unit]) / params["W1"][0, unit]
    hidden = x @ params["W1"] + params["b1"]
    assert all(abs(hidden[k]) < 1e-12 for k in kinks)
    _, ranges = reference_gradient_range(params, x, t, rounding=1e-9)
    sides = []
    for choice in product([False, True], repeat=len(kinks)):
        active = hidden > 0
        for kink, on in zip(kinks, choice, strict=True):
            active[kink] = on
        sides.append(_gradient_with_mask(params, x, t, active))
    for key, (low, high) in ranges.items():
        every = np.stack([side[key] for side in sides])
        assert np.allclose(low, every.min(axis=0), atol=1e-9), key
        assert np.allclose(high, every.max(axis=0), atol=1e-9), key
    assert not np.allclose(ranges["W1"][0], ranges["W1"][1])  # the kinks do move W1


def test_without_a_unit_at_the_kink_the_range_is_the_gradient():
    """Is the range a single point, the reference gradient, when no unit is near 0?"""
    from autograder.reference_layers import reference_gradient, reference_gradient_range

    rng = np.random.default_rng(4)
    d, h, c = SIZES
    params = {"W1": rng.standard_normal((d, h)), "b1": rng.standard_normal(h),
              "W2": rng.standard_normal((h, c)), "b2": rng.standard_normal(c)}
    x, t = rng.standard_normal((N, d)), rng.integers(0, c, N)
    _, ranges = reference_gradient_range(params, x, t, rounding=1e-9)
    _, gradient = reference_gradient(params, x, t)
    for key, (low, high) in ranges.items():
        assert np.array_equal(low, gradient[key]) and np.array_equal(high, gradient[key])
