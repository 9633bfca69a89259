"""Do correct solutions written differently from the reference get full marks?

Students write the book's code, CS231n-style code, or their own; each variant below is
right, so every gradient part must give it every point.
"""

import numpy as np
import pytest

import solutions

# --------------------------------------------------------------------------- Relu


class ReluWhere(solutions.Relu):
    def backward(self, dout):
        return np.where(self.mask, 0, dout)


class ReluInPlace(solutions.Relu):
    def backward(self, dout):  # the book's version: changes the caller's dout
        dout[self.mask] = 0
        return dout


class ReluStrictMask(solutions.Relu):
    def forward(self, x):  # x < 0 instead of x <= 0: the same everywhere but at the kink
        self.mask = x < 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dx = dout.copy()
        dx[self.mask] = 0
        return dx


# --------------------------------------------------------------------------- Sigmoid


class SigmoidExpanded(solutions.Sigmoid):
    def backward(self, dout):
        return dout * self.out - dout * self.out**2


# --------------------------------------------------------------------------- Affine


class AffineMatmul(solutions.Affine):
    def backward(self, dout):
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        return (dout @ self.W.T).reshape(*self.original_x_shape)


# --------------------------------------------------------------------------- SoftmaxWithLoss


class SoftmaxAlwaysOneHot(solutions.SoftmaxWithLoss):
    def backward(self, dout=1):
        t = self.t if self.t.ndim == 2 else np.eye(self.y.shape[1])[self.t]
        return dout * (self.y - t) / self.y.shape[0]


class SoftmaxLogSoftmax(solutions.SoftmaxWithLoss):
    def forward(self, x, t):
        self.x = x
        return super().forward(x, t)

    def backward(self, dout=1):  # softmax recomputed from the scores, no 1e-7 anywhere
        shifted = self.x - self.x.max(axis=1, keepdims=True)
        log_y = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        n, c = self.x.shape
        t = self.t if self.t.ndim == 2 else np.eye(c)[self.t]
        return dout * (np.exp(log_y) - t) / n


class SoftmaxBookStyle(solutions.SoftmaxWithLoss):
    def backward(self, dout=1):  # the book's: dout is always 1 here, so it is ignored
        batch_size = self.t.shape[0]
        if self.t.size == self.y.size:
            return (self.y - self.t) / batch_size
        dx = self.y.copy()
        dx[np.arange(batch_size), self.t] -= 1
        return dx / batch_size


# --------------------------------------------------------------------------- TwoLayerNet


class NetPlainDict(solutions.TwoLayerNet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.layers = dict(self.layers)

    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.lastLayer.backward(1)
        for key in reversed(list(self.layers)):
            dout = self.layers[key].backward(dout)
        return {"W1": self.layers["Affine1"].dW, "b1": self.layers["Affine1"].db,
                "W2": self.layers["Affine2"].dW, "b2": self.layers["Affine2"].db}


class NetCopiedGradients(solutions.TwoLayerNet):
    def gradient(self, x, t):
        grads = super().gradient(x, t)
        return {key: np.array(grad, copy=True) for key, grad in grads.items()}


# --------------------------------------------------------------------------- MulLayer, AddLayer


class MulLayerList(solutions.MulLayer):
    def backward(self, dout):
        return [dout * self.y, dout * self.x]


class AddLayerSameObject(solutions.AddLayer):
    def backward(self, dout):
        return dout, dout


VARIANTS = [
    pytest.param(ReluWhere, id="relu_np_where"),
    pytest.param(ReluInPlace, id="relu_in_place_book"),
    pytest.param(ReluStrictMask, id="relu_mask_x_lt_0"),
    pytest.param(SigmoidExpanded, id="sigmoid_expanded"),
    pytest.param(AffineMatmul, id="affine_matmul_sum"),
    pytest.param(SoftmaxAlwaysOneHot, id="softmax_always_one_hot"),
    pytest.param(SoftmaxLogSoftmax, id="softmax_log_softmax_no_1e-7"),
    pytest.param(SoftmaxBookStyle, id="softmax_ignores_dout_book"),
    pytest.param(NetPlainDict, id="net_plain_dict_reversed_keys"),
    pytest.param(NetCopiedGradients, id="net_copied_gradients"),
    pytest.param(MulLayerList, id="mul_returns_list"),
    pytest.param(AddLayerSameObject, id="add_returns_dout_twice"),
]


def _name(variant):
    """The reference class a variant stands in for (its direct base)."""
    return variant.__bases__[0].__name__


def _scores(results):
    return {part_id: (result.score, result.max_score) for part_id, result in results.items()}


@pytest.mark.parametrize("variant", VARIANTS)
def test_correct_variant_gets_full_marks(grade_gradient_parts, variant):
    """Does this correct but unusual implementation get every point of every gradient part?"""
    results = grade_gradient_parts(**{_name(variant): variant})
    assert _scores(results) == {pid: (r.max_score, r.max_score) for pid, r in results.items()}


class SigmoidNoisyDebug(solutions.Sigmoid):
    def backward(self, dout):
        print("debug:", np.log(np.zeros(1)))  # RuntimeWarning: divide by zero in log
        return dout * (1.0 - self.out) * self.out


def test_runtime_warning_costs_nothing(grade_gradient_parts):
    """Does a correct Sigmoid.backward whose debug print raises a RuntimeWarning get full
    marks?"""
    layer = SigmoidNoisyDebug()
    layer.forward(np.zeros(3))
    with pytest.warns(RuntimeWarning):
        layer.backward(np.ones(3))
    results = grade_gradient_parts(Sigmoid=SigmoidNoisyDebug)
    assert _scores(results) == {pid: (r.max_score, r.max_score) for pid, r in results.items()}
