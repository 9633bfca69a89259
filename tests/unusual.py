"""Correct submissions written in ways the reference is not, as notebooks: each deserves
every point. Graded in the sandbox by tests/test_unusual_submissions.py, where the values
cross from the worker to the grader and the network runs on the grader's stand-in layers.
The catalog's correct variants (tests/catalog/variants.py), which tests/test_bug_catalog.py
grades in-process, are among them, each in its answer cell (see :func:`from_variant`).
"""

import copy
import inspect
import textwrap

import nbformat
from catalog.variants import VARIANTS
from hostile import GRADIENT_BY_TYPE, Case

import solutions
from selfcheck.assignment import PARTS

ZERO_D_MUL = '''
class MulLayer(MulLayerForward):
    def backward(self, dout):
        dx = np.array(dout * self.y)  # a 0-d array for scalar inputs
        dy = np.array(dout * self.x)
        return dx, dy
'''

ZERO_D_ADD = '''
class AddLayer(AddLayerForward):
    def backward(self, dout):
        return np.copy(dout), np.asarray(dout)  # 0-d arrays for scalar inputs
'''

SQUEEZED_LOSS = '''
class SoftmaxWithLoss(SoftmaxWithLossForward):
    def forward(self, x, t):
        self.t = t
        self.y = softmax(x)
        n = x.shape[0]
        labels = t if t.ndim == 1 else t.argmax(axis=1)
        log_likelihood = np.log(self.y[np.arange(n), labels] + 1e-7)
        self.loss = np.squeeze(-log_likelihood.sum(keepdims=True) / n)  # a 0-d array
        return self.loss

    def backward(self, dout=1):
        n = self.y.shape[0]
        labels = self.t if self.t.ndim == 1 else self.t.argmax(axis=1)
        dx = self.y.copy()
        dx[np.arange(n), labels] -= 1
        return dout * dx / n
'''

# The reference's gradient, with ``{before}`` its first lines and ``{dout}`` the loss
# layer's upstream gradient.
NET = """
class TwoLayerNet(TwoLayerNetBase):
    def gradient(self, x, t):
{before}        self.loss(x, t)
        dout = self.lastLayer.backward({dout})
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)
        one, two = self.layers["Affine1"], self.layers["Affine2"]
        return dict(W1=one.dW, b1=one.db, W2=two.dW, b2=two.db)
"""
NET_ZERO_D_DOUT = NET.format(before="", dout="np.array(1.0)")
NET_INTEGER_ONE_HOT = NET.format(dout="1", before="""\
        if t.ndim == 1:  # always one-hot, as integers
            t = np.eye(self.params["b2"].shape[0], dtype=int)[t]
""")

NET_SAMPLE_BY_SAMPLE = '''
class TwoLayerNet(TwoLayerNetBase):
    def gradient(self, x, t):
        n = x.shape[0]
        grads = {key: np.zeros_like(value) for key, value in self.params.items()}
        for i in range(n):  # one sample at a time, averaged: the batch's gradient
            self.loss(x[i:i + 1], t[i:i + 1])
            dout = self.lastLayer.backward(1)
            for layer in reversed(list(self.layers.values())):
                dout = layer.backward(dout)
            for k in (1, 2):
                grads[f"W{k}"] += self.layers[f"Affine{k}"].dW / n
                grads[f"b{k}"] += self.layers[f"Affine{k}"].db / n
        return grads
'''

NET_LOGS_THE_LAST_LOSS = NET.format(dout="1", before="""\
        if self.lastLayer.loss is not None:  # None before the first pass, as in the book
            self.losses = getattr(self, "losses", []) + [float(self.lastLayer.loss)]
""")

# Layers picked by their exact class, as the red team's answer did (it scored 0 of 40:
# the stand-ins were subclasses of the student's classes). At home every layer is of its
# class itself; in the checks the stand-ins must be too.
NET_AFFINE_BY_TYPE = """
class TwoLayerNet(TwoLayerNetBase):
    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.lastLayer.backward(1)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)
        grads, i = {}, 1
        for layer in self.layers.values():
            if type(layer) == Affine:
                grads["W"+str(i)], grads["b"+str(i)] = layer.dW, layer.db; i += 1
        return grads
"""

# An Affine that may not be subclassed (its __init_subclass__ raises), and a Relu with a
# __getattr__ of its own: the stand-ins are of these classes themselves, so even
# isinstance found no Affine when they were subclasses.
AFFINE_FINAL = '''
class Affine(AffineForward):
    def __init_subclass__(cls, **kwargs):
        raise TypeError("Affine is not meant to be subclassed")

    def backward(self, dout):
        dx = np.dot(dout, self.W.T).reshape(self.original_x_shape)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        return dx
'''

RELU_WITH_GETATTR = '''
class Relu(ReluForward):
    def __getattr__(self, name):
        raise AttributeError(f"Relu has no {name!r}: did forward run?")

    def backward(self, dout):
        dx = dout.copy()
        dx[self.mask] = 0
        return dx
'''

NET_AFFINE_BY_ISINSTANCE = NET_AFFINE_BY_TYPE.replace("type(layer) == Affine",
                                                      "isinstance(layer, Affine)")


def _answered_in_a_copy_below(nb):
    """Relu's answer cell copied in JupyterLab (its metadata comes along), the copy above
    left as released (the stub) and the answer written in the one below."""
    index = next(i for i, cell in enumerate(nb.cells)
                 if cell.metadata.get("nbgrader", {}).get("grade_id") == "relu_code")
    stub = nbformat.from_dict(copy.deepcopy(dict(nb.cells[index])))
    stub.id = "relu-code-copy"
    stub.source = "class Relu(ReluForward):\n    def backward(self, dout):\n" \
                  "        raise NotImplementedError('Relu.backward is not written yet')\n"
    nb.cells.insert(index, stub)


# A continuation line that starts as IPython's shell escape does (IPython too reads it as
# Python).
RELU_CONTINUED = """
class Relu(ReluForward):
    def backward(self, dout):
        keep = (self.mask
                != True)  # noqa: E712
        return dout * keep
"""

CASES = [
    Case("zero_d_arrays", 100, answers={"mul_layer_code": ZERO_D_MUL,
                                        "add_layer_code": ZERO_D_ADD}),
    Case("loss_as_a_0d_array", 100, answers={"softmax_with_loss_code": SQUEEZED_LOSS}),
    Case("net_dout_as_a_0d_array", 100, answers={"two_layer_net_code": NET_ZERO_D_DOUT}),
    Case("net_integer_one_hot", 100, answers={"two_layer_net_code": NET_INTEGER_ONE_HOT}),
    Case("net_sample_by_sample", 100, answers={"two_layer_net_code": NET_SAMPLE_BY_SAMPLE}),
    Case("net_logs_the_last_loss", 100, answers={"two_layer_net_code": NET_LOGS_THE_LAST_LOSS}),
    Case("continuation_line_like_a_shell_escape", 100, answers={"relu_code": RELU_CONTINUED}),
    Case("net_affine_by_type", 100, answers={"two_layer_net_code": NET_AFFINE_BY_TYPE}),
    Case("net_every_layer_by_type", 100,
         answers={"two_layer_net_code": GRADIENT_BY_TYPE,
                  "relu_code": RELU_WITH_GETATTR}),
    Case("net_final_affine_by_isinstance", 100,
         answers={"two_layer_net_code": NET_AFFINE_BY_ISINSTANCE, "affine_code": AFFINE_FINAL}),
    Case("answered_in_a_copy_below", 100, cells=_answered_in_a_copy_below),
    # Left from debugging: the given forward passes overflow (a warning) on the checks'
    # large inputs, which the student's own runs never met.
    Case("numpy_errors_raised", 100, append={"mul_layer_code": "np.seterr(all='raise')"}),
]


# Variants that call a method of the reference their notebook class does not inherit.
NOT_IN_A_NOTEBOOK = {"net_copied_gradients": "super().gradient: the reference's"}


def _writes_its_method(variant):
    """Whether the variant defines the method its part grades (some change only the
    forward pass, and take the reference's backward, which a notebook does not have)."""
    part = next(part for part in PARTS if part.cls == variant.replaces)
    return part.method in vars(variant.cls)


def from_variant(variant):
    """The catalog variant as a notebook's answer: its class, named as the assignment's,
    on the given class its answer cell builds on (``ReluForward``, ``TwoLayerNetBase``),
    with the reference's helpers (``solutions.cross_entropy_error``) as the notebook has
    them."""
    base = getattr(solutions, variant.replaces).__bases__[0].__name__
    source = textwrap.dedent(inspect.getsource(variant.cls))
    header = f"class {variant.cls.__name__}(solutions.{variant.replaces})"
    assert source.count(header) == 1, variant.id
    source = source.replace(header, f"class {variant.replaces}({base})")
    cell = next(part.cells.solution for part in PARTS if part.cls == variant.replaces)
    return Case(f"variant_{variant.id}", 100, answers={cell: source.replace("solutions.", "")})


CASES += [from_variant(variant) for variant in VARIANTS
          if _writes_its_method(variant) and variant.id not in NOT_IN_A_NOTEBOOK]
