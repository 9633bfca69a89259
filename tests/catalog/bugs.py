"""Mistakes students make in chapter 5, each written the way students write it.

Every class is the reference with one method replaced by a wrong version; ``BUGS`` says
which part must lose points, which checks must fail and which message the student must
see. Those marked ``# study notes`` come from the notes this course grew from.
"""

from collections import OrderedDict

import numpy as np

import solutions
from catalog import Bug
from solutions import softmax

# --------------------------------------------------------------------------- MulLayer


class MulNotSwapped(solutions.MulLayer):
    def backward(self, dout):
        dx = dout * self.x
        dy = dout * self.y
        return dx, dy


class MulSign(solutions.MulLayer):
    def backward(self, dout):
        dx = -dout * self.y
        dy = -dout * self.x
        return dx, dy


class MulForgotDout(solutions.MulLayer):
    def backward(self, dout):
        dx = self.y
        dy = self.x
        return dx, dy


class MulMissingReturn(solutions.MulLayer):
    def backward(self, dout):
        dx = dout * self.y  # noqa: F841 (the bug: no return)
        dy = dout * self.x  # noqa: F841


class MulOneValue(solutions.MulLayer):
    def backward(self, dout):
        return dout * self.y  # only dx


# --------------------------------------------------------------------------- AddLayer


class AddMissingReturn(solutions.AddLayer):  # study notes
    def backward(self, dout):
        dx = dout * 1  # noqa: F841 (the bug: no return)
        dy = dout * 1  # noqa: F841


class AddOneValue(solutions.AddLayer):
    def backward(self, dout):
        return dout


class AddSplitsDout(solutions.AddLayer):
    def backward(self, dout):
        dx = dout / 2  # "the gradient is shared between the two inputs"
        dy = dout / 2
        return dx, dy


class AddCopiedFromMul(solutions.AddLayer):
    def backward(self, dout):
        dx = dout * self.y
        dy = dout * self.x
        return dx, dy


# --------------------------------------------------------------------------- Relu


class ReluForwardNoReturn(solutions.Relu):  # study notes
    def forward(self, x):
        self.mask = (x <= 0)
        out = x.copy()
        out[self.mask] = 0


class ReluMaskInverted(solutions.Relu):
    def backward(self, dout):
        dout[~self.mask] = 0
        dx = dout
        return dx


class ReluTimesMask(solutions.Relu):
    def backward(self, dout):
        dx = dout * self.mask
        return dx


class ReluMaskFromDout(solutions.Relu):
    def backward(self, dout):
        dout[dout <= 0] = 0
        dx = dout
        return dx


class ReluForgotDout(solutions.Relu):
    def backward(self, dout):
        dx = np.ones_like(dout)
        dx[self.mask] = 0
        return dx


class ReluUnmasked(solutions.Relu):
    def backward(self, dout):
        dx = dout.copy()
        return dx


class ReluReadsANotebookVariable(solutions.Relu):
    def backward(self, dout):  # right in the notebook, where the visible check defines x
        dx = dout * (x > 0)  # noqa: F821 (the bug: the visible check's x, not self.mask)
        return dx


class ReluZerosLikeMask(solutions.Relu):
    def backward(self, dout):
        dx = np.zeros_like(self.mask)  # the bug: booleans, as the mask is
        dx[~self.mask] = dout[~self.mask]
        return dx


# --------------------------------------------------------------------------- Sigmoid


class SigmoidForwardPrecedence(solutions.Sigmoid):  # study notes
    def forward(self, x):
        out = 1 / 1 + np.exp(-x)
        self.out = out
        return out


class SigmoidMissingOneMinusY(solutions.Sigmoid):
    def backward(self, dout):
        dx = dout * self.out
        return dx


class SigmoidMissingY(solutions.Sigmoid):
    def backward(self, dout):
        dx = dout * (1.0 - self.out)
        return dx


class SigmoidForgotDout(solutions.Sigmoid):
    def backward(self, dout):
        dx = self.out * (1.0 - self.out)
        return dx


class SigmoidUsesX(solutions.Sigmoid):
    def forward(self, x):
        self.x = x
        return super().forward(x)

    def backward(self, dout):
        dx = dout * self.x * (1.0 - self.x)
        return dx


class SigmoidFromExp(solutions.Sigmoid):
    """The derivative of 1 / (1 + exp(-x)) written out: right, but exp(800) overflows."""

    def forward(self, x):
        self.x = x
        return super().forward(x)

    def backward(self, dout):
        e = np.exp(-self.x)
        dx = dout * e / (1 + e) ** 2
        return dx


# --------------------------------------------------------------------------- Affine


class AffineDbMean(solutions.Affine):
    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.mean(dout, axis=0)
        return dx.reshape(*self.original_x_shape)


class AffineDbNotSummed(solutions.Affine):
    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout)
        self.db = dout
        return dx.reshape(*self.original_x_shape)


class AffineDbWrongAxis(solutions.Affine):
    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=1)
        return dx.reshape(*self.original_x_shape)


class AffineFloat32(solutions.Affine):
    def backward(self, dout):  # "the network trains in float32": rounded on purpose
        dx = np.dot(dout, self.W.T).astype(np.float32)
        self.dW = np.dot(self.x.T, dout).astype(np.float32)
        self.db = np.sum(dout, axis=0).astype(np.float32)
        return dx.reshape(*self.original_x_shape)


class AffineDwTransposed(solutions.Affine):
    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(dout.T, self.x)
        self.db = np.sum(dout, axis=0)
        return dx.reshape(*self.original_x_shape)


class AffineDwAveraged(solutions.Affine):
    def backward(self, dout):
        batch_size = dout.shape[0]
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout) / batch_size
        self.db = np.sum(dout, axis=0)
        return dx.reshape(*self.original_x_shape)


class AffineDxNotReshaped(solutions.Affine):
    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        return dx


class AffineDxWNotTransposed(solutions.Affine):
    def backward(self, dout):
        dx = np.dot(dout, self.W)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        return dx.reshape(*self.original_x_shape)


class AffineDxTransposed(solutions.Affine):
    def backward(self, dout):
        dx = np.dot(self.W, dout.T)  # (D, N): the input's shape, transposed
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        return dx


class AffineDbKeepdims(solutions.Affine):
    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0, keepdims=True)  # (1, M)
        return dx.reshape(*self.original_x_shape)


class AffineDbSumAll(solutions.Affine):
    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout)  # one number for M biases
        return dx.reshape(*self.original_x_shape)


class AffineDwNoTranspose(solutions.Affine):
    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x, dout)  # (N, D) @ (N, M): does not fit
        self.db = np.sum(dout, axis=0)
        return dx.reshape(*self.original_x_shape)


class AffineDwElementwise(solutions.Affine):
    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = self.x.T * dout  # (D, N) * (N, M): elementwise, does not broadcast
        self.db = np.sum(dout, axis=0)
        return dx.reshape(*self.original_x_shape)


class NetDoutNotPassedOn(solutions.TwoLayerNet):
    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.lastLayer.backward(1)
        for layer in reversed(list(self.layers.values())):
            layer.backward(dout)  # its result dropped: every layer gets the loss's dout
        return _grads(self)


class AffineDwNotStored(solutions.Affine):
    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        dW = np.dot(self.x.T, dout)  # noqa: F841 (the bug: a local, not self.dW)
        self.db = np.sum(dout, axis=0)
        return dx.reshape(*self.original_x_shape)


# --------------------------------------------------------------------------- SoftmaxWithLoss


class SoftmaxMissingN(solutions.SoftmaxWithLoss):
    def backward(self, dout=1):
        batch_size = self.t.shape[0]
        if self.t.size == self.y.size:
            dx = self.y - self.t
        else:
            dx = self.y.copy()
            dx[np.arange(batch_size), self.t] -= 1
        return dx


class SoftmaxMissingLabels(solutions.SoftmaxWithLoss):
    def backward(self, dout=1):
        batch_size = self.t.shape[0]
        if self.t.size == self.y.size:
            dx = (self.y - self.t) / batch_size
        else:
            dx = self.y.copy() / batch_size
        return dx


class SoftmaxOneHotOnly(solutions.SoftmaxWithLoss):
    def backward(self, dout=1):  # the book's formula, for one-hot targets only
        batch_size = self.t.shape[0]
        dx = (self.y - self.t) / batch_size
        return dx


class SoftmaxLabelsOnly(solutions.SoftmaxWithLoss):
    def backward(self, dout=1):  # for label targets only: one-hot rows are no indices
        batch_size = self.t.shape[0]
        dx = self.y.copy()
        dx[np.arange(batch_size), self.t] -= 1
        return dx / batch_size


class SoftmaxSign(solutions.SoftmaxWithLoss):
    def backward(self, dout=1):
        batch_size = self.t.shape[0]
        t = self.t if self.t.size == self.y.size else np.eye(self.y.shape[1])[self.t]
        dx = (t - self.y) / batch_size
        return dx


class SoftmaxLossNoMinus(solutions.SoftmaxWithLoss):  # study notes
    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        batch_size = x.shape[0]
        t_onehot = t if t.size == self.y.size else np.eye(self.y.shape[1])[t]
        self.loss = np.sum(t_onehot * np.log(self.y + 1e-7)) / batch_size
        return self.loss


class SoftmaxLossLogOfSum(solutions.SoftmaxWithLoss):  # study notes
    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        batch_size = x.shape[0]
        t_onehot = t if t.size == self.y.size else np.eye(self.y.shape[1])[t]
        self.loss = np.log(np.sum(self.y * t_onehot) + 1e-7) / batch_size
        return self.loss


# --------------------------------------------------------------------------- TwoLayerNet
# Bugs in the walk itself are written out; bugs in what comes after it start from the
# reference's walk (super().gradient), so each class shows only its mistake.


def _grads(net):
    return {"W1": net.layers["Affine1"].dW, "b1": net.layers["Affine1"].db,
            "W2": net.layers["Affine2"].dW, "b2": net.layers["Affine2"].db}


class NetForwardOrder(solutions.TwoLayerNet):
    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.lastLayer.backward(1)
        for layer in self.layers.values():
            dout = layer.backward(dout)
        return _grads(self)


class NetNoForward(solutions.TwoLayerNet):
    def gradient(self, x, t):
        dout = self.lastLayer.backward(1)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)
        return _grads(self)


class NetPredictNotLoss(solutions.TwoLayerNet):
    def gradient(self, x, t):
        self.predict(x)  # the scores, but the loss layer never sees them (nor t)
        dout = self.lastLayer.backward(1)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)
        return _grads(self)


class AffineSgdStep(solutions.Affine):
    def backward(self, dout):
        dx = super().backward(dout)
        self.W -= 0.1 * self.dW  # "while we are at it": the update belongs to the loop
        self.b -= 0.1 * self.db
        return dx


class NetForwardOnce(solutions.TwoLayerNet):
    def gradient(self, x, t):
        if self.lastLayer.y is None:  # the forward pass on the first call only
            self.loss(x, t)
        dout = self.lastLayer.backward(1)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)
        return _grads(self)


class NetReadsOwnAttribute(solutions.TwoLayerNet):
    def gradient(self, x, t):  # right with layers that also keep a grads dict, as some do
        self.loss(x, t)
        dout = self.lastLayer.backward(1)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)
        one, two = self.layers["Affine1"].grads, self.layers["Affine2"].grads
        return {"W1": one["W"], "b1": one["b"], "W2": two["W"], "b2": two["b"]}


class NetGradsBeforeTheWalk(solutions.TwoLayerNet):
    def gradient(self, x, t):
        grads = _grads(self)  # the bug: the layers' dW and db as they are before the walk
        self.loss(x, t)
        dout = self.lastLayer.backward(1)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)
        return grads


class NetWalksTheNotebooksNet(solutions.TwoLayerNet):
    def gradient(self, x, t):  # right in the notebook, whose visible check calls net.gradient
        self.loss(x, t)
        dout = self.lastLayer.backward(1)
        for layer in reversed(list(net.layers.values())):  # noqa: F821 (the bug: not self)
            dout = layer.backward(dout)
        return _grads(self)


class NetSkipsLastLayer(solutions.TwoLayerNet):
    def gradient(self, x, t):
        self.loss(x, t)
        dout = 1
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)
        return _grads(self)


class NetMissingReturn(solutions.TwoLayerNet):
    def gradient(self, x, t):
        grads = super().gradient(x, t)  # noqa: F841 (the bug: no return)


class NetWAndBSwapped(solutions.TwoLayerNet):
    def gradient(self, x, t):
        right = super().gradient(x, t)
        return {"W1": right["b1"], "b1": right["W1"], "W2": right["b2"], "b2": right["W2"]}


class NetLayersSwapped(solutions.TwoLayerNet):
    def gradient(self, x, t):
        right = super().gradient(x, t)
        return {"W1": right["W2"], "b1": right["b2"], "W2": right["W1"], "b2": right["b1"]}


class NetSign(solutions.TwoLayerNet):
    def gradient(self, x, t):
        # "we go downhill", so the minus goes in here
        return {key: -grad for key, grad in super().gradient(x, t).items()}


class NetAveragedAgain(solutions.TwoLayerNet):
    def gradient(self, x, t):
        batch_size = x.shape[0]
        return {key: grad / batch_size for key, grad in super().gradient(x, t).items()}


class NetSummedLoss(solutions.TwoLayerNet):
    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.lastLayer.backward(dout=x.shape[0])  # the gradient of the total loss
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)
        return _grads(self)


class NetUpdatesParams(solutions.TwoLayerNet):
    def gradient(self, x, t):
        grads = super().gradient(x, t)
        for key in ("W1", "b1", "W2", "b2"):
            self.params[key] -= 0.1 * grads[key]  # one SGD step, "while we are at it"
        return grads


class NetLayersHoldCopies(solutions.TwoLayerNet):
    """The layers get copies of the parameters (``np.array(...)`` copies by default)."""

    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        super().__init__(input_size, hidden_size, output_size, weight_init_std)
        self.layers = OrderedDict()
        self.layers["Affine1"] = solutions.Affine(np.array(self.params["W1"]),
                                                  np.array(self.params["b1"]))
        self.layers["Relu1"] = solutions.Relu()
        self.layers["Affine2"] = solutions.Affine(np.array(self.params["W2"]),
                                                  np.array(self.params["b2"]))


# ------------------------------------------------- state kept from an earlier call
# Right on a new layer's first pass, which is all most checks ask; wrong on every later
# one, as in training (autograder.checks.layer_pass.expect_no_carry_over).


class MulSumsGradients(solutions.MulLayer):
    def backward(self, dout):  # "gradients add up where a value branches"
        self.dx_total = getattr(self, "dx_total", 0) + dout * self.y
        return self.dx_total, dout * self.x


class ReluMaskOfFirstCall(solutions.Relu):
    def backward(self, dout):
        if getattr(self, "first_mask", None) is None:
            self.first_mask = self.mask
        dx = dout.copy()
        dx[self.first_mask] = 0
        return dx


class SigmoidDerivativeOnce(solutions.Sigmoid):
    def backward(self, dout):  # the derivative computed once, "to save time"
        if getattr(self, "local", None) is None:
            self.local = self.out * (1.0 - self.out)
        return dout * self.local


class AffineSumsGradients(solutions.Affine):
    def backward(self, dout):  # PyTorch's habit: gradients add up until zeroed
        if self.dW is None:
            self.dW, self.db = np.zeros_like(self.W), np.zeros_like(self.b)
        dx = np.dot(dout, self.W.T).reshape(self.original_x_shape)
        self.dW = self.dW + np.dot(self.x.T, dout)
        self.db = self.db + np.sum(dout, axis=0)
        return dx


class SoftmaxOneHotOfFirstCall(solutions.SoftmaxWithLoss):
    def backward(self, dout=1):
        if getattr(self, "one_hot", None) is None:
            labels = self.t if self.t.ndim == 1 else self.t.argmax(axis=1)
            self.one_hot = np.eye(self.y.shape[1])[labels]
        return dout * (self.y - self.one_hot) / self.y.shape[0]


class SoftmaxDividesByDout(solutions.SoftmaxWithLoss):
    def backward(self, dout=1):
        labels = self.t if self.t.ndim == 1 else self.t.argmax(axis=1)
        dx = self.y.copy()
        dx[np.arange(len(dx)), labels] -= 1
        return dx / len(dx) / dout


# --------------------------------------------------------------------------- the catalog

MUL, ADD, RELU, SIG = ("mul_layer_backward", "add_layer_backward", "relu_backward",
                       "sigmoid_backward")
AFF, SMX, NET = "affine_backward", "softmax_with_loss_backward", "two_layer_net_gradient"
MUL_ALL = ("test_apple_example", "test_backward_returns_pair", "test_backward_matches_numerical")
ADD_ALL = ("test_apple_orange_example", "test_backward_returns_pair",
           "test_backward_matches_numerical")
ADD_VALUES = ("test_apple_orange_example", "test_backward_matches_numerical")
RELU_VALUES = ("test_backward_matches_numerical", "test_backward_edge_inputs")
RELU_ALL = ("test_backward_shape",) + RELU_VALUES
SIG_VALUES = ("test_backward_matches_numerical", "test_backward_large_inputs")
AFF_ALL = ("test_backward_shapes", "test_backward_matches_numerical", "test_backward_nd_input",
           "test_backward_batch_of_one")
# A batch of one hides a mean (N = 1), but counts only once the ordinary check passed.
AFF_MEAN = ("test_backward_matches_numerical", "test_backward_nd_input",
            "test_backward_batch_of_one")
SMX_ALL = ("test_backward_shape", "test_backward_one_hot", "test_backward_labels",
           "test_backward_large_logits", "test_backward_batch_of_one")
SMX_VALUES = SMX_ALL[1:]
SMX_LABELS = ("test_backward_labels", "test_backward_large_logits", "test_backward_batch_of_one")
NET_ALL = ("test_gradient_returns_all_parameters", "test_gradient_matches_numerical",
           "test_gradient_fresh_forward", "test_gradient_leaves_parameters",
           "test_gradient_labels_and_one_hot")
NET_VALUES = ("test_gradient_matches_numerical", "test_gradient_fresh_forward",
              "test_gradient_labels_and_one_hot")

BUGS = [
    # State kept from an earlier call: the check on ordinary inputs fails, and with it the
    # special cases' points (autograder.rubric.NEEDS); a softmax keeps its one-hot checks.
    Bug("mul_sums_gradients", MulSumsGradients, MUL, ("test_backward_matches_numerical",),
        "layer_state_carried"),
    Bug("relu_mask_of_first_call", ReluMaskOfFirstCall, RELU, RELU_VALUES,
        "layer_state_carried"),
    Bug("sigmoid_derivative_once", SigmoidDerivativeOnce, SIG, SIG_VALUES,
        "layer_state_carried"),
    Bug("affine_sums_gradients", AffineSumsGradients, AFF, AFF_MEAN, "layer_state_carried"),
    Bug("softmax_one_hot_of_first_call", SoftmaxOneHotOfFirstCall, SMX,
        ("test_backward_labels",), "layer_state_carried"),
    # dout is 1 for the last layer, so dividing by it passes every check that passes 1.
    Bug("softmax_divides_by_dout", SoftmaxDividesByDout, SMX, ("test_backward_labels",),
        "softmax_dout_misused"),
    # MulLayer
    Bug("mul_not_swapped", MulNotSwapped, MUL,
        ("test_apple_example", "test_backward_matches_numerical"), "mul_not_swapped"),
    Bug("mul_sign", MulSign, MUL, ("test_apple_example", "test_backward_matches_numerical"),
        "sign"),
    Bug("mul_forgot_dout", MulForgotDout, MUL,
        ("test_apple_example", "test_backward_matches_numerical"), "mul_forgot_dout"),
    Bug("mul_missing_return", MulMissingReturn, MUL, MUL_ALL, "returned_none"),
    Bug("mul_returns_one_value", MulOneValue, MUL, MUL_ALL, "not_pair"),
    # AddLayer
    Bug("add_missing_return", AddMissingReturn, ADD, ADD_ALL, "returned_none"),
    Bug("add_returns_one_value", AddOneValue, ADD, ADD_ALL, "not_pair"),
    Bug("add_splits_dout", AddSplitsDout, ADD, ADD_VALUES, "add_split_dout"),
    Bug("add_copied_from_mul", AddCopiedFromMul, ADD, ADD_ALL, "raised"),
    # Relu
    Bug("relu_forward_missing_return", ReluForwardNoReturn, RELU, RELU_VALUES,
        "returned_none"),
    Bug("relu_mask_inverted", ReluMaskInverted, RELU, RELU_VALUES, "relu_mask_inverted"),
    Bug("relu_times_mask", ReluTimesMask, RELU, RELU_VALUES, "relu_mask_inverted"),
    Bug("relu_mask_from_dout", ReluMaskFromDout, RELU, RELU_VALUES, "relu_mask_from_dout"),
    Bug("relu_forgot_dout", ReluForgotDout, RELU, RELU_VALUES, "relu_forgot_dout"),
    Bug("relu_unmasked", ReluUnmasked, RELU, RELU_VALUES, "relu_unmasked"),
    Bug("relu_reads_a_notebook_variable", ReluReadsANotebookVariable, RELU, RELU_ALL,
        "name_not_defined"),
    Bug("relu_zeros_like_mask", ReluZerosLikeMask, RELU, RELU_ALL, "not_float"),
    # Sigmoid
    Bug("sigmoid_forward_precedence", SigmoidForwardPrecedence, SIG, SIG_VALUES,
        "sigmoid_forward_precedence"),
    Bug("sigmoid_missing_one_minus_y", SigmoidMissingOneMinusY, SIG, SIG_VALUES,
        "sigmoid_missing_one_minus_y"),
    Bug("sigmoid_missing_y", SigmoidMissingY, SIG, SIG_VALUES, "sigmoid_missing_y"),
    Bug("sigmoid_forgot_dout", SigmoidForgotDout, SIG, SIG_VALUES, "sigmoid_forgot_dout"),
    Bug("sigmoid_uses_x", SigmoidUsesX, SIG, SIG_VALUES, "sigmoid_uses_x"),
    Bug("sigmoid_from_exp_overflows", SigmoidFromExp, SIG, ("test_backward_large_inputs",),
        "sigmoid_overflow"),
    # Affine
    Bug("affine_db_mean", AffineDbMean, AFF, AFF_MEAN, "affine_db_mean"),
    Bug("affine_db_not_summed", AffineDbNotSummed, AFF, AFF_ALL, "shape_not_summed"),
    Bug("affine_db_wrong_axis", AffineDbWrongAxis, AFF, AFF_ALL, "shape_wrong_axis"),
    Bug("affine_float32", AffineFloat32, AFF, AFF_ALL, "low_precision"),
    Bug("affine_dW_transposed", AffineDwTransposed, AFF, AFF_ALL, "shape_transposed"),
    Bug("affine_dW_averaged", AffineDwAveraged, AFF, AFF_MEAN, "factor_inverse_n"),
    Bug("affine_dx_not_reshaped", AffineDxNotReshaped, AFF, ("test_backward_nd_input",),
        "shape_not_reshaped"),
    Bug("affine_dx_W_not_transposed", AffineDxWNotTransposed, AFF, AFF_ALL, "raised"),
    Bug("affine_dW_not_stored", AffineDwNotStored, AFF, AFF_ALL,
        "attribute_not_set"),
    Bug("affine_dx_transposed", AffineDxTransposed, AFF, AFF_ALL, "shape_transposed_dx"),
    Bug("affine_db_keepdims", AffineDbKeepdims, AFF, AFF_ALL, "shape_keepdims"),
    Bug("affine_db_summed_over_every_axis", AffineDbSumAll, AFF, AFF_ALL, "shape_summed_all"),
    Bug("affine_dW_without_transpose", AffineDwNoTranspose, AFF, AFF_ALL,
        "affine_product_shapes"),
    Bug("affine_dW_elementwise", AffineDwElementwise, AFF, AFF_ALL,
        "affine_elementwise_product"),
    Bug("affine_sgd_step_in_backward", AffineSgdStep, AFF, AFF_ALL,
        "affine_changed_params"),
    # SoftmaxWithLoss
    Bug("softmax_missing_n", SoftmaxMissingN, SMX, SMX_VALUES, "softmax_missing_n"),
    Bug("softmax_missing_labels", SoftmaxMissingLabels, SMX, SMX_LABELS,
        "softmax_missing_labels"),
    Bug("softmax_one_hot_only", SoftmaxOneHotOnly, SMX,
        ("test_backward_shape",) + SMX_LABELS, "softmax_missing_labels"),
    Bug("softmax_labels_only", SoftmaxLabelsOnly, SMX,
        ("test_backward_one_hot", "test_backward_large_logits", "test_backward_batch_of_one"),
        "softmax_one_hot_as_labels"),
    Bug("softmax_sign", SoftmaxSign, SMX, SMX_VALUES, "sign"),
    Bug("softmax_loss_no_minus", SoftmaxLossNoMinus, SMX, SMX_ALL, "loss_negative"),
    Bug("softmax_loss_log_of_sum", SoftmaxLossLogOfSum, SMX, SMX_ALL, "loss_negative"),
    # TwoLayerNet
    Bug("net_forward_order", NetForwardOrder, NET, NET_ALL, "net_shape_error"),
    Bug("net_no_forward_pass", NetNoForward, NET, NET_ALL, "net_missing_forward"),
    Bug("net_predict_not_loss", NetPredictNotLoss, NET, NET_ALL, "net_missing_forward"),
    Bug("net_skips_last_layer", NetSkipsLastLayer, NET, NET_ALL, "net_missing_last_layer"),
    Bug("net_forward_on_first_call_only", NetForwardOnce, NET,
        ("test_gradient_fresh_forward",), text="on every call"),
    Bug("net_dout_not_passed_on", NetDoutNotPassedOn, NET, NET_ALL, "net_shape_error"),
    Bug("net_reads_own_attribute", NetReadsOwnAttribute, NET, NET_ALL,
        "net_reads_own_attribute"),
    Bug("net_missing_return", NetMissingReturn, NET, NET_ALL,
        "returned_none"),
    Bug("net_grads_read_before_the_walk", NetGradsBeforeTheWalk, NET, NET_ALL,
        "gradient_none"),
    Bug("net_walks_the_notebooks_net", NetWalksTheNotebooksNet, NET, NET_ALL,
        "name_not_defined"),
    Bug("net_W_and_b_swapped", NetWAndBSwapped, NET, NET_ALL, "shape_swapped_params"),
    Bug("net_layers_swapped", NetLayersSwapped, NET, NET_ALL, "shape_swapped_params"),
    Bug("net_sign", NetSign, NET, NET_VALUES, "sign"),
    Bug("net_averaged_again", NetAveragedAgain, NET, NET_VALUES, "factor_inverse_n"),
    Bug("net_gradient_of_summed_loss", NetSummedLoss, NET, NET_VALUES, "factor_n"),
    Bug("net_updates_params", NetUpdatesParams, NET, ("test_gradient_leaves_parameters",),
        "net_changed_params"),
    Bug("net_layers_hold_copies", NetLayersHoldCopies, NET, NET_ALL,
        "net_layers_hold_copies"),
]
