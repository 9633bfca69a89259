"""Hidden checks of Sigmoid.backward."""

import numpy as np
import pytest

from autograder.checks.backprop_gate import expect_backprop
from autograder.checks.gradient_cache import cached_numerical_gradient
from autograder.checks.layer_pass import (
    expect_no_carry_over,
    forward_backward,
    reference_pass,
    saturated,
)
from autograder.expectations import expect_array, expect_close, expect_gradient
from selfcheck.messages import of, say
from selfcheck.numerics import GRADIENT_TOL, relative_error

SHAPES = [(4, 5), (2, 3, 4), (7,)]


def _inputs(rng, shape):
    """(x, dout) of a seed's case of ``shape``: the shape check and the gradient check
    draw the same, so the student's layer answers their question once."""
    return 2.0 * rng.standard_normal(shape), rng.standard_normal(shape)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_backward_shape(code, rng, shape):
    """Does dx have the shape of x?"""
    dx, _ = forward_backward(code, "Sigmoid", *_inputs(rng, shape))
    expect_array(of("Sigmoid.backward", "dx"), dx, shape)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_backward_matches_numerical(code, ref, rng, shape, first_seed):
    """Does dx = dout * y * (1 - y) match central differences, on a new layer and (first
    seed) on one that has made a pass before?"""
    x, dout = _inputs(rng, shape)
    dx, _ = forward_backward(code, "Sigmoid", x, dout,
                             expected_out=ref.Sigmoid().forward(x.copy()))
    dx = expect_array(of("Sigmoid.backward", "dx"), dx, shape, target="Sigmoid.dx")
    numerical = cached_numerical_gradient(lambda a: ref.Sigmoid().forward(a), x.copy(), dout)
    context = {"x": x, "y": ref.Sigmoid().forward(x.copy()), "dout": dout}
    expect_gradient(of("Sigmoid.backward", "dx"), dx, numerical, GRADIENT_TOL,
                    target="Sigmoid.dx", context=context)
    if first_seed:
        other_x, other_dout = _inputs(rng, shape)
        expect_no_carry_over(code, "Sigmoid", [dx], ((other_x,), (other_dout,)), (x.copy(),),
                             (dout.copy(),))


def test_backward_large_inputs(code, rng):
    """Large |x| (the given forward warns about overflow in exp there): is dx finite and
    the saturated derivative, y * (1 - y), times dout?

    Central differences are useless where the sigmoid is flat to machine precision, so the
    expected gradient is computed in closed form from a numerically stable sigmoid.
    """
    x = np.array([[-800.0, -40.0, -12.0, 0.5], [12.0, 40.0, 800.0, -0.5]])
    dout = rng.standard_normal(x.shape)
    with np.errstate(over="ignore"):
        dx, _ = forward_backward(code, "Sigmoid", x, dout)
    y = np.exp(-np.logaddexp(0.0, -x))  # stable sigmoid
    what = say("what_large_x", what=of("Sigmoid.backward", "dx"))
    dx = expect_array(what, dx, x.shape, target="Sigmoid.dx",
                      context={"x": x, "y": y, "dout": dout})
    expect_close(what, dx, dout * y * (1 - y), GRADIENT_TOL,
                 target="Sigmoid.dx", context={"x": x, "y": y, "dout": dout})


def test_backward_is_backprop(code, ref, rng, passed):
    """Is dx exact, even where the sigmoid saturates and finite differences lose their
    digits?"""
    def error(x):
        dout = rng.standard_normal(x.shape)
        dx, _ = forward_backward(code, "Sigmoid", x, dout)
        dx = expect_array(of("Sigmoid.backward", "dx"), dx, x.shape)
        return relative_error(dx, reference_pass(ref.Sigmoid, x, dout)[1])

    expect_backprop(code, "Sigmoid.backward", passed("test_backward_matches_numerical"),
                    lambda: error(2.0 * rng.standard_normal((4, 25))),
                    [(say("probe_saturated"), lambda: error(saturated(rng, (4, 25))))])
