"""Benchmark: the reference's training on MNIST, and the hidden suite's time per submission.

    python scripts/benchmark.py [--quick] [--repeats 5] [--no-book]

Prints figures; asserts nothing (speed targets are read, not tested):
1. The notebook's training run, executed from the source notebook's own cells (book
   settings: hidden 50, batch 100, lr 0.1, 10,000 iterations, the test accuracy and that
   of 10,000 training images after every epoch): wall time of the training cell (median
   of three runs, alternating with those of 2), the accuracies, and the trained network's
   accuracy on the whole training set beside the sample's.
2. The same run as the book's ch05 ``train_neuralnet.py`` does it (float32 images, one-hot
   labels, ``np.random.choice`` batches, a second forward pass per iteration for the loss),
   in the same process, for comparison, and the ratio of medians (target: >= 4x): with the
   book's own ReLU and softmax code, and once on the kit's network (the loop's share).
3. What the kit's own code in the notebook's training adds to a step (``sgd_step``: the
   network's gradient and update), from whole runs of the notebook's length with and
   without each part (see ``kit_code_cost``): drawing the batches and the loop's
   bookkeeping, the per-epoch evaluations (run beside the training), the progress bar, and
   all of it; target: <= 10% of a step in all.
4. The hidden suite on the reference, per submission: gradient checks and MNIST check apart.

--quick (CI): 1,000 iterations and one run each for 1, 2 and 3, 2 repeats for 4: the same
figures, quickly.
"""

import argparse
import contextlib
import io
import statistics
import time

import numpy as np
from nbgrader.utils import is_grade
from threadpoolctl import threadpool_limits

from autograder import course_settings, mnist_check
from autograder.authoring import build_notebook
from autograder.in_process_code import InProcessCode
from autograder.runner import run_checks
from course_data import load_mnist
from selfcheck.assignment import GRADIENT_PARTS, PARAM_KEYS
from solutions.layers import Relu, SoftmaxWithLoss
from solutions.two_layer_net import TwoLayerNet

# Cells of the notebook not needed to reach the training cell: checks, pictures (the graph
# cells draw the objects the visible checks made), the plot.
SKIPPED_CELLS = ("_visible", "_graph", "plot")
ITERATIONS = 10_000  # the notebook's and the book's
TRAINING_RUNS = 3  # of the notebook's cell and of the book's loop, for medians
KIT_CODE_PAIRS = 5  # of each run in kit_code_cost: its parts are differences of ~3.5 s runs


def notebook_namespace():
    """Run the source notebook's code cells before its training cell; their namespace."""
    namespace = {"__name__": "__main__"}
    for cell in build_notebook().cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if grade_id == "train":
            return namespace, cell.source
        if cell.cell_type != "code" or is_grade(cell) or grade_id.endswith(SKIPPED_CELLS):
            continue
        exec(compile(cell.source, f"<cell {grade_id}>", "exec"), namespace)  # noqa: S102
    raise RuntimeError("the source notebook has no 'train' cell")


def wall(runs):
    """'3.6 s wall', with the spread when there are several runs (seconds first in each)."""
    times = [run[0] for run in runs]
    if len(times) == 1:
        return f"{times[0]:.1f} s wall"
    return (f"{statistics.median(times):.1f} s wall (median of {len(times)}, "
            f"{min(times):.1f}-{max(times):.1f} s)")


def notebook_training(namespace, source, iterations):
    """Time the notebook's training cell as written (its iteration count replaced; what it
    prints dropped: the accuracies are returned)."""
    if iterations != ITERATIONS:
        source = source.replace(f"iters={ITERATIONS:_}", f"iters={iterations}")
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(source, "<cell train>", "exec"), namespace)  # noqa: S102
    seconds = time.perf_counter() - start
    history = namespace["history"]
    whole = namespace["network"].accuracy(namespace["x_train"], namespace["t_train"])
    return seconds, history["train_acc"][-1], history["test_acc"][-1], whole


class BookRelu(Relu):
    """ReLU as the book's common/layers.py computes it: the forward pass copies x and sets
    the masked entries to 0; the backward pass sets them to 0 in dout itself."""

    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout[self.mask] = 0
        return dout


class BookSoftmaxWithLoss(SoftmaxWithLoss):
    """Softmax with loss as the book computes it: np.max and np.sum, exp taken twice, and a
    backward pass for one-hot targets (the book's loop gives those) that ignores dout."""

    def forward(self, x, t):
        self.t = t
        x = x - np.max(x, axis=-1, keepdims=True)
        self.y = np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)
        labels = t.argmax(axis=1)
        self.loss = -np.sum(np.log(self.y[np.arange(len(labels)), labels] + 1e-7)) / len(t)
        return self.loss

    def backward(self, dout=1):
        return (self.y - self.t) / self.t.shape[0]


def book_network(layers):
    """The chapter's 784-50-10 network: the kit's (``layers="kit"``), or with the book's own
    ReLU and softmax code (``"book"``; the kit's given forward passes are faster)."""
    np.random.seed(0)
    network = TwoLayerNet(input_size=784, hidden_size=50, output_size=10)
    if layers == "book":
        network.layers["Relu1"], network.lastLayer = BookRelu(), BookSoftmaxWithLoss()
    return network


def book_training(iterations, layers):
    """The book's ch05 training loop, as published, timed (its own data preparation), on
    ``book_network(layers)``."""
    (x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, one_hot_label=True)
    x_train, x_test = x_train.astype(np.float32), x_test.astype(np.float32)
    network = book_network(layers)
    train_size, batch_size, learning_rate = x_train.shape[0], 100, 0.1
    iter_per_epoch = max(train_size / batch_size, 1)
    start = time.perf_counter()
    for i in range(iterations):
        batch_mask = np.random.choice(train_size, batch_size)
        x_batch, t_batch = x_train[batch_mask], t_train[batch_mask]
        grad = network.gradient(x_batch, t_batch)
        for key in PARAM_KEYS:
            network.params[key] -= learning_rate * grad[key]
        network.loss(x_batch, t_batch)
        if i % iter_per_epoch == 0:
            train_acc = network.accuracy(x_train, t_train)
            test_acc = network.accuracy(x_test, t_test)
    return time.perf_counter() - start, train_acc, test_acc


def kit_code_cost(namespace, iterations, pairs):
    """(seconds of a step, {part of the kit's code: seconds it adds to a step}) in the
    notebook's ``train``, with its objects, over a run of ``iterations``.

    Whole runs, alternated ``pairs`` times (medians of the differences): ``train`` as the
    notebook runs it (its progress bar as text, not the notebook's widget), without the
    bar, without the bar and the evaluations, and the bare steps: as many ``sgd_step``
    calls on an epoch of batches gathered beforehand, with one BLAS thread as ``train``
    has. A bare step reads its batch from memory; a step on a batch just gathered finds it
    in cache, so timing the gathering apart would count that reading twice. The last
    evaluation, after the last step, is waited for: its share depends on the run's length,
    hence the notebook's.
    """
    ns = namespace
    x_train, t_train, x_test, t_test = (ns[key] for key in
                                        ("x_train", "t_train", "x_test", "t_test"))
    epoch = np.random.default_rng(1).integers(0, len(x_train), size=(len(x_train) // 100, 100))
    gathered = [(x_train[batch], t_train[batch]) for batch in epoch]

    def network():
        return ns["TwoLayerNet"](input_size=784, hidden_size=50, output_size=10,
                                 dtype=np.float32)

    def train(evaluate, progress):
        net = network()
        start = time.perf_counter()
        with contextlib.redirect_stderr(io.StringIO()):  # the bar's text
            ns["train"](net, x_train, t_train, x_test, t_test, iters=iterations,
                        eval_every_epoch=evaluate, progress=progress)
        return time.perf_counter() - start

    def bare_steps():
        net = network()
        start = time.perf_counter()
        with threadpool_limits(limits=1, user_api="blas"):
            for i in range(iterations):
                ns["sgd_step"](net, *gathered[i % len(gathered)], 0.1)
        return time.perf_counter() - start

    runs = {"notebook": [], "no bar": [], "no bar, no evaluations": [], "bare": []}
    for _ in range(pairs):
        runs["notebook"].append(train(True, True))
        runs["no bar"].append(train(True, False))
        runs["no bar, no evaluations"].append(train(False, False))
        runs["bare"].append(bare_steps())

    def per_step(more, less):
        differences = [a - b for a, b in zip(runs[more], runs[less], strict=True)]
        return statistics.median(differences) / iterations

    step = statistics.median(runs["bare"]) / iterations
    return step, {
        "batch sampling and the loop's bookkeeping": per_step("no bar, no evaluations", "bare"),
        "evaluations (per epoch, beside the training; the last one waited for)":
            per_step("no bar", "no bar, no evaluations"),
        "progress bar": per_step("notebook", "no bar"),
        "in all": per_step("notebook", "bare"),
    }


def gathering_alone(namespace, steps=600):
    """Seconds to gather a batch, timed alone (as the loop does: an epoch's indices drawn
    at once, each batch dropped before the next). Mostly reading its rows from memory,
    which ``kit_code_cost`` shows a step pays itself when the batch was not just gathered."""
    x_train, t_train = namespace["x_train"], namespace["t_train"]
    start = time.perf_counter()
    for batch in np.random.default_rng(0).integers(0, len(x_train), size=(steps, 100)):
        x_train[batch], t_train[batch]
    return (time.perf_counter() - start) / steps


def evaluation_alone(namespace, net):
    """Seconds of one per-epoch evaluation of ``net``, in line, with one BLAS thread."""
    ns = namespace
    x_sample, t_sample = ns["evaluation_sample"](ns["x_train"], ns["t_train"])
    with threadpool_limits(limits=1, user_api="blas"):
        start = time.perf_counter()
        net.accuracy(x_sample, t_sample), net.accuracy(ns["x_test"], ns["t_test"])
        return time.perf_counter() - start


def hidden_suite(repeats):
    """Median seconds per submission: gradient checks, then the MNIST check (with loading)."""
    reference = InProcessCode.from_module("solutions")
    gradient_times, mnist_times = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        run_checks(reference, GRADIENT_PARTS)
        gradient_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        outcome = mnist_check.train_student_network(reference)
        mnist_times.append(time.perf_counter() - start)
    return statistics.median(gradient_times), statistics.median(mnist_times), outcome


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="CI: 1,000 training iterations, 2 repeats")
    parser.add_argument("--repeats", type=int, default=None)
    parser.add_argument("--no-book", action="store_true", help="skip the book-style run")
    args = parser.parse_args()
    course_settings.load().apply()  # MNIST where the course's settings say, as the kit finds it
    iterations = 1_000 if args.quick else ITERATIONS
    repeats = args.repeats or (2 if args.quick else 5)

    namespace, train_cell = notebook_namespace()
    notebook, book = [], []
    for _ in range(1 if args.quick else TRAINING_RUNS):  # alternately: drift hits both alike
        notebook.append(notebook_training(namespace, train_cell, iterations))
        if not args.no_book:
            book.append(book_training(iterations, "book"))
    seconds = statistics.median(run[0] for run in notebook)
    _, train_acc, test_acc, whole = notebook[0]  # the same in every run: seeded
    print(f"notebook training cell, {iterations:,} iterations: {wall(notebook)}, "
          f"train {train_acc:.4f} / test {test_acc:.4f} (train on all 60,000 images: "
          f"{whole:.4f})")
    if not args.no_book:
        _, train_acc, test_acc = book[0]
        print(f"book's ch05 loop and network, same process: {wall(book)}, "
              f"train {train_acc:.4f} / test {test_acc:.4f}")
        kit, train_acc, test_acc = book_training(iterations, "kit")
        print(f"book's loop on the kit's network:{' ' * 11}{kit:.1f} s wall, "
              f"train {train_acc:.4f} / test {test_acc:.4f}")
        ratio = statistics.median(run[0] for run in book) / seconds
        print(f"notebook / book: {ratio:.1f}x faster (medians; target >= 4x, test accuracy "
              f">= 0.97 after 10,000 iterations); the loop alone: {kit / seconds:.1f}x")

    step, pieces = kit_code_cost(namespace, iterations, pairs=1 if args.quick else KIT_CODE_PAIRS)
    print(f"one training step (sgd_step: gradient and update, its batch read from memory): "
          f"{step * 1e3:.3f} ms; the kit's own code in the training, per step, over the "
          f"run's {iterations:,} (target <= 10% of a step):")
    for name, seconds in pieces.items():  # "in all" is measured too: medians do not add up
        print(f"  {name}: {seconds * 1e3:.3f} ms = {100 * seconds / step:.1f}% of a step")
    gathering = gathering_alone(namespace)
    evaluation = evaluation_alone(namespace, namespace["network"])
    in_line = evaluation / (len(namespace["x_train"]) // 100)  # spread over an epoch's steps
    print(f"  (timed alone, gathering a batch takes {gathering * 1e3:.3f} ms, mostly reading "
          f"its rows, which a bare step pays itself; an evaluation takes "
          f"{evaluation * 1e3:.0f} ms of another core's time, once an epoch: in line it "
          f"would cost {100 * in_line / step:.1f}% of a step)")

    gradient, mnist, outcome = hidden_suite(repeats)
    print(f"hidden suite in-process per submission (median of {repeats}): gradient checks "
          f"{gradient:.2f} s, MNIST check {mnist:.2f} s (test accuracy "
          f"{outcome.accuracy:.4f}), total {gradient + mnist:.2f} s")


if __name__ == "__main__":
    main()
