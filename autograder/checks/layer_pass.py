"""What the layer checks share: one forward and backward pass of a student's layer (and of
the reference), and the inputs where finite differences lose their precision."""

from autograder.expectations import call_student, expect_array, expect_close
from selfcheck.messages import of, say
from selfcheck.numerics import FORWARD_TOL


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
