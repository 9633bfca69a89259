"""Correct solutions written differently from the reference, as students write them: the
book's code, CS231n-style code, or their own. Each must get every point of every part.
"""

import numpy as np

import solutions
from catalog import Variant
from solutions import softmax

# --------------------------------------------------------------------------- Relu


class ReluWhere(solutions.Relu):
    def backward(self, dout):
        dx = np.where(self.mask, 0, dout)
        return dx


class ReluHeaviside(solutions.Relu):
    def forward(self, x):
        self.x = x.copy()
        return np.maximum(x, 0)

    def backward(self, dout):  # the step function, 0 at 0 as the book's mask has it
        return dout * np.heaviside(self.x, 0)


class ReluMaximum(solutions.Relu):
    def forward(self, x):
        self.mask = (x <= 0)
        return np.maximum(x, 0)

    def backward(self, dout):
        dx = dout * (~self.mask)
        return dx


class ReluStrictMask(solutions.Relu):
    def forward(self, x):  # x < 0, not x <= 0: the two differ only at the kink
        self.mask = (x < 0)
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dx = dout.copy()
        dx[self.mask] = 0
        return dx


class ReluInPlace(solutions.Relu):
    def backward(self, dout):  # the book's: zeroes the caller's dout in place
        dout[self.mask] = 0
        dx = dout
        return dx


# --------------------------------------------------------------------------- Sigmoid


class SigmoidStable(solutions.Sigmoid):
    def forward(self, x):
        self.x = x
        return super().forward(x)

    def backward(self, dout):  # y (1 - y) = exp(-log(1 + e^-x) - log(1 + e^x)): no overflow
        dx = dout * np.exp(-np.logaddexp(0, -self.x) - np.logaddexp(0, self.x))
        return dx


class SigmoidExpanded(solutions.Sigmoid):
    def backward(self, dout):
        y = self.out
        dx = dout * y - dout * y ** 2
        return dx


class SigmoidTanh(solutions.Sigmoid):
    def forward(self, x):  # sigma(x) = (1 + tanh(x / 2)) / 2, and its derivative from x
        self.x = x.copy()
        return 0.5 * (1 + np.tanh(x / 2))

    def backward(self, dout):
        return dout * 0.25 * (1 - np.tanh(self.x / 2) ** 2)


class SigmoidFromX(solutions.Sigmoid):
    def forward(self, x):  # keeps x, and computes sigma(x) again in backward
        self.x = x
        return 1 / (1 + np.exp(-x))

    def backward(self, dout):
        s = 1 / (1 + np.exp(-self.x))
        return dout * s * (1 - s)


# --------------------------------------------------------------------------- Affine


class AffineFlatten(solutions.Affine):
    def forward(self, x):  # keeps x as it came and flattens it with reshape(-1, D)
        self.original_x_shape = x.shape
        self.x = x.reshape(-1, self.W.shape[0])
        return self.x @ self.W + self.b

    def backward(self, dout):
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        dx = dout @ self.W.T
        return dx.reshape(*self.original_x_shape)


class AffineEinsum(solutions.Affine):
    def backward(self, dout):
        self.dW = np.einsum("nd,nm->dm", self.x, dout)
        self.db = np.ones(dout.shape[0]) @ dout
        return np.einsum("nm,dm->nd", dout, self.W).reshape(self.original_x_shape)


# --------------------------------------------------------------------------- SoftmaxWithLoss


class SoftmaxLogSoftmax(solutions.SoftmaxWithLoss):
    def forward(self, x, t):  # the loss by log-softmax: exact, no 1e-7 needed
        self.t = t
        shifted = x - x.max(axis=1, keepdims=True)
        log_y = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        self.y = np.exp(log_y)
        n = x.shape[0]
        labels = t if t.ndim == 1 else t.argmax(axis=1)
        self.loss = -log_y[np.arange(n), labels].sum() / n
        return self.loss


class SoftmaxToLabels(solutions.SoftmaxWithLoss):
    def backward(self, dout=1):  # one-hot targets turned into labels, one code path
        labels = self.t.argmax(axis=1) if self.t.ndim == 2 else self.t
        batch_size = self.y.shape[0]
        dx = self.y.copy()
        dx[np.arange(batch_size), labels] -= 1
        return dout * dx / batch_size


class SoftmaxToOneHot(solutions.SoftmaxWithLoss):
    def backward(self, dout=1):  # labels turned into one-hot rows
        t = self.t if self.t.ndim == 2 else np.eye(self.y.shape[1])[self.t]
        return dout * (self.y - t) / len(self.y)


class SoftmaxBookStyle(solutions.SoftmaxWithLoss):
    def forward(self, x, t):  # the book's forward, spelled out
        self.t = t
        self.y = softmax(x)
        self.loss = solutions.cross_entropy_error(self.y, self.t)
        return self.loss

    def backward(self, dout=1):  # the book's: dout is always 1 here, so it is ignored
        batch_size = self.t.shape[0]
        if self.t.size == self.y.size:
            dx = (self.y - self.t) / batch_size
        else:
            dx = self.y.copy()
            dx[np.arange(batch_size), self.t] -= 1
            dx = dx / batch_size
        return dx


# --------------------------------------------------------------------------- TwoLayerNet


class NetPlainDict(solutions.TwoLayerNet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.layers = dict(self.layers)  # insertion-ordered since Python 3.7

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.lastLayer.backward(1)
        for key in reversed(list(self.layers)):
            dout = self.layers[key].backward(dout)
        return {"W1": self.layers["Affine1"].dW, "b1": self.layers["Affine1"].db,
                "W2": self.layers["Affine2"].dW, "b2": self.layers["Affine2"].db}


class NetSliceReversedCopies(solutions.TwoLayerNet):
    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.lastLayer.backward()
        layers = list(self.layers.values())[::-1]
        for layer in layers:
            dout = layer.backward(dout)
        grads = {}
        for i, name in ((1, "Affine1"), (2, "Affine2")):
            grads[f"W{i}"] = self.layers[name].dW.copy()
            grads[f"b{i}"] = self.layers[name].db.copy()
        return grads


class NetLayersKeptInInit(solutions.TwoLayerNet):
    """Its own references to the layers, made in __init__: a list in backward order and
    a name for each Affine."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.backward_layers = list(self.layers.values())[::-1]
        self.affine1, self.affine2 = self.layers["Affine1"], self.layers["Affine2"]

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.lastLayer.backward(1)
        for layer in self.backward_layers:
            dout = layer.backward(dout)
        return {"W1": self.affine1.dW, "b1": self.affine1.db,
                "W2": self.affine2.dW, "b2": self.affine2.db}


# --------------------------------------------------------------------------- MulLayer, AddLayer


class MulLayerList(solutions.MulLayer):
    def backward(self, dout):
        return [dout * self.y, dout * self.x]


class AddLayerSameObject(solutions.AddLayer):
    def backward(self, dout):
        return dout, dout


class AffineBiasRow(solutions.Affine):
    def __init__(self, W, b):  # b kept as a (1, M) row: a view, so updates still reach it
        super().__init__(W, b.reshape(1, -1) if b is not None else b)

    def backward(self, dout):
        dx = dout @ self.W.T
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        return dx.reshape(*self.original_x_shape)


class AffineMatmul(solutions.Affine):
    def backward(self, dout):
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        return (dout @ self.W.T).reshape(*self.original_x_shape)


class SoftmaxFromScores(solutions.SoftmaxWithLoss):
    def forward(self, x, t):
        self.x = x
        return super().forward(x, t)

    def backward(self, dout=1):  # softmax recomputed from the scores, no 1e-7 anywhere
        shifted = self.x - self.x.max(axis=1, keepdims=True)
        log_y = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        n, c = self.x.shape
        t = self.t if self.t.ndim == 2 else np.eye(c)[self.t]
        return dout * (np.exp(log_y) - t) / n


class NetCopiedGradients(solutions.TwoLayerNet):
    def gradient(self, x, t):
        grads = super().gradient(x, t)
        return {key: np.array(grad, copy=True) for key, grad in grads.items()}


# --------------------------------------------------------------------------- loops


class ReluElementLoop(solutions.Relu):
    def backward(self, dout):  # one element at a time: slow, still backprop
        dx = np.zeros_like(dout)
        for index in np.ndindex(dout.shape):
            if not self.mask[index]:
                dx[index] = dout[index]
        return dx


class AffineBatchLoop(solutions.Affine):
    def backward(self, dout):  # one sample at a time
        self.dW = np.zeros_like(self.W)
        self.db = np.zeros_like(self.b)
        dx = np.zeros(self.x.shape)
        for n in range(self.x.shape[0]):
            self.dW += np.outer(self.x[n], dout[n])
            self.db += dout[n]
            dx[n] = self.W @ dout[n]
        return dx.reshape(self.original_x_shape)


class SoftmaxBatchLoop(solutions.SoftmaxWithLoss):
    def backward(self, dout=1):  # one sample at a time
        n = self.y.shape[0]
        dx = np.zeros_like(self.y)
        for i in range(n):
            target = self.t[i] if self.t.ndim == 2 else np.eye(self.y.shape[1])[self.t[i]]
            dx[i] = (self.y[i] - target) / n
        return dx * dout


class NetHandWritten(solutions.TwoLayerNet):
    def gradient(self, x, t):  # the matrix algebra, without the layers
        p = self.params
        h_in = x @ p["W1"] + p["b1"]
        h = np.maximum(h_in, 0)
        y = softmax(h @ p["W2"] + p["b2"])
        n = x.shape[0]
        one_hot = t if t.ndim == 2 else np.eye(y.shape[1])[t]
        dscores = (y - one_hot) / n
        dh = (dscores @ p["W2"].T) * (h_in > 0)
        return {"W1": x.T @ dh, "b1": dh.sum(axis=0),
                "W2": h.T @ dscores, "b2": dscores.sum(axis=0)}


VARIANTS = [
    Variant("relu_np_where", ReluWhere),
    Variant("relu_np_maximum", ReluMaximum),
    Variant("relu_heaviside", ReluHeaviside),
    Variant("relu_mask_x_lt_0", ReluStrictMask),
    Variant("relu_in_place_book", ReluInPlace),
    Variant("sigmoid_stable_logaddexp", SigmoidStable),
    Variant("sigmoid_expanded", SigmoidExpanded),
    Variant("sigmoid_tanh_from_x", SigmoidTanh),
    Variant("sigmoid_recomputed_from_x", SigmoidFromX),
    Variant("affine_reshape_minus_1_D", AffineFlatten),
    Variant("affine_einsum", AffineEinsum),
    Variant("softmax_log_softmax_no_1e-7", SoftmaxLogSoftmax),
    Variant("softmax_one_hot_to_labels", SoftmaxToLabels),
    Variant("softmax_labels_to_one_hot", SoftmaxToOneHot),
    Variant("softmax_book_style", SoftmaxBookStyle),
    Variant("net_plain_dict", NetPlainDict),
    Variant("net_slice_reversed_copies", NetSliceReversedCopies),
    Variant("net_layers_kept_in_init", NetLayersKeptInInit),
    Variant("mul_returns_list", MulLayerList),
    Variant("add_returns_dout_twice", AddLayerSameObject),
    Variant("affine_matmul_sum", AffineMatmul),
    Variant("affine_bias_kept_as_a_row", AffineBiasRow),
    Variant("softmax_backward_from_scores", SoftmaxFromScores),
    Variant("net_copied_gradients", NetCopiedGradients),
    Variant("relu_element_loop", ReluElementLoop),
    Variant("affine_loop_over_batch", AffineBatchLoop),
    Variant("softmax_loop_over_batch", SoftmaxBatchLoop),
    Variant("net_hand_written_matrices", NetHandWritten),
]
