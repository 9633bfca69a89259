"""What the checks do *to* a student's objects (a layer made and used step by step; a network
set up, run and trained), written once for both places where it may run: in the grader's
own process (tests, calibration) and inside the sandboxed worker (real submissions).
Imports only numpy, so the worker can run it.

Nothing here judges, and in the worker nothing here is trusted: these functions set a
network up and run it, and the grader checks every value that comes back against its own
reference (the parameters it chose, the batch it chose).
"""

import hashlib

import numpy as np

from selfcheck.assignment import PARAM_KEYS


def run_steps(target, steps, catching=Exception):
    """Make an object and use it, step by step: ``target(*args)`` for the first step
    ``(name, args)``, then on what it made a method call, or an attribute read when
    ``args`` is None. Yields ``(value, None)`` per step, or ``(None, error)`` for the first
    that raises one of ``catching``, and stops there."""
    made = None
    for index, (name, args) in enumerate(steps):
        try:
            if index == 0:
                value = made = target(*args)
            elif args is None:
                value = getattr(made, name)
            else:
                value = getattr(made, name)(*args)
        except catching as error:
            yield None, error
            return
        yield value, None


def build_network(make_net, sizes, params, dtype, stand_in, kinds):
    """The student's network of ``sizes`` on ``params``, with stand-ins for ``kinds``.

    make_net: the student's TwoLayerNet. It is called with ``dtype=`` as the notebook's
    given class takes it, and without when it does not take one (the book's signature).
    params: {key: array}, copied into ``net.params`` in place.
    stand_in(kind, old_layer): the layer that replaces one of kind ``kind`` (an Affine one
    must use ``old_layer.W`` and ``old_layer.b`` themselves, so in-place updates reach it).
    Returns (net, {"shared": whether every Affine held the arrays of net.params itself
    before the swap, "placed": [(index in forward order, kind, new layer)], where the last
    layer has index len(net.layers)}). Errors (a changed given __init__) propagate.
    """
    try:
        net = make_net(*sizes, dtype=np.dtype(dtype).type)
    except TypeError as error:
        if "dtype" not in str(error):
            raise
        net = make_net(*sizes)
    set_parameters(net, params)
    shared = layers_share_params(net)
    return net, {"shared": shared, "placed": swap_layers(net, stand_in, kinds)}


def layers_share_params(net):
    """Whether every Affine layer holds arrays of net.params itself (not copies)."""
    params = [id(value) for value in net.params.values()]
    affine = [layer for layer in net.layers.values() if type(layer).__name__ == "Affine"]
    return all(id(layer.W) in params and id(layer.b) in params for layer in affine)


def swap_layers(net, stand_in, kinds):
    """Replace the layers of ``net`` whose class name is in ``kinds`` (order kept), and
    every other reference to them that the network holds (see _swap_references);
    returns [(index in forward order, kind, new layer)]."""
    placed, swapped = [], {}  # id of an old layer -> (old layer, its stand-in)
    for index, (key, layer) in enumerate(list(net.layers.items())):
        kind = type(layer).__name__
        if kind in kinds:
            net.layers[key] = stand_in(kind, layer)
            swapped[id(layer)] = (layer, net.layers[key])
            placed.append((index, kind, net.layers[key]))
    if "SoftmaxWithLoss" in kinds:
        old, net.lastLayer = getattr(net, "lastLayer", None), stand_in("SoftmaxWithLoss", None)
        if old is not None:  # (else every None the network holds would become the stand-in)
            swapped[id(old)] = (old, net.lastLayer)
        placed.append((len(net.layers), "SoftmaxWithLoss", net.lastLayer))
    _swap_references(net, {key: new for key, (_, new) in swapped.items()})
    return placed


def _swap_references(net, new_of):
    """Correct code may keep its layers elsewhere too (``self.affine1 = ...``, a list of
    them in backward order, lists of blocks), made in ``__init__``: the network's
    attributes, and the lists, tuples and dicts in them (SWAP_DEPTH levels deep), then lead
    to the stand-ins as well. (``new_of``: id of an old layer -> its stand-in; the old
    layers are alive while it is used.)"""
    for name, value in list(getattr(net, "__dict__", {}).items()):
        if name not in ("layers", "lastLayer", "params"):
            new = _swapped(value, new_of, SWAP_DEPTH)
            if new is not value:
                setattr(net, name, new)


SWAP_DEPTH = 4  # levels of lists, tuples and dicts searched (a list refers to itself, say)


def _swapped(value, new_of, depth):
    """``value`` with the old layers in it replaced: a list or dict in place, a tuple
    anew."""
    if id(value) in new_of:
        return new_of[id(value)]
    if depth == 0:
        return value
    if type(value) is list:
        value[:] = [_swapped(item, new_of, depth - 1) for item in value]
    elif type(value) is tuple:
        return tuple(_swapped(item, new_of, depth - 1) for item in value)
    elif isinstance(value, dict):
        for key, item in list(value.items()):
            value[key] = _swapped(item, new_of, depth - 1)
    return value


def set_parameters(net, params):
    """Copy ``params`` ({key: array}) into the arrays of ``net.params``, in place (the
    layers hold those very arrays)."""
    for key in PARAM_KEYS:
        net.params[key][...] = params[key]


def parameter_state(net):
    """{"ids": identity of each net.params array, "values": a float64 copy of each}."""
    return {"ids": {key: id(net.params[key]) for key in PARAM_KEYS},
            "values": {key: np.array(net.params[key], dtype=np.float64) for key in PARAM_KEYS}}


def train_committed(net, params, batches, lr, data, dtype):
    """The grader's SGD run: start ``net`` at ``params``, take one step per row of
    ``batches`` (indices into the training set), and commit to every state on the way.

    data: (x_train uint8 (N, 784), t_train (N,)); images become ``dtype`` in [0, 1].
    The step is the notebook's given one: grads = net.gradient(x, t), then
    net.params[key] -= lr * grads[key], in place.
    Returns (commitments: one digest per state, the start and after each step; states:
    the parameters themselves, for the grader to ask for any of them afterwards).
    """
    x_train, t_train = data
    dtype = np.dtype(dtype)
    set_parameters(net, params)
    states = [_snapshot(net)]
    for indices in batches:
        x = x_train[indices].astype(dtype) / dtype.type(255)
        grads = net.gradient(x, t_train[indices])
        for key in PARAM_KEYS:
            net.params[key] -= lr * grads[key]
        states.append(_snapshot(net))
    return [commitment(state) for state in states], states


def _snapshot(net):
    return {key: np.array(net.params[key]) for key in PARAM_KEYS}


def commitment(params):
    """A digest binding four parameter arrays: their values, dtypes and shapes."""
    digest = hashlib.sha256()  # fast on current CPUs (SHA extensions): ~0.1 ms a state
    for key in PARAM_KEYS:
        array = np.ascontiguousarray(params[key])
        digest.update(f"{key}:{array.dtype.str}:{array.shape};".encode())
        digest.update(memoryview(array).cast("B"))
    return digest.hexdigest()
