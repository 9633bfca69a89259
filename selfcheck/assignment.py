"""The assignment's spine: every graded part, in notebook order, as plain data.

The one list of parts. Everything that needs the parts (the source notebook's cells, the
self-checks, the rubric's points, the grader's network checks and the sandbox's stand-in
layers, the demo's grade table) reads it here, so adding a part means adding its record
here, its hidden-check module, its solution, its words (the notebook's text, its check
titles in :mod:`selfcheck.messages`) and its points in ``autograder/rubric.py``.
``tests/test_spine.py`` says what is missing when one of those is not there.

Public (students have this package) and data only: no numpy, nothing of the grader.
"""

from dataclasses import dataclass

# --- the assignment's identity ---------------------------------------------------------
DEFAULT_LANGUAGE = "en"
# language -> nbgrader assignment name: its folder under the course's source directory
# and its notebook's name. One assignment per language, with the same cells and grade ids.
NAMES = {"en": "backprop", "ko": "backprop_ko"}
LANGUAGES = tuple(NAMES)
SOURCE_DIRECTORY = "assignments"  # nbgrader's source directory, in the course root
# The setup cell: imports, the language line (BACKPROP_LANG) and the students' helpers.
SETUP_CELL = "setup"


def notebook_path(lang=DEFAULT_LANGUAGE):
    """The source notebook of ``lang``, relative to the course root (a '/'-separated str)."""
    name = NAMES[lang]
    return f"{SOURCE_DIRECTORY}/{name}/{name}.ipynb"


# The parameters of the book's TwoLayerNet, in net.params and in its gradient's dict.
PARAM_KEYS = ("W1", "b1", "W2", "b2")

# --- roles in the network ---------------------------------------------------------------
# What a part is to TwoLayerNet (Part.role; None: a node of the first graphs, in no network).
NETWORK_LAYER = "network layer"  # a layer of the book's TwoLayerNet
LAYER = "layer"  # a layer a network may hold (one input), though the book's does not
NETWORK = "network"  # TwoLayerNet.gradient itself
TRAINING = "training"  # the student's network trained on MNIST


@dataclass(frozen=True)
class Check:
    """One hidden check: a pytest test function of the part's check module."""

    name: str  # the test function
    title_key: str  # key in selfcheck.messages: what it checks, in the student's terms


@dataclass(frozen=True)
class Cells:
    """Grade ids of a part's cells besides its hidden-check cell (whose id is the part's).

    given: the given code its answer builds on (forward passes): the grader runs these.
    solution: the answer cell the student writes in (None: the part has none).
    visible: the cells the student runs and the grader does not (visible checks, pictures,
    the training run).
    """

    given: tuple[str, ...]
    solution: str | None
    visible: tuple[str, ...]


@dataclass(frozen=True)
class Part:
    """One graded part: one hidden-check cell of the notebook and one check module."""

    id: str  # nbgrader grade_id of its hidden-check cell
    cls: str  # the class the student writes in
    method: str  # the method whose result it checks
    cells: Cells
    label: str  # its column in the demo's grade table (at most 6 characters)
    module: str  # its hidden checks: a file of autograder/checks
    checks: tuple[Check, ...]
    role: str | None = None  # what it is to TwoLayerNet (NETWORK_LAYER, ...)
    self_check: str | None = None  # its function in selfcheck.checks (None: no self-check)
    # What a layer keeps after a pass that code walking the network's layers may read
    # (the grader's stand-in for it hands these back).
    keeps: tuple[str, ...] = ()
    about: str | None = None  # what the student sees it called, if not "Class.method"

    @property
    def title(self):
        """What the student sees the part called: ``Relu.backward``, ``training on MNIST``."""
        return self.about or f"{self.cls}.{self.method}"


# Checks several parts share, under the same title.
_RETURNS_PAIR = Check("test_backward_returns_pair", "check_returns_pair")
_PAIR_NUMERICAL = Check("test_backward_matches_numerical", "check_pair_numerical")
_DX_SHAPE = Check("test_backward_shape", "check_dx_shape")
_DX_NUMERICAL = Check("test_backward_matches_numerical", "check_dx_numerical")
_BATCH_OF_ONE = Check("test_backward_batch_of_one", "check_batch_of_one")
_IS_BACKPROP = Check("test_backward_is_backprop", "check_is_backprop")

PARTS = (
    Part("mul_layer_backward", "MulLayer", "backward",
         Cells(("mul_layer_forward",), "mul_layer_code", ("mul_layer_visible", "mul_layer_graph")),
         "Mul", "test_mul_layer.py",
         (Check("test_apple_example", "check_apple_example"), _RETURNS_PAIR, _PAIR_NUMERICAL),
         self_check="check_mul"),
    Part("add_layer_backward", "AddLayer", "backward",
         Cells(("add_layer_forward",), "add_layer_code", ("add_layer_visible", "add_layer_graph")),
         "Add", "test_add_layer.py",
         (Check("test_apple_orange_example", "check_apple_orange_example"), _RETURNS_PAIR,
          _PAIR_NUMERICAL),
         self_check="check_add"),
    Part("relu_backward", "Relu", "backward",
         Cells(("relu_forward",), "relu_code", ("relu_visible",)),
         "Relu", "test_relu.py",
         (_DX_SHAPE, _DX_NUMERICAL, Check("test_backward_edge_inputs", "check_relu_edge_inputs"),
          _IS_BACKPROP),
         role=NETWORK_LAYER, self_check="check_relu", keeps=("mask",)),
    Part("sigmoid_backward", "Sigmoid", "backward",
         Cells(("sigmoid_forward",), "sigmoid_code", ("sigmoid_visible", "sigmoid_graph")),
         "Sigm", "test_sigmoid.py",
         (_DX_SHAPE, _DX_NUMERICAL,
          Check("test_backward_large_inputs", "check_sigmoid_large_inputs"), _IS_BACKPROP),
         role=LAYER, self_check="check_sigmoid"),
    Part("affine_backward", "Affine", "backward",
         Cells(("affine_forward",), "affine_code", ("affine_visible",)),
         "Affine", "test_affine.py",
         (Check("test_backward_shapes", "check_affine_shapes"),
          Check("test_backward_matches_numerical", "check_affine_numerical"),
          Check("test_backward_nd_input", "check_affine_nd_input"), _BATCH_OF_ONE,
          _IS_BACKPROP),
         role=NETWORK_LAYER, self_check="check_affine", keeps=("dW", "db")),
    Part("softmax_with_loss_backward", "SoftmaxWithLoss", "backward",
         Cells(("softmax_functions", "softmax_with_loss_forward"), "softmax_with_loss_code",
               ("softmax_with_loss_visible",)),
         "Softmx", "test_softmax_with_loss.py",
         (Check("test_backward_shape", "check_scores_shape"),
          Check("test_backward_one_hot", "check_one_hot"),
          Check("test_backward_labels", "check_labels"),
          Check("test_backward_large_logits", "check_large_logits"), _BATCH_OF_ONE,
          _IS_BACKPROP),
         role=NETWORK_LAYER, self_check="check_softmax_with_loss", keeps=("loss", "y")),
    Part("two_layer_net_gradient", "TwoLayerNet", "gradient",
         Cells(("numerical_gradient", "two_layer_net_base"), "two_layer_net_code",
               ("two_layer_net_visible",)),
         "Net", "test_two_layer_net.py",
         (Check("test_gradient_returns_all_parameters", "check_net_all_parameters"),
          Check("test_gradient_matches_numerical", "check_net_numerical"),
          Check("test_gradient_fresh_forward", "check_net_fresh_forward"),
          Check("test_gradient_leaves_parameters", "check_net_leaves_parameters"),
          Check("test_gradient_labels_and_one_hot", "check_net_labels_and_one_hot"),
          Check("test_gradient_is_backprop", "check_is_backprop")),
         role=NETWORK, self_check="check_two_layer_net"),
    Part("mnist_training", "TwoLayerNet", "gradient",
         Cells((), None, ("training_helpers", "load_mnist", "train", "plot")),
         "MNIST", "test_mnist.py",
         (Check("test_mnist_accuracy", "check_mnist_accuracy"),),
         role=TRAINING, about="training on MNIST"),
)

# --- lookups ----------------------------------------------------------------------------
PART = {part.id: part for part in PARTS}
# The classes the assignment asks for, in notebook order.
CLASSES = tuple(dict.fromkeys(part.cls for part in PARTS))
# The answer cells' grade ids, in notebook order.
ANSWER_CELLS = tuple(part.cells.solution for part in PARTS if part.cells.solution)


def part_with_role(role):
    """The one part with ``role`` (NETWORK, TRAINING)."""
    (part,) = (part for part in PARTS if part.role == role)
    return part


NETWORK_PART = part_with_role(NETWORK).id
TRAINING_PART = part_with_role(TRAINING).id
# Every part but the training run: their checks compare gradients, each on its own.
GRADIENT_PARTS = tuple(part.id for part in PARTS if part.role != TRAINING)
# The layers of the book's network, class -> part: a layer that failed its own part is
# replaced by the reference when the network is checked or trained, so it is not charged
# twice.
NETWORK_LAYER_PARTS = {part.cls: part.id for part in PARTS if part.role == NETWORK_LAYER}
# The layer classes the grader stands in for in a network it builds (sorted: the order
# the grader has always sent them in).
STAND_IN_KINDS = tuple(sorted(part.cls for part in PARTS if part.role in (LAYER, NETWORK_LAYER)))
# What each such layer keeps that code walking the layers may read.
LAYER_KEEPS = {part.cls: part.keeps for part in PARTS if part.role in (LAYER, NETWORK_LAYER)}
