"""The layers of chapter 5, each split in two: the given forward pass and the backward pass
students write.

``XForward`` holds ``__init__`` and ``forward`` (read-only cells in the notebook); ``X`` adds
``backward``, whose body between the ``### BEGIN SOLUTION`` and ``### END SOLUTION`` markers
is what ``nbgrader generate_assignment`` replaces by a stub. Setup and ``return`` stay outside
the marked region, so students see what they must produce.

Every backward takes ``dout``, the gradient of the final loss with respect to the layer's
output, and returns the gradient with respect to each input (the chain rule, one node at a
time).
"""

import numpy as np

from solutions.functions import cross_entropy_error, softmax


class MulLayerForward:
    """Multiplication node z = x * y (scalars or same-shape arrays)."""

    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        """Return x * y, keeping both inputs: each one's gradient needs the other."""
        self.x = x
        self.y = y
        return x * y


class MulLayer(MulLayerForward):
    def backward(self, dout):
        """dout: dL/dz, same shape as z. Returns (dL/dx, dL/dy), shaped like x and y."""
        ### BEGIN SOLUTION
        dx = dout * self.y  # dz/dx = y: the inputs swap places
        dy = dout * self.x
        ### END SOLUTION
        return dx, dy


class AddLayerForward:
    """Addition node z = x + y (scalars or same-shape arrays)."""

    def __init__(self):
        pass

    def forward(self, x, y):
        """Return x + y. Nothing needs keeping: the local gradients are constant."""
        return x + y


class AddLayer(AddLayerForward):
    def backward(self, dout):
        """dout: dL/dz. Returns (dL/dx, dL/dy); each equals dout, since dz/dx = dz/dy = 1."""
        ### BEGIN SOLUTION
        dx = dout * 1
        dy = dout * 1
        ### END SOLUTION
        return dx, dy


class ReluForward:
    """ReLU: y = x where x > 0, else 0."""

    def __init__(self):
        self.mask = None

    def forward(self, x):
        """x: any shape. Returns max(x, 0); ``self.mask`` marks where x <= 0."""
        self.mask = x <= 0
        return np.maximum(x, 0)


class Relu(ReluForward):
    def backward(self, dout):
        """dout: shape of x. Returns dx of the same shape: dout where x > 0, else 0."""
        ### BEGIN SOLUTION
        dx = dout.copy()  # a copy, so the caller's dout is left as it was
        dx[self.mask] = 0
        ### END SOLUTION
        return dx


class SigmoidForward:
    """Sigmoid: y = 1 / (1 + exp(-x))."""

    def __init__(self):
        self.out = None

    def forward(self, x):
        """x: any shape. Returns y = sigmoid(x) and keeps it in ``self.out``."""
        out = 1 / (1 + np.exp(-x))
        self.out = out
        return out


class Sigmoid(SigmoidForward):
    def backward(self, dout):
        """dout: shape of x. Returns dx = dout * y * (1 - y), using the kept output y."""
        ### BEGIN SOLUTION
        dx = dout * (1.0 - self.out) * self.out
        ### END SOLUTION
        return dx


class AffineForward:
    """Fully connected layer: out = x W + b, for a batch of N inputs."""

    def __init__(self, W, b):
        """W: (D, M) weights; b: (M,) biases. The layer keeps references, not copies."""
        self.W = W
        self.b = b
        self.x = None
        self.original_x_shape = None
        self.dW = None
        self.db = None

    def forward(self, x):
        """x: (N, d_1, ..., d_k) with d_1 * ... * d_k = D. Returns out: (N, M).

        An N-d input (images, say) is flattened to (N, D); its shape is kept so that
        backward can return dx in the shape x came in.
        """
        self.original_x_shape = x.shape
        x = x.reshape(x.shape[0], -1)
        self.x = x
        return np.dot(self.x, self.W) + self.b


class Affine(AffineForward):
    def backward(self, dout):
        """dout: (N, M). Returns dx shaped like the forward input (N, d_1, ..., d_k).

        Also stores self.dW: (D, M) and self.db: (M,), the gradients of the parameters.
        """
        ### BEGIN SOLUTION
        dx = np.dot(dout, self.W.T).reshape(self.original_x_shape)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)  # b was broadcast over the batch: sum it back
        ### END SOLUTION
        return dx


class SoftmaxWithLossForward:
    """Softmax followed by the cross-entropy loss, as one layer."""

    def __init__(self):
        self.loss = None
        self.y = None  # softmax output, (N, C)
        self.t = None  # targets: (N, C) one-hot or (N,) label indices

    def forward(self, x, t):
        """x: (N, C) scores; t: (N, C) one-hot or (N,) labels. Returns the mean loss."""
        self.t = t
        self.y = softmax(x)
        self.loss = cross_entropy_error(self.y, self.t)
        return self.loss


class SoftmaxWithLoss(SoftmaxWithLossForward):
    def backward(self, dout=1):
        """dout: dL/dloss (1 when this is the last layer). Returns dx: (N, C) = (y - t) / N.

        Works for one-hot and label-index targets alike.
        """
        batch_size = self.y.shape[0]
        ### BEGIN SOLUTION
        if self.t.size == self.y.size:  # one-hot targets
            dx = (self.y - self.t) / batch_size
        else:  # label indices: subtract 1 at each sample's true class
            dx = self.y.copy()
            dx[np.arange(batch_size), self.t] -= 1
            dx = dx / batch_size
        dx = dx * dout
        ### END SOLUTION
        return dx
