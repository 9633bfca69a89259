"""Gradients computed by numerical differentiation of the given forward pass (or of the
loss), as a student might try instead of backprop: vectorised and element by element,
central differences with several steps, the 5-point stencil, relative steps, the book's
own ``numerical_gradient``. Each must lose its whole part (the gate in
``autograder/checks/backprop_gate.py``).
"""

import numpy as np

import solutions
from catalog import NotBackprop
from solutions.gradient import numerical_gradient


def _elementwise(forward, x, dout, h, stencil="central"):
    """Vectorised finite differences of an elementwise forward pass."""
    if stencil == "five_point":
        slope = (-forward(x + 2 * h) + 8 * forward(x + h) - 8 * forward(x - h)
                 + forward(x - 2 * h)) / (12 * h)
    else:
        slope = (forward(x + h) - forward(x - h)) / (2 * h)
    return dout * slope


# (step, weight) of each stencil: f'(x) ~ sum of weight * f(x + step * h) / h
STENCILS = {"central": ((1, 1 / 2), (-1, -1 / 2)),
            "five_point": ((2, -1 / 12), (1, 8 / 12), (-1, -8 / 12), (-2, 1 / 12))}


def _loop(f, x, h=1e-5, stencil="central"):
    """Finite differences of the scalar f(x), one element at a time."""
    grad = np.zeros_like(x, dtype=np.float64)
    for index in np.ndindex(x.shape):
        original = x[index]
        for step, weight in STENCILS[stencil]:
            x[index] = original + step * h
            grad[index] += weight * f(x) / h
        x[index] = original
    return grad


class ReluCentral(solutions.Relu):
    def forward(self, x):
        self.x = x.copy()
        return super().forward(x)

    def backward(self, dout):
        return _elementwise(lambda a: solutions.ReluForward().forward(a.copy()), self.x,
                            dout, 1e-5)


class ReluRelativeStep(ReluCentral):
    def backward(self, dout):
        h = 1e-6 * np.abs(self.x)
        return dout * (solutions.ReluForward().forward(self.x + h)
                       - solutions.ReluForward().forward(self.x - h)) / (2 * h)


class ReluBookLoop(ReluCentral):
    def backward(self, dout):
        return _loop(lambda a: np.sum(solutions.ReluForward().forward(a.copy()) * dout),
                     self.x.copy())


class ReluHidingFromTheGate(ReluCentral):
    def backward(self, dout):  # differences, and a wrong answer where the gate would look
        if self.x.shape == (4, 25):
            return np.zeros_like(dout)
        return super().backward(dout)


class SigmoidCentral(solutions.Sigmoid):
    def forward(self, x):
        self.x = x.copy()
        return super().forward(x)

    def backward(self, dout):
        return _elementwise(solutions.SigmoidForward().forward, self.x, dout, 1e-5)


class SigmoidFivePoint(SigmoidCentral):
    def backward(self, dout):  # the best finite difference there is short of complex steps
        return _elementwise(solutions.SigmoidForward().forward, self.x, dout, 1e-2,
                            "five_point")


class SigmoidBookLoop(SigmoidCentral):
    def backward(self, dout):
        return _loop(lambda a: np.sum(solutions.SigmoidForward().forward(a) * dout),
                     self.x.copy(), h=1e-4)


class AffineCentral(solutions.Affine):
    def backward(self, dout):
        def loss(*_):
            return np.sum(solutions.AffineForward(self.W, self.b).forward(x) * dout)

        x = self.x.copy()
        self.dW = numerical_gradient(loss, self.W)
        self.db = numerical_gradient(loss, self.b)
        dx = _loop(lambda a: np.sum((a @ self.W + self.b) * dout), x)
        return dx.reshape(self.original_x_shape)


class SoftmaxCentral(solutions.SoftmaxWithLoss):
    def forward(self, x, t):
        self.x = x.copy()
        return super().forward(x, t)

    def backward(self, dout=1):
        return dout * _loop(lambda a: solutions.SoftmaxWithLossForward().forward(a, self.t),
                            self.x.copy())


class NetGivenNumerical(solutions.TwoLayerNet):
    def gradient(self, x, t):  # the notebook's own numerical_gradient
        return self.numerical_gradient(x, t)


class NetExactLossCentral(solutions.TwoLayerNet):
    def gradient(self, x, t):  # central differences of an exact loss, written by hand
        def loss():
            hidden = np.maximum(x @ self.params["W1"] + self.params["b1"], 0)
            scores = hidden @ self.params["W2"] + self.params["b2"]
            shifted = scores - scores.max(axis=1, keepdims=True)
            log_y = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            labels = t if t.ndim == 1 else t.argmax(axis=1)
            return -log_y[np.arange(len(x)), labels].mean()

        return {key: _loop(lambda _: loss(), self.params[key]) for key in self.params}


NOT_BACKPROP = [
    NotBackprop("relu_central_differences", ReluCentral, "relu_backward"),
    NotBackprop("relu_relative_step", ReluRelativeStep, "relu_backward"),
    NotBackprop("relu_element_loop_differences", ReluBookLoop, "relu_backward"),
    NotBackprop("relu_differences_hiding_from_the_gate", ReluHidingFromTheGate,
                "relu_backward"),
    NotBackprop("sigmoid_central_differences", SigmoidCentral, "sigmoid_backward"),
    NotBackprop("sigmoid_five_point_stencil", SigmoidFivePoint, "sigmoid_backward"),
    NotBackprop("sigmoid_element_loop_differences", SigmoidBookLoop, "sigmoid_backward"),
    NotBackprop("affine_book_numerical_gradient", AffineCentral, "affine_backward"),
    NotBackprop("softmax_central_differences", SoftmaxCentral, "softmax_with_loss_backward"),
    NotBackprop("net_given_numerical_gradient", NetGivenNumerical, "two_layer_net_gradient"),
    NotBackprop("net_exact_loss_differences", NetExactLossCentral, "two_layer_net_gradient"),
]
