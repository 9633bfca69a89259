"""Calibrate the MNIST check: accuracy of the reference and of broken networks per seed.

    python scripts/calibrate_mnist_check.py [--seeds 20] [--iterations 600]

Prints one row per network: min / median / max test accuracy over the seeds, and the time
per run. THRESHOLD in autograder/mnist_check.py must sit well between the reference's
minimum and the broken networks' maximum.
"""

import argparse
import statistics
import time

from autograder import mnist_check
from autograder.demo.broken_networks import CopiedParamsNet, ZeroInitNet, as_code
from autograder.student_code import StudentCode


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--iterations", type=int, default=mnist_check.ITERATIONS)
    args = parser.parse_args()

    networks = {"reference": StudentCode.from_module("solutions"),
                "all-zero init": as_code(ZeroInitNet),
                "layers hold copies": as_code(CopiedParamsNet)}
    print(f"{args.seeds} seeds, {args.iterations} iterations, threshold "
          f"{mnist_check.THRESHOLD}")
    for name, code in networks.items():
        accuracies, seconds = [], []
        for seed in range(args.seeds):
            start = time.perf_counter()
            outcome = mnist_check.train_student_network(code, seed=seed,
                                                        iterations=args.iterations)
            seconds.append(time.perf_counter() - start)
            accuracies.append(outcome.accuracy)
        print(f"{name:20s} accuracy min {min(accuracies):.4f}  median "
              f"{statistics.median(accuracies):.4f}  max {max(accuracies):.4f}   "
              f"{statistics.median(seconds):.2f} s/run")


if __name__ == "__main__":
    main()
