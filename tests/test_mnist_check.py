"""Does the MNIST check pass the reference on every seed and fail broken networks?"""

import pytest

from autograder import mnist_check
from autograder.demo.broken_networks import CopiedParamsNet, ZeroInitNet, as_code
from autograder.expectations import CheckFailed
from autograder.student_code import StudentCode


@pytest.fixture(scope="module")
def data(mnist_dir):
    return mnist_check.training_data()


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_reference_passes_on_every_seed(data, seed, capsys):
    """Does the reference clear the threshold, with margin, whatever the seed?"""
    outcome = mnist_check.train_student_network(StudentCode.from_module("solutions"),
                                                seed=seed)
    summary = mnist_check.verdict(outcome)
    with capsys.disabled():
        print(f"\nseed {seed}: {summary}")
    assert outcome.accuracy >= mnist_check.THRESHOLD + 0.03
    assert "test accuracy 0." in summary  # the accuracy reached is reported


def test_all_zero_initialisation_fails(data):
    """Is a network whose weights start at zero failed, with the accuracy it reached?"""
    outcome = mnist_check.train_student_network(as_code(ZeroInitNet))
    with pytest.raises(CheckFailed, match=r"reached test accuracy 0\.\d+"):
        mnist_check.verdict(outcome)


def test_layers_holding_copies_fail(data):
    """Is a network whose layers copy the parameters failed, with that diagnosis?"""
    outcome = mnist_check.train_student_network(as_code(CopiedParamsNet))
    with pytest.raises(CheckFailed, match="copies of the parameters"):
        mnist_check.verdict(outcome)


def test_failed_layers_are_replaced_by_the_reference(data):
    """When a layer failed its own checks, is the reference used (and said so)?"""
    outcome = mnist_check.train_student_network(StudentCode.from_module("solutions"),
                                                ["Relu"])
    assert outcome.substituted == ["Relu"]
    assert "reference Relu" in mnist_check.verdict(outcome)
