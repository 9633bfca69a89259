"""Do the hidden checks catch the mistakes students make, and charge them to the right part?

Each bug is the reference with one method replaced by a realistic wrong version. It must
cost points in its own part only, with a message that tells the student where to look and
gives nothing away (no hidden seeds, no grader internals, no reference code).
"""

import inspect
import re
from pathlib import Path

import numpy as np
import pytest

import solutions
from autograder.checks import conftest as hidden_checks

METHOD = {"TwoLayerNet": "gradient"}  # every other class: backward
# As the messages would show them: from the hidden checks' own list, so a change there is
# followed here.
HIDDEN_SEEDS = tuple(str(seed) for seed in hidden_checks.HIDDEN_SEEDS)


def bug(name, method):
    """A class named like the reference ``name`` whose backward (or gradient) is ``method``."""
    return type(name, (getattr(solutions, name),), {METHOD.get(name, "backward"): method})


# --------------------------------------------------------------------------- the bugs


def mul_no_swap(self, dout):
    return dout * self.x, dout * self.y


def mul_sign_error(self, dout):
    return -dout * self.y, -dout * self.x


def add_returns_dout_only(self, dout):
    return dout


def add_missing_return(self, dout):
    dx, dy = dout * 1, dout * 1  # noqa: F841 (the bug: no return)


def relu_mask_inverted(self, dout):
    dx = dout.copy()
    dx[~self.mask] = 0
    return dx


def relu_mask_from_dout(self, dout):
    dx = dout.copy()
    dx[dout <= 0] = 0
    return dx


def sigmoid_missing_one_minus_y(self, dout):
    return dout * self.out


def sigmoid_only_one_minus_y(self, dout):
    return dout * (1 - self.out)


def affine_db_mean(self, dout):
    self.dW = self.x.T @ dout
    self.db = np.mean(dout, axis=0)
    return (dout @ self.W.T).reshape(self.original_x_shape)


def affine_dw_transposed(self, dout):
    self.dW = dout.T @ self.x
    self.db = dout.sum(axis=0)
    return (dout @ self.W.T).reshape(self.original_x_shape)


def affine_dx_not_reshaped(self, dout):
    self.dW = self.x.T @ dout
    self.db = dout.sum(axis=0)
    return dout @ self.W.T


def _one_hot(layer):
    return layer.t if layer.t.size == layer.y.size else np.eye(layer.y.shape[1])[layer.t]


def softmax_missing_batch_size(self, dout=1):
    return (self.y - _one_hot(self)) * dout


def softmax_ignores_labels(self, dout=1):
    batch_size = self.y.shape[0]
    if self.t.size == self.y.size:
        return (self.y - self.t) / batch_size * dout
    return self.y / batch_size * dout  # forgot to subtract 1 at the true class


def softmax_sign_error(self, dout=1):
    return (_one_hot(self) - self.y) / self.y.shape[0] * dout


def _collect(net):
    return {"W1": net.layers["Affine1"].dW, "b1": net.layers["Affine1"].db,
            "W2": net.layers["Affine2"].dW, "b2": net.layers["Affine2"].db}


def net_forward_order(self, x, t):
    self.loss(x, t)
    dout = self.lastLayer.backward(1)
    for layer in self.layers.values():
        dout = layer.backward(dout)
    return _collect(self)


def net_no_fresh_forward(self, x, t):
    dout = self.lastLayer.backward(1)
    for layer in reversed(list(self.layers.values())):
        dout = layer.backward(dout)
    return _collect(self)


def net_dw_db_swapped(self, x, t):
    grads = solutions.TwoLayerNet.gradient(self, x, t)
    return {"W1": grads["b1"], "b1": grads["W1"], "W2": grads["b2"], "b2": grads["W2"]}


def net_sign_error(self, x, t):
    grads = solutions.TwoLayerNet.gradient(self, x, t)
    return {key: -grad for key, grad in grads.items()}


# (the class, the part that must lose points, what each failure message must mention)
BUGS = [
    pytest.param(bug("MulLayer", mul_no_swap), "mul_layer_backward", "MulLayer.backward",
                 id="mul_no_swap"),
    pytest.param(bug("MulLayer", mul_sign_error), "mul_layer_backward", "MulLayer.backward",
                 id="mul_sign_error"),
    pytest.param(bug("AddLayer", add_returns_dout_only), "add_layer_backward",
                 "AddLayer.backward", id="add_returns_dout_only"),
    pytest.param(bug("AddLayer", add_missing_return), "add_layer_backward",
                 "AddLayer.backward returned None", id="add_missing_return"),
    pytest.param(bug("Relu", relu_mask_inverted), "relu_backward", "Relu.backward",
                 id="relu_mask_inverted"),
    pytest.param(bug("Relu", relu_mask_from_dout), "relu_backward", "Relu.backward",
                 id="relu_mask_from_dout"),
    pytest.param(bug("Sigmoid", sigmoid_missing_one_minus_y), "sigmoid_backward",
                 "Sigmoid.backward", id="sigmoid_missing_one_minus_y"),
    pytest.param(bug("Sigmoid", sigmoid_only_one_minus_y), "sigmoid_backward",
                 "Sigmoid.backward", id="sigmoid_only_one_minus_y"),
    pytest.param(bug("Affine", affine_db_mean), "affine_backward", "self.db",
                 id="affine_db_mean"),
    pytest.param(bug("Affine", affine_dw_transposed), "affine_backward", "self.dW",
                 id="affine_dW_transposed"),
    pytest.param(bug("Affine", affine_dx_not_reshaped), "affine_backward",
                 "Affine.backward's dx", id="affine_dx_not_reshaped"),
    pytest.param(bug("SoftmaxWithLoss", softmax_missing_batch_size),
                 "softmax_with_loss_backward", "SoftmaxWithLoss.backward",
                 id="softmax_missing_batch_size"),
    pytest.param(bug("SoftmaxWithLoss", softmax_ignores_labels), "softmax_with_loss_backward",
                 "SoftmaxWithLoss.backward", id="softmax_ignores_labels"),
    pytest.param(bug("SoftmaxWithLoss", softmax_sign_error), "softmax_with_loss_backward",
                 "SoftmaxWithLoss.backward", id="softmax_sign_error"),
    pytest.param(bug("TwoLayerNet", net_forward_order), "two_layer_net_gradient",
                 "TwoLayerNet.gradient", id="net_forward_order"),
    pytest.param(bug("TwoLayerNet", net_no_fresh_forward), "two_layer_net_gradient",
                 "TwoLayerNet.gradient", id="net_no_fresh_forward"),
    pytest.param(bug("TwoLayerNet", net_dw_db_swapped), "two_layer_net_gradient",
                 "TwoLayerNet.gradient's W1", id="net_dW_db_swapped"),
    pytest.param(bug("TwoLayerNet", net_sign_error), "two_layer_net_gradient",
                 "TwoLayerNet.gradient", id="net_sign_error"),
]


def _messages(results):
    return [check.message for result in results.values() for check in result.checks
            if not check.passed]


@pytest.mark.parametrize(("buggy", "part_id", "mentions"), BUGS)
def test_bug_costs_points_in_its_part(grade_gradient_parts, buggy, part_id, mentions):
    """Does the bug lose points in its own part? (That no other part is charged for it is
    tested once per class, in tests/test_bug_catalog.py.)"""
    results = grade_gradient_parts([part_id], **{buggy.__name__: buggy})
    assert results[part_id].score < results[part_id].max_score


@pytest.mark.parametrize(("buggy", "part_id", "mentions"), BUGS)
def test_failure_message_points_at_the_method(grade_gradient_parts, buggy, part_id, mentions):
    """Does every failed check say, in a sentence, which method or attribute is wrong?"""
    results = grade_gradient_parts([part_id], **{buggy.__name__: buggy})
    failed = [check for check in results[part_id].checks if not check.passed]
    assert failed
    for check in failed:
        assert mentions in check.message
        assert len(check.message.split()) >= 6 and check.message.endswith((".", "?", ")"))


@pytest.mark.parametrize(("buggy", "part_id", "mentions"), BUGS)
def test_messages_hide_seeds_and_grader_internals(grade_gradient_parts, buggy, part_id,
                                                  mentions):
    """Is every message free of the hidden seeds and of pytest's `assert` output?"""
    for message in _messages(grade_gradient_parts([part_id], **{buggy.__name__: buggy})):
        assert not any(seed in message for seed in HIDDEN_SEEDS), message
        assert "assert" not in message.lower(), message


def _solution_lines():
    """The stripped lines between ### BEGIN SOLUTION and ### END SOLUTION in solutions/."""
    lines = set()
    for path in Path(solutions.__file__).parent.glob("*.py"):
        for region in re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION",
                                 path.read_text(), flags=re.DOTALL):
            lines.update(line.strip() for line in region.splitlines() if line.strip())
    return lines


# The TwoLayerNet checks run the trusted layers: an error raised inside one of them must
# point at the student's line, never quote the reference's (net_forward_order does that).
NO_QUOTE_CASES = BUGS


def test_solution_regions_are_found():
    """Does the reference hold the solution lines the next test looks for?"""
    assert "dx = np.dot(dout, self.W.T).reshape(self.original_x_shape)" in _solution_lines()


@pytest.mark.parametrize(("buggy", "part_id", "mentions"), NO_QUOTE_CASES)
def test_messages_never_quote_the_reference(grade_gradient_parts, buggy, part_id, mentions):
    """Does no message show a line of the reference solution to the student?

    A line the student wrote too (``dout = layer.backward(dout)``, say) may be quoted: it
    is theirs. Any other reference line may not.
    """
    own = {line.strip() for func in vars(buggy).values() if inspect.isfunction(func)
           for line in inspect.getsource(func).splitlines()}
    solution = _solution_lines() - own
    for message in _messages(grade_gradient_parts([part_id], **{buggy.__name__: buggy})):
        quoted = [line for line in solution if line in message]
        assert not quoted, message
