"""The final check: the student's own network learns real MNIST.

It runs only after TwoLayerNet.gradient passed its checks. The student's network (their
layers and their ``gradient``) is trained by the trusted SGD loop with a fixed seed and a
fixed budget, then its test accuracy is measured by the grader itself, from the trained
parameters, and compared with the network's own predictions.

Budget and threshold (calibrated by ``scripts/calibrate_mnist_check.py``; figures in its
docstring): the reference reaches 0.90-0.92 after 600 iterations on every seed tried,
while an all-zero initialisation stays near 0.11 (it predicts one class) and layers that
hold copies of the parameters never learn (~0.10). THRESHOLD = 0.85 sits well clear of both.
"""

from dataclasses import dataclass, field

import numpy as np

from autograder.expectations import CheckFailed, call_student
from autograder.reference_layers import swap_in_reference_layers
from selfcheck.messages import say
from solutions.training import sgd_step

SEED = 2024
ITERATIONS = 600  # one epoch of the book's settings
BATCH_SIZE = 100
LEARNING_RATE = 0.1
HIDDEN_SIZE = 50
THRESHOLD = 0.85
# The student's predictions must agree with the parameters' on almost every test image;
# float rounding alone changes well under 0.1% of argmaxes.
MIN_AGREEMENT = 0.99


@dataclass
class MnistOutcome:
    accuracy: float  # test accuracy of the trained parameters, by the trusted forward pass
    agreement: float  # fraction of test images where the student's predict agrees
    losses: list = field(default_factory=list)  # batch loss per iteration
    substituted: list = field(default_factory=list)  # layers replaced by reference ones


def load_data():
    """MNIST as (x_train uint8 (60000, 784), t_train, x_test float64 (10000, 784), t_test)."""
    from course_data import load_mnist

    (x_train, t_train), (x_test, t_test) = load_mnist(normalize=False)
    return x_train, t_train, x_test / 255.0, t_test


def train_student_network(code, replace_layers=(), *, seed=SEED, iterations=ITERATIONS,
                          data=None):
    """Train ``code.TwoLayerNet(784, 50, 10)`` with the book's settings; return the outcome.

    replace_layers: layer kinds ("Relu", "Affine", "SoftmaxWithLoss") whose student version
    failed its checks and is replaced by the reference for this run.
    Batches are normalised one at a time (uint8 / 255), which keeps loading cheap.
    """
    x_train, t_train, x_test, t_test = data if data is not None else load_data()
    np.random.seed(seed)  # the given __init__ draws its weights from np.random
    net = call_student("TwoLayerNet(784, 50, 10)", code.TwoLayerNet, 784, HIDDEN_SIZE, 10)
    substituted = swap_in_reference_layers(net, kinds=tuple(replace_layers)) \
        if replace_layers else []

    rng = np.random.default_rng(seed)
    losses = []
    for _ in range(iterations):
        batch = rng.integers(0, x_train.shape[0], size=BATCH_SIZE)
        loss = call_student("training (TwoLayerNet.gradient)", sgd_step, net,
                            x_train[batch] / 255.0, t_train[batch], LEARNING_RATE)
        losses.append(float(loss))

    params = {key: np.asarray(net.params[key], dtype=np.float64)
              for key in ("W1", "b1", "W2", "b2")}
    if not all(np.all(np.isfinite(value)) for value in params.values()):
        raise CheckFailed(say("mnist_diverged"))
    predicted = _trusted_predict(params, x_test)
    theirs = call_student("TwoLayerNet.predict", net.predict, x_test)
    agreement = float(np.mean(np.argmax(theirs, axis=1) == predicted))
    return MnistOutcome(accuracy=float(np.mean(predicted == t_test)), agreement=agreement,
                        losses=losses, substituted=substituted)


def _trusted_predict(params, x):
    hidden = np.maximum(x @ params["W1"] + params["b1"], 0)
    return np.argmax(hidden @ params["W2"] + params["b2"], axis=1)


def verdict(outcome):
    """Raise CheckFailed with the reason unless the outcome passes; return a summary."""
    reached = say("mnist_reached", accuracy=outcome.accuracy, iterations=ITERATIONS)
    if outcome.agreement < MIN_AGREEMENT:
        raise CheckFailed(say("mnist_disagree", share=1 - outcome.agreement, reached=reached))
    if outcome.accuracy < THRESHOLD:
        raise CheckFailed(say("mnist_too_low", reached=reached, threshold=THRESHOLD))
    note = say("mnist_substituted", layers=", ".join(outcome.substituted)) \
        if outcome.substituted else ""
    return say("mnist_passed", reached=reached, threshold=THRESHOLD) + note
