"""Hidden MNIST check: runs last, and only when TwoLayerNet.gradient passed its checks."""

import pytest

from autograder import mnist_check, mnist_data
from autograder.checks.stash import FAILED_PARTS
from course_data import MnistError
from selfcheck.assignment import NETWORK_LAYER_PARTS, NETWORK_PART
from selfcheck.messages import say


def test_mnist_accuracy(code, request, record_property):
    """Does the student's network, trained by the grader with the book's settings, learn
    MNIST (with backprop gradients on every step the grader checks)?"""
    failed = request.config.stash[FAILED_PARTS]
    if NETWORK_PART in failed:
        pytest.skip(say("mnist_not_run"))
    replace = [kind for kind, part in NETWORK_LAYER_PARTS.items() if part in failed]
    try:
        mnist_data.training_set()
    except MnistError as error:  # the grader's setup, not the student: runner raises it
        record_property("grader_error", str(error))
        raise
    outcome = mnist_check.train_student_network(code, replace)
    record_property("mnist_accuracy", outcome.accuracy)
    record_property("mnist_losses", outcome.losses)
    record_property("mnist_summary", mnist_check.verdict(outcome))
