"""Hidden checks of Affine.backward: dx (in the input's shape), self.dW and self.db."""

import numpy as np
import pytest

from autograder.checks.backprop_gate import WIDE_INPUTS, expect_backprop
from autograder.checks.gradient_cache import cached_numerical_gradient
from autograder.checks.layer_pass import expect_no_carry_over, forward_backward, reference_pass
from autograder.expectations import CheckFailed, expect_array, expect_gradient
from selfcheck.diagnosis import named
from selfcheck.messages import of, say
from selfcheck.numerics import GRADIENT_TOL, relative_error

# (input shape, number of outputs M); D is the product of the input's trailing sizes.
CASES = [((4, 5), 3), ((6, 3), 7), ((2, 8), 1)]


def _run(code, ref, rng, x_shape, m):
    """Forward and backward on random data; returns everything the checks compare."""
    x = rng.standard_normal(x_shape)
    d = x[0].size
    w, b = rng.standard_normal((d, m)), rng.standard_normal(m)
    dout = rng.standard_normal((x_shape[0], m))
    expected_out = ref.Affine(w, b).forward(x.copy())
    dx, kept = forward_backward(code, "Affine", x, dout, expected_out=expected_out,
                                init_args=(w.copy(), b.copy()), keep=("dW", "db", "W", "b"))
    _expect_unchanged(kept, {"W": w, "b": b})
    context = {"n": x_shape[0], "dout": dout}
    dx = expect_array(of("Affine.backward", "dx"), dx, x_shape, target="Affine.dx", context=context)
    dw = expect_array(say("what_after", name="self.dW", method="Affine.backward"),
                      _attr(kept, "dW"), (d, m), target="Affine.dW", context=context)
    db = expect_array(say("what_after", name="self.db", method="Affine.backward"),
                      _attr(kept, "db"), (m,), target="Affine.db", context=context)
    return x, w, b, dout, dx, dw, db


def _attr(kept, name):
    """The attribute ``name`` that Affine.backward set (its Outcome in ``kept``)."""
    try:
        value = kept[name].get()
    except AttributeError:
        value = None
    if value is None:
        raise CheckFailed(named("attribute_not_set", what="Affine.backward", name=name))
    return value


def _expect_unchanged(kept, given):
    """backward computes gradients; it must leave self.W and self.b as they were given (an
    SGD step taken there, ``self.W -= lr * self.dW``, is the training loop's). An attribute
    the layer no longer has is the other checks' to judge."""
    for name, value in given.items():
        try:
            after = kept[name].get()
        except AttributeError:
            continue
        # By value: a layer may keep b as (1, M), say, which is right.
        if not (isinstance(after, np.ndarray) and after.size == value.size
                and np.array_equal(after.reshape(value.shape), value)):
            raise CheckFailed(named("affine_changed_params", name=name))


def _expect_numerical(ref, x, w, b, dout, dx, dw, db, what=None):
    """what: the message key saying on which inputs (what_nd_input, ...), or None."""
    def qualified(name):
        return say(what, what=name) if what else name

    def forward(x_, w_, b_):
        return ref.Affine(w_, b_).forward(x_)

    num_dx = cached_numerical_gradient(lambda a: forward(a, w, b), x.copy(), dout)
    num_dw = cached_numerical_gradient(lambda a: forward(x, a, b), w.copy(), dout)
    num_db = cached_numerical_gradient(lambda a: forward(x, w, a), b.copy(), dout)
    context = {"n": x.shape[0], "dout": dout}
    expect_gradient(qualified(of("Affine.backward", "dx")), dx, num_dx, GRADIENT_TOL,
                    target="Affine.dx", context=context)
    expect_gradient(qualified("self.dW"), dw, num_dw, GRADIENT_TOL,
                    target="Affine.dW", context=context)
    expect_gradient(qualified("self.db"), db, num_db, GRADIENT_TOL,
                    target="Affine.db", context=context)


@pytest.mark.parametrize(("x_shape", "m"), CASES, ids=str)
def test_backward_shapes(code, ref, rng, x_shape, m):
    """Are dx, self.dW and self.db shaped like x, W and b?"""
    _run(code, ref, rng, x_shape, m)


@pytest.mark.parametrize(("x_shape", "m"), CASES, ids=str)
def test_backward_matches_numerical(code, ref, rng, x_shape, m, first_seed):
    """Do dx, dW and db match central differences of the trusted forward, on a new layer
    and (first seed) on one that has made a pass before?"""
    x, w, b, dout, dx, dw, db = _run(code, ref, rng, x_shape, m)
    _expect_numerical(ref, x, w, b, dout, dx, dw, db)
    if first_seed:
        before = (rng.standard_normal(x_shape),), (rng.standard_normal(dout.shape),)
        expect_no_carry_over(code, "Affine", [dx, dw, db], before, (x.copy(),),
                             (dout.copy(),), init_args=(w.copy(), b.copy()),
                             keep=("dW", "db"))


@pytest.mark.parametrize(("x_shape", "m"), [((3, 2, 4), 5), ((2, 1, 3, 3), 4)], ids=str)
def test_backward_nd_input(code, ref, rng, x_shape, m):
    """With an N-d input (images, say), does dx come back in the input's shape?"""
    _expect_numerical(ref, *_run(code, ref, rng, x_shape, m), what="what_nd_input")


def test_backward_batch_of_one(code, ref, rng):
    """Does a batch of one sample work (no squeezed axes)?"""
    _expect_numerical(ref, *_run(code, ref, rng, (1, 6), 4), what="what_batch_of_one")


def test_backward_is_backprop(code, ref, rng, passed, first_seed):
    """Are dx, dW and db exact even with a bias of 1e12 (where finite differences of the
    forward lose every digit), and fast for 784 -> 50 at batch 100 (first seed)?"""
    def error(n, d, m, bias=1.0):
        x, w = rng.standard_normal((n, d)), rng.standard_normal((d, m))
        b, dout = bias * rng.standard_normal(m), rng.standard_normal((n, m))
        dx, kept = forward_backward(code, "Affine", x, dout, init_args=(w.copy(), b.copy()),
                                    keep=("dW", "db"))
        got = (expect_array(of("Affine.backward", "dx"), dx, (n, d)),
               expect_array("self.dW", _attr(kept, "dW"), (d, m)),
               expect_array("self.db", _attr(kept, "db"), (m,)))
        trusted, ref_dx = reference_pass(ref.Affine, x, dout, init_args=(w, b))
        return max(map(relative_error, got, (ref_dx, trusted.dW, trusted.db)))

    expect_backprop(code, "Affine.backward", passed("test_backward_matches_numerical"),
                    lambda: error(5, 7, 4),
                    [(say("probe_large_bias"), lambda: error(5, 7, 4, bias=1e12))],
                    [(say("probe_full_size", shape="784 -> 50, N = 100"),
                      lambda: error(100, 784, 50)),
                     (say("probe_wide", shape=f"{WIDE_INPUTS:,} -> 2, N = 2"),
                      lambda: error(2, WIDE_INPUTS, 2))] if first_seed else [])
