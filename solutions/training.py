"""Mini-batch SGD for TwoLayerNet on MNIST, as in the book's ch05 ``train_neuralnet.py``.

Given to students in a read-only cell; also the trusted loop the grader's MNIST check uses
(the grader never runs a training loop written by the student).
"""

import numpy as np

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

    def evaluate(i):
        history["epoch_iter"].append(i)
        history["train_acc"].append(net.accuracy(x_sample, t_sample))
        history["test_acc"].append(net.accuracy(x_test, t_test))
        if bar is not None:
            bar.set_postfix(train_acc=f"{history['train_acc'][-1]:.4f}",
                            test_acc=f"{history['test_acc'][-1]:.4f}")

    bar = _progress_bar(iters, progress)
    blas = _BlasThreads()
    # At most two BLAS threads for the small matrices of a step (on two cores a step takes
    # 0.72 ms instead of 1.1 ms with one; with more, each would have a sliver of a 100-row
    # batch to do); all of them for the evaluations.
    with blas.step():
        for i in range(1, iters + 1):
            if (i - 1) % iters_per_epoch == 0:  # one draw per epoch: 15 us less a step
                batches = iter(rng.integers(0, train_size, size=(iters_per_epoch, batch_size)))
            batch = next(batches)
            history["loss"].append(sgd_step(net, x_train[batch], t_train[batch], lr))
            if eval_every_epoch and (i % iters_per_epoch == 0 or i == iters):
                with blas.all():
                    evaluate(i)  # after every epoch, and once more after the last iteration
            if bar is not None:
                bar.update(1)
    if bar is not None:
        bar.close()
    return history


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


class _BlasThreads:
    """Switch the BLAS thread count cheaply (threadpoolctl looks the libraries up once)."""

    def __init__(self):
        from threadpoolctl import ThreadpoolController

        self._controller = ThreadpoolController().select(user_api="blas")
        self._most = max([lib["num_threads"] for lib in self._controller.info()], default=1)

    def step(self):
        return self._controller.limit(limits=min(self._most, 2))

    def all(self):
        return self._controller.limit(limits=self._most)


def _progress_bar(total, enabled):
    """A tqdm bar (widget in Jupyter, text elsewhere), or None when disabled."""
    if not enabled:
        return None
    from tqdm.auto import tqdm

    from selfcheck.messages import say

    return tqdm(total=total, desc=say("progress_training"), unit="it", mininterval=0.5)
