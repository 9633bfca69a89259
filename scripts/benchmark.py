"""Benchmark: the reference's training on MNIST, and the hidden suite's time per submission.

    python scripts/benchmark.py [--repeats 5] [--no-book]

Prints figures; asserts nothing (speed targets are read, not tested):
1. The notebook's training run, executed from the source notebook's own cells (book
   settings: hidden 50, batch 100, lr 0.1, 10,000 iterations, full train/test accuracy
   after every epoch): wall time of the training cell and accuracies.
2. The same run as the book's ch05 ``train_neuralnet.py`` does it (float32 images, one-hot
   labels, ``np.random.choice`` batches, a second forward pass per iteration for the loss),
   in the same process, for comparison.
3. The hidden suite on the reference, per submission: gradient checks and MNIST check apart.
"""

import argparse
import statistics
import time

import numpy as np
from nbgrader.utils import is_grade

from autograder import mnist_check
from autograder.authoring import build_notebook
from autograder.in_process_code import InProcessCode
from autograder.runner import run_checks
from course_data import load_mnist
from selfcheck.assignment import GRADIENT_PARTS, PARAM_KEYS
from solutions.two_layer_net import TwoLayerNet

# Cells of the notebook not needed to reach the training cell (checks, the plot).
SKIPPED_CELLS = ("_visible", "plot")


def notebook_training():
    """Run the source notebook's code cells up to its training cell; time that cell."""
    namespace = {"__name__": "__main__"}
    seconds = None
    for cell in build_notebook().cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if cell.cell_type != "code" or is_grade(cell) or grade_id.endswith(SKIPPED_CELLS):
            continue
        start = time.perf_counter()
        exec(compile(cell.source, f"<cell {grade_id}>", "exec"), namespace)  # noqa: S102
        if grade_id == "train":
            seconds = time.perf_counter() - start
            break
    history = namespace["history"]
    return seconds, history["train_acc"][-1], history["test_acc"][-1]


def book_training():
    """The book's ch05 training loop, as published, timed (its own data preparation)."""
    (x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, one_hot_label=True)
    x_train, x_test = x_train.astype(np.float32), x_test.astype(np.float32)
    np.random.seed(0)
    network = TwoLayerNet(input_size=784, hidden_size=50, output_size=10)
    train_size, batch_size, learning_rate = x_train.shape[0], 100, 0.1
    iter_per_epoch = max(train_size / batch_size, 1)
    start = time.perf_counter()
    for i in range(10_000):
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
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-book", action="store_true", help="skip the book-style run")
    args = parser.parse_args()

    seconds, train_acc, test_acc = notebook_training()
    print(f"notebook training cell, 10,000 iterations: {seconds:.1f} s wall, "
          f"train {train_acc:.4f} / test {test_acc:.4f}")
    if not args.no_book:
        seconds, train_acc, test_acc = book_training()
        print(f"book's ch05 loop, same process:             {seconds:.1f} s wall, "
              f"train {train_acc:.4f} / test {test_acc:.4f}")

    gradient, mnist, outcome = hidden_suite(args.repeats)
    print(f"hidden suite per submission (median of {args.repeats}): gradient checks "
          f"{gradient:.2f} s, MNIST check {mnist:.2f} s (test accuracy "
          f"{outcome.accuracy:.4f}), total {gradient + mnist:.2f} s")


if __name__ == "__main__":
    main()
