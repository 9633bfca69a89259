"""Does the network driver (what the network checks do to a student's network, in the
sandbox or in-process) build the network the grader asks for, put stand-ins exactly where
the layers were, report the parameters as they are, and train step by step, committing to
every state? (The reference TwoLayerNet, in-process, at small sizes.)"""

import numpy as np
import pytest

import solutions
from autograder.reference_layers import reference_gradient, reference_layer
from autograder.sandbox.network_driver import (
    build_network,
    commitment,
    parameter_state,
    train_committed,
)
from selfcheck.assignment import PARAM_KEYS

SIZES = (4, 5, 3)


class BookNet(solutions.TwoLayerNet):
    """The book's signature: no dtype argument."""

    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        super().__init__(input_size, hidden_size, output_size, weight_init_std)


class CopyingNet(solutions.TwoLayerNet):
    """Affine layers holding copies of the parameters (in-place updates never reach them)."""

    def __init__(self, *sizes, dtype=np.float64):
        super().__init__(*sizes, dtype=dtype)
        for key in ("1", "2"):
            self.layers["Affine" + key] = solutions.Affine(
                self.params["W" + key].copy(), self.params["b" + key].copy())


def _params(seed=0, sizes=SIZES):
    d, h, c = sizes
    rng = np.random.default_rng(seed)
    return {"W1": rng.standard_normal((d, h)), "b1": rng.standard_normal(h),
            "W2": rng.standard_normal((h, c)), "b2": rng.standard_normal(c)}


class Recorder:
    """A stand_in that records what it replaced and returns a marker object."""

    def __init__(self):
        self.replaced = []

    def __call__(self, kind, old_layer):
        self.replaced.append((kind, old_layer))
        return ("stand-in", kind, len(self.replaced))


@pytest.mark.parametrize(("make_net", "dtype"), [
    (solutions.TwoLayerNet, "float32"), (solutions.TwoLayerNet, "float64"),
    (BookNet, "float32"),
], ids=["given class, float32", "given class, float64", "book's signature"])
def test_the_network_is_built_on_the_graders_parameters(make_net, dtype):
    """Is the network built with dtype= when its class takes one (and without when it
    does not), holding the grader's values in its own arrays, shared with its layers?"""
    params = _params()
    net, report = build_network(make_net, SIZES, params, dtype, reference_layer, ())
    expected = np.dtype(dtype) if make_net is not BookNet else np.dtype(np.float64)
    for key in PARAM_KEYS:
        assert net.params[key].dtype == expected
        np.testing.assert_allclose(net.params[key], params[key], rtol=1e-6)
        assert not np.shares_memory(net.params[key], params[key])  # copied in, in place
    assert report == {"shared": True, "placed": []}
    assert net.layers["Affine1"].W is net.params["W1"]


def test_a_type_error_not_about_dtype_is_the_students():
    """A given __init__ the student changed, failing with a TypeError of its own: does that
    error come through (not a second call without dtype)?"""
    calls = []

    def make_net(*sizes, **kwargs):
        calls.append(kwargs)
        raise TypeError("unsupported operand type(s) for *: 'NoneType' and 'float'")

    with pytest.raises(TypeError, match="NoneType"):
        build_network(make_net, SIZES, _params(), "float64", reference_layer, ())
    assert calls == [{"dtype": np.float64}]


def test_layers_holding_copies_are_reported():
    """Are Affine layers that hold copies of net.params (not the arrays themselves)
    reported as not shared?"""
    _, report = build_network(CopyingNet, SIZES, _params(), "float64", reference_layer, ())
    assert report["shared"] is False


def test_stand_ins_are_placed_where_the_layers_are():
    """Asked for Relu and the loss: do the stand-ins take the Relu's key and the last
    layer's place, in forward order (the loss last, at len(layers)), with the order of
    the layers kept and the Affine layers left alone?"""
    stand_in = Recorder()
    net, report = build_network(solutions.TwoLayerNet, SIZES, _params(), "float64",
                                stand_in, ("Relu", "SoftmaxWithLoss"))
    assert list(net.layers) == ["Affine1", "Relu1", "Affine2"]
    relu, loss = ("stand-in", "Relu", 1), ("stand-in", "SoftmaxWithLoss", 2)
    assert report["placed"] == [(1, "Relu", relu), (3, "SoftmaxWithLoss", loss)]
    assert net.layers["Relu1"] == relu and net.lastLayer == loss
    assert type(net.layers["Affine1"]) is solutions.Affine
    assert [kind for kind, _ in stand_in.replaced] == ["Relu", "SoftmaxWithLoss"]
    assert type(stand_in.replaced[0][1]) is solutions.Relu


class KeepingNet(solutions.TwoLayerNet):
    """References to its layers besides self.layers: named, in nested lists, in a dict, and
    a list that holds itself; and a None of its own."""

    def __init__(self, *sizes, dtype=np.float64):
        super().__init__(*sizes, dtype=dtype)
        self.relu = self.layers["Relu1"]
        self.blocks = [[self.layers["Affine1"], self.layers["Relu1"]], (self.lastLayer,)]
        self.by_name = {"relu": self.layers["Relu1"], "other": 3}
        self.loop = [self.layers["Relu1"]]
        self.loop.append(self.loop)
        self.nothing = None


def test_every_reference_to_a_replaced_layer_leads_to_its_stand_in():
    """Do the network's own references to a replaced layer (an attribute, nested lists and
    tuples, a dict, a list that holds itself) lead to its stand-in, while the rest (the
    Affine layers not replaced, a None, a number) stays as it was?"""
    net, _ = build_network(KeepingNet, SIZES, _params(), "float64", Recorder(),
                           ("Relu", "SoftmaxWithLoss"))
    relu, loss = net.layers["Relu1"], net.lastLayer
    assert net.relu is relu and net.by_name == {"relu": relu, "other": 3}
    assert net.blocks == [[net.layers["Affine1"], relu], (loss,)]
    assert net.loop[0] is relu and net.loop[1] is net.loop and net.nothing is None


def test_a_network_without_a_loss_layer_keeps_its_nones():
    """No lastLayer to replace: does every None the network holds stay None?"""
    class NoLoss(KeepingNet):
        def __init__(self, *sizes, dtype=np.float64):
            super().__init__(*sizes, dtype=dtype)
            del self.lastLayer

    net, _ = build_network(NoLoss, SIZES, _params(), "float64", Recorder(),
                           ("SoftmaxWithLoss",))
    assert net.nothing is None and net.lastLayer == ("stand-in", "SoftmaxWithLoss", 1)


def test_an_affine_stand_in_trains_with_the_network():
    """Every layer replaced by a trusted one, the Affine ones built on the old layers'
    W and b: is the loss the same as before, and does an in-place update of net.params
    still reach the layers?"""
    params = _params()
    x, t = np.random.default_rng(1).standard_normal((6, 4)), np.array([0, 1, 2, 0, 1, 2])
    plain, _ = build_network(solutions.TwoLayerNet, SIZES, params, "float64",
                             reference_layer, ())
    swapped, report = build_network(solutions.TwoLayerNet, SIZES, params, "float64",
                                    reference_layer, ("Affine", "Relu", "SoftmaxWithLoss"))
    assert [(index, kind) for index, kind, _ in report["placed"]] == [
        (0, "Affine"), (1, "Relu"), (2, "Affine"), (3, "SoftmaxWithLoss")]
    assert swapped.layers["Affine2"] is not plain.layers["Affine2"]
    assert swapped.loss(x, t) == pytest.approx(plain.loss(x, t), rel=1e-12)
    swapped.params["W2"] *= 0.0
    swapped.params["b2"] *= 0.0
    # Uniform scores: -log(1/3), less the book's 1e-7 inside the log (~3e-7).
    assert swapped.loss(x, t) == pytest.approx(np.log(3), abs=1e-6)


def test_parameter_state_says_which_arrays_and_their_values():
    """Does parameter_state give the identity of each array of net.params and a float64
    copy of its values, unchanged when the network changes afterwards?"""
    net, _ = build_network(solutions.TwoLayerNet, SIZES, _params(), "float32",
                           reference_layer, ())
    state = parameter_state(net)
    assert state["ids"] == {key: id(net.params[key]) for key in PARAM_KEYS}
    before = {key: net.params[key].astype(np.float64) for key in PARAM_KEYS}
    net.params["W1"] += 1.0
    net.params["b2"] = np.zeros_like(net.params["b2"])  # a new array: a new id
    for key in PARAM_KEYS:
        assert state["values"][key].dtype == np.float64
        np.testing.assert_array_equal(state["values"][key], before[key])
    assert parameter_state(net)["ids"]["b2"] != state["ids"]["b2"]


def _data(n=12, d=4, c=3, seed=2):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, d), dtype=np.uint8), rng.integers(0, c, n)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_train_committed_takes_the_graders_steps_and_commits_to_each(dtype):
    """From the grader's start (not wherever the network was), is each state the one
    before minus lr times the reference gradient on that batch (images scaled to [0, 1]
    in ``dtype``), kept in the network's dtype, and each commitment that of its state?"""
    params, data = _params(), _data()
    net, _ = build_network(solutions.TwoLayerNet, SIZES, _params(seed=9), dtype,
                           reference_layer, ())
    batches, lr = [[0, 1, 2], [3, 4, 5], [6, 7, 8, 9]], 0.1
    commitments, states = train_committed(net, params, batches, lr, data, dtype)
    assert len(commitments) == len(states) == len(batches) + 1
    assert len(set(commitments)) == len(commitments)
    assert commitments == [commitment(state) for state in states]
    tolerance = 1e-12 if dtype == "float64" else 1e-5
    for key in PARAM_KEYS:
        assert states[0][key].dtype == np.dtype(dtype)
        np.testing.assert_allclose(states[0][key], params[key], rtol=tolerance)
        np.testing.assert_array_equal(net.params[key], states[-1][key])
    x_train, t_train = data
    for step, indices in enumerate(batches):
        before = {key: states[step][key].astype(np.float64) for key in PARAM_KEYS}
        _, grads = reference_gradient(before, x_train[indices] / 255.0, t_train[indices])
        for key in PARAM_KEYS:
            np.testing.assert_allclose(states[step + 1][key], before[key] - lr * grads[key],
                                       rtol=tolerance, atol=tolerance)


def test_states_are_copies_not_the_networks_arrays():
    """Do the states keep what the parameters were at each step, however the network
    changes later?"""
    net, _ = build_network(solutions.TwoLayerNet, SIZES, _params(), "float64",
                           reference_layer, ())
    commitments, states = train_committed(net, _params(), [[0, 1]], 0.1, _data(), "float64")
    net.params["W1"][...] = 0.0
    assert commitment(states[-1]) == commitments[-1]
    assert not any(np.shares_memory(states[-1][key], net.params[key]) for key in PARAM_KEYS)


def test_a_commitment_binds_values_dtypes_and_shapes():
    """Does the digest change with any value, the dtype or the shape (the same bytes), and
    not with the memory layout of equal arrays?"""
    params = _params()
    base = commitment(params)
    assert commitment({**params, "W1": np.asfortranarray(params["W1"])}) == base
    changed = params["b2"].copy()
    changed[0] = np.nextafter(changed[0], np.inf)
    assert commitment({**params, "b2": changed}) != base
    assert commitment({**params, "W1": params["W1"].astype(np.float32)}) != base
    assert commitment({**params, "W1": params["W1"].reshape(5, 4)}) != base
