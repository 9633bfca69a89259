"""The backprop assignment's words in English: the markdown cells, by name.

The code cells and the cell order are in :mod:`autograder.authoring.backprop`; every
language has the same names here (``tests/test_korean.py`` checks it).
"""

LANGUAGE = "en"

TEXT = {
    "intro": """
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
        """,
    "graphs": """
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
        """,
    "task_mul": """
        **Task 1.** Write `MulLayer.backward`: return `(dx, dy)`.
        """,
    "mul_graph": """
        The graph, drawn from your two layer objects: forward values above the edges,
        the gradients your `backward` computes below them.
        """,
    "add_node": """
        ### Addition node
        For $z = x + y$: $\\partial z/\\partial x = \\partial z/\\partial y = 1$, so the
        backward pass sends `dout` on to both inputs unchanged.

        Apples and oranges: 2 apples at 100, 3 oranges at 150, tax 1.1. The price is 715,
        and backpropagation gives every input's effect on it at once: 110 per extra apple,
        2.2 per unit of apple price, 3.3 per unit of orange price, 165 per extra orange and
        650 per unit of tax.
        """,
    "task_add": """
        **Task 2.** Write `AddLayer.backward`: return `(dx, dy)`.
        """,
    "relu": """
        ## 2. Activation layers

        ### ReLU
        $$y = \\begin{cases} x & (x > 0) \\\\ 0 & (x \\le 0) \\end{cases}
        \\qquad
        \\frac{\\partial y}{\\partial x} = \\begin{cases} 1 & (x > 0) \\\\ 0 & (x \\le 0)
        \\end{cases}$$

        Where the input was positive, `dout` passes through unchanged; elsewhere the
        gradient is 0. The forward pass remembers *where* in `self.mask` (a boolean array,
        `True` where $x \\le 0$), so the backward pass does not need `x` itself.
        """,
    "task_relu": """
        **Task 3.** Write `Relu.backward` using `self.mask`. Return `dx`, the shape of `dout`.
        """,
    "sigmoid": """
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
        """,
    "task_sigmoid": """
        **Task 4.** Write `Sigmoid.backward` from `self.out`.
        """,
    "sigmoid_graph": """
        The sigmoid's graph node by node, at x = 1: the gradient at the input, the product
        of the four local derivatives, equals y(1 − y), and your `Sigmoid.backward`.
        """,
    "affine": """
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
        """,
    "task_affine": """
        **Task 5.** Write `Affine.backward`: compute `dx` (in the input's original shape) and
        store the parameter gradients in `self.dW` and `self.db`.
        """,
    "softmax": """
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
        """,
    "task_softmax": """
        **Task 6.** Write `SoftmaxWithLoss.backward` for one-hot *and* label targets.
        """,
    "two_layer_net": """
        ## 5. A two-layer network

        `TwoLayerNet` keeps its layers in order in `self.layers`: `Affine1`, `Relu1`,
        `Affine2`, then `self.lastLayer` (SoftmaxWithLoss). `predict` walks them forward.
        The layers hold the *same arrays* as `self.params`, so updating `self.params` in
        place trains them.

        The gradient by backpropagation: run a forward pass (`self.loss(x, t)`), so every
        layer keeps what its backward needs; then call `backward` on `lastLayer` with
        `dout = 1` and on each layer **in reverse order**, passing each result on; finally
        collect `dW` and `db` from the two Affine layers.
        """,
    "task_net": """
        **Task 7.** Write `TwoLayerNet.gradient`: return a dict with the gradients of
        `W1`, `b1`, `W2` and `b2`.
        """,
    "gradient_check": """
        ### Gradient check
        Numerical differentiation is slow but simple and hard to get wrong; backpropagation
        is fast but easy to get wrong. Comparing the two, parameter by parameter, is how you
        know your backward passes are right.
        """,
    "self_check": """
        ## Self-check

        Run this cell whenever you like: it checks every method you wrote on its own
        inputs, against numerical gradients of the given forward passes, and names the
        usual cause of each failure. (The graded checks use other inputs, and more of them.)
        """,
    "mnist": """
        ## 6. Training on MNIST

        The book's settings: 50 hidden units, mini-batches of 100, learning rate 0.1,
        10,000 iterations (about 17 epochs). Each iteration computes the gradient of one
        mini-batch by backpropagation and takes a step downhill. After every epoch, the
        accuracy on the whole test set and on 10,000 of the training images is recorded.
        Expect a test accuracy of about 0.97 in about 10 seconds.

        Training runs in float32: half the memory traffic and twice the arithmetic speed of
        float64, with the same accuracy. (The gradient check above needs float64: a
        numerical derivative divides a tiny difference by a tiny step, and float32 keeps
        only about 7 digits.)

        MNIST (LeCun, Cortes and Burges, CC BY-SA 3.0) is loaded by `course_data`.
        """,
    "mnist_hidden": """
        The hidden MNIST check trains your network (your layers, your `gradient`) for
        {iterations} steps of mini-batches of {batch_size}, at learning rate {learning_rate}
        (five times the book's, so that a sixth of an epoch gets close to what one epoch of
        the book's settings reaches), with a fixed seed, and measures its test accuracy. It runs
        only once `TwoLayerNet.gradient` has passed its checks.
        """,
}

# The hidden-check cells' comment ({title}: what the part is called in this language).
HIDDEN_CHECKS = "Hidden checks of {title}: they run here when your notebook is graded."
# The code cells' comments and docstrings are the code's own (solutions/, backprop.py):
# English needs no table (see text_ko.CODE and autograder.authoring.translate).
CODE = None
