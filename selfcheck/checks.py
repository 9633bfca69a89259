"""Public self-checks: what students run in their notebook, and ``nbgrader validate``.

Each method is checked on public inputs (not the graded ones) against central differences
of the notebook's *own* given forward passes, so no reference backward is needed or shown;
failures are explained by the same diagnosis engine as the graded checks.
"""

import textwrap
from dataclasses import dataclass
from html import escape

import numpy as np

from selfcheck import assignment
from selfcheck.assignment import PARAM_KEYS
from selfcheck.diagnosis import diagnose_error, named
from selfcheck.expect import (
    CheckFailed,
    call_student,
    expect_array,
    expect_gradient,
    expect_pair,
    type_name,
)
from selfcheck.messages import of, say
from selfcheck.numerics import (
    GRADIENT_TOL,
    SOFTMAX_TOL,
    away_from_zero,
    numerical_gradient,
    softmax,
)

PUBLIC_SEED = 7  # the graded checks use other seeds and other shapes


def _class(namespace, name):
    found = namespace.get(name)
    if not isinstance(found, type):
        raise CheckFailed(say("missing_class", name=name))
    return found


def _node(namespace, name, target_prefix, rng):
    """MulLayer / AddLayer: (dx, dy) against the node's own forward."""
    cls = _class(namespace, name)
    x, y, dout = (rng.standard_normal((2, 3)) for _ in range(3))
    layer = call_student(f"{name}()", cls)
    call_student(f"{name}.forward", layer.forward, x.copy(), y.copy())
    dx, dy = expect_pair(f"{name}.backward",
                         call_student(f"{name}.backward", layer.backward, dout.copy()))
    context = {"x": x, "y": y, "dout": dout}
    for label, got, wrt in (("dx", dx, 0), ("dy", dy, 1)):
        got = expect_array(of(f"{name}.backward", label), got, x.shape)

        def f(a, wrt=wrt):
            args = (a, y) if wrt == 0 else (x, a)
            return cls().forward(*args)

        start = x if wrt == 0 else y
        expect_gradient(of(f"{name}.backward", label), got,
                        numerical_gradient(f, start.copy(), dout), GRADIENT_TOL,
                        target=f"{target_prefix}.{label}", context=context)


def _elementwise(namespace, name, x, rng):
    """Relu / Sigmoid: dx against the layer's own forward."""
    cls = _class(namespace, name)
    dout = rng.standard_normal(x.shape)
    layer = call_student(f"{name}()", cls)
    y = call_student(f"{name}.forward", layer.forward, x.copy())
    dx = call_student(f"{name}.backward", layer.backward, dout.copy())
    dx = expect_array(of(f"{name}.backward", "dx"), dx, x.shape, target=f"{name}.dx")
    numerical = numerical_gradient(lambda a: cls().forward(a), x.copy(), dout)
    expect_gradient(of(f"{name}.backward", "dx"), dx, numerical, GRADIENT_TOL, target=f"{name}.dx",
                    context={"x": x, "y": np.asarray(y, dtype=float), "dout": dout})


def check_mul(namespace, rng):
    _node(namespace, "MulLayer", "MulLayer", rng)


def check_add(namespace, rng):
    _node(namespace, "AddLayer", "AddLayer", rng)


def check_relu(namespace, rng):
    _elementwise(namespace, "Relu", away_from_zero(rng, (3, 5)), rng)


def check_sigmoid(namespace, rng):
    _elementwise(namespace, "Sigmoid", 2.0 * rng.standard_normal((3, 5)), rng)


def check_affine(namespace, rng):
    cls = _class(namespace, "Affine")
    x = rng.standard_normal((3, 2, 2))  # an N-d input, flattened to D = 4
    w, b, dout = rng.standard_normal((4, 5)), rng.standard_normal(5), rng.standard_normal((3, 5))
    layer = call_student("Affine(W, b)", cls, w.copy(), b.copy())
    call_student("Affine.forward", layer.forward, x.copy())
    dx = call_student("Affine.backward", layer.backward, dout.copy())
    context = {"n": 3, "dout": dout}
    grads = {
        "dx": expect_array(of("Affine.backward", "dx"), dx, x.shape, "Affine.dx", context),
        "dW": expect_array("self.dW", getattr(layer, "dW", None), w.shape, "Affine.dW", context),
        "db": expect_array("self.db", getattr(layer, "db", None), b.shape, "Affine.db", context),
    }
    inputs = {"dx": x, "dW": w, "db": b}
    for label, start in inputs.items():
        def f(a, label=label):
            args = {**inputs, label: a}
            return cls(args["dW"], args["db"]).forward(args["dx"])

        expect_gradient(of("Affine.backward", label), grads[label],
                        numerical_gradient(f, start.copy(), dout), GRADIENT_TOL,
                        target=f"Affine.{label}", context=context)


def check_softmax_with_loss(namespace, rng):
    cls = _class(namespace, "SoftmaxWithLoss")
    x = rng.standard_normal((4, 3))
    labels = rng.integers(0, 3, size=4)
    for t in (labels, np.eye(3)[labels]):
        layer = call_student("SoftmaxWithLoss()", cls)
        call_student("SoftmaxWithLoss.forward", layer.forward, x.copy(), t.copy())
        dx = call_student("SoftmaxWithLoss.backward", layer.backward, 1,
                          hint=lambda error, t=t: diagnose_error("SoftmaxWithLoss.backward",
                                                                 error, {"t": t}))
        context = {"y": softmax(x), "t": np.eye(3)[labels], "n": 4}
        dx = expect_array(of("SoftmaxWithLoss.backward", "dx"), dx, x.shape,
                          "SoftmaxWithLoss.dx", context)
        # The given loss adds 1e-7 inside the log: its numerical gradient differs from
        # (y - t) / N by up to ~1e-5 relative, hence SOFTMAX_TOL.
        numerical = numerical_gradient(lambda a, t=t: cls().forward(a, t), x.copy(), 1.0)
        expect_gradient(of("SoftmaxWithLoss.backward", "dx"), dx, numerical, SOFTMAX_TOL,
                        target="SoftmaxWithLoss.dx", context=context)


def check_two_layer_net(namespace, rng):
    for part in assignment.NETWORK_LAYER_PARTS.values():
        row = run_self_check(part, namespace)  # the network is built from these layers
        if not row.passed:
            raise CheckFailed(say("net_layer_failed", method=row.method))
    cls = _class(namespace, "TwoLayerNet")
    np.random.seed(PUBLIC_SEED)  # the given __init__ draws from np.random
    net = call_student("TwoLayerNet(5, 4, 3)", cls, 5, 4, 3, weight_init_std=0.5)
    x, t = rng.standard_normal((6, 5)), rng.integers(0, 3, size=6)
    grads = call_student("TwoLayerNet.gradient", net.gradient, x.copy(), t.copy())
    if not isinstance(grads, dict):
        raise CheckFailed(say("returned_none", what="TwoLayerNet.gradient") if grads is None
                          else say("not_numbers", what="TwoLayerNet.gradient",
                                   type=type_name(grads)))
    missing = [key for key in PARAM_KEYS if key not in grads]
    if missing:
        raise CheckFailed(named("net_missing_keys", missing=", ".join(missing)))
    for key in PARAM_KEYS:
        got = expect_array(of("TwoLayerNet.gradient", key), grads[key],
                           net.params[key].shape, f"TwoLayerNet.{key}", none="gradient_none")
        numerical = numerical_gradient(lambda _: net.loss(x, t), net.params[key], 1.0)
        expect_gradient(of("TwoLayerNet.gradient", key), got, numerical, SOFTMAX_TOL,
                        target=f"TwoLayerNet.{key}", context={"n": 6})


# part id (the graded cell's grade_id) -> (the method, its self-check), in notebook order.
# A self-check the spine names but this module lacks is left out (tests/test_spine.py says so).
SELF_CHECKS = {part.id: (part.title, globals()[part.self_check])
               for part in assignment.PARTS if part.self_check in globals()}


@dataclass
class Row:
    method: str
    passed: bool
    message: str = ""


class SelfCheckReport(list):
    """Rows of (method, passed, message); shown as a table in Jupyter and as text."""

    def __str__(self):
        width = max(len(row.method) for row in self)
        lines = [say("selfcheck_title")]
        for row in self:
            mark = "✓" if row.passed else "✗"
            lines.append(f"  {mark} {row.method:{width}s}  {row.message}".rstrip())
        return "\n".join(lines)

    def _repr_html_(self):
        cells = "".join(
            f"<tr><td style='text-align:left'>{'✓' if r.passed else '✗'}</td>"
            f"<td style='text-align:left'><code>{escape(r.method)}</code></td>"
            f"<td style='text-align:left'>{escape(r.message) or say('selfcheck_pass')}</td>"
            "</tr>" for r in self)
        return (f"<p><b>{escape(say('selfcheck_title'))}</b></p>"
                f"<table class='backprop-selfcheck'>{cells}</table>")

    def _repr_pretty_(self, printer, cycle):
        printer.text(str(self))


def run_self_check(part, namespace):
    """Self-check one part; returns a Row."""
    method, check = SELF_CHECKS[part]
    with np.errstate(all="ignore"):
        try:
            check(namespace, np.random.default_rng(PUBLIC_SEED))
        except CheckFailed as failure:
            return Row(method, False, str(failure))
    return Row(method, True)


def self_check(namespace):
    """Self-check every method; returns a report (a table in Jupyter)."""
    return SelfCheckReport(run_self_check(part, namespace) for part in SELF_CHECKS)


def check_part(part, namespace):
    """For ``nbgrader validate``: raise AssertionError unless the part's self-check passes.

    The message is wrapped to short lines: nbgrader validate cuts longer ones.
    """
    __tracebackhide__ = True  # IPython: show the message, not this frame
    if part not in SELF_CHECKS:
        print(say("selfcheck_not_applicable", part=part))
        return
    row = run_self_check(part, namespace)
    if not row.passed:
        raise AssertionError("\n" + textwrap.fill(f"{row.method}: {row.message}", width=72))
    print(f"✓ {row.method}: {say('selfcheck_pass')}")
