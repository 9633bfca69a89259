"""The rubric: every graded part, its checks and their points. Points live here only.

A part is one hidden-check cell of the notebook (its nbgrader ``grade_id`` is ``Part.id``)
and one module of ``autograder/checks``. A check is one pytest test function; it passes
when every one of its cases (seeds, shapes) passes. A part's score is the sum of the points
of its passed checks, so one wrong layer costs only that layer's points.

A *gate* check carries no points of its own: when it fails, every check of its part scores
0. The gates tell backprop from numerical differentiation (policy in README: a gradient
computed by finite differences of the forward pass earns none of that part's points).
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    name: str  # the pytest test function in the part's module
    points: float
    title: str  # what it checks, in the student's terms
    gate: bool = False  # failing it fails every check of the part (see runner._score)


@dataclass(frozen=True)
class Part:
    id: str  # nbgrader grade_id of the hidden-check cell
    title: str  # the method the student wrote
    module: str  # file in autograder/checks
    checks: tuple[Check, ...]

    @property
    def points(self):
        return sum(check.points for check in self.checks)


BACKPROP_TITLE = "computed by backprop, not by finite differences (exact, fast at full size)"

RUBRIC = (
    Part("mul_layer_backward", "MulLayer.backward", "test_mul_layer.py", (
        Check("test_apple_example", 2, "the buying-apples graph: price 220; 2.2, 110, 200"),
        Check("test_backward_returns_pair", 1, "returns (dx, dy) shaped like x and y"),
        Check("test_backward_matches_numerical", 2, "dx, dy match numerical gradients"),
    )),
    Part("add_layer_backward", "AddLayer.backward", "test_add_layer.py", (
        Check("test_apple_orange_example", 2,
              "the apples-and-oranges graph: 715; 110, 2.2, 3.3, 165, 650"),
        Check("test_backward_returns_pair", 1, "returns (dx, dy) shaped like x and y"),
        Check("test_backward_matches_numerical", 2, "dx, dy match numerical gradients"),
    )),
    Part("relu_backward", "Relu.backward", "test_relu.py", (
        Check("test_backward_shape", 2, "dx has the shape of x"),
        Check("test_backward_matches_numerical", 5, "dx matches numerical gradients"),
        Check("test_backward_edge_inputs", 3, "a batch of one, 1-d and 3-d inputs, all-negative"),
        Check("test_backward_is_backprop", 0, BACKPROP_TITLE, gate=True),
    )),
    Part("sigmoid_backward", "Sigmoid.backward", "test_sigmoid.py", (
        Check("test_backward_shape", 2, "dx has the shape of x"),
        Check("test_backward_matches_numerical", 5, "dx matches numerical gradients"),
        Check("test_backward_large_inputs", 3, "large |x|: finite, correct saturated gradients"),
        Check("test_backward_is_backprop", 0, BACKPROP_TITLE, gate=True),
    )),
    Part("affine_backward", "Affine.backward", "test_affine.py", (
        Check("test_backward_shapes", 3, "dx, self.dW and self.db have the right shapes"),
        Check("test_backward_matches_numerical", 7, "dx, dW, db match numerical gradients"),
        Check("test_backward_nd_input", 3, "an (N, d1, d2) input: dx comes back in that shape"),
        Check("test_backward_batch_of_one", 2, "a batch of one sample"),
        Check("test_backward_is_backprop", 0, BACKPROP_TITLE, gate=True),
    )),
    Part("softmax_with_loss_backward", "SoftmaxWithLoss.backward",
         "test_softmax_with_loss.py", (
             Check("test_backward_shape", 2, "dx has the shape of the scores"),
             Check("test_backward_one_hot", 5, "one-hot targets: dx matches numerical gradients"),
             Check("test_backward_labels", 4, "label targets: dx matches numerical gradients"),
             Check("test_backward_large_logits", 2, "large scores: finite and (y - t) / N"),
             Check("test_backward_batch_of_one", 2, "a batch of one sample"),
             Check("test_backward_is_backprop", 0, BACKPROP_TITLE, gate=True),
         )),
    Part("two_layer_net_gradient", "TwoLayerNet.gradient", "test_two_layer_net.py", (
        Check("test_gradient_returns_all_parameters", 3, "a dict of W1, b1, W2, b2 gradients"),
        Check("test_gradient_matches_numerical", 10, "each parameter's gradient is right"),
        Check("test_gradient_fresh_forward", 3, "runs its own forward pass on (x, t)"),
        Check("test_gradient_leaves_parameters", 2, "leaves the parameters as they were"),
        Check("test_gradient_labels_and_one_hot", 2, "labels and one-hot give the same"),
        Check("test_gradient_is_backprop", 0, BACKPROP_TITLE, gate=True),
    )),
    Part("mnist_training", "training on MNIST", "test_mnist.py", (
        Check("test_mnist_accuracy", 20, "your network learns MNIST"),
    )),
)

PARTS = {part.id: part for part in RUBRIC}
TOTAL_POINTS = sum(part.points for part in RUBRIC)
# The layers the network uses: the MNIST check swaps in the reference for any of these
# that failed its own checks, so a wrong layer is not charged twice.
NETWORK_LAYER_PARTS = {
    "Relu": "relu_backward",
    "Affine": "affine_backward",
    "SoftmaxWithLoss": "softmax_with_loss_backward",
}
