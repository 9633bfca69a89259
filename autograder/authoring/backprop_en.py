"""The backprop assignment, in English: every cell of the nbgrader source notebook.

Code comes from ``solutions`` (the one source of truth); this module adds the words around
it, the visible checks and the hidden-check cells. Build with ``python -m autograder
build-source``.
"""

from autograder.authoring import notebook_helpers
from autograder.authoring.cells import given, hidden_checks, markdown, solution, source_of
from autograder.rubric import PARTS
from solutions import functions, gradient, layers, plotting, training, two_layer_net

SETUP = f'''
import os
from collections import OrderedDict

import numpy as np
import matplotlib.pyplot as plt
from selfcheck import check_part, self_check
from selfcheck.graph_drawing import draw_apple_graph, draw_apple_orange_graph, draw_sigmoid_graph

np.set_printoptions(precision=4, suppress=True)
# nbgrader sets NBGRADER_EXECUTION while it grades or validates this notebook. The long
# training run at the end is skipped then: the hidden MNIST check trains your network itself.
GRADING = "NBGRADER_EXECUTION" in os.environ


{source_of(notebook_helpers.expect_close, notebook_helpers.run_hidden_checks)}
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

expect_close("price", price, 220)
expect_close("d price / d apple", dapple, 2.2)
expect_close("d price / d apple_num", dapple_num, 110)
expect_close("d price / d tax", dtax, 200)
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
expect_close("price", price, 715)
expect_close("d price / d apple_num", dapple_num, 110)
expect_close("d price / d apple", dapple, 2.2)
expect_close("d price / d orange", dorange, 3.3)
expect_close("d price / d orange_num", dorange_num, 165)
expect_close("d price / d tax", dtax, 650)
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
expect_close("Relu.backward passes dout where x > 0 and blocks it elsewhere",
             dx, [[10.0, 0.0], [0.0, 40.0]])
'''

SIGMOID_CHECK = '''
sigmoid = Sigmoid()
x = np.array([-1.0, 0.0, 2.0])
y = sigmoid.forward(x)
dx = sigmoid.backward(np.ones(3))
expect_close("Sigmoid.backward at x = 0 is 0.25", dx[1], 0.25)
expect_close("Sigmoid.backward is y * (1 - y) for dout = 1", dx, y * (1 - y))
'''

AFFINE_CHECK = '''
x = np.arange(6.0).reshape(2, 3)             # N = 2 samples, D = 3
W = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
b = np.array([0.5, -0.5])
affine = Affine(W, b)
out = affine.forward(x)
dout = np.array([[1.0, 2.0], [3.0, 4.0]])
dx = affine.backward(dout)
expect_close("Affine.backward's dx = dout W^T", dx, dout @ W.T)
expect_close("Affine.dW = x^T dout", affine.dW, x.T @ dout)
expect_close("Affine.db sums dout over the batch", affine.db, [4.0, 6.0])

images = np.ones((2, 1, 2, 2))                # an N-d input: 2 images of 1x2x2
affine = Affine(np.ones((4, 3)), np.zeros(3))
affine.forward(images)
expect_close("dx has the input's shape", np.shape(affine.backward(np.ones((2, 3)))),
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
expect_close("(y - t) / N with one-hot targets", dx, (y - one_hot) / 2)

layer = SoftmaxWithLoss()
layer.forward(scores, labels)
expect_close("the same with label targets", layer.backward(), (y - one_hot) / 2)
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
    print(f"{key}: max |backprop - numerical| = {diff:.2e}   relative = {diff / scale:.2e}")
    # The loss adds 1e-7 inside the log, which backprop's (y - t) / N ignores: the two
    # agree to about 1e-6 relative, never exactly. Bugs give 1e-1 or more.
    assert diff / scale < 1e-4, f"the backprop gradient of {key} is wrong"
print("✓ backprop agrees with the numerical gradient")
'''

LOAD_MNIST = '''
from course_data import load_mnist

(x_train, t_train), (x_test, t_test) = load_mnist(normalize=True, one_hot_label=False)
print("train:", x_train.shape, t_train.shape, " test:", x_test.shape, t_test.shape)
'''

TRAIN = '''
# float32 halves the memory and the time of training; the gradient checks above need
# float64, training does not (the accuracy is the same).
x_train32, x_test32 = x_train.astype(np.float32), x_test.astype(np.float32)
np.random.seed(0)
network = TwoLayerNet(input_size=784, hidden_size=50, output_size=10, dtype=np.float32)
history = None
if GRADING:
    print("Skipped while grading: the hidden MNIST check trains your network itself.")
else:
    history = train(network, x_train32, t_train, x_test32, t_test,
                    iters=10_000, batch_size=100, lr=0.1, seed=0)
    print(f"final train accuracy {history['train_acc'][-1]:.4f}, "
          f"test accuracy {history['test_acc'][-1]:.4f}")
'''

PLOT = '''
if history is not None:
    plot_history(history)
    plt.show()
'''


def cells():
    """Every cell of the source notebook, in order."""
    return [
        markdown("""
        # Backpropagation, layer by layer

        *Deep Learning from Scratch*, chapter 5. In this notebook you build the layers of a
        neural network as objects with a `forward` and a `backward` method, assemble them
        into a two-layer network, check its gradients against numerical differentiation and
        train it on MNIST.

        **What you write:** seven `backward`-style methods, in the cells marked
        `# YOUR CODE HERE`: `MulLayer.backward`, `AddLayer.backward`, `Relu.backward`,
        `Sigmoid.backward`, `Affine.backward`, `SoftmaxWithLoss.backward` and
        `TwoLayerNet.gradient`. Everything else is given in read-only cells.

        **How to work:** run the cells in order. After each task, a *visible check* cell
        tells you ✓ or shows what went wrong. A *hidden checks* cell follows; it does nothing
        now and runs the graded checks (other inputs, numerical gradients, and finally
        training your network on MNIST) when your notebook is graded. Keep the class and
        method names as they are.
        """),
        given("setup", SETUP),

        markdown("""
        ## 1. Computational graphs

        A computational graph breaks a calculation into nodes. The **forward** pass computes
        from left to right. The **backward** pass sends derivatives from right to left: each
        node multiplies the derivative coming from its output, `dout`, by its *local*
        derivative and passes the result on to each input. That is the chain rule, one node
        at a time, and it is all that backpropagation is.

        Buying apples: 2 apples at 100 each, with a tax of 1.1.

        ```
        apple (100) ──┐
                      (×) ── 200 ──┐
        apple_num (2)─┘            (×) ── 220 = price
        tax (1.1) ─────────────────┘
        ```

        ### Multiplication node
        For $z = xy$: $\\partial z/\\partial x = y$ and $\\partial z/\\partial y = x$. So
        the backward pass sends `dout * y` to `x` and `dout * x` to `y`: the inputs swap
        places. That is why `forward` keeps both of them.
        """),
        given("mul_layer_forward", source_of(layers.MulLayerForward)),
        markdown("""
        **Task 1.** Write `MulLayer.backward`: return `(dx, dy)`.
        """),
        solution("mul_layer_code", source_of(layers.MulLayer)),
        given("mul_layer_visible", APPLE_CHECK),
        markdown("""
        The graph, drawn from your two layer objects: forward values above the edges,
        the gradients your `backward` computes below them.
        """),
        given("mul_layer_graph", APPLE_GRAPH),
        hidden_checks(PARTS["mul_layer_backward"]),

        markdown("""
        ### Addition node
        For $z = x + y$: $\\partial z/\\partial x = \\partial z/\\partial y = 1$, so the
        backward pass sends `dout` on to both inputs unchanged.

        Apples and oranges: 2 apples at 100, 3 oranges at 150, tax 1.1. The price is 715,
        and backpropagation gives every input's effect on it at once: 110 per extra apple,
        2.2 per unit of apple price, 3.3 per unit of orange price, 165 per extra orange and
        650 per unit of tax.
        """),
        given("add_layer_forward", source_of(layers.AddLayerForward)),
        markdown("""
        **Task 2.** Write `AddLayer.backward`: return `(dx, dy)`.
        """),
        solution("add_layer_code", source_of(layers.AddLayer)),
        given("add_layer_visible", APPLE_ORANGE_CHECK),
        given("add_layer_graph", APPLE_ORANGE_GRAPH),
        hidden_checks(PARTS["add_layer_backward"]),

        markdown("""
        ## 2. Activation layers

        ### ReLU
        $$y = \\begin{cases} x & (x > 0) \\\\ 0 & (x \\le 0) \\end{cases}
        \\qquad
        \\frac{\\partial y}{\\partial x} = \\begin{cases} 1 & (x > 0) \\\\ 0 & (x \\le 0)
        \\end{cases}$$

        Where the input was positive, `dout` passes through unchanged; elsewhere the
        gradient is 0. The forward pass remembers *where* in `self.mask` (a boolean array,
        `True` where $x \\le 0$), so the backward pass does not need `x` itself.
        """),
        given("relu_forward", source_of(layers.ReluForward)),
        markdown("""
        **Task 3.** Write `Relu.backward` using `self.mask`. Return `dx`, the shape of `dout`.
        """),
        solution("relu_code", source_of(layers.Relu)),
        given("relu_visible", RELU_CHECK),
        hidden_checks(PARTS["relu_backward"]),

        markdown("""
        ### Sigmoid
        $y = \\dfrac{1}{1 + \\exp(-x)}$ is a graph of four nodes: $\\times(-1)$, $\\exp$,
        $+1$ and $1/\\cdot$. Going backward through them, node by node:

        1. $1/u$ with $u = 1 + e^{-x}$: local derivative $-1/u^2 = -y^2$.
        2. $+1$: passes the gradient on unchanged.
        3. $\\exp$: local derivative $e^{-x}$.
        4. $\\times(-1)$: local derivative $-1$.

        Multiplied together: $\\dfrac{\\partial L}{\\partial x} = \\text{dout} \\cdot y^2
        e^{-x}$. Since $e^{-x} = \\dfrac{1 - y}{y}$, this is
        $$\\frac{\\partial L}{\\partial x} = \\text{dout} \\cdot y\\,(1 - y).$$
        The backward pass needs only the forward *output* $y$, which `forward` keeps in
        `self.out`.
        """),
        given("sigmoid_forward", source_of(layers.SigmoidForward)),
        markdown("""
        **Task 4.** Write `Sigmoid.backward` from `self.out`.
        """),
        solution("sigmoid_code", source_of(layers.Sigmoid)),
        given("sigmoid_visible", SIGMOID_CHECK),
        markdown("""
        The sigmoid's graph node by node, at x = 1: the gradient at the input, the product
        of the four local derivatives, equals y(1 − y), and your `Sigmoid.backward`.
        """),
        given("sigmoid_graph", SIGMOID_GRAPH),
        hidden_checks(PARTS["sigmoid_backward"]),

        markdown("""
        ## 3. The Affine layer

        For a batch of $N$ inputs $X$ of shape $(N, D)$, weights $W$ $(D, M)$ and bias $b$
        $(M,)$: $Y = XW + b$, shape $(N, M)$. With $\\partial L/\\partial Y$ = `dout`
        $(N, M)$:

        $$\\frac{\\partial L}{\\partial X} = \\text{dout}\\, W^{T} \\;(N, D) \\qquad
        \\frac{\\partial L}{\\partial W} = X^{T}\\, \\text{dout} \\;(D, M) \\qquad
        \\frac{\\partial L}{\\partial b} = \\sum_{n} \\text{dout}_{n} \\;(M,)$$

        Check the shapes: each gradient has the shape of what it is the gradient of. The bias
        was *broadcast* to every sample in the forward pass, so its gradient *sums* over the
        batch axis (axis 0).

        The forward pass flattens an N-d input (images of shape $(N, 1, 28, 28)$, say) to
        $(N, D)$ and keeps the original shape in `self.original_x_shape`: `dx` must go back
        in that shape.
        """),
        given("affine_forward", source_of(layers.AffineForward)),
        markdown("""
        **Task 5.** Write `Affine.backward`: compute `dx` (in the input's original shape) and
        store the parameter gradients in `self.dW` and `self.db`.
        """),
        solution("affine_code", source_of(layers.Affine)),
        given("affine_visible", AFFINE_CHECK),
        hidden_checks(PARTS["affine_backward"]),

        markdown("""
        ## 4. Softmax with cross-entropy loss

        The last layer turns scores $a$ into probabilities $y = \\text{softmax}(a)$ and
        measures the mean cross-entropy $L = -\\frac{1}{N}\\sum_n \\log y_{n, t_n}$. (The
        given `softmax` subtracts each row's maximum first, so `np.exp` cannot overflow, and
        `cross_entropy_error` adds `1e-7` inside the log, so it never takes `log(0)`.)

        Putting the two in one layer pays off: the many terms of the chain rule cancel and
        $$\\frac{\\partial L}{\\partial a} = \\frac{y - t}{N}$$
        with $t$ one-hot. The difference between prediction and target is exactly the error
        signal to send back, and the $1/N$ is there because the loss is a *mean* over the
        batch. With label targets (integers), $y - t$ means: subtract 1 from each sample's
        probability at its true class.
        """),
        given("softmax_functions", source_of(functions.softmax, functions.cross_entropy_error)),
        given("softmax_with_loss_forward", source_of(layers.SoftmaxWithLossForward)),
        markdown("""
        **Task 6.** Write `SoftmaxWithLoss.backward` for one-hot *and* label targets.
        """),
        solution("softmax_with_loss_code", source_of(layers.SoftmaxWithLoss)),
        given("softmax_with_loss_visible", SOFTMAX_CHECK),
        hidden_checks(PARTS["softmax_with_loss_backward"]),

        markdown("""
        ## 5. A two-layer network

        `TwoLayerNet` keeps its layers in order in `self.layers`: `Affine1`, `Relu1`,
        `Affine2`, then `self.lastLayer` (SoftmaxWithLoss). `predict` walks them forward.
        The layers hold the *same arrays* as `self.params`, so updating `self.params` in
        place trains them.

        The gradient by backpropagation: run a forward pass (`self.loss(x, t)`), so every
        layer keeps what its backward needs; then call `backward` on `lastLayer` with
        `dout = 1` and on each layer **in reverse order**, passing each result on; finally
        collect `dW` and `db` from the two Affine layers.
        """),
        given("numerical_gradient", source_of(gradient.numerical_gradient)),
        given("two_layer_net_base", source_of(two_layer_net.TwoLayerNetBase)),
        markdown("""
        **Task 7.** Write `TwoLayerNet.gradient`: return a dict with the gradients of
        `W1`, `b1`, `W2` and `b2`.
        """),
        solution("two_layer_net_code", source_of(two_layer_net.TwoLayerNet)),
        markdown("""
        ### Gradient check
        Numerical differentiation is slow but simple and hard to get wrong; backpropagation
        is fast but easy to get wrong. Comparing the two, parameter by parameter, is how you
        know your backward passes are right.
        """),
        given("two_layer_net_visible", GRADIENT_CHECK),
        hidden_checks(PARTS["two_layer_net_gradient"]),

        markdown("""
        ## Self-check

        Run this cell whenever you like: it checks every method you wrote on its own
        inputs, against numerical gradients of the given forward passes, and names the
        usual cause of each failure. (The graded checks use other inputs, and more of them.)
        """),
        given("self_check", "self_check(globals())"),

        markdown("""
        ## 6. Training on MNIST

        The book's settings: 50 hidden units, mini-batches of 100, learning rate 0.1,
        10,000 iterations (about 17 epochs). Each iteration computes the gradient of one
        mini-batch by backpropagation and takes a step downhill. After every epoch, the
        accuracy on the whole training and test sets is recorded. Expect a test accuracy
        of about 0.97 in about 10 seconds.

        Training runs in float32: half the memory traffic and twice the arithmetic speed of
        float64, with the same accuracy. (The gradient check above needs float64: a
        numerical derivative divides a tiny difference by a tiny step, and float32 keeps
        only about 7 digits.)

        MNIST (LeCun, Cortes and Burges, CC BY-SA 3.0) is loaded by `course_data`.
        """),
        given("training_helpers",
              f"PARAM_KEYS = {training.PARAM_KEYS!r}\n\n\n"
              + source_of(training.sgd_step, training.train, training._BlasThreads,
                          training._progress_bar, plotting.plot_history)),
        given("load_mnist", LOAD_MNIST),
        given("train", TRAIN),
        given("plot", PLOT),
        hidden_checks(PARTS["mnist_training"]),
        markdown("""
        The hidden MNIST check trains your network (your layers, your `gradient`) for one
        epoch with a fixed seed and measures its test accuracy. It runs only once
        `TwoLayerNet.gradient` has passed its checks.
        """),
    ]

