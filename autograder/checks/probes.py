"""What the layer checks share: one forward and backward pass of a student's layer, and
the gate that tells backprop from numerical differentiation (exact where finite
differences cannot be, and fast at full size)."""

from autograder.expectations import CheckFailed, call_student, expect_array, expect_close
from autograder.sandbox.session import TimedOut
from selfcheck.messages import of, say
from selfcheck.numerics import EXACT_TOL, FORWARD_TOL, GRADIENT_TOL


def forward_backward(cls, name, x, dout, *, expected_out=None, init_args=()):
    """Make ``cls(*init_args)``, run forward(x) then backward(dout); return (layer, dx).

    Copies of x and dout are passed, so a backward that works in place (as the book's
    Relu does) is as good as one that copies. If ``expected_out`` is given, the forward
    output is checked first: a changed forward would make every gradient check moot.
    """
    layer = call_student(f"{name}(...)", cls, *init_args)
    out = call_student(f"{name}.forward", layer.forward, x.copy())
    if expected_out is not None:
        out = expect_array(of(f"{name}.forward", say("what_output")), out, expected_out.shape)
        expect_close(of(f"{name}.forward", say("what_output")), out, expected_out, FORWARD_TOL,
                     reason=say("reason_given_forward"),
                     target=f"{name}.out", context={"x": x})
    dx = call_student(f"{name}.backward", layer.backward, dout.copy())
    return layer, dx


def reference_pass(cls, x, dout, init_args=()):
    """(layer, dx) of the reference layer ``cls`` on the same inputs: the exact gradient."""
    layer = cls(*init_args)
    layer.forward(x.copy())
    return layer, layer.backward(dout.copy())


# Calls at full size (Affine 784 -> 50 and the network at batch 100, softmax over 1,000
# classes) must finish within this: backprop takes milliseconds, Python loops over the
# batch ~0.1 s and even loops over every scalar under 1 s, while numerical differentiation
# needs one or two forward passes per input element: 30 s or more.
FULL_SIZE_SECONDS = 10.0


def expect_backprop(code, what, earned, ordinary, probes, full_size=None, tol=GRADIENT_TOL):
    """The gate of a part: fail only on evidence that ``what`` is not computed by backprop.

    ordinary(): the relative error of the student's gradient against the exact one on
    ordinary inputs, drawn as the part's main numerical check draws them.
    earned: whether that check passed. If it did, its points are what the gate protects,
    and the method must be right here too (code that is wrong only where the gate asks
    is hiding something). If it did not and the method is wrong or fails here, there is
    no evidence either way: the part's other checks judge it, and this passes.
    probes: [(where, probe)], each probe() the relative error on inputs where finite
    differences lose their precision. full_size: (where, probe) at full size, which must
    also finish within FULL_SIZE_SECONDS.
    Right on ordinary inputs, a backward must then be exact (EXACT_TOL) there and on every
    probe, and finish in time; right-but-inexact is what finite differences give.
    """
    where = say("probe_ordinary")
    try:
        error = ordinary()
    except CheckFailed as failure:
        if earned:
            raise CheckFailed(say("not_backprop_failed", what=what, where=where,
                                  reason=failure)) from None
        return
    if not error <= tol:
        if earned:
            raise CheckFailed(say("not_backprop_inconsistent", what=what, error=error))
        return
    _expect_exact(what, where, error)
    for where, probe in probes:
        _expect_exact(what, where, _probe(what, where, probe))
    if full_size is not None:
        where, probe = full_size
        try:
            with code.time_limit(FULL_SIZE_SECONDS):
                error = _probe(what, where, probe)
        except TimedOut:
            raise CheckFailed(say("not_backprop_slow", what=what, where=where,
                                  seconds=FULL_SIZE_SECONDS)) from None
        _expect_exact(what, where, error)


def _probe(what, where, probe):
    try:
        return probe()
    except TimedOut:
        raise
    except CheckFailed as failure:
        raise CheckFailed(say("not_backprop_failed", what=what, where=where,
                              reason=failure)) from None


def _expect_exact(what, where, error):
    if not error <= EXACT_TOL:
        raise CheckFailed(say("not_backprop_inexact", what=what, where=where, error=error,
                              tol=EXACT_TOL))


def extreme_magnitudes(rng, shape):
    """Nonzero values of both signs with magnitudes from 1e-300 to 1e300, the smallest
    subnormal and the largest float among them: a finite difference of any fixed or
    relative step crosses zero, vanishes or overflows on some of them."""
    x = rng.choice([-1.0, 1.0], size=shape) * 10.0 ** rng.uniform(-300, 300, size=shape)
    x.flat[:4] = [5e-324, -5e-324, 1.7e308, -1.7e308]
    return x


def saturated(rng, shape):
    """Sigmoid inputs with 8 <= |x| <= 30: y(1 - y) is tiny there and finite differences
    of the forward lose most of their digits."""
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(8, 30, size=shape)
