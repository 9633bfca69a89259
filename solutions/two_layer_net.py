"""The two-layer network of chapter 5, built from layers; students write ``gradient``."""

from collections import OrderedDict

import numpy as np

from solutions.gradient import numerical_gradient
from solutions.layers import Affine, Relu, SoftmaxWithLoss


class TwoLayerNetBase:
    """Affine1 -> Relu1 -> Affine2, then SoftmaxWithLoss; everything but ``gradient``."""

    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01,
                 dtype=np.float64):
        """Sizes D, H, C. Weights ~ N(0, weight_init_std^2), biases 0.

        ``self.params`` holds W1: (D, H), b1: (H,), W2: (H, C), b2: (C,). The layers hold the
        very same arrays, so an in-place update of ``self.params`` trains the layers too.
        dtype: float64 (the default) for gradient checks, where numerical differences need
        every digit; float32 halves the memory and the time of training, at no cost in
        accuracy.
        """
        self.params = {}
        self.params["W1"] = (weight_init_std * np.random.randn(input_size, hidden_size)
                             ).astype(dtype)
        self.params["b1"] = np.zeros(hidden_size, dtype=dtype)
        self.params["W2"] = (weight_init_std * np.random.randn(hidden_size, output_size)
                             ).astype(dtype)
        self.params["b2"] = np.zeros(output_size, dtype=dtype)

        self.layers = OrderedDict()  # forward order; backward walks it in reverse
        self.layers["Affine1"] = Affine(self.params["W1"], self.params["b1"])
        self.layers["Relu1"] = Relu()
        self.layers["Affine2"] = Affine(self.params["W2"], self.params["b2"])
        self.lastLayer = SoftmaxWithLoss()

    def predict(self, x):
        """x: (N, D). Returns scores (N, C), before softmax."""
        for layer in self.layers.values():
            x = layer.forward(x)
        return x

    def loss(self, x, t):
        """x: (N, D); t: (N, C) one-hot or (N,) labels. Returns the mean loss (float)."""
        y = self.predict(x)
        return self.lastLayer.forward(y, t)

    def accuracy(self, x, t):
        """Fraction of the N samples whose highest score is the true class."""
        y = np.argmax(self.predict(x), axis=1)
        if t.ndim != 1:
            t = np.argmax(t, axis=1)
        return float(np.sum(y == t)) / float(x.shape[0])

    def numerical_gradient(self, x, t):
        """Gradients of the loss by central differences: slow, but independent of backprop."""

        def loss_w(_):
            return self.loss(x, t)

        return {key: numerical_gradient(loss_w, self.params[key]) for key in self.params}


class TwoLayerNet(TwoLayerNetBase):
    def gradient(self, x, t):
        """Gradients of the loss by backpropagation.

        x: (N, D); t: (N, C) one-hot or (N,) labels.
        Returns a dict with W1, b1, W2, b2, each shaped like ``self.params[key]``.
        """
        ### BEGIN SOLUTION
        self.loss(x, t)  # a fresh forward pass: backward uses what it stored

        dout = self.lastLayer.backward(1)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)

        grads = {}
        grads["W1"], grads["b1"] = self.layers["Affine1"].dW, self.layers["Affine1"].db
        grads["W2"], grads["b2"] = self.layers["Affine2"].dW, self.layers["Affine2"].db
        ### END SOLUTION
        return grads
