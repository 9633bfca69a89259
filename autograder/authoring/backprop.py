"""The backprop assignment: every cell of the nbgrader source notebook, in order.

Code comes from ``solutions`` (the one source of truth); this module adds the visible checks
and the hidden-check cells, and takes the words around them from a text module
(:mod:`autograder.authoring.text_en`, :mod:`autograder.authoring.text_ko`). Every language
gets the same code cells, grade ids and points by construction; the only line that differs
is the setup cell's ``os.environ["BACKPROP_LANG"] = ...`` (:func:`language_line`), and the
comments and docstrings, which are in the notebook's language
(:mod:`autograder.authoring.translate`). Build with ``python -m autograder build-source``.
"""

from autograder import mnist_check
from autograder.authoring import notebook_helpers
from autograder.authoring.cells import given, hidden_checks, markdown, solution, source_of
from autograder.authoring.translate import translate
from autograder.rubric import PARTS
from selfcheck import assignment
from solutions import functions, gradient, layers, plotting, training, two_layer_net

LANGUAGE_VARIABLE = "BACKPROP_LANG"  # read by selfcheck.messages.language()

SETUP = '''
import os
from collections import OrderedDict

import numpy as np
from selfcheck import check_part, self_check
from selfcheck.messages import say
from selfcheck.numerics import relative_error

np.set_printoptions(precision=4, suppress=True)
# The language of the self-check's and the graders' messages: "en" or "ko".
{language_line}
# nbgrader sets NBGRADER_EXECUTION while it grades or validates this notebook. The long
# training run at the end is skipped then: the hidden MNIST check trains your network itself.
GRADING = "NBGRADER_EXECUTION" in os.environ


{helpers}
'''

APPLE_CHECK = '''
apple, apple_num, tax = 100, 2, 1.1
mul_apple_layer = MulLayer()
mul_tax_layer = MulLayer()

# forward
apple_price = mul_apple_layer.forward(apple, apple_num)
price = mul_tax_layer.forward(apple_price, tax)
print("price:", price)

# backward
dprice = 1
dapple_price, dtax = mul_tax_layer.backward(dprice)
dapple, dapple_num = mul_apple_layer.backward(dapple_price)
print("dapple:", dapple, " dapple_num:", dapple_num, " dtax:", dtax)

check_close("price", price, 220)
check_close("d price / d apple", dapple, 2.2)
check_close("d price / d apple_num", dapple_num, 110)
check_close("d price / d tax", dtax, 200)
'''

APPLE_ORANGE_CHECK = '''
apple, apple_num, orange, orange_num, tax = 100, 2, 150, 3, 1.1
mul_apple_layer, mul_orange_layer, mul_tax_layer = MulLayer(), MulLayer(), MulLayer()
add_apple_orange_layer = AddLayer()

# forward
apple_price = mul_apple_layer.forward(apple, apple_num)
orange_price = mul_orange_layer.forward(orange, orange_num)
all_price = add_apple_orange_layer.forward(apple_price, orange_price)
price = mul_tax_layer.forward(all_price, tax)

# backward, in the reverse order
dall_price, dtax = mul_tax_layer.backward(1)
dapple_price, dorange_price = add_apple_orange_layer.backward(dall_price)
dorange, dorange_num = mul_orange_layer.backward(dorange_price)
dapple, dapple_num = mul_apple_layer.backward(dapple_price)

print("price:", price)
print("dapple_num:", dapple_num, " dapple:", dapple, " dorange:", dorange,
      " dorange_num:", dorange_num, " dtax:", dtax)
check_close("price", price, 715)
check_close("d price / d apple_num", dapple_num, 110)
check_close("d price / d apple", dapple, 2.2)
check_close("d price / d orange", dorange, 3.3)
check_close("d price / d orange_num", dorange_num, 165)
check_close("d price / d tax", dtax, 650)
'''

# The pictures run the layers' own backward: a stub shows as "?" instead of an error.
APPLE_GRAPH = '''
draw_apple_graph(mul_apple_layer, mul_tax_layer)
plt.show()
'''

APPLE_ORANGE_GRAPH = '''
draw_apple_orange_graph(mul_apple_layer, mul_orange_layer, add_apple_orange_layer,
                        mul_tax_layer)
plt.show()
'''

SIGMOID_GRAPH = '''
draw_sigmoid_graph(x=1.0, layer=Sigmoid())
plt.show()
'''

RELU_CHECK = '''
relu = Relu()
x = np.array([[1.0, -0.5], [-2.0, 3.0]])
print("forward:", relu.forward(x).tolist())
dx = relu.backward(np.array([[10.0, 20.0], [30.0, 40.0]]))
check_close(say("visible_relu"), dx, [[10.0, 0.0], [0.0, 40.0]])
'''

SIGMOID_CHECK = '''
sigmoid = Sigmoid()
x = np.array([-1.0, 0.0, 2.0])
y = sigmoid.forward(x)
dx = sigmoid.backward(np.ones(3))
check_close(say("visible_sigmoid_at_zero"), dx[1], 0.25)
check_close(say("visible_sigmoid_formula"), dx, y * (1 - y))
'''

AFFINE_CHECK = '''
x = np.arange(6.0).reshape(2, 3)             # N = 2 samples, D = 3
W = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
b = np.array([0.5, -0.5])
affine = Affine(W, b)
out = affine.forward(x)
dout = np.array([[1.0, 2.0], [3.0, 4.0]])
dx = affine.backward(dout)
check_close(say("visible_affine_dx"), dx, dout @ W.T)
check_close(say("visible_affine_dW"), affine.dW, x.T @ dout)
check_close(say("visible_affine_db"), affine.db, [4.0, 6.0])

images = np.ones((2, 1, 2, 2))                # an N-d input: 2 images of 1x2x2
affine = Affine(np.ones((4, 3)), np.zeros(3))
affine.forward(images)
check_close(say("visible_affine_nd_shape"), np.shape(affine.backward(np.ones((2, 3)))),
             images.shape)
'''

SOFTMAX_CHECK = '''
scores = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3]])
labels = np.array([0, 1])
one_hot = np.eye(3)[labels]

layer = SoftmaxWithLoss()
print("loss:", layer.forward(scores, one_hot))
y = softmax(scores)
dx = layer.backward()
check_close(say("visible_softmax_one_hot"), dx, (y - one_hot) / 2)

layer = SoftmaxWithLoss()
layer.forward(scores, labels)
check_close(say("visible_softmax_labels"), layer.backward(), (y - one_hot) / 2)
'''

GRADIENT_CHECK = '''
# A small network and a random batch: the numerical gradient costs two forward passes per
# parameter, so a full-size 784-50-10 network would take a while.
np.random.seed(0)
net = TwoLayerNet(input_size=20, hidden_size=10, output_size=5, weight_init_std=0.1)
x_batch = np.random.randn(3, 20)
t_batch = np.array([0, 3, 4])

grad_numerical = net.numerical_gradient(x_batch, t_batch)
grad_backprop = net.gradient(x_batch, t_batch)

for key in ("W1", "b1", "W2", "b2"):
    diff = np.max(np.abs(grad_backprop[key] - grad_numerical[key]))
    scale = max(np.max(np.abs(grad_numerical[key])), 1e-8)
    print(say("visible_gradient_difference", key=key, diff=diff, relative=diff / scale))
    # The loss adds 1e-7 inside the log, which backprop's (y - t) / N ignores: the two
    # agree to about 1e-6 relative, never exactly. Bugs give 1e-1 or more.
    assert diff / scale < 1e-4, say("visible_gradient_wrong", key=key)
print(say("visible_gradient_agrees"))
'''

# The training helpers' cell starts with what they need beyond the setup cell's imports.
TRAINING_IMPORTS = '''import copy
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor

from threadpoolctl import threadpool_limits

'''

LOAD_MNIST = '''
from course_data import load_mnist

# float32 halves the memory and the time of training; the gradient checks above need
# float64, training does not (the accuracy is the same).
(x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, one_hot_label=False,
                                                  dtype=np.float32)
print(say("visible_mnist_shapes", x_train=x_train.shape, t_train=t_train.shape,
          x_test=x_test.shape, t_test=t_test.shape))
'''

TRAIN = '''
np.random.seed(0)
network = TwoLayerNet(input_size=784, hidden_size=50, output_size=10, dtype=np.float32)
history = None
if GRADING:
    print(say("visible_training_skipped"))
else:
    history = train(network, x_train, t_train, x_test, t_test,
                    iters=10_000, batch_size=100, lr=0.1, seed=0)
    print(say("visible_final_accuracy", train=history["train_acc"][-1],
              test=history["test_acc"][-1]))
'''

PLOT = '''
if history is not None:
    plot_history(history)
    plt.show()
'''



def language_line(lang):
    """The one line of the setup cell that differs between languages."""
    return f"os.environ[{LANGUAGE_VARIABLE!r}] = {lang!r}".replace("'", '"')


# Pictures: a cell of its own, which the grader does not run (matplotlib takes a second to
# import, and the grader provides `plt` on first use instead).
PLOTTING = '''
import matplotlib.pyplot as plt
from selfcheck.graph_drawing import draw_apple_graph, draw_apple_orange_graph, draw_sigmoid_graph
'''


def setup(lang):
    """The setup cell's source: imports, the language line and the students' helpers."""
    helpers = source_of(notebook_helpers.check_close, notebook_helpers.run_hidden_checks)
    return SETUP.replace("{language_line}", language_line(lang)).replace("{helpers}", helpers)


def _mul_layer(part, text):
    (forward,), (check, graph) = part.cells.given, part.cells.visible
    return [
        markdown(text.TEXT["graphs"]),
        given(forward, source_of(layers.MulLayerForward), defines=True),
        markdown(text.TEXT["task_mul"]),
        solution(part.cells.solution, source_of(layers.MulLayer)),
        given(check, APPLE_CHECK),
        markdown(text.TEXT["mul_graph"]),
        given(graph, APPLE_GRAPH),
    ]


def _add_layer(part, text):
    (forward,), (check, graph) = part.cells.given, part.cells.visible
    return [
        markdown(text.TEXT["add_node"]),
        given(forward, source_of(layers.AddLayerForward), defines=True),
        markdown(text.TEXT["task_add"]),
        solution(part.cells.solution, source_of(layers.AddLayer)),
        given(check, APPLE_ORANGE_CHECK),
        given(graph, APPLE_ORANGE_GRAPH),
    ]


def _relu(part, text):
    (forward,), (check,) = part.cells.given, part.cells.visible
    return [
        markdown(text.TEXT["relu"]),
        given(forward, source_of(layers.ReluForward), defines=True),
        markdown(text.TEXT["task_relu"]),
        solution(part.cells.solution, source_of(layers.Relu)),
        given(check, RELU_CHECK),
    ]


def _sigmoid(part, text):
    (forward,), (check, graph) = part.cells.given, part.cells.visible
    return [
        markdown(text.TEXT["sigmoid"]),
        given(forward, source_of(layers.SigmoidForward), defines=True),
        markdown(text.TEXT["task_sigmoid"]),
        solution(part.cells.solution, source_of(layers.Sigmoid)),
        given(check, SIGMOID_CHECK),
        markdown(text.TEXT["sigmoid_graph"]),
        given(graph, SIGMOID_GRAPH),
    ]


def _affine(part, text):
    (forward,), (check,) = part.cells.given, part.cells.visible
    return [
        markdown(text.TEXT["affine"]),
        given(forward, source_of(layers.AffineForward), defines=True),
        markdown(text.TEXT["task_affine"]),
        solution(part.cells.solution, source_of(layers.Affine)),
        given(check, AFFINE_CHECK),
    ]


def _softmax_with_loss(part, text):
    (functions_cell, forward), (check,) = part.cells.given, part.cells.visible
    return [
        markdown(text.TEXT["softmax"]),
        given(functions_cell, source_of(functions.softmax, functions.cross_entropy_error),
              defines=True),
        given(forward, source_of(layers.SoftmaxWithLossForward), defines=True),
        markdown(text.TEXT["task_softmax"]),
        solution(part.cells.solution, source_of(layers.SoftmaxWithLoss)),
        given(check, SOFTMAX_CHECK),
    ]


def _two_layer_net(part, text):
    (numerical, base), (check,) = part.cells.given, part.cells.visible
    return [
        markdown(text.TEXT["two_layer_net"]),
        given(numerical, source_of(gradient.numerical_gradient), defines=True),
        given(base, source_of(two_layer_net.TwoLayerNetBase), defines=True),
        markdown(text.TEXT["task_net"]),
        solution(part.cells.solution, source_of(two_layer_net.TwoLayerNet)),
        markdown(text.TEXT["gradient_check"]),
        given(check, GRADIENT_CHECK),
    ]


def _mnist_training(part, text):
    helpers, load, run, plot = part.cells.visible
    return [
        markdown(text.TEXT["mnist"]),
        given(helpers,
              TRAINING_IMPORTS + f"PARAM_KEYS = {training.PARAM_KEYS!r}\n\n\n"
              + source_of(training.sgd_step, training.train, training.evaluation_sample,
                          training._evaluate_aside, training._progress_bar,
                          plotting.plot_history)),
        given(load, LOAD_MNIST),
        given(run, TRAIN),
        given(plot, PLOT),
    ]


# part id -> its cells before its hidden-check cell, from its record in the spine.
PART_CELLS = {
    "mul_layer_backward": _mul_layer,
    "add_layer_backward": _add_layer,
    "relu_backward": _relu,
    "sigmoid_backward": _sigmoid,
    "affine_backward": _affine,
    "softmax_with_loss_backward": _softmax_with_loss,
    "two_layer_net_gradient": _two_layer_net,
    "mnist_training": _mnist_training,
}


def cells(text):
    """Every cell of the source notebook, in order, with the words of ``text``: the setup,
    then each part of the spine (its cells, then its hidden checks), the self-check of every
    method coming right before the training run, then the closing words.

    text: a text module (``text_en``, ``text_ko``) with ``LANGUAGE``, ``TEXT`` (the
    markdown cells), ``HIDDEN_CHECKS`` and ``CODE`` (the code cells' comments and
    docstrings; None: as the code has them).
    """
    notebook = [
        markdown(text.TEXT["intro"]),
        given(assignment.SETUP_CELL, setup(text.LANGUAGE), defines=True),
        given("plotting", PLOTTING),
    ]
    for part in assignment.PARTS:
        if part.role == assignment.TRAINING:
            notebook += [markdown(text.TEXT["self_check"]),
                         given("self_check", "self_check(globals())")]
        scored = PARTS[part.id]
        comment = text.HIDDEN_CHECKS.format(title=scored.title_in(text.LANGUAGE))
        notebook += [*PART_CELLS[part.id](part, text), hidden_checks(scored, comment)]
    notebook.append(markdown(text.TEXT["mnist_hidden"].format(
        iterations=mnist_check.ITERATIONS, batch_size=mnist_check.BATCH_SIZE,
        learning_rate=mnist_check.LEARNING_RATE)))
    if text.CODE is not None:  # comments and docstrings in the notebook's language
        for cell in notebook:
            if cell.cell_type == "code":
                cell.source = translate(cell.source, text.CODE)
    return notebook
