"""Hidden checks of TwoLayerNet.gradient.

The grader builds the student's network on its own parameters with stand-ins for every
layer, whose passes are the reference's (on the same parameter arrays), so these checks
test the student's ``gradient`` alone: walking the layers backward, in reverse order,
after a fresh forward pass, and collecting dW and db.
"""

import re

import numpy as np
import pytest

from autograder.asked_once import asked_once
from autograder.checks.backprop_gate import expect_backprop
from autograder.checks.gradient_cache import cached_numerical_gradient
from autograder.expectations import (
    CheckFailed,
    call_student,
    expect_array,
    expect_gradient,
    type_name,
)
from autograder.reference_layers import (
    NO_FORWARD,
    NUMBER_FOR_ARRAY,
    OTHER_SHAPE,
    reference_gradient,
)
from selfcheck.assignment import LAYER_KEEPS, PARAM_KEYS, STAND_IN_KINDS
from selfcheck.diagnosis import named
from selfcheck.messages import of, say
from selfcheck.numerics import GRADIENT_TOL, relative_error, softmax_cross_entropy

SIZES = (6, 5, 4)  # D, H, C: small, so numerical gradients are cheap
N = 7


def _exact_loss(params, x, t):
    """The trusted network loss (exact cross-entropy) from parameters alone."""
    hidden = np.maximum(x @ params["W1"] + params["b1"], 0)
    return softmax_cross_entropy(hidden @ params["W2"] + params["b2"], t)


def _problem(rng):
    """Parameters and a batch whose hidden pre-activations stay >= 0.01 from ReLU's kink."""
    d, h, c = SIZES
    while True:
        params = {"W1": 0.5 * rng.standard_normal((d, h)), "b1": 0.1 * rng.standard_normal(h),
                  "W2": 0.5 * rng.standard_normal((h, c)), "b2": 0.1 * rng.standard_normal(c)}
        x = rng.standard_normal((N, d))
        if np.min(np.abs(x @ params["W1"] + params["b1"])) > 1e-2:
            return params, x, rng.integers(0, c, size=N)


def _net(code, params, sizes=SIZES):
    """The student's TwoLayerNet on ``params`` (copied in place), with trusted layers."""
    call_student("TwoLayerNet", lambda: code.TwoLayerNet)  # missing: say which cell
    net = call_student(f"TwoLayerNet{sizes}", code.build_network, sizes, params,
                       STAND_IN_KINDS, hint=_given_code_hint)
    if not net.shared:
        raise CheckFailed(named("net_layers_hold_copies"))
    return net


def _given_code_hint(error):
    """Errors setting up the network usually mean the given __init__ was changed."""
    if isinstance(error, AttributeError | KeyError | TypeError | ValueError):
        return named("net_given_code_changed", error=f"{type(error).__name__}: {error}")
    return ""


# What the grader saw a stand-in layer refused (in the sandbox) -> the usual mistake.
_REFUSAL_HINTS = {NUMBER_FOR_ARRAY: "net_missing_last_layer",  # dout = 1 into Affine2
                  OTHER_SHAPE: "net_shape_error",  # layers walked in forward order
                  NO_FORWARD: "net_missing_forward"}  # backward before any forward pass


def _shape_hint(error, refusal=None):
    """Name the usual cause of an error raised inside the layers' backward passes: from
    the error itself (the layers in this process), or from why the grader refused a
    stand-in layer's pass (``refusal``: the sandbox, where the student's code only hears
    the refusal)."""
    if refusal in _REFUSAL_HINTS:
        return named(_REFUSAL_HINTS[refusal])
    text = str(error)
    if isinstance(error, ValueError) and "cannot reshape" in text:
        return named("net_missing_last_layer")
    if isinstance(error, ValueError) and any(w in text for w in ("shape", "align", "broadcast")) \
            or isinstance(error, IndexError) and "boolean index did not match" in text:
        return named("net_shape_error")  # (the IndexError: Relu's mask on another shape)
    if isinstance(error, AttributeError | TypeError) and "NoneType" in text:
        return named("net_missing_forward")
    missing = _MISSING_ATTRIBUTE.search(text) if isinstance(error, AttributeError) else None
    if missing and missing["kind"] in LAYER_KEEPS \
            and missing["name"] not in ("forward", "backward"):  # a book layer lacks it
        return named("net_reads_own_attribute", kind=missing["kind"], name=missing["name"],
                     keeps=", ".join(LAYER_KEEPS[missing["kind"]]))
    return ""


# Python's own words for a missing attribute: 'Affine' object has no attribute 'grads'.
_MISSING_ATTRIBUTE = re.compile(r"'(?P<kind>\w+)' object has no attribute '(?P<name>\w+)'")


def _fresh_gradients(code, params, x, t, sizes=SIZES):
    """:func:`_gradients` of a fresh network on ``params``: asked once per submission and
    inputs (a seed's problem is asked by three checks: see autograder.asked_once)."""
    return asked_once(code, lambda: _gradients(_net(code, params, sizes), x, t, sizes),
                      "TwoLayerNet.gradient", sizes, params, x, t)


def _gradients(net, x, t, sizes=SIZES):
    grads = call_student("TwoLayerNet.gradient", net.gradient, x.copy(), t.copy(),
                         hint=lambda error: _shape_hint(error, getattr(net, "refusal", None)))
    if grads is None:
        raise CheckFailed(named("returned_none", what="TwoLayerNet.gradient"))
    if not isinstance(grads, dict):
        raise CheckFailed(named("net_not_dict", type=type_name(grads)))
    missing = [key for key in PARAM_KEYS if key not in grads]
    if missing:
        raise CheckFailed(named("net_missing_keys", missing=", ".join(missing)),
                          _subclassed_hint(net))
    d, h, c = sizes
    shapes = {"W1": (d, h), "b1": (h,), "W2": (h, c), "b2": (c,)}
    return {key: expect_array(of("TwoLayerNet.gradient", key), grads[key], shapes[key],
                              target=f"TwoLayerNet.{key}",
                              context={"other_shapes": [s for k, s in shapes.items()
                                                        if k != key]},
                              none="gradient_none")
            for key in PARAM_KEYS}


def _subclassed_hint(net):
    """Why a gradient that picks its layers by exact class (``type(layer) == Affine``)
    found none, where the stand-ins could not be of the student's class itself."""
    if not net.subclassed:
        return ""
    return named("net_stand_ins_subclassed", layers=", ".join(net.subclassed),
                 kind=net.subclassed[0])


def _expect_numerical(grads, params, x, t, what=None):
    """what: the message key saying on which inputs (what_label_targets, ...), or None."""
    for key in PARAM_KEYS:
        def loss(value, key=key):
            return _exact_loss({**params, key: value}, x, t)

        numerical = cached_numerical_gradient(loss, params[key].copy(), 1.0)
        name = of("TwoLayerNet.gradient", key)
        expect_gradient(say(what, what=name) if what else name, grads[key], numerical,
                        GRADIENT_TOL, target=f"TwoLayerNet.{key}", context={"n": len(x)})


def test_gradient_returns_all_parameters(code, rng):
    """Does gradient return a dict of W1, b1, W2, b2 shaped like the parameters?"""
    params, x, t = _problem(rng)
    _fresh_gradients(code, params, x, t)


def test_gradient_matches_numerical(code, rng):
    """Is each parameter's gradient right (central differences of the exact loss)?"""
    params, x, t = _problem(rng)
    _expect_numerical(_fresh_gradients(code, params, x, t), params, x, t)


def test_gradient_fresh_forward(code, rng):
    """After a forward pass and a gradient on other data, does gradient(x, t) still give
    x's gradients? (A gradient that runs the forward pass on its first call only passes
    the first.) The parameters are set back in between: a gradient that changes them is
    the next check's to judge."""
    params, x, t = _problem(rng)
    net = _net(code, params)
    other_x, other_t = rng.standard_normal(x.shape), rng.integers(0, SIZES[2], size=N)
    call_student("TwoLayerNet.loss", net.loss, other_x, other_t)
    _gradients(net, other_x, other_t)
    call_student("TwoLayerNet.params", net.set_parameters, params)
    _expect_numerical(_gradients(net, x, t), params, x, t,
                      what="what_after_other_forward")


def test_gradient_leaves_parameters(code, rng):
    """Does gradient leave the parameters (and the layers' hold on them) as they were?"""
    params, x, t = _problem(rng)
    net = _net(code, params)
    before = net.parameter_state()
    _gradients(net, x, t)
    after = net.parameter_state()
    for key in PARAM_KEYS:
        if after["ids"][key] != before["ids"][key]:
            raise CheckFailed(named("net_replaced_params", key=key))
        if not np.array_equal(after["values"][key], params[key]):
            raise CheckFailed(named("net_changed_params", key=key))


@pytest.mark.parametrize("n", [N, 1], ids=["batch", "batch_of_one"])
def test_gradient_labels_and_one_hot(code, rng, n):
    """Do label and one-hot targets give the same, correct gradients?"""
    params, x, t = _problem(rng)
    x, t = x[:n], t[:n]
    one_hot = np.eye(SIZES[2])[t]
    by_labels = _fresh_gradients(code, params, x, t)
    by_one_hot = _fresh_gradients(code, params, x, one_hot)
    _expect_numerical(by_labels, params, x, t, what="what_label_targets")
    _expect_numerical(by_one_hot, params, x, t, what="what_one_hot_targets")


def test_gradient_is_backprop(code, rng, passed, first_seed):
    """Is the gradient exact (backprop, not differences of the loss), and fast for the
    MNIST-sized network (784, 50, 10) at batch 100 (first seed)?"""
    def error(params, x, t, sizes=SIZES):
        grads = _fresh_gradients(code, params, x, t, sizes)
        expected = reference_gradient(params, x, t)[1]
        return max(relative_error(grads[key], expected[key]) for key in PARAM_KEYS)

    def full_size(sizes=(784, 50, 10)):  # drawn after the ordinary problem, if asked
        params = {"W1": 0.1 * rng.standard_normal(sizes[:2]),
                  "b1": 0.1 * rng.standard_normal(sizes[1]),
                  "W2": 0.1 * rng.standard_normal(sizes[1:]),
                  "b2": 0.1 * rng.standard_normal(sizes[2])}
        return error(params, rng.random((100, sizes[0])),
                     rng.integers(0, sizes[2], size=100), sizes)

    # The ordinary problem is the seed's first draw, as in the other checks: their
    # question, answered once (see _fresh_gradients).
    expect_backprop(code, "TwoLayerNet.gradient", passed("test_gradient_matches_numerical"),
                    lambda: error(*_problem(rng)), [],
                    [(say("probe_full_size", shape="784 -> 50 -> 10, N = 100"), full_size)]
                    if first_seed else [])
