"""Does the MNIST check pass the reference on every seed and fail broken networks?"""

import numpy as np
import pytest

import solutions
from autograder import mnist_check, mnist_data
from autograder.demo.broken_networks import CopiedParamsNet, StaleGradientNet, as_code
from autograder.expectations import CheckFailed
from autograder.in_process_code import InProcessCode, LocalNetwork
from autograder.reference_layers import reference_gradient


@pytest.fixture(scope="module")
def data(mnist_dir):
    return mnist_data.training_set()


@pytest.mark.slow
@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_reference_passes_on_every_seed(data, seed, capsys):
    """Does the reference clear the threshold, with margin, whatever the seed?"""
    outcome = mnist_check.train_student_network(InProcessCode.from_module("solutions"),
                                                run=mnist_check.Run(seed))
    summary = mnist_check.verdict(outcome)
    with capsys.disabled():
        print(f"\nseed {seed}: {summary}")
    assert outcome.accuracy >= mnist_check.THRESHOLD + 0.03
    assert "test accuracy 0." in summary  # the accuracy reached is reported


@pytest.mark.slow
def test_a_gradient_right_only_once_fails(data):
    """Is a network whose gradient is right on its first call only failed, at a checked
    step, whatever its accuracy?"""
    with pytest.raises(CheckFailed, match=r"At training step \d+"):
        mnist_check.train_student_network(as_code(StaleGradientNet))


@pytest.mark.slow
def test_layers_holding_copies_fail(data):
    """Is a network whose layers copy the parameters failed, with that diagnosis?"""
    with pytest.raises(CheckFailed, match="copies of the parameters"):
        mnist_check.train_student_network(as_code(CopiedParamsNet))


@pytest.mark.slow
def test_a_right_run_is_not_failed_at_relus_kink(data):
    """Is a right run passed when, at a checked step, a hidden unit's input is so near 0
    that float32 and the grader's float64 put it on different sides of ReLU's kink? (Run
    1016's step 61: a relative error of 2.8e-3 against the float64 gradient alone.)"""
    outcome = mnist_check.train_student_network(InProcessCode.from_module("solutions"),
                                                run=mnist_check.Run(1016))
    assert outcome.accuracy >= mnist_check.THRESHOLD


def test_a_step_off_the_gradient_beside_a_kink_still_fails():
    """Does the range at a kink let through only what the kink can move: a step off by
    a hundredth of the gradient elsewhere still fails?"""
    rng = np.random.default_rng(0)
    params = mnist_check.initial_parameters(rng)
    x = rng.random((mnist_check.BATCH_SIZE, 784)).astype(np.float32)
    t = rng.integers(0, 10, mnist_check.BATCH_SIZE)
    _, gradient = reference_gradient(params, x, t)
    after = {key: params[key] - mnist_check.LEARNING_RATE * gradient[key]
             for key in params}
    assert mnist_check._expect_step(params, after, x, t, 0, True) > 0
    after["b2"] = after["b2"] - 0.01 * mnist_check.LEARNING_RATE * np.abs(gradient["b2"])
    with pytest.raises(CheckFailed, match="At training step 1, the change of b2"):
        mnist_check._expect_step(params, after, x, t, 0, True)


def test_the_checked_steps_depend_on_the_run():
    """Are the checked steps the first, the last and 38 others, different for different
    runs (so no submission can know them before it has committed to its run)?"""
    one = mnist_check.spot_check_steps(["a" * 64] * 601)
    other = mnist_check.spot_check_steps(["b" * 64] * 601)
    assert len(one) == len(other) == mnist_check.SPOT_CHECKS
    assert {0, 599} <= one and one != other
    assert one == mnist_check.spot_check_steps(["a" * 64] * 601)


@pytest.mark.slow
def test_failed_layers_are_replaced_by_the_reference(data):
    """When a layer failed its own checks, is the reference used (and said so)?"""
    outcome = mnist_check.train_student_network(InProcessCode.from_module("solutions"),
                                                ["Relu"])
    assert outcome.substituted == ["Relu"]
    assert "reference Relu" in mnist_check.verdict(outcome)


class _RoundedNet(solutions.TwoLayerNet):
    """Right, but not the reference's last bits: each gradient goes through * 3 / 3."""

    def gradient(self, x, t):
        return {key: value * 3 / 3 for key, value in super().gradient(x, t).items()}


@pytest.mark.slow
def test_only_the_references_own_run_is_not_checked_again(data, monkeypatch):
    """Does a run that commits to exactly the reference's states get the reference's
    outcome without a reference gradient computed again, once it has sent the states at
    the checked steps (the commitments alone could be copied), while a run that differs in
    the last bits (right all the same) is checked in full?"""
    mnist_check.reference_run.cache_clear()  # made here, as the runs below are
    known = mnist_check.reference_run()
    fetched, computed = [], []
    states, gradient = LocalNetwork.mnist_states, mnist_check.reference_gradient
    monkeypatch.setattr(LocalNetwork, "mnist_states",
                        lambda self, steps, *args: fetched.append(steps)
                        or states(self, steps, *args))
    monkeypatch.setattr(mnist_check, "reference_gradient",
                        lambda *args: computed.append(1) or gradient(*args))
    outcome = mnist_check.train_student_network(InProcessCode.from_module("solutions"))
    assert not computed and outcome.accuracy == known.accuracy
    # A few states, the last among them, at steps drawn from the run's commitments.
    assert fetched == [mnist_check.proof_steps(known.commitments)]
    assert fetched[0][-1] == mnist_check.ITERATIONS
    assert len(fetched[0]) == mnist_check.PROOF_STATES + 1
    outcome = mnist_check.train_student_network(as_code(_RoundedNet))
    assert len(computed) >= mnist_check.SPOT_CHECKS - 2  # the first and last may be drawn
    assert outcome.accuracy >= mnist_check.THRESHOLD


@pytest.mark.slow
def test_a_known_run_with_one_proof_state_wrong_fails(data, monkeypatch):
    """The reference's own run, but one of the few states it sends as proof is not the one
    it committed to (a state recalled wrong, or made up): is the check failed?"""
    states = LocalNetwork.mnist_states

    def one_wrong(self, steps, *args):
        sent = states(self, steps, *args)
        sent[steps[0]] = {key: value + 1e-3 for key, value in sent[steps[0]].items()}
        return sent

    monkeypatch.setattr(LocalNetwork, "mnist_states", one_wrong)
    with pytest.raises(CheckFailed):
        mnist_check.train_student_network(InProcessCode.from_module("solutions"))


@pytest.mark.slow
def test_the_references_commitments_without_its_states_fail(data, monkeypatch):
    """A worker that returns the reference's commitments (copied from a classmate, say)
    but cannot send the states they commit to fails the check."""
    known = mnist_check.reference_run()
    monkeypatch.setattr(LocalNetwork, "mnist_train",
                        lambda self, *args: list(known.commitments))
    monkeypatch.setattr(LocalNetwork, "mnist_states",
                        lambda self, steps, limit: {step: {} for step in steps})
    with pytest.raises(CheckFailed):
        mnist_check.train_student_network(InProcessCode.from_module("solutions"))
