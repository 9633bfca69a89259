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
