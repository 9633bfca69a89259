"""Run one forward and backward pass of a student's layer (shared by the layer checks)."""

from autograder.expectations import call_student, expect_array, expect_close
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
        out = expect_array(f"{name}.forward's output", out, expected_out.shape)
        expect_close(f"{name}.forward's output", out, expected_out, FORWARD_TOL,
                     reason="differs from the given forward pass; restore the given code",
                     target=f"{name}.out", context={"x": x})
    dx = call_student(f"{name}.backward", layer.backward, dout.copy())
    return layer, dx
