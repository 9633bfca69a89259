"""Do the reference layers (solutions/) have the properties of a backward pass for all
inputs, and would each property catch a broken layer?

For random shapes, scales and seeds (tests/strategies.py; fixed examples, float64):

- shapes: backward returns a gradient shaped like each input (dW, db like W, b;
  TwoLayerNet.gradient a dict shaped like its parameters);
- linear: backward(a d1 + b d2) == a backward(d1) + b backward(d2), for the layers whose
  backward is linear in dout (not SoftmaxWithLoss: its dout is always 1, and the book's
  backward ignores it, which the checks accept: tests/catalog/variants.py);
- numerical: the gradient matches central differences of the trusted forward pass (the
  exact loss for SoftmaxWithLoss and the network), to GRADIENT_TOL;
- TwoLayerNet.gradient leaves the parameters as they were.

A property that holds for every layer proves nothing unless it can fail: each one is run
on a broken layer (from the bug catalog where it has one) and must fail there.
"""

from dataclasses import dataclass

import numpy as np
import pytest
import strategies
from catalog import bugs
from hypothesis import Phase, given, settings
from strategies import PROPERTY_SETTINGS

import solutions
from selfcheck.numerics import (
    FLOOR,
    GRADIENT_TOL,
    numerical_gradient,
    relative_error,
    softmax_cross_entropy,
)

# backward(a d1 + b d2) against a backward(d1) + b backward(d2): rounding alone differs,
# a few eps per term of the sums (inner sizes here are at most 64), relative to the terms.
LINEARITY_TOL = 1e-10


# --------------------------------------------------------------------------- the layers


@dataclass(frozen=True)
class Layer:
    """How to run one class of the assignment on a :class:`strategies.Case`.

    forward(inputs, case): the trusted output (from solutions' given forward passes, or
    the exact loss), differentiated numerically. make(cls, case): an instance of ``cls``
    after its forward pass. grads(obj, dout, case): {input name: gradient} from its
    backward (TwoLayerNet: from gradient(x, t), dout being 1)
    """

    name: str
    part: str  # the rubric part (tests/conftest.py marks each test with it)
    cases: object  # a hypothesis strategy of Case
    forward: object
    make: object
    grads: object
    properties: tuple


def _pair(layer, dout, case):
    result = layer.backward(dout)
    assert isinstance(result, tuple | list) and len(result) == 2, \
        f"backward returned {type(result).__name__}, not the pair (dx, dy)"
    return {"x": result[0], "y": result[1]}


def _two_inputs(cls, case):
    layer = cls()
    layer.forward(case.inputs["x"].copy(), case.inputs["y"].copy())
    return layer


def _one_input(cls, case):
    layer = cls()
    layer.forward(case.inputs["x"].copy())
    return layer


def _affine(cls, case):
    layer = cls(case.inputs["W"].copy(), case.inputs["b"].copy())
    layer.forward(case.inputs["x"].copy())
    return layer


def _affine_grads(layer, dout, case):
    dx = layer.backward(dout)
    return {"x": dx, "W": layer.dW, "b": layer.db}


def _softmax(cls, case):
    layer = cls()
    layer.forward(case.inputs["x"].copy(), case.t.copy())
    return layer


def _net(cls, case):
    (d, h), c = case.inputs["W1"].shape, case.inputs["W2"].shape[1]
    net = cls(d, h, c)
    for key, value in case.inputs.items():
        net.params[key][...] = value  # in place: the layers hold these very arrays
    return net


def _net_loss(params, case):
    """The trusted network loss (exact cross-entropy) from the parameters alone."""
    hidden = np.maximum(case.x @ params["W1"] + params["b1"], 0)
    return softmax_cross_entropy(hidden @ params["W2"] + params["b2"], case.t)


def _net_grads(net, dout, case):
    result = net.gradient(case.x.copy(), case.t.copy())  # dout: 1, the loss's own
    assert isinstance(result, dict), f"gradient returned {type(result).__name__}, not a dict"
    return result


# --------------------------------------------------------------------------- properties


def _copy(dout):
    """A copy for each call: a backward may change its dout in place (the book's Relu)."""
    return dout.copy() if isinstance(dout, np.ndarray) else dout


def shapes(layer, cls, case):
    """The gradient of each input is shaped like that input."""
    grads = layer.grads(layer.make(cls, case), _copy(case.douts[0]), case)
    for name, value in case.inputs.items():
        assert name in grads, f"no gradient for {name}"
        assert np.shape(grads[name]) == value.shape, \
            f"d{name} is shaped {np.shape(grads[name])}, {name} is {value.shape}"


def linear(layer, cls, case):
    """backward(a d1 + b d2) == a backward(d1) + b backward(d2)."""
    obj = layer.make(cls, case)
    (d1, d2), (a, b) = case.douts, case.coefficients
    g1, g2 = layer.grads(obj, d1.copy(), case), layer.grads(obj, d2.copy(), case)
    g = layer.grads(obj, a * d1 + b * d2, case)
    for name in case.inputs:
        terms = np.abs(a * np.asarray(g1[name])) + np.abs(b * np.asarray(g2[name]))
        combined = a * np.asarray(g1[name]) + b * np.asarray(g2[name])
        assert np.shape(g[name]) == combined.shape, f"d{name} changes shape with dout"
        error = np.max(np.abs(g[name] - combined), initial=0.0) / max(np.max(terms), FLOOR)
        assert error < LINEARITY_TOL, f"d{name} is not linear in dout: error {error:.2e}"


def numerical(layer, cls, case):
    """Each gradient matches central differences of the trusted forward pass."""
    dout = case.douts[0]
    grads = layer.grads(layer.make(cls, case), _copy(dout), case)
    for name, value in case.inputs.items():
        def forward(changed, name=name):
            return layer.forward({**case.inputs, name: changed}, case)

        expected = numerical_gradient(forward, value.copy(), dout)
        got = np.asarray(grads.get(name), dtype=np.float64)
        assert got.shape == expected.shape, f"d{name} is shaped {got.shape}"
        error = relative_error(got, expected)
        assert error < GRADIENT_TOL, f"d{name}: relative error {error:.2e}"


def leaves_parameters(layer, cls, case):
    """TwoLayerNet.gradient leaves every parameter exactly as it was."""
    net = layer.make(cls, case)
    before = {key: value.copy() for key, value in net.params.items()}
    layer.grads(net, 1.0, case)
    for key, value in before.items():
        # exact: nothing may be computed into the parameters, not even a rounding
        assert np.array_equal(net.params[key], value), f"gradient changed {key}"


LAYERS = [
    Layer("MulLayer", "mul_layer_backward", strategies.elementwise(("x", "y")),
          lambda inputs, case: solutions.MulLayerForward().forward(inputs["x"], inputs["y"]),
          _two_inputs, _pair, (shapes, linear, numerical)),
    Layer("AddLayer", "add_layer_backward", strategies.elementwise(("x", "y")),
          lambda inputs, case: solutions.AddLayerForward().forward(inputs["x"], inputs["y"]),
          _two_inputs, _pair, (shapes, linear, numerical)),
    Layer("Relu", "relu_backward", strategies.elementwise(kink=True),
          lambda inputs, case: solutions.ReluForward().forward(inputs["x"]),
          _one_input, lambda layer, dout, case: {"x": layer.backward(dout)},
          (shapes, linear, numerical)),
    Layer("Sigmoid", "sigmoid_backward", strategies.elementwise(),
          lambda inputs, case: solutions.SigmoidForward().forward(inputs["x"]),
          _one_input, lambda layer, dout, case: {"x": layer.backward(dout)},
          (shapes, linear, numerical)),
    Layer("Affine", "affine_backward", strategies.affine(),
          lambda inputs, case: solutions.AffineForward(inputs["W"], inputs["b"]).forward(
              inputs["x"]),
          _affine, _affine_grads, (shapes, linear, numerical)),
    Layer("SoftmaxWithLoss", "softmax_with_loss_backward", strategies.softmax_with_loss(),
          lambda inputs, case: softmax_cross_entropy(inputs["x"], case.t),
          _softmax, lambda layer, dout, case: {"x": layer.backward(dout)}, (shapes, numerical)),
    Layer("TwoLayerNet", "two_layer_net_gradient", strategies.two_layer_net(),
          _net_loss, _net, _net_grads, (shapes, numerical, leaves_parameters)),
]

# --------------------------------------------------------------------------- broken layers
# Where the catalog has no mistake that breaks a property, one written here.


class AddForgotDout(solutions.AddLayer):
    def backward(self, dout):  # "the local gradients are 1"
        return np.ones_like(dout), np.ones_like(dout)


class ReluKeepsPositives(solutions.Relu):
    def backward(self, dout):
        return dout[~self.mask]  # boolean indexing: a flat array of the kept entries


class SigmoidSummedOverBatch(solutions.Sigmoid):
    def backward(self, dout):
        return np.sum(dout * (1.0 - self.out) * self.out, axis=0)


class AffineDbIsOne(solutions.Affine):
    def backward(self, dout):
        self.dW = self.x.T @ dout
        self.db = np.ones(dout.shape[1])  # "b's local gradient is 1", without dout
        return (dout @ self.W.T).reshape(self.original_x_shape)


class SoftmaxAveragedOverBatch(solutions.SoftmaxWithLoss):
    def backward(self, dout=1):
        t = self.t if self.t.size == self.y.size else np.eye(self.y.shape[1])[self.t]
        return np.sum(self.y - t, axis=0) / self.y.shape[0] * dout


TEETH = {  # (layer, property): broken classes on which the property must fail
    ("MulLayer", "shapes"): [bugs.MulOneValue],
    ("MulLayer", "linear"): [bugs.MulForgotDout],
    ("MulLayer", "numerical"): [bugs.MulNotSwapped, bugs.MulSign],
    ("AddLayer", "shapes"): [bugs.AddOneValue],
    ("AddLayer", "linear"): [AddForgotDout],
    ("AddLayer", "numerical"): [bugs.AddSplitsDout],
    ("Relu", "shapes"): [ReluKeepsPositives],
    ("Relu", "linear"): [bugs.ReluForgotDout, bugs.ReluMaskFromDout],
    ("Relu", "numerical"): [bugs.ReluMaskInverted, bugs.ReluUnmasked],
    ("Sigmoid", "shapes"): [SigmoidSummedOverBatch],
    ("Sigmoid", "linear"): [bugs.SigmoidForgotDout],
    ("Sigmoid", "numerical"): [bugs.SigmoidMissingY, bugs.SigmoidUsesX],
    ("Affine", "shapes"): [bugs.AffineDbNotSummed, bugs.AffineDxNotReshaped],
    ("Affine", "linear"): [AffineDbIsOne],
    ("Affine", "numerical"): [bugs.AffineDwAveraged, bugs.AffineDbMean],
    ("SoftmaxWithLoss", "shapes"): [SoftmaxAveragedOverBatch],
    ("SoftmaxWithLoss", "numerical"): [bugs.SoftmaxSign, bugs.SoftmaxMissingLabels],
    ("TwoLayerNet", "shapes"): [bugs.NetWAndBSwapped],
    ("TwoLayerNet", "numerical"): [bugs.NetSign, bugs.NetAveragedAgain],
    ("TwoLayerNet", "leaves_parameters"): [bugs.NetUpdatesParams],
}


def _run(prop, layer, cls, config=PROPERTY_SETTINGS):
    """Check ``prop`` of ``cls`` (a class of ``layer``'s kind) on hypothesis' examples."""
    @config
    @given(case=layer.cases)
    def check(case):
        prop(layer, cls, case)

    check()


CHECKED = [pytest.param(layer, prop, id=f"{layer.name}-{prop.__name__}")
           for layer in LAYERS for prop in layer.properties]
# A broken layer fails on one of the first examples: no need to shrink it to the smallest.
FIND_FAILURE = settings(PROPERTY_SETTINGS, phases=[Phase.explicit, Phase.generate],
                        report_multiple_bugs=False)


@pytest.mark.parametrize(("layer", "prop"), CHECKED)
def test_reference_has_the_property(layer, prop):
    """Does the reference class have this property on every example?"""
    _run(prop, layer, getattr(solutions, layer.name))


@pytest.mark.parametrize(("layer", "prop", "broken"), [
    pytest.param(layer, prop, broken, id=f"{layer.name}-{prop.__name__}-{broken.__name__}")
    for layer in LAYERS for prop in layer.properties
    for broken in TEETH.get((layer.name, prop.__name__), [])])
def test_the_property_fails_on_a_broken_layer(layer, prop, broken):
    """Does the property catch this broken layer (so that it could fail at all)?"""
    with pytest.raises(AssertionError):
        _run(prop, layer, broken, FIND_FAILURE)


def test_every_property_has_a_broken_layer_to_catch():
    """Is every property of every layer shown to fail somewhere, and every entry of the
    table a property that is checked?"""
    checked = {(layer.name, prop.__name__) for layer in LAYERS for prop in layer.properties}
    assert set(TEETH) == checked
    assert all(TEETH.values())
    assert {layer.name for layer in LAYERS} == {
        part.title.split(".")[0] for part in _gradient_parts()}


def _gradient_parts():
    from autograder.rubric import RUBRIC

    return [part for part in RUBRIC if "." in part.title]
