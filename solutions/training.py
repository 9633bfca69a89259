"""Mini-batch SGD for TwoLayerNet on MNIST, as in the book's ch05 ``train_neuralnet.py``.

Given to students in a read-only cell. The grader's MNIST check takes the same SGD step in a
loop of its own (``autograder.sandbox.network_driver``): it never runs a training loop of
the notebook's.
"""

import copy
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
from threadpoolctl import threadpool_limits

from selfcheck.assignment import PARAM_KEYS


def sgd_step(net, x_batch, t_batch, lr):
    """One step: backprop gradients of the batch, then params -= lr * grad, in place.

    In place matters: the layers hold the very arrays in ``net.params``. Returns the batch
    loss from the forward pass that ``net.gradient`` ran (before the update).
    """
    grads = net.gradient(x_batch, t_batch)
    for key in PARAM_KEYS:
        net.params[key] -= lr * grads[key]
    return net.lastLayer.loss


def train(net, x_train, t_train, x_test, t_test, *, iters=10_000, batch_size=100,
          lr=0.1, seed=0, eval_every_epoch=True, progress=True):
    """Train ``net`` with mini-batch SGD and return its history.

    x_train: (N, D), t_train: (N,) labels or (N, C) one-hot; likewise the test set.
    Batches are drawn with replacement, as in the book, from ``np.random.default_rng(seed)``
    (an epoch's at once) so that a run is reproducible. One epoch is N / batch_size
    iterations; after each one, and after the last iteration (if ``eval_every_epoch``), the
    accuracy on the whole test set and on 10,000 of the training images (see
    ``evaluation_sample``) is recorded.

    Returns a dict: ``loss`` (one float per iteration), ``epoch_iter``, ``train_acc`` and
    ``test_acc`` (one entry per evaluation).
    """
    rng = np.random.default_rng(seed)
    train_size = x_train.shape[0]
    iters_per_epoch = max(train_size // batch_size, 1)
    history = {"loss": [], "epoch_iter": [], "train_acc": [], "test_acc": []}
    x_sample, t_sample = evaluation_sample(x_train, t_train, seed=seed)
    evaluations = deque()  # (iteration, future accuracies), in order

    def accuracies(frozen):
        return frozen.accuracy(x_sample, t_sample), frozen.accuracy(x_test, t_test)

    def record(i, future):
        train_acc, test_acc = future.result()  # an error in the evaluation is raised here
        history["epoch_iter"].append(i)
        history["train_acc"].append(train_acc)
        history["test_acc"].append(test_acc)
        if bar is not None:
            bar.set_postfix(train_acc=f"{train_acc:.4f}", test_acc=f"{test_acc:.4f}")

    bar = _progress_bar(iters, progress)
    # One BLAS thread: a second gains nothing on a 100-row batch, and with one the run does
    # not depend on the machine's number of cores. Another core evaluates.
    with threadpool_limits(limits=1, user_api="blas"), ThreadPoolExecutor(1) as evaluator:
        for i in range(1, iters + 1):
            if (i - 1) % iters_per_epoch == 0:  # one draw per epoch: 15 us less a step
                batches = iter(rng.integers(0, train_size, size=(iters_per_epoch, batch_size)))
            batch = next(batches)
            history["loss"].append(sgd_step(net, x_train[batch], t_train[batch], lr))
            if eval_every_epoch and (i % iters_per_epoch == 0 or i == iters):
                # after every epoch, and once more after the last iteration
                evaluations.append((i, _evaluate_aside(evaluator, accuracies, net)))
            while evaluations and evaluations[0][1].done():
                record(*evaluations.popleft())
            if bar is not None:
                bar.update(1)
        while evaluations:
            record(*evaluations.popleft())
    if bar is not None:
        bar.close()
    return history


def _evaluate_aside(evaluator, accuracies, net):
    """A future of ``accuracies`` of a copy of ``net`` as it is now, computed by
    ``evaluator``'s thread while training goes on (it costs a step nothing but the copy).
    A network that cannot be copied is evaluated here and now instead."""
    try:
        frozen = copy.deepcopy(net)
    except Exception:  # an attribute that copy refuses (a generator, say)
        done = Future()
        done.set_result(accuracies(net))
        return done
    return evaluator.submit(accuracies, frozen)


def evaluation_sample(x, t, size=10_000, seed=0):
    """(x, t) of ``size`` samples drawn at random without replacement, in their order.

    The training accuracy after each epoch is measured on these: on all 60,000 images it
    would cost a quarter of the training time, and the sample's accuracy is within ~0.002
    of the whole set's. (Not every sixth image: MNIST's training set is ordered, and such a
    sample is off by 0.01.)
    """
    if size >= len(x):
        return x, t
    chosen = np.sort(np.random.default_rng(seed).choice(len(x), size=size, replace=False))
    return x[chosen], t[chosen]


def _progress_bar(total, enabled):
    """A tqdm bar (widget in Jupyter, text elsewhere), or None when disabled."""
    if not enabled:
        return None
    from tqdm.auto import tqdm

    from selfcheck.messages import say

    return tqdm(total=total, desc=say("progress_training"), unit="it", mininterval=0.5)
