"""Hidden checks of Relu.backward.

Inputs are kept at least 0.01 away from 0, where ReLU has its kink: there the derivative
is a convention (the book's mask x <= 0 and a mask x < 0 are both correct), and central
differences across the kink mean nothing.
"""

import numpy as np
import pytest

from autograder.checks.backprop_gate import expect_backprop
from autograder.checks.gradient_cache import cached_numerical_gradient
from autograder.checks.layer_pass import (
    expect_no_carry_over,
    extreme_magnitudes,
    forward_backward,
    reference_pass,
)
from autograder.expectations import expect_array, expect_gradient
from selfcheck.messages import of, say
from selfcheck.numerics import GRADIENT_TOL, away_from_zero, relative_error

SHAPES = [(4, 5), (2, 3, 4), (7,)]


def _check(code, ref, x, dout):
    trusted = ref.Relu()
    expected_out = trusted.forward(x.copy())
    dx, _ = forward_backward(code, "Relu", x, dout, expected_out=expected_out)
    dx = expect_array(of("Relu.backward", "dx"), dx, x.shape, target="Relu.dx")
    numerical = cached_numerical_gradient(lambda a: ref.Relu().forward(a), x.copy(), dout)
    expect_gradient(of("Relu.backward", "dx"), dx, numerical, GRADIENT_TOL,
                    target="Relu.dx", context={"x": x, "dout": dout})
    return dx


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_backward_shape(code, rng, shape):
    """Does dx have the shape of x?"""
    x = away_from_zero(rng, shape)
    dx, _ = forward_backward(code, "Relu", x, rng.standard_normal(shape))
    expect_array(of("Relu.backward", "dx"), dx, shape)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_backward_matches_numerical(code, ref, rng, shape, first_seed):
    """Does dx pass dout through where x > 0 and block it elsewhere, on a new layer and
    (first seed) on one that has made a pass before?"""
    x, dout = away_from_zero(rng, shape), rng.standard_normal(shape)
    dx = _check(code, ref, x, dout)
    if first_seed:
        before = (away_from_zero(rng, shape),), (rng.standard_normal(shape),)
        expect_no_carry_over(code, "Relu", [dx], before, (x.copy(),), (dout.copy(),))


@pytest.mark.parametrize("case", ["batch_of_one", "all_negative", "all_positive", "large"])
def test_backward_edge_inputs(code, ref, rng, case):
    """Edge inputs: one sample, every unit off, every unit on, large values."""
    x = {
        "batch_of_one": away_from_zero(rng, (1, 6)),
        "all_negative": -np.abs(away_from_zero(rng, (3, 4))),
        "all_positive": np.abs(away_from_zero(rng, (3, 4))),
        "large": 1e3 * away_from_zero(rng, (3, 4)),
    }[case]
    _check(code, ref, x, rng.standard_normal(x.shape))


def test_backward_is_backprop(code, ref, rng, passed):
    """Is dx exact even where finite differences cannot be (|x| from 1e-300 to 1e300)?"""
    def error(x):
        dout = rng.standard_normal(x.shape)
        dx, _ = forward_backward(code, "Relu", x, dout)
        dx = expect_array(of("Relu.backward", "dx"), dx, x.shape)
        return relative_error(dx, reference_pass(ref.Relu, x, dout)[1])

    expect_backprop(code, "Relu.backward", passed("test_backward_matches_numerical"),
                    lambda: error(away_from_zero(rng, (4, 25))),
                    [(say("probe_extreme"), lambda: error(extreme_magnitudes(rng, (4, 25))))])
