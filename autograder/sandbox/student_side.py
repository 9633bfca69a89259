"""What the network checks do *to* a student's network, written once for both places where
it may run: in the grader's own process (tests, calibration) and inside the sandboxed
worker (real submissions). Imports only numpy, so the worker can run it.

Nothing here judges: these functions set a network up, run it and hand back plain arrays;
the checks compare those with the trusted reference in the grader's process.
"""

import numpy as np

PARAM_KEYS = ("W1", "b1", "W2", "b2")
LAYER_KINDS = ("Affine", "Relu", "Sigmoid", "SoftmaxWithLoss")


def _plain_call(what, fn, *args):
    return fn(*args)


def prepare_network(net, params, make_layer, kinds=LAYER_KINDS):
    """Copy ``params`` into ``net.params`` in place, then swap in trusted layers.

    make_layer(kind, old_layer): the trusted stand-in for one layer (an Affine one must use
    ``old_layer.W`` and ``old_layer.b`` themselves, so in-place updates still reach it).
    Returns {"shared": whether every Affine held the arrays of net.params itself, before the
    swap; "replaced": the sorted kinds swapped}. Errors (a changed given __init__) propagate.
    """
    for key in PARAM_KEYS:
        net.params[key][...] = params[key]
    shared = layers_share_params(net)
    return {"shared": shared, "replaced": swap_layers(net, make_layer, kinds)}


def layers_share_params(net):
    """Whether every Affine layer holds arrays of net.params itself (not copies)."""
    params = [id(value) for value in net.params.values()]
    affine = [layer for layer in net.layers.values() if type(layer).__name__ == "Affine"]
    return all(id(layer.W) in params and id(layer.b) in params for layer in affine)


def swap_layers(net, make_layer, kinds):
    """Replace the layers of ``net`` whose class name is in ``kinds`` (order kept)."""
    replaced = set()
    for key, layer in list(net.layers.items()):
        kind = type(layer).__name__
        if kind in kinds:
            net.layers[key] = make_layer(kind, layer)
            replaced.add(kind)
    if "SoftmaxWithLoss" in kinds:
        net.lastLayer = make_layer("SoftmaxWithLoss", None)
        replaced.add("SoftmaxWithLoss")
    return sorted(replaced)


def parameter_state(net):
    """{"ids": identity of each net.params array, "values": a float64 copy of each}."""
    return {"ids": {key: id(net.params[key]) for key in PARAM_KEYS},
            "values": {key: np.array(net.params[key], dtype=np.float64) for key in PARAM_KEYS}}


def train_network(make_net, sgd_step, data, *, seed, iterations, batch_size, lr,
                  dtype="float64", make_layer=None, kinds=(), call=_plain_call):
    """Train a fresh network with the given SGD step; return plain arrays to be judged.

    make_net(dtype): the student's TwoLayerNet(784, 50, 10, dtype=dtype); the global
    np.random is seeded first, because the given __init__ draws its weights from it.
    dtype: "float32" or "float64", of the parameters and the images.
    sgd_step(net, x, t, lr) -> batch loss: the given training step (the notebook's).
    data: (x_train uint8 (N, 784), t_train (N,), x_test float64 (M, 784) in [0, 1]).
    make_layer, kinds: trusted layers to swap in for the kinds whose student version failed.
    call(what, fn, *args): how student code is called (names the stage when it raises).
    Returns {"losses": (iterations,), "params": float64 copies, "predictions": (M,) argmax
    of the student's own predict on x_test, "replaced": kinds swapped}.
    """
    x_train, t_train, x_test = data
    dtype = np.dtype(dtype)
    np.random.seed(seed)  # noqa: NPY002 (the book's __init__ uses the legacy generator)
    net = call("TwoLayerNet(784, 50, 10)", make_net, dtype.type)
    replaced = swap_layers(net, make_layer, kinds) if kinds else []
    rng = np.random.default_rng(seed)
    losses = np.empty(iterations)
    for i in range(iterations):
        batch = rng.integers(0, x_train.shape[0], size=batch_size)
        loss = call("training (TwoLayerNet.gradient)", sgd_step, net,
                    x_train[batch].astype(dtype) / dtype.type(255), t_train[batch], lr)
        losses[i] = float(loss)
    params = {key: np.array(net.params[key], dtype=np.float64) for key in PARAM_KEYS}
    predictions = call("TwoLayerNet.predict",
                       lambda: np.argmax(np.asarray(net.predict(x_test.astype(dtype))),
                                         axis=1))
    return {"losses": losses, "params": params, "replaced": replaced,
            "predictions": predictions}
