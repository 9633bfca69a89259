"""Hidden checks of MulLayer.backward."""

import pytest

from autograder.checks.gradient_cache import cached_numerical_gradient
from autograder.checks.layer_pass import expect_no_carry_over, run_layer
from autograder.expectations import (
    call_student,
    expect_array,
    expect_close,
    expect_gradient,
    expect_pair,
)
from selfcheck.messages import of, say
from selfcheck.numerics import FORWARD_TOL, GRADIENT_TOL

SHAPES = [(3,), (2, 4), (1, 5)]


def test_apple_example(code):
    """Does the buying-apples graph give price 220 and gradients 2.2, 110, 200?"""
    mul_apple = call_student("MulLayer()", code.MulLayer)
    mul_tax = call_student("MulLayer()", code.MulLayer)
    apple_price = call_student("MulLayer.forward", mul_apple.forward, 100, 2)
    price = call_student("MulLayer.forward", mul_tax.forward, apple_price, 1.1)
    expect_close(say("what_forward_price"), price, 220.0, FORWARD_TOL)

    # Each node is checked as soon as it has run backward, so a mistake is named where it is.
    dapple_price, dtax = _node_backward(mul_tax, 1, {"x": 200.0, "y": 1.1},
                                        ("d price / d apple_price", 1.1),
                                        ("d price / d tax", 200.0))
    _node_backward(mul_apple, dapple_price, {"x": 100.0, "y": 2.0},
                   ("d price / d apple", 2.2), ("d price / d apple_num", 110.0))


def _node_backward(layer, dout, inputs, dx_expected, dy_expected):
    """backward(dout) of one node of the example; both gradients checked and returned."""
    grads = expect_pair("MulLayer.backward",
                        call_student("MulLayer.backward", layer.backward, dout))
    context = {**inputs, "dout": dout}
    for (name, want), got, target in zip((dx_expected, dy_expected), grads,
                                         ("MulLayer.dx", "MulLayer.dy"), strict=True):
        got = expect_array(of("MulLayer.backward", name), got, ())
        expect_close(say("what_apple_example", name=name, want=want),
                     got, want,
                     GRADIENT_TOL, target=target, context=context)
    return grads


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_backward_returns_pair(code, rng, shape):
    """Does backward return a pair of gradients shaped like x and y?"""
    x, y = rng.standard_normal(shape), rng.standard_normal(shape)
    forward, backward, _ = run_layer(code, "MulLayer", (x, y), (rng.standard_normal(shape),),
                                     made_as="MulLayer()")
    call_student("MulLayer.forward", forward.get)
    dx, dy = expect_pair("MulLayer.backward", call_student("MulLayer.backward", backward.get))
    expect_array(of("MulLayer.backward", "dx"), dx, shape)
    expect_array(of("MulLayer.backward", "dy"), dy, shape)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_backward_matches_numerical(code, ref, rng, shape, first_seed):
    """Do dx and dy match central differences of the trusted forward, on a new layer and
    (first seed) on one that has made a pass before?"""
    x, y, dout = (rng.standard_normal(shape) for _ in range(3))
    forward, backward, _ = run_layer(code, "MulLayer", (x.copy(), y.copy()), (dout.copy(),),
                                     made_as="MulLayer()")
    call_student("MulLayer.forward", forward.get)
    dx, dy = expect_pair("MulLayer.backward", call_student("MulLayer.backward", backward.get))
    dx = expect_array(of("MulLayer.backward", "dx"), dx, shape)
    dy = expect_array(of("MulLayer.backward", "dy"), dy, shape)

    trusted = ref.MulLayer()
    num_dx = cached_numerical_gradient(lambda a: trusted.forward(a, y), x.copy(), dout)
    num_dy = cached_numerical_gradient(lambda b: trusted.forward(x, b), y.copy(), dout)
    context = {"x": x, "y": y, "dout": dout}
    expect_gradient(of("MulLayer.backward", "dx"), dx, num_dx, GRADIENT_TOL,
                    target="MulLayer.dx", context=context)
    expect_gradient(of("MulLayer.backward", "dy"), dy, num_dy, GRADIENT_TOL,
                    target="MulLayer.dy", context=context)
    if first_seed:
        before = (rng.standard_normal(shape), rng.standard_normal(shape)), \
            (rng.standard_normal(shape),)
        expect_no_carry_over(code, "MulLayer", [(dx, dy)], before, (x.copy(), y.copy()),
                             (dout.copy(),))
