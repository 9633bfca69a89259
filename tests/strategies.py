"""Hypothesis strategies for the property tests, in one place (as minitorch keeps them).

Each strategy draws the shape of a problem, a scale and a seed; the arrays come from
numpy's generator on that seed, so a failing example is reproducible from what hypothesis
prints, and shrinking makes shapes and scales small. Every array is float64. Inputs of a
layer with a kink (Relu; the network's hidden layer) stay away from it: the numerical
gradient means nothing there.
"""

from dataclasses import dataclass

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from selfcheck.numerics import away_from_zero

# Fixed examples (derandomize: the same ones on every run and machine), no deadline (a
# busy CI machine is slow), and a budget that keeps each test well under a second.
PROPERTY_SETTINGS = settings(max_examples=25, derandomize=True, deadline=None,
                             database=None, print_blob=False,
                             suppress_health_check=[HealthCheck.too_slow])

seeds = st.integers(min_value=0, max_value=2**32 - 1)
# Inputs from 1e-2 to 1e2 in size: the numerical gradients of these O(1)-curvature layers
# stay good to ~1e-8 relative over the whole range (selfcheck.numerics: STEP and FLOOR).
scales = st.sampled_from([1e-2, 1e-1, 1.0, 10.0, 100.0])
sides = st.integers(min_value=1, max_value=4)
# a and b of backward(a * d1 + b * d2) == a * backward(d1) + b * backward(d2).
coefficients = st.floats(min_value=-3.0, max_value=3.0, allow_nan=False)


@dataclass
class Case:
    """One problem for a layer: its inputs (name -> array, each differentiated), the
    targets (SoftmaxWithLoss, TwoLayerNet), two upstream gradients and the coefficients
    combining them; for TwoLayerNet, the inputs are its parameters and ``x`` the batch."""

    inputs: dict
    douts: tuple
    coefficients: tuple
    t: np.ndarray | None = None
    x: np.ndarray | None = None

    def __repr__(self):  # what hypothesis prints for a failing example: the shapes
        shapes = {name: value.shape for name, value in self.inputs.items()}
        return f"Case(shapes={shapes}, coefficients={self.coefficients})"


def _douts(draw, rng, shape):
    scale = draw(st.sampled_from([0.1, 1.0, 10.0]))
    return (scale * rng.standard_normal(shape), scale * rng.standard_normal(shape))


@st.composite
def elementwise(draw, names=("x",), kink=False):
    """Inputs of one elementwise layer (Relu, Sigmoid; MulLayer and AddLayer take two of
    the same shape): 1 to 3 dimensions of 1 to 4 each."""
    shape = tuple(draw(st.lists(sides, min_size=1, max_size=3)))
    scale, rng = draw(scales), np.random.default_rng(draw(seeds))
    inputs = {name: scale * (away_from_zero(rng, shape) if kink else rng.standard_normal(shape))
              for name in names}
    return Case(inputs, _douts(draw, rng, shape), (draw(coefficients), draw(coefficients)))


@st.composite
def affine(draw):
    """x: (N, d_1, ..., d_k) with k from 1 to 3, W: (d_1 ... d_k, M), b: (M,)."""
    n, m = draw(sides), draw(sides)
    features = tuple(draw(st.lists(sides, min_size=1, max_size=3)))
    scale, rng = draw(scales), np.random.default_rng(draw(seeds))
    size = int(np.prod(features))
    inputs = {"x": scale * rng.standard_normal((n, *features)),
              "W": scale * rng.standard_normal((size, m)),
              "b": scale * rng.standard_normal(m)}
    return Case(inputs, _douts(draw, rng, (n, m)), (draw(coefficients), draw(coefficients)))


@st.composite
def softmax_with_loss(draw):
    """x: (N, C) scores, C >= 2; t: (N,) labels or (N, C) one-hot. The upstream gradient
    of a loss is a number."""
    n, c = draw(sides), draw(st.integers(min_value=2, max_value=5))
    scale, rng = draw(scales), np.random.default_rng(draw(seeds))
    labels = rng.integers(0, c, size=n)
    t = np.eye(c)[labels] if draw(st.booleans()) else labels
    douts = (draw(st.sampled_from([1.0, 0.5, 3.0])), draw(st.sampled_from([1.0, 2.0])))
    return Case({"x": scale * rng.standard_normal((n, c))}, douts,
                (draw(coefficients), draw(coefficients)), t=t)


@st.composite
def two_layer_net(draw):
    """Parameters W1: (D, H), b1, W2: (H, C), b2 and a batch x: (N, D) whose hidden
    pre-activations stay >= 1e-2 from ReLU's kink (redrawn from the same generator until
    they do, as the hidden checks do); t: labels or one-hot."""
    d, h, c, n = draw(sides), draw(sides), draw(st.integers(2, 4)), draw(sides)
    scale, rng = draw(st.sampled_from([0.1, 0.5, 2.0])), np.random.default_rng(draw(seeds))
    while True:
        params = {"W1": scale * rng.standard_normal((d, h)), "b1": 0.1 * rng.standard_normal(h),
                  "W2": scale * rng.standard_normal((h, c)), "b2": 0.1 * rng.standard_normal(c)}
        x = rng.standard_normal((n, d))
        if np.min(np.abs(x @ params["W1"] + params["b1"])) > 1e-2:
            break
    labels = rng.integers(0, c, size=n)
    t = np.eye(c)[labels] if draw(st.booleans()) else labels
    return Case(params, (1.0, 1.0), (1.0, 0.0), t=t, x=x)
