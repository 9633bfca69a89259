"""What the layer checks share: one forward and backward pass of a student's layer (and of
the reference), and the inputs where finite differences lose their precision."""

import numpy as np

from autograder.expectations import CheckFailed, call_student, expect_array, expect_close
from selfcheck.diagnosis import named
from selfcheck.messages import of, say
from selfcheck.numerics import FORWARD_TOL, relative_error


def run_layer(code, name, forward_args, backward_args, *, init_args=(), keep=(),
              made_as=None, before=None):
    """Make ``code.<name>(*init_args)``, call forward(*forward_args), then
    backward(*backward_args), then read the attributes ``keep`` ("dW", "db"): all in one
    request to the student's code (``code.make_and_use``: one round trip to a sandbox,
    not five). Raises CheckFailed if the layer could not be made (named ``made_as``,
    default "<name>(...)"); returns (forward, backward, {attribute: ...}) as Outcomes, for
    the checks to judge in order, as if called one by one (``call_student(label,
    forward.get)``). Pass copies of arrays that the checks use again.

    before: (forward_args, backward_args) of a pass the layer makes first (on other
    inputs), whose errors are raised as CheckFailed; None: the layer is new.
    """
    earlier = () if before is None else (
        (f"{name}.forward", "forward", tuple(before[0])),
        (f"{name}.backward", "backward", tuple(before[1])))
    steps = [(made_as or f"{name}(...)", None, tuple(init_args)), *earlier,
             (f"{name}.forward", "forward", tuple(forward_args)),
             (f"{name}.backward", "backward", tuple(backward_args)),
             *((f"{name}.{attribute}", attribute, None) for attribute in keep)]
    made, *outcomes = code.make_and_use(getattr(code, name), steps)
    call_student(steps[0][0], made.get)
    for (label, _, _), outcome in zip(earlier, outcomes, strict=False):
        call_student(label, outcome.get)
    forward, backward, *kept = outcomes[len(earlier):]
    return forward, backward, dict(zip(keep, kept, strict=True))


def expect_no_carry_over(code, name, fresh, before, forward_args, backward_args, *,
                         init_args=(), keep=()):
    """Does a layer that has already made a pass on other inputs (``before``: see
    :func:`run_layer`) give what a new one gave on the same inputs: ``fresh``, the new
    layer's backward result followed by its attributes ``keep``, as checked?

    A backward that keeps something from an earlier call (gradients summed into self.dW,
    a derivative computed on the first call only) is right on a new layer's first pass,
    which is all the other checks ask, and wrong on every later one: in training. A
    correct layer gives the same numbers from the same inputs, to rounding (FORWARD_TOL).
    """
    _, backward, kept = run_layer(code, name, forward_args, backward_args,
                                  init_args=init_args, keep=keep, before=before)
    used = [call_student(f"{name}.backward", backward.get),
            *(kept[attribute].get() for attribute in keep)]
    for value, expected in zip(used, fresh, strict=True):
        error = _difference(value, expected)
        if not error <= FORWARD_TOL:
            raise CheckFailed(named("layer_state_carried", what=f"{name}.backward",
                                    error=error))


def _difference(value, expected):
    """Relative error of ``value`` against the checked ``expected`` (a pair or an array);
    inf when they cannot be compared (other shapes, or not numbers)."""
    try:
        value, expected = (np.asarray(v, dtype=np.float64) for v in (value, expected))
        if value.shape != expected.shape:
            return np.inf
        return relative_error(value, expected)
    except (TypeError, ValueError):
        return np.inf


def forward_backward(code, name, x, dout, *, expected_out=None, init_args=(), keep=(),
                     hint=None):
    """Make ``code.<name>(*init_args)``, run forward(x) then backward(dout) (see
    :func:`run_layer`); return (dx, {attribute in ``keep``: Outcome}). ``hint(error)``: a
    diagnosis of an error backward raised (see ``call_student``).

    Copies of x and dout are passed, so a backward that works in place (as the book's
    Relu does) is as good as one that copies. If ``expected_out`` is given, the forward
    output is checked first: a changed forward would make every gradient check moot.
    """
    forward, backward, kept = run_layer(code, name, (x.copy(),), (dout.copy(),),
                                        init_args=init_args, keep=keep)
    out = call_student(f"{name}.forward", forward.get)
    if expected_out is not None:
        out = expect_array(of(f"{name}.forward", say("what_output")), out, expected_out.shape)
        expect_close(of(f"{name}.forward", say("what_output")), out, expected_out, FORWARD_TOL,
                     reason=say("reason_given_forward"),
                     target=f"{name}.out", context={"x": x})
    dx = call_student(f"{name}.backward", backward.get, hint=hint)
    return dx, kept


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
