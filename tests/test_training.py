"""The notebook's training loop (solutions.training.train): its evaluations run beside the
training, on a copy of the network as it was after their epoch, and arrive in order."""

import threading
import time
from types import SimpleNamespace

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from selfcheck.assignment import PARAM_KEYS
from solutions.training import train
from solutions.two_layer_net import TwoLayerNet

N, BATCH = 40, 10  # 4 iterations an epoch


class CountingNet:
    """A network whose every step adds 1 to W1 (lr 1, gradient -1) and whose "accuracy" is
    W1, the number of steps it has taken, read slowly: an evaluation of the live network
    would see the steps taken meanwhile."""

    def __init__(self):
        self.params = {key: np.zeros(1) for key in PARAM_KEYS}
        self.lastLayer = SimpleNamespace(loss=0.0)
        self.evaluated_on = set()

    def gradient(self, x, t):
        return {key: -np.ones(1) for key in PARAM_KEYS}

    def accuracy(self, x, t):
        seen = float(self.params["W1"][0])
        time.sleep(0.02)
        self.evaluated_on.add(threading.get_ident())
        return seen


def data(n=N, d=6, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((n, d)), rng.integers(0, classes, size=n)


def run(net, iters, **options):
    x, t = data()
    return train(net, x, t, x, t, iters=iters, batch_size=BATCH, lr=1.0, progress=False,
                 **options)


def test_an_evaluation_after_every_epoch_and_after_the_last_iteration():
    history = run(CountingNet(), iters=10)
    assert len(history["loss"]) == 10
    assert history["epoch_iter"] == [4, 8, 10]


def test_each_evaluation_sees_the_network_as_it_was_after_its_epoch():
    """The slow evaluations run while training goes on, on a copy: each sees the steps
    taken up to its iteration, none after."""
    net = CountingNet()
    history = run(net, iters=10)
    assert history["train_acc"] == history["test_acc"] == [4.0, 8.0, 10.0]
    assert net.params["W1"][0] == 10  # the network trained on, not a copy


def test_evaluations_run_beside_the_training():
    evaluated_on = []

    class Recorded(CountingNet):
        def accuracy(self, x, t):
            evaluated_on.append(threading.get_ident())
            return super().accuracy(x, t)

    run(Recorded(), iters=8)
    assert evaluated_on and threading.get_ident() not in evaluated_on


def test_a_network_that_cannot_be_copied_is_evaluated_in_place():
    net = CountingNet()
    net.stream = (i for i in range(3))  # copy.deepcopy refuses generators
    history = run(net, iters=10)
    assert history["train_acc"] == [4.0, 8.0, 10.0]
    assert net.evaluated_on == {threading.get_ident()}


def test_an_error_in_an_evaluation_reaches_the_caller():
    class Broken(CountingNet):
        def accuracy(self, x, t):
            raise ValueError("accuracy went wrong")

    with pytest.raises(ValueError, match="accuracy went wrong"):
        run(Broken(), iters=10)


def test_no_evaluation_when_asked_for_none():
    net = CountingNet()
    history = run(net, iters=10, eval_every_epoch=False)
    assert history["epoch_iter"] == history["train_acc"] == [] and not net.evaluated_on


def test_a_real_networks_accuracies_are_those_of_its_weights_then():
    """TwoLayerNet: each recorded accuracy is that of the network trained for exactly that
    many iterations, to the last bit."""
    x, t = data(n=100, d=20, classes=4)  # 10 iterations an epoch

    def trained(iters, **options):
        net = TwoLayerNet(input_size=20, hidden_size=8, output_size=4)
        rng = np.random.default_rng(1)  # the same start each time
        for value in net.params.values():
            value[...] = rng.normal(0, 0.1, size=value.shape)
        return net, train(net, x, t, x, t, iters=iters, batch_size=BATCH, progress=False,
                          **options)

    _, history = trained(15)
    assert history["epoch_iter"] == [10, 15]
    then = [trained(i, eval_every_epoch=False)[0].accuracy(x, t) for i in (10, 15)]
    assert history["train_acc"] == history["test_acc"] == then


def test_steps_take_one_blas_thread_and_the_count_is_restored():
    before = [lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"]
    if not before:
        pytest.skip("numpy has no BLAS library threadpoolctl knows")
    counts = []

    class Counted(CountingNet):
        def gradient(self, x, t):
            counts.extend(lib["num_threads"] for lib in threadpool_info()
                          if lib["user_api"] == "blas")
            return super().gradient(x, t)

    run(Counted(), iters=3, eval_every_epoch=False)
    assert set(counts) == {1}
    assert [lib["num_threads"] for lib in threadpool_info()
            if lib["user_api"] == "blas"] == before
