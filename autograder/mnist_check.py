"""The final check: the student's network learns real MNIST, in a run the grader drives.

It runs only after TwoLayerNet.gradient passed its checks. The grader sets the run: the
initial parameters (the book's scheme: N(0, 0.01^2) weights, zero biases, from its own
seed), every batch, the learning rate. The student's network (built in a fresh worker, with
the reference layer for any layer that failed its own checks) takes the notebook's SGD step
on each batch and commits to every state it passes through (a digest of the parameters).
Only then does the grader choose ``SPOT_CHECKS`` steps, from a hidden seed and the
commitments themselves (so no submission can know them in advance), asks for the states
around them, checks them against the commitments, and requires each chosen step to be the
reference's SGD step: (P_s - P_s+1) / lr must equal the reference gradient at P_s on that
batch (either side of ReLU's kink for a hidden unit that rounding may put on it). It
checks the start against its own initial parameters, and measures the accuracy itself,
from the committed final parameters, with its own forward pass. The loss curve is the
reference loss at the chosen steps. Nothing the worker says about itself is used, so
replacing any worker-side code changes nothing: a run that is not gradient descent with
backprop gradients disagrees at a chosen step, or runs out of time (``TRAINING_SECONDS``).
A run whose commitments are, step for step, those of the reference's own run with the same
settings (verified once per process, see :func:`reference_run`) has the reference's states,
so their checks are the reference's and the grader does not compute them again (~0.2
core-s, measured in process); such a run sends a few states only, at steps drawn as the
spot checks are (:func:`proof_steps`), to show it computed them.

Budget and threshold (calibrated by ``scripts/calibrate_mnist_check.py``; figures in its
docstring): after 100 iterations at learning rate 0.5 the reference reaches 0.80-0.90 on
each of 40 seeds (median 0.88; 0.8993 on the check's own seed), in half the time of 200
(0.86-0.92; SGD at this rate is bumpy, so a longer run does not lift the worst seed much
above 0.82 until 200). THRESHOLD = 0.75 sits 0.05 below the worst seed. What the threshold
separates is a run that learns from one that does not; every broken network of the
calibration is caught by the spot checks, which see 40 of the 100 steps.
Training runs in float32, as in the notebook (the spot checks compare in float64).
"""

import functools
import hashlib
import math
from dataclasses import dataclass, field

import numpy as np

from autograder import mnist_data
from autograder.expectations import CheckFailed, call_student
from autograder.reference_layers import reference_gradient, reference_gradient_range
from autograder.sandbox.network_driver import commitment
from autograder.sandbox.session import TimedOut
from selfcheck.assignment import PARAM_KEYS
from selfcheck.diagnosis import named
from selfcheck.messages import say
from selfcheck.numerics import FLOOR, relative_error

SEED = 2024
# A sixth of an epoch at five times the book's learning rate: the reference reaches 0.80-0.90
# (0.90 after one epoch of the book's settings, 600 steps at 0.1) in a sixth of the time (see
# scripts/calibrate_mnist_check.py).
ITERATIONS = 100
BATCH_SIZE = 100
LEARNING_RATE = 0.5
SIZES = (784, 50, 10)  # D, H, C of the book's network
WEIGHT_INIT_STD = 0.01
# As the notebook trains: float32 halves the time of the check; the accuracy reached is the
# same to about 0.001.
DTYPE = "float32"
THRESHOLD = 0.75
PARAM_SHAPES = {"W1": SIZES[:2], "b1": SIZES[1:2], "W2": SIZES[1:], "b2": SIZES[2:]}
# Steps whose gradients the grader recomputes: 40 of 100, at positions no submission can
# know before it has committed to its run. Any run that is not an SGD step with the right
# gradient on a tenth of its steps is caught with probability ~1 - C(90, 40) / C(100, 40)
# = 99.6% (at least 1 - 0.9^40 = 98.5% for any length); a run without backprop has no right
# step at all. A check costs ~2 ms.
SPOT_CHECKS = 40
SPOT_SEED = b"backprop-kit spot checks 5e1f"  # not shown to students, like the hidden seeds
# The step (P_s - P_s+1) / lr in float32 against the reference gradient in float64 on the
# same float32 inputs: rounding alone gives under 1e-5 (6e-6 at most over 12,000 steps);
# every wrong gradient in the catalog is off by 1e-1 or more.
SPOT_TOL = 1e-3
# Except at ReLU's kink: a hidden unit's input that float32 rounding may put on either
# side of 0 lets a sample's gradient through, or not, and that alone moved a right step by
# up to 2.8e-3 (2 steps in 12,000; 1 run in 60 failed a spot check so). Such units are
# those with |h| within the worst-case rounding of a float32 dot product of D + 1 terms,
# in any order (Higham's gamma_n = n u / (1 - n u), u = eps / 2): the grader accepts either
# side for them (see reference_gradient_range).
_UNIT_ROUNDING = float(np.finfo(DTYPE).eps) / 2
FORWARD_ROUNDING = (SIZES[0] + 1) * _UNIT_ROUNDING / (1 - (SIZES[0] + 1) * _UNIT_ROUNDING)
# 100 steps take ~0.15 s vectorised and ~5 s with Python loops over the batch in every
# layer; numerical differentiation of the loss needs ~80,000 forward passes per step
# (~20 s a step).
TRAINING_SECONDS = 60.0


@dataclass
class MnistOutcome:
    accuracy: float  # test accuracy of the trained parameters, by the trusted forward pass
    losses: list = field(default_factory=list)  # [step, reference batch loss] at spot checks
    substituted: list = field(default_factory=list)  # layers replaced by reference ones


@dataclass(frozen=True)
class Run:
    """The settings of one MNIST run; calling it trains (see :func:`train`). Runs with the
    same settings are equal, so an early run is recognised as the one the check asks for."""

    seed: int = SEED
    iterations: int = ITERATIONS

    def __call__(self, code, kinds):
        return train(code, kinds, seed=self.seed, iterations=self.iterations)


# The run the hidden MNIST check asks for: the one place its settings are chosen (the
# grader starts this very run early, while the gradient checks go on).
CHECK_RUN = Run()


def train_student_network(code, replace_layers=(), run=CHECK_RUN):
    """Train the student's network with the book's settings; return the MnistOutcome.

    replace_layers: layer kinds ("Relu", "Affine", "SoftmaxWithLoss") whose student version
    failed its checks and is replaced by the reference for this run.
    run: another seed or length (calibration, tests).
    """
    return call_student(say("part_mnist_training"), code.train_on_mnist, run,
                        tuple(sorted(replace_layers)))


def train(code, kinds, *, seed, iterations):
    """The grader's training run of ``code``'s network (see the module docstring)."""
    known = reference_run() if Run(seed, iterations) == CHECK_RUN else None
    return _train(code, kinds, seed, iterations, known)[1]


@functools.cache
def reference_run():
    """The reference's own run with CHECK_RUN's settings, verified as any other: a
    _KnownRun. Computed once per process (see grade.prepare, with one BLAS thread, as in
    a worker: a run of the same code is then the same to the last bit)."""
    from autograder.in_process_code import InProcessCode

    reference = InProcessCode.from_module("solutions")
    commitments, outcome = _train(reference, (), CHECK_RUN.seed, CHECK_RUN.iterations, None)
    return _KnownRun(tuple(commitments), outcome.accuracy, outcome.losses)


@dataclass(frozen=True)
class _KnownRun:
    """A run the grader has verified: its commitments, and what verifying it found."""

    commitments: tuple
    accuracy: float
    losses: list

    def outcome(self, kinds):
        return MnistOutcome(accuracy=self.accuracy, losses=[list(loss) for loss in self.losses],
                            substituted=list(kinds))


def _train(code, kinds, seed, iterations, known):
    """(the run's commitments, its MnistOutcome).

    known: a _KnownRun of the same settings, or None. A run that commits to exactly its
    states is that run (SHA-256): once the states at its proof steps have come and match
    the commitments (so the run was computed, not recalled: the commitments alone could
    be copied), their checks are those the grader made of the reference's own run, and
    its outcome is known without a reference gradient or a forward pass over the test set.
    Most correct notebooks' runs are the reference's to the last bit, a failed layer's
    stand-in included."""
    x_train, t_train = mnist_data.training_set()
    rng = np.random.default_rng(seed)
    params = initial_parameters(rng)
    batches = rng.integers(0, len(x_train), size=(iterations, BATCH_SIZE))
    with code.training_network(SIZES, params, kinds, DTYPE) as net:
        commitments = _commitments(call_student(
            "training on MNIST", _timed(net.mnist_train), params, batches, LEARNING_RATE,
            DTYPE, TRAINING_SECONDS), iterations)
        is_known = known is not None and tuple(commitments) == known.commitments
        if is_known:
            wanted = proof_steps(commitments)
        else:
            spots = spot_check_steps(commitments)
            wanted = sorted({0, iterations, *spots, *(step + 1 for step in spots)})
        states = _states(net.mnist_states(wanted, _reply_bytes(len(wanted))), wanted,
                         commitments)
    if is_known:
        return commitments, known.outcome(kinds)
    if not all(np.array_equal(states[0][key], params[key]) for key in PARAM_KEYS):
        raise CheckFailed(named("mnist_wrong_start"))
    losses = []
    for step in sorted(spots):
        loss = _expect_step(states[step], states[step + 1], _images(x_train, batches[step]),
                            t_train[batches[step]], step, net.shared)
        losses.append([step + 1, float(loss)])
    x_test, t_test = mnist_data.held_out_images(DTYPE)
    accuracy = float(np.mean(_trusted_predict(states[iterations], x_test) == t_test))
    return commitments, MnistOutcome(accuracy=accuracy, losses=losses,
                                     substituted=list(kinds))


def initial_parameters(rng):
    """The book's initialisation, drawn by the grader: N(0, 0.01^2) weights, zero biases."""
    return {key: (WEIGHT_INIT_STD * rng.standard_normal(shape) if key[0] == "W"
                  else np.zeros(shape)).astype(DTYPE) for key, shape in PARAM_SHAPES.items()}


def spot_check_steps(commitments):
    """The steps the grader checks: the first, the last, and others drawn from the hidden
    SPOT_SEED and the run's own commitments (known only once the run is over)."""
    iterations = len(commitments) - 1
    return {0, iterations - 1, *_drawn(b"", commitments)[:SPOT_CHECKS - 2].tolist()}


def _drawn(purpose, commitments):
    """The run's steps 0 .. iterations - 1 in an order drawn from the hidden SPOT_SEED, the
    run's commitments and ``purpose`` (bytes: one order per use)."""
    digest = hashlib.blake2b(purpose + SPOT_SEED + "".join(commitments).encode(),
                             digest_size=16)
    return np.random.default_rng(int.from_bytes(digest.digest(), "big")).permutation(
        len(commitments) - 1)


# States a run known to be the reference's must send, to show it computed them (see
# proof_steps): a worker that returns copied commitments has none of them; one that stored
# every state of the reference's run (16 MB) would send any number. Each state is ~160 kB
# to send, hash and check: the 81 a full check needs cost ~0.03 s of a correct notebook's
# grading, where these cost ~2 ms.
PROOF_STATES = 4


def proof_steps(commitments):
    """The states a known run sends (see PROOF_STATES): its last, which its accuracy is
    measured on, and others drawn as the spot checks are, from the hidden SPOT_SEED and
    the commitments (known only once the run is over)."""
    drawn = _drawn(b"proof ", commitments)[:PROOF_STATES].tolist()
    return sorted({len(commitments) - 1, *drawn})


def _timed(mnist_train):
    def run(*args):
        try:
            return mnist_train(*args)
        except TimedOut:
            raise CheckFailed(named("mnist_too_slow", seconds=TRAINING_SECONDS,
                                  iterations=ITERATIONS)) from None
    return run


def _commitments(value, iterations):
    if not (isinstance(value, list) and len(value) == iterations + 1
            and all(isinstance(c, str) and len(c) == 64 for c in value)):
        raise CheckFailed(named("mnist_bad_run"))
    return value


def _reply_bytes(states):
    """The most the states can take: float64 parameters, plus room for the framing."""
    return states * 8 * sum(math.prod(shape) for shape in PARAM_SHAPES.values()) + (1 << 20)


def _states(states, wanted, commitments):
    """The parameters at each wanted step, checked: right shapes, float, finite, and
    exactly what the run committed to."""
    if not isinstance(states, dict):
        raise CheckFailed(named("mnist_bad_run"))
    checked = {}
    for step in wanted:
        state = states.get(step)
        if not isinstance(state, dict) or any(
                not isinstance(state.get(key), np.ndarray) or state[key].dtype.kind != "f"
                or state[key].shape != shape for key, shape in PARAM_SHAPES.items()):
            raise CheckFailed(named("mnist_bad_run"))
        if commitment({key: state[key] for key in PARAM_KEYS}) != commitments[step]:
            raise CheckFailed(named("mnist_bad_run"))
        if not all(np.all(np.isfinite(state[key])) for key in PARAM_KEYS):
            raise CheckFailed(named("mnist_diverged"))
        checked[step] = state
    return checked


def _images(x_train, indices):
    """A batch as the worker's run sees it: float32 in [0, 1]."""
    return x_train[indices].astype(DTYPE) / np.dtype(DTYPE).type(255)


def _expect_step(before, after, x, t, step, shared):
    """The step from ``before`` to ``after`` on the batch (x, t) must be -lr times the
    reference gradient, or within its range where a hidden unit sits at ReLU's kink (see
    FORWARD_ROUNDING); the reference loss at ``before``. The range is computed only for a
    step off the gradient itself (a step within the tolerance of the gradient is within it
    of the range)."""
    loss, gradient = reference_gradient(before, x, t)
    taken = {key: (before[key].astype(np.float64) - after[key]) / LEARNING_RATE
             for key in PARAM_KEYS}
    errors = {key: relative_error(taken[key], gradient[key]) for key in PARAM_KEYS}
    if max(errors.values()) > SPOT_TOL:
        _, ranges = reference_gradient_range(before, x, t, FORWARD_ROUNDING)
        errors = {key: _error_outside(taken[key], *ranges[key]) for key in PARAM_KEYS}
    for key in PARAM_KEYS:
        if not errors[key] <= SPOT_TOL:
            raise CheckFailed(named("mnist_gradient_differs", step=step + 1, key=key,
                                    error=errors[key], tol=SPOT_TOL),
                              "" if shared else named("net_layers_hold_copies"))
    return loss


def _error_outside(taken, low, high):
    """max distance of ``taken`` outside [low, high], over max(|taken|, |low|, |high|,
    FLOOR): :func:`relative_error` widened to a range (the same number when low == high)."""
    if taken.size == 0:
        return 0.0
    outside = np.maximum(np.maximum(low - taken, taken - high), 0.0)
    scale = max(float(np.max(np.abs(taken))), float(np.max(np.abs(low))),
                float(np.max(np.abs(high))), FLOOR)
    return float(np.max(outside)) / scale


def _trusted_predict(params, x):
    # In the run's own precision (float32: half the time of float64 on 10,000 images); the
    # accuracy is a count of argmaxes, not a comparison of gradients, and moves by ~1e-4.
    p = {key: np.asarray(value, dtype=x.dtype) for key, value in params.items()}
    hidden = np.maximum(x @ p["W1"] + p["b1"], 0)
    return np.argmax(hidden @ p["W2"] + p["b2"], axis=1)


def verdict(outcome):
    """Raise CheckFailed with the reason unless the outcome passes; return a summary."""
    reached = say("mnist_reached", accuracy=outcome.accuracy, iterations=ITERATIONS)
    if outcome.accuracy < THRESHOLD:
        raise CheckFailed(named("mnist_too_low", reached=reached, threshold=THRESHOLD))
    note = say("mnist_substituted", layers=", ".join(outcome.substituted)) \
        if outcome.substituted else ""
    return say("mnist_passed", reached=reached, threshold=THRESHOLD) + note
