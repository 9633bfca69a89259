"""Trusted layers for a student's network, so a network-level check tests only what it is
about (TwoLayerNet.gradient, or training) and no layer is charged twice.

In-process (tests, calibration), :func:`reference_layer` is swapped straight into the
network. In the sandbox, the network holds inert stand-ins that ask the grader for each
pass; :class:`NetworkStandIns` answers them, and it is no oracle: only the stand-ins the
grader itself placed in that network, only while a request of the grader's about that
network runs, only with inputs of the shapes that request implies (its batch, or some of
its samples), and only a few passes over the batch per layer and request (one forward and
one backward is what backprop needs).
Anything else is refused, and the student's code sees the refusal as an exception.
"""

import threading
from dataclasses import dataclass, field

import numpy as np

import solutions
from autograder.sandbox.session import CallbackScope, Refused
from selfcheck.assignment import LAYER_KEEPS, STAND_IN_KINDS
from selfcheck.messages import say

# Passes over the batch of one stand-in per request, counted in samples (a gradient taken
# one sample at a time makes as many passes as samples, and is right): a gradient runs each
# layer's forward and backward once; the slack allows a loss computed twice. Numerical
# differentiation needs thousands.
PASSES_PER_REQUEST = 4


def reference_layer(kind, old_layer=None):
    """A reference layer of class ``kind``; an Affine is built on ``old_layer``'s W and b
    themselves (or none yet: the stand-in's state sets them before each pass)."""
    if kind == "Affine":
        return solutions.Affine(getattr(old_layer, "W", None), getattr(old_layer, "b", None))
    if kind not in STAND_IN_KINDS:
        raise ValueError(f"no trusted layer of kind {kind!r}")
    return getattr(solutions, kind)()


def reference_gradient(params, x, t):
    """(loss, {key: gradient}) of the book's network at ``params`` on the batch (x, t): the
    reference TwoLayerNet's own backprop, in float64."""
    d, h = params["W1"].shape
    net = _reference_net(d, h, params["W2"].shape[1])
    for key, value in params.items():
        net.params[key][...] = value
    grads = net.gradient(np.asarray(x, dtype=np.float64), t)  # fresh arrays, not the net's
    return net.lastLayer.loss, grads


def reference_gradient_range(params, x, t, rounding):
    """(loss, {key: (low, high)}): the reference gradient at ``params`` on (x, t), widened
    elementwise for a network that ran its forward pass in lower precision.

    A hidden unit whose input h is within the forward pass's rounding of 0 may be on
    either side of ReLU's kink in such a run, and then the unit passes that sample's
    gradient, or not: both are right backprop. So for each of these units (|h| at most
    ``rounding`` * (|x| @ |W1| + |b1|), the worst-case error of any float dot product of
    that precision, see :data:`autograder.mnist_check.FORWARD_ROUNDING`), low and high
    bound the W1 and b1 gradients over every choice, and the W2 gradient for the unit's
    output (h or 0). Elsewhere low == high == the reference gradient (float64).
    x: (N, D) as the run saw it; t: (N,) labels.
    """
    x = np.asarray(x, dtype=np.float64)  # once: reference_gradient takes it as it is
    loss, grads = reference_gradient(params, x, t)
    w1, b1, w2 = (np.asarray(params[key], dtype=np.float64) for key in ("W1", "b1", "W2"))
    hidden = x @ w1 + b1
    rows, near = _near_kink(x, w1, b1, hidden, rounding)
    if not rows.size:  # as in almost every step: the range is the gradient itself
        return loss, {key: (value, value) for key, value in grads.items()}
    x, hidden = x[rows], np.where(near, hidden[rows], 0.0)
    dscores = _reference_net(*w1.shape, w2.shape[1]).lastLayer.backward(1)[rows]  # (n, C)
    # The change if the unit flips: its upstream gradient comes in (was off) or goes.
    flip = np.where(near, dscores @ w2.T, 0.0) * np.where(hidden > 0, -1.0, 1.0)
    up, down = np.maximum(flip, 0), np.minimum(flip, 0)
    xp, xn = np.maximum(x, 0), np.minimum(x, 0)
    spread_w2 = np.abs(hidden).T @ np.abs(dscores)  # the unit's output is h, or 0
    extra = {"W1": (xp.T @ down + xn.T @ up, xp.T @ up + xn.T @ down),
             "b1": (down.sum(axis=0), up.sum(axis=0)),
             "W2": (-spread_w2, spread_w2)}
    return loss, {key: (value + extra[key][0], value + extra[key][1]) if key in extra
                  else (value, value) for key, value in grads.items()}


def _near_kink(x, w1, b1, hidden, rounding):
    """(rows: the samples with a hidden unit near the kink, near: (len(rows), H) which of
    their units): |h| <= rounding * (|x| @ |W1| + |b1|). The exact bound, a matrix product,
    is computed only for the rows a cheaper, larger one (sum |x| * max |W1|) lets through."""
    rough = rounding * (np.abs(x).sum(axis=1, keepdims=True) * np.abs(w1).max(axis=0)
                        + np.abs(b1))
    rows = np.flatnonzero((np.abs(hidden) <= rough).any(axis=1))
    near = np.abs(hidden[rows]) <= rounding * (np.abs(x[rows]) @ np.abs(w1) + np.abs(b1))
    keep = near.any(axis=1)
    return rows[keep], near[keep]


_nets = threading.local()  # the early MNIST run checks its steps in a thread of its own


def _reference_net(*sizes):
    """A reference TwoLayerNet of ``sizes``, made once per thread: a new one draws its
    random weights (~1 ms at MNIST size) only to have them overwritten."""
    cache = _nets.__dict__.setdefault("by_sizes", {})
    if sizes not in cache:
        cache[sizes] = solutions.TwoLayerNet(*sizes)
    return cache[sizes]


def book_structure(sizes):
    """{index in forward order: (kind, input width, output width)} of the book's
    TwoLayerNet of ``sizes`` (D, H, C); the loss layer comes last."""
    d, h, c = sizes
    return {0: ("Affine", d, h), 1: ("Relu", h, h), 2: ("Affine", h, c),
            3: ("SoftmaxWithLoss", c, c)}


@dataclass
class _StandIn:
    kind: str
    width_in: int
    width_out: int
    layer: object = field(default=None)  # the reference layer, kept across requests


class NetworkStandIns:
    """The reference passes of the stand-ins placed in one network of ``sizes``.

    placed: what the worker reports it placed, ``[[index, kind, stub], ...]``: only
    entries that use a stub id the grader sent (``stubs``) at a position where the book's
    network has a layer of that kind are ever answered. A reference layer is kept per
    stand-in across requests, so a ``gradient`` that skips its forward pass sees the state
    of the last one, as it would with real layers.
    """

    def __init__(self, sizes, placed, stubs):
        structure, stubs = book_structure(sizes), set(stubs)
        self._layers = {}
        for entry in placed if isinstance(placed, list) else []:
            if not (isinstance(entry, list) and len(entry) == 3):
                continue
            index, kind, stub = entry
            if stub in stubs and isinstance(index, int) and structure.get(index, ())[:1] \
                    == (kind,) and stub not in self._layers:
                self._layers[stub] = _StandIn(*structure[index],
                                              layer=reference_layer(kind))

    def scope(self, batch, passes=1):
        """What one request about this network may ask: passes on ``batch`` samples (or
        fewer), PASSES_PER_REQUEST times the batch's samples per layer and method for each
        of ``passes`` gradients the request is about (one, or a training run's steps)."""
        return _NetworkScope(self._layers, batch, PASSES_PER_REQUEST * passes)


# Why a stand-in pass of a network was refused, as the grader saw it (Refused.cause): what
# a real layer would have raised on, so that the checks can name the student's mistake
# although the worker only hears "refused".
NUMBER_FOR_ARRAY = "number"  # a plain number where the layer takes an array (dout = 1)
OTHER_SHAPE = "shape"  # an array of another shape (layers walked in the wrong order)
NO_FORWARD = "no forward"  # backward before this layer's forward pass


class _NetworkScope(CallbackScope):
    """refusal: the cause of the last pass refused (None: none was)."""

    def __init__(self, layers, batch, passes):
        self._layers, self._batch, self._passes = layers, batch, passes
        self._samples = {}  # (stub, method) -> samples passed so far
        self.refusal = None

    def answer(self, call):
        try:
            return self._answer(call)
        except Refused as refused:
            self.refusal = refused.cause
            raise

    def _answer(self, call):
        if not isinstance(call, dict):
            raise Refused(say("stand_in_refused"))
        stand_in = self._layers.get(call.get("stub")) if isinstance(call.get("stub"), int) \
            else None
        method, args = call.get("method"), call.get("args")
        if stand_in is None or method not in ("forward", "backward") \
                or not isinstance(args, tuple | list):
            raise Refused(say("stand_in_refused"))
        args, samples = _checked(stand_in, method, list(args), call.get("state"),
                                 self._batch)
        key = (call["stub"], method)
        self._samples[key] = self._samples.get(key, 0) + samples
        if self._samples[key] > self._passes * self._batch:
            raise Refused(say("stand_in_too_many", kind=stand_in.kind, method=method,
                              limit=PASSES_PER_REQUEST))
        try:
            value = getattr(stand_in.layer, method)(*args)
        except (AttributeError, TypeError):  # inputs are checked: only its state can lack
            raise Refused(say("stand_in_no_forward", kind=stand_in.kind),
                          NO_FORWARD) from None
        return {"value": value, "attrs": _attributes(stand_in)}


def _checked(stand_in, method, args, state, n):
    """(the pass's inputs, its samples), if they are what this network at batch ``n``
    gives this layer (plain float arrays of the implied widths, for the batch or some of
    its samples), else Refused. (Decoded arrays are the grader's own copies: a layer may
    keep them.)"""
    kind, width_in, width_out = stand_in.kind, stand_in.width_in, stand_in.width_out
    if kind == "SoftmaxWithLoss" and method == "backward":
        if len(args) > 1 or (args and not _is_number(args[0])):
            raise Refused(say("stand_in_bad_input", kind=kind, method=method))
        return args, 1
    if kind == "SoftmaxWithLoss":
        samples = _samples(args[0], width_in, n) if len(args) == 2 else 0
        if not samples or not _targets(args[1], samples, width_in):
            raise Refused(say("stand_in_bad_input", kind=kind, method=method))
        return args, samples
    width = width_in if method == "forward" else width_out
    samples = _samples(args[0], width, n) if len(args) == 1 else 0
    if not samples:
        raise Refused(say("stand_in_bad_input", kind=kind, method=method),
                      _mismatch(args[0] if len(args) == 1 else None))
    if kind == "Affine" and method == "forward":
        if not isinstance(state, dict) or not _float_array(state.get("W"),
                                                           (width_in, width_out)) \
                or not _float_array(state.get("b"), (width_out,)):
            raise Refused(say("stand_in_bad_input", kind=kind, method=method))
        stand_in.layer.W, stand_in.layer.b = state["W"], state["b"]
    return args, samples


def _samples(value, width, n):
    """The samples of ``value``, a float array (m, width) with 1 <= m <= n; else 0."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f" and value.ndim == 2 \
            and value.shape[1] == width and 1 <= value.shape[0] <= n:
        return value.shape[0]
    return 0


def _mismatch(value):
    """The cause of refusing ``value`` as a layer's one input (None: no usual mistake)."""
    if _is_number(value):
        return NUMBER_FOR_ARRAY
    if isinstance(value, np.ndarray):
        return OTHER_SHAPE
    return None


def _float_array(value, shape):
    return isinstance(value, np.ndarray) and value.dtype.kind == "f" and value.shape == shape


def _targets(value, n, classes):
    """(n,) integer labels in range, or (n, classes) targets (one-hot) of any numeric
    dtype: floats, or the integers or booleans of np.eye(C, dtype=int)[t]."""
    if not isinstance(value, np.ndarray):
        return False
    if value.shape == (n, classes):
        return value.dtype.kind in "biuf"
    return value.dtype.kind in "iu" and value.shape == (n,) \
        and bool(np.all((value >= 0) & (value < classes)))


def _is_number(value):
    if isinstance(value, np.ndarray):
        return value.shape == () and value.dtype.kind in "iuf"
    return isinstance(value, int | float) and not isinstance(value, bool)


def _attributes(stand_in):
    """What the student's code may read off the layer after a pass, as the given forward
    passes and a backward keep it (the stand-in keeps x and t itself)."""
    layer = stand_in.layer
    return {name: getattr(layer, name) for name in LAYER_KEEPS.get(stand_in.kind, ())
            if getattr(layer, name, None) is not None}

