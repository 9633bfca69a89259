"""Hidden checks of AddLayer.backward.

The apples-and-oranges graph also needs MulLayer: the trusted one is used, so a wrong
MulLayer.backward costs nothing here.
"""

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


def test_apple_orange_example(code, ref):
    """Does the apples-and-oranges graph give 715 and gradients 110, 2.2, 3.3, 165, 650?"""
    mul_apple, mul_orange, mul_tax = ref.MulLayer(), ref.MulLayer(), ref.MulLayer()
    add = call_student("AddLayer()", code.AddLayer)

    apple_price = mul_apple.forward(100, 2)
    orange_price = mul_orange.forward(150, 3)
    total = call_student("AddLayer.forward", add.forward, apple_price, orange_price)
    price = mul_tax.forward(total, 1.1)
    expect_close(say("what_forward_price"), price, 715.0, FORWARD_TOL)

    dtotal, dtax = mul_tax.backward(1)
    dapple_price, dorange_price = expect_pair(
        "AddLayer.backward", call_student("AddLayer.backward", add.backward, dtotal))
    dapple_price = expect_array(of("AddLayer.backward", say("what_first_gradient")),
                                dapple_price, ())
    dorange_price = expect_array(of("AddLayer.backward", say("what_second_gradient")),
                                 dorange_price, ())
    dapple, dapple_num = mul_apple.backward(dapple_price)
    dorange, dorange_num = mul_orange.backward(dorange_price)
    for name, got, want in [("d price / d apple_num", dapple_num, 110.0),
                            ("d price / d apple", dapple, 2.2),
                            ("d price / d orange", dorange, 3.3),
                            ("d price / d orange_num", dorange_num, 165.0),
                            ("d price / d tax", dtax, 650.0)]:
        expect_close(say("what_apple_orange_example", name=name, want=want), got, want,
                     GRADIENT_TOL)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_backward_returns_pair(code, rng, shape):
    """Does backward return a pair of gradients shaped like x and y?"""
    x, y = rng.standard_normal(shape), rng.standard_normal(shape)
    forward, backward, _ = run_layer(code, "AddLayer", (x, y), (rng.standard_normal(shape),),
                                     made_as="AddLayer()")
    call_student("AddLayer.forward", forward.get)
    dx, dy = expect_pair("AddLayer.backward", call_student("AddLayer.backward", backward.get))
    expect_array(of("AddLayer.backward", "dx"), dx, shape)
    expect_array(of("AddLayer.backward", "dy"), dy, shape)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_backward_matches_numerical(code, ref, rng, shape, first_seed):
    """Do dx and dy match central differences of the trusted forward, on a new layer and
    (first seed) on one that has made a pass before?"""
    x, y, dout = (rng.standard_normal(shape) for _ in range(3))
    forward, backward, _ = run_layer(code, "AddLayer", (x.copy(), y.copy()), (dout.copy(),),
                                     made_as="AddLayer()")
    call_student("AddLayer.forward", forward.get)
    dx, dy = expect_pair("AddLayer.backward", call_student("AddLayer.backward", backward.get))
    dx = expect_array(of("AddLayer.backward", "dx"), dx, shape)
    dy = expect_array(of("AddLayer.backward", "dy"), dy, shape)

    trusted = ref.AddLayer()
    num_dx = cached_numerical_gradient(lambda a: trusted.forward(a, y), x.copy(), dout)
    num_dy = cached_numerical_gradient(lambda b: trusted.forward(x, b), y.copy(), dout)
    expect_gradient(of("AddLayer.backward", "dx"), dx, num_dx, GRADIENT_TOL,
                    target="AddLayer.dx", context={"dout": dout})
    expect_gradient(of("AddLayer.backward", "dy"), dy, num_dy, GRADIENT_TOL,
                    target="AddLayer.dy", context={"dout": dout})
    if first_seed:
        before = (rng.standard_normal(shape), rng.standard_normal(shape)), \
            (rng.standard_normal(shape),)
        expect_no_carry_over(code, "AddLayer", [(dx, dy)], before, (x.copy(), y.copy()),
                             (dout.copy(),))
