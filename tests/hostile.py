"""Hostile and broken submissions, as notebooks, with the score each one deserves.

Each :class:`Case` starts from the reference answers (100 points), optionally with the
classic inverted ReLU mask (92 points: Relu.backward keeps only its 2 shape points), and
adds its cheat or its breakage. A cheat must earn exactly what the same code earns without
it; a breakage costs only the part it breaks. Used by tests/test_hostile_submissions.py
(the one command) and tests/test_nbgrader_pipeline.py (nbgrader autograde).
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

import autograder
import solutions
from autograder.authoring import build_notebook
from autograder.demo.sample_class import reference_answers

REPO = Path(autograder.__file__).resolve().parents[1]
CHECKS = REPO / "autograder" / "checks"
SOLUTIONS = Path(solutions.__file__).resolve().parent
SOURCE_NOTEBOOK = REPO / "assignments" / "backprop" / "backprop.ipynb"
# Files a cheat tries to write; none may exist after grading.
PLANTED = ("/tmp/backprop-pwned.txt", str(REPO / "pwned.txt"), str(Path.home() / "pwned.txt"))

CORRECT_MASK = "dx[self.mask] = 0"
INVERTED_MASK = "dx[~self.mask] = 0"


@dataclass
class Case:
    id: str
    score: float  # what it deserves
    says: str = ""  # text the student's results must contain
    wrong_relu: bool = False  # start from the inverted mask (honest score 92)
    append: dict = field(default_factory=dict)  # grade_id -> code added after the answer
    replace: dict = field(default_factory=dict)  # grade_id -> (old, new) in the answer
    cells: object = None  # fn(nb) -> None, to edit, delete or duplicate cells
    raw: bytes | None = None  # the file's bytes instead of a notebook
    slow: bool = False  # waits for a time limit, or takes minutes: not in the batch tests
    answers: dict = field(default_factory=dict)  # grade_id -> the whole answer cell
    budget: float | None = None  # the submission's time budget, if not the default


def _cheat_allclose():
    return """
import numpy as np
np.allclose = lambda *args, **kwargs: True
np.testing.assert_allclose = lambda *args, **kwargs: None
np.array_equal = lambda *args, **kwargs: True
"""


def _cheat_ast_transformer():
    return """
import ast
class _NoAsserts(ast.NodeTransformer):
    def visit_Assert(self, node):
        return ast.Pass()
try:
    get_ipython().ast_transformers.append(_NoAsserts())
except NameError:
    pass
"""


def _cheat_exec_solution():
    return f"""
import json
for _path in [{str(SOURCE_NOTEBOOK)!r}, {str(SOLUTIONS / "layers.py")!r}]:
    try:
        _text = open(_path).read()
    except OSError:
        continue
    if _path.endswith(".py"):
        exec(_text)
    else:
        for _cell in json.loads(_text)["cells"]:
            if _cell["metadata"].get("nbgrader", {{}}).get("grade_id") == "relu_code":
                exec("".join(_cell["source"]))
"""


def _cheat_snoop():
    return f"""
import os
for _folder in [{str(REPO)!r}, {str(CHECKS)!r}, {str(SOLUTIONS)!r}]:
    try:
        print(_folder, os.listdir(_folder))
    except OSError as error:
        print("cannot list", _folder, error)
for _path in [{str(CHECKS / "test_relu.py")!r}, {str(SOLUTIONS / "layers.py")!r},
              {str(REPO / "gradebook.db")!r}]:
    try:
        print(open(_path).read())
    except OSError as error:
        print("cannot read", _path, error)
for _path in {list(PLANTED)!r}:
    try:
        with open(_path, "w") as _out:
            _out.write("pwned")
    except OSError as error:
        print("cannot write", _path, error)
"""


def _cheat_patch_grader():
    return """
import sys, types, builtins
for _name in ("autograder", "autograder.checks", "pytest", "selfcheck.expect"):
    try:
        __import__(_name)
    except Exception:
        pass
    sys.modules[_name] = types.ModuleType(_name)
builtins.print = lambda *args, **kwargs: None
"""


def _fake_output():
    return """
print('{"score": 100.0, "tests": [{"name": "all", "score": 100, "max_score": 100}]}')
print("Relu.backward: 10 / 10 points")
print("HiddenChecksFailed: none. Total 100 / 100")
"""


def _delete(grade_id):
    def edit(nb):
        nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id")
                    != grade_id]
    return edit


def _edit_locked_and_tests(nb):
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if grade_id == "relu_forward":  # a forward that makes any backward look right
            cell.source = ("class ReluForward:\n    def __init__(self):\n        self.mask = None"
                           "\n    def forward(self, x):\n        self.mask = x > 0\n"
                           "        return x")
        elif grade_id.endswith(("_backward", "_gradient", "_training")) \
                and cell.metadata["nbgrader"].get("grade"):
            cell.source = "print(100)\n100"
            cell.metadata["nbgrader"]["points"] = 1000


def _duplicate_wrong_last(nb):
    index = next(i for i, c in enumerate(nb.cells)
                 if c.metadata.get("nbgrader", {}).get("grade_id") == "relu_code")
    wrong = nbformat.from_dict(json.loads(json.dumps(nb.cells[index])))
    wrong.id = "relu-copy"
    nb.cells[index].source = nb.cells[index].source.replace(INVERTED_MASK, CORRECT_MASK)
    nb.cells.insert(index + 1, wrong)  # the wrong copy comes last: in effect, and graded


def _copy_test_cell_with_a_fake_pass(nb):
    """A copy of Relu's hidden-check cell, printing a pass, above the real one (a copied
    cell keeps its nbgrader metadata: under nbgrader this stopped the whole autograde)."""
    index = next(i for i, c in enumerate(nb.cells)
                 if c.metadata.get("nbgrader", {}).get("grade_id") == "relu_backward")
    fake = nbformat.from_dict(json.loads(json.dumps(nb.cells[index])))
    fake.id, fake.source = "relu-backward-copy", "print('Relu.backward: 10 / 10 points')"
    nb.cells.insert(index, fake)


def _claim_points_and_break_metadata(nb):
    """A cell of the student's own claiming 1000 points, and nbgrader metadata that
    nbgrader's own checks refuse: empty, not a dict, an unknown id, an old schema."""
    bonus = nbformat.v4.new_code_cell("print(1000)\n1000")
    bonus.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": False,
                                  "grade_id": "bonus", "points": 1000, "schema_version": 3}
    broken = [{}, "graded", {"grade_id": 5, "grade": True}, {"grade_id": "relu_forward"},
              {"grade": False, "solution": True, "locked": False, "grade_id": "my notes",
               "schema_version": 1}]
    cells = [bonus] + [nbformat.v4.new_code_cell(f"note_{i} = {i}") for i in range(5)]
    for cell, metadata in zip(cells[1:], broken, strict=True):
        cell.metadata["nbgrader"] = metadata
    nb.cells[3:3] = cells


def _other_assignment():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("print('hello')", metadata={"nbgrader": {
        "grade_id": "q1", "solution": True, "grade": False, "locked": False,
        "schema_version": 3}})]
    return nbformat.writes(nb).encode()


RELU_BACKWARD = "dx = dout.copy()  # a copy, so the caller's dout is left as it was"

# -- the worker is the student's: cheats that use its own code ------------------------------
# An answer cell runs inside the worker's op_exec: its frames lead to the Worker object,
# and sys.modules["__main__"] is worker.py itself.
FIND_WORKER = """
import gc, os, sys, time
import numpy as np
def _find_worker():
    frame = sys._getframe()
    while frame is not None:
        if type(frame.f_locals.get("self")).__name__ == "Worker":
            return frame.f_locals["self"]
        frame = frame.f_back
_worker = _find_worker()
_main = sys.modules["__main__"]
"""


# _bomb(n): ~n bytes of JSON, nested empty lists 28 deep (each ~60 bytes once parsed).
LIST_BOMB = """
import json
def _bomb(nbytes, depth=28):
    block = []
    for _ in range(depth - 1):
        block = [block]
    return [block] * max(1, nbytes // (2 * depth + 1))
"""


def _oracle_layer(name, base, kind):
    """A layer whose passes the grader's own stand-in machinery computes: a StandIn of the
    worker's serves it (and keeps dW and db on it), with the id of any stand-in the grader
    placed borrowed."""
    return f"""
class {name}({base}):
    def forward(self, *args):
        self._args = args
        return super().forward(*args)

    def backward(self, *args):
        placed = [o for o in gc.get_objects() if isinstance(o, _main.StandIn)]
        stub = placed[0].stub if placed else 1
        oracle = _main.StandIn(_worker, "{kind}", stub, self)
        oracle.forward(*self._args)
        return oracle.backward(*args)
"""


def _oracle_answers(gradient_too):
    answers = {
        "relu_code": FIND_WORKER + _oracle_layer("Relu", "ReluForward", "Relu"),
        "sigmoid_code": FIND_WORKER + _oracle_layer("Sigmoid", "SigmoidForward", "Sigmoid"),
        "affine_code": FIND_WORKER + _oracle_layer("Affine", "AffineForward", "Affine"),
        "softmax_with_loss_code": FIND_WORKER + _oracle_layer(
            "SoftmaxWithLoss", "SoftmaxWithLossForward", "SoftmaxWithLoss"),
    }
    if gradient_too:  # the network's gradient asked of unplaced stand-ins
        answers["two_layer_net_code"] = FIND_WORKER + """
class TwoLayerNet(TwoLayerNetBase):
    def gradient(self, x, t):
        grads = {}
        hidden = np.maximum(x @ self.params["W1"] + self.params["b1"], 0)
        for key, inputs in (("1", x), ("2", hidden)):
            oracle = _main.StandIn(_worker, "Affine", 10**6 + int(key),
                                   self.layers["Affine" + key])
            out = oracle.forward(inputs)
            oracle.backward(np.ones_like(out))
            grads["W" + key], grads["b" + key] = oracle.layer.dW, oracle.layer.db
        return grads
"""
    return answers


CLOSED_FORM_MNIST = FIND_WORKER + """
def _closed_form_training(self, net, params, batches, lr, dtype, data_dir):
    # No gradient anywhere: least squares on the top principal components.
    x = np.load(os.path.join(data_dir, "x_train.npy"))[:20000] / 255.0
    t = np.load(os.path.join(data_dir, "t_train.npy"))[:20000]
    basis = np.linalg.svd(x - x.mean(0), full_matrices=False)[2][:50].T
    hidden = np.maximum(x @ basis, 0)
    w2 = np.linalg.lstsq(hidden, np.eye(10)[t], rcond=None)[0]
    fit = {"W1": basis.astype(np.float32), "b1": np.zeros(50, np.float32),
           "W2": w2.astype(np.float32), "b2": np.zeros(10, np.float32)}
    self.states = [fit] * (len(batches) + 1)
    return [_main.network_driver.commitment(state) for state in self.states]
type(_worker).op_mnist_train = _closed_form_training
"""

NUMERICAL_ANSWERS = {
    "relu_code": """
class Relu(ReluForward):
    def forward(self, x):
        self.x = x.copy()
        return super().forward(x)

    def backward(self, dout):  # central differences of the given forward
        h = 1e-5
        high = ReluForward().forward(self.x + h)
        return dout * (high - ReluForward().forward(self.x - h)) / (2 * h)
""",
    "sigmoid_code": """
class Sigmoid(SigmoidForward):
    def forward(self, x):
        self.x = x.copy()
        return super().forward(x)

    def backward(self, dout):
        h = 1e-5
        high = SigmoidForward().forward(self.x + h)
        return dout * (high - SigmoidForward().forward(self.x - h)) / (2 * h)
""",
    "affine_code": """
class Affine(AffineForward):
    def backward(self, dout):
        def loss(_):
            return np.sum((self.x @ self.W + self.b) * dout)
        self.dW = numerical_gradient(loss, self.W)
        self.db = numerical_gradient(loss, self.b)
        x = self.x.copy()
        dx = numerical_gradient(lambda _: np.sum((x @ self.W + self.b) * dout), x)
        return dx.reshape(self.original_x_shape)
""",
    "softmax_with_loss_code": """
class SoftmaxWithLoss(SoftmaxWithLossForward):
    def forward(self, x, t):
        self.x = x.copy()
        return super().forward(x, t)

    def backward(self, dout=1):
        x = self.x.copy()
        loss = SoftmaxWithLossForward()
        return dout * numerical_gradient(lambda _: loss.forward(x, self.t), x)
""",
    "two_layer_net_code": """
class TwoLayerNet(TwoLayerNetBase):
    def gradient(self, x, t):  # the notebook's own numerical gradient
        return self.numerical_gradient(x, t)
""",
}

BOOK_SIGNATURE_NET = """
class TwoLayerNet(TwoLayerNet):
    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01):
        # the book's constructor, word for word: no dtype argument
        self.params = {}
        self.params["W1"] = weight_init_std * np.random.randn(input_size, hidden_size)
        self.params["b1"] = np.zeros(hidden_size)
        self.params["W2"] = weight_init_std * np.random.randn(hidden_size, output_size)
        self.params["b2"] = np.zeros(output_size)
        self.layers = OrderedDict()
        self.layers["Affine1"] = Affine(self.params["W1"], self.params["b1"])
        self.layers["Relu1"] = Relu()
        self.layers["Affine2"] = Affine(self.params["W2"], self.params["b2"])
        self.lastLayer = SoftmaxWithLoss()
"""

CASES = [
    Case("reference", 100),
    Case("honest_wrong_relu", 92, "mask is inverted", wrong_relu=True),
    # -- cheats: each earns what the same wrong Relu earns honestly -----------------------
    Case("allclose_patched", 92, "mask is inverted", wrong_relu=True,
         append={"relu_code": _cheat_allclose()}),
    Case("ast_transformer", 92, "mask is inverted", wrong_relu=True,
         append={"relu_code": _cheat_ast_transformer()}),
    Case("exec_instructor_solution", 92, "mask is inverted", wrong_relu=True,
         append={"relu_code": _cheat_exec_solution()}),
    Case("snoop_and_plant_files", 92, "mask is inverted", wrong_relu=True,
         append={"relu_code": _cheat_snoop()}),
    Case("patch_grader_modules_and_builtins", 92, "mask is inverted", wrong_relu=True,
         append={"relu_code": _cheat_patch_grader()}),
    Case("fake_score_output", 92, "mask is inverted", wrong_relu=True,
         append={"relu_code": _fake_output(), "two_layer_net_code": _fake_output()}),
    Case("edited_locked_and_test_cells", 92, "mask is inverted", wrong_relu=True,
         cells=_edit_locked_and_tests),
    # -- ending the process ---------------------------------------------------------------
    Case("os_exit_in_backward", 90, "ended the process",
         replace={"relu_code": (RELU_BACKWARD, "import os; os._exit(0)")}),
    Case("os_exit_at_top_level", 95, "ended the process",
         append={"mul_layer_code": "import os\nos._exit(0)"}),
    Case("sys_exit_in_backward", 90, "raised SystemExit",
         replace={"relu_code": (RELU_BACKWARD, "import sys; sys.exit()")}),
    # As in Jupyter, the class defined above the raise stays defined: nothing is lost.
    Case("raise_system_exit_at_top_level", 100, "raised SystemExit",
         append={"mul_layer_code": "raise SystemExit(0)"}),
    Case("keyboard_interrupt_in_backward", 90, "raised KeyboardInterrupt",
         replace={"relu_code": (RELU_BACKWARD, "raise KeyboardInterrupt")}),
    # -- resources ------------------------------------------------------------------------
    Case("infinite_loop_in_backward", 90, "did not finish within",
         replace={"sigmoid_code": ("dx = dout * (1.0 - self.out) * self.out",
                                   "while True:\n            pass")}, slow=True),
    Case("infinite_loop_at_top_level", 95, "did not finish within",
         append={"add_layer_code": "while True:\n    pass"}, slow=True),
    Case("memory_bomb", 85, "MemoryError",
         replace={"affine_code": ("dx = np.dot(dout, self.W.T)",
                                  "hog = np.ones((200_000, 100_000))  # 160 GB\n"
                                  "        dx = np.dot(dout, self.W.T)")}),
    Case("fork_bomb", 95, "cell 'mul_layer_code'",
         append={"mul_layer_code": "import os\nwhile True:\n    try:\n        os.fork()\n"
                                   "    except OSError:\n        pass"}, slow=True),
    Case("recursion_bomb", 90, "RecursionError",
         replace={"relu_code": (RELU_BACKWARD, "return self.backward(dout)")}),
    Case("deep_recursion_crash", 90, "Relu.backward",
         replace={"relu_code": (RELU_BACKWARD,
                                "import sys; sys.setrecursionlimit(10**8)\n"
                                "        def down(n):\n            return down(n + 1) + 1\n"
                                "        down(0)")}),
    Case("prints_100_MB", 100, "",
         append={"mul_layer_code": "import sys\nsys.stdout.write('x' * 100_000_000)"}),
    # -- broken notebooks -----------------------------------------------------------------
    Case("answer_cell_deleted", 90, "no cell 'relu_code'", cells=_delete("relu_code")),
    Case("test_and_given_cells_deleted", 100, "",
         cells=lambda nb: [_delete(g)(nb) for g in ("relu_backward", "setup", "train")]),
    Case("answer_cell_duplicated", 92, "more than once", wrong_relu=True,
         cells=_duplicate_wrong_last),
    Case("test_cell_copied_with_a_fake_pass", 92, "mask is inverted", wrong_relu=True,
         cells=_copy_test_cell_with_a_fake_pass),
    Case("points_claimed_and_metadata_broken", 100, cells=_claim_points_and_break_metadata),
    Case("syntax_error", 90, "SyntaxError",
         replace={"relu_code": (RELU_BACKWARD, "dx = dout.copy(")}),
    Case("corrupt_json", 0, "could not be read as a Jupyter notebook",
         raw=b'{"cells": [{"cell_type": "code", "source": "pri'),
    Case("not_a_notebook", 0, "could not be read as a Jupyter notebook",
         raw=b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40),
    Case("other_assignment", 0, "not the backprop assignment", raw=_other_assignment()),
]


# Correct gradients written otherwise: layers found by class, keyword arguments, the
# softmax output read off the last layer; and the matrix algebra without the layers.
GRADIENT_BY_KIND = """
class TwoLayerNet(TwoLayerNetBase):
    def gradient(self, x, t):
        self.loss(x, t)
        n = len(x)
        one_hot = t if t.ndim == 2 else np.eye(self.lastLayer.y.shape[1])[t]
        dout = (self.lastLayer.y - one_hot) / n
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout=dout)
        affine = [layer for layer in self.layers.values() if isinstance(layer, Affine)]
        return {"W1": affine[0].dW, "b1": affine[0].db, "W2": affine[1].dW, "b2": affine[1].db}
"""

# ... and layers found by their exact class, as at home (the stand-ins are of the
# student's classes themselves).
GRADIENT_BY_TYPE = """
class TwoLayerNet(TwoLayerNetBase):
    def gradient(self, x, t):
        self.loss(x, t)
        if type(self.lastLayer) == SoftmaxWithLoss:
            dout = self.lastLayer.backward(1)
        affine = []
        for layer in reversed(list(self.layers.values())):
            if type(layer) is Relu or layer.__class__ is Affine:
                dout = layer.backward(dout)
            if layer.__class__ is Affine:
                affine.insert(0, layer)
        return {"W1": affine[0].dW, "b1": affine[0].db, "W2": affine[1].dW, "b2": affine[1].db}
"""

GRADIENT_BY_HAND = """
class TwoLayerNet(TwoLayerNetBase):
    def gradient(self, x, t):
        p = self.params
        pre = x @ p["W1"] + p["b1"]
        hidden = np.maximum(pre, 0)
        scores = hidden @ p["W2"] + p["b2"]
        y = np.exp(scores - scores.max(axis=1, keepdims=True))
        y /= y.sum(axis=1, keepdims=True)
        one_hot = t if t.ndim == 2 else np.eye(y.shape[1])[t]
        dscores = (y - one_hot) / len(x)
        dhidden = (dscores @ p["W2"].T) * (pre > 0)
        return {"W1": x.T @ dhidden, "b1": dhidden.sum(axis=0),
                "W2": hidden.T @ dscores, "b2": dscores.sum(axis=0)}
"""


def _numerical(*grade_ids):
    return {grade_id: NUMERICAL_ANSWERS[grade_id] for grade_id in grade_ids}


# A numerical gradient that answers only the shapes the special-case checks ask (edge
# inputs, N-d input, batch of one), and a constant elsewhere: the check on ordinary inputs,
# which the gate keys on, fails, so the gate sees no evidence; the special cases once kept
# their points.
SPECIAL_CASE_SHAPES = {"relu_code": ("Relu", {(1, 6), (3, 4)}),
                       "sigmoid_code": ("Sigmoid", {(2, 4)}),
                       "affine_code": ("Affine", {(3, 2, 4), (2, 1, 3, 3), (1, 6)}),
                       "softmax_with_loss_code": ("SoftmaxWithLoss", {(5, 4), (1, 6)})}
ONLY_THERE = """
_Numerical{cls} = {cls}
class {cls}(_Numerical{cls}):
    def backward(self, *args, **kwargs):
        dx = super().backward(*args, **kwargs)
        return dx if np.shape(dx) in {shapes!r} else np.full(np.shape(dx), 0.123)
"""


def _numerical_where_special_cases_look():
    return {grade_id: NUMERICAL_ANSWERS[grade_id] + ONLY_THERE.format(cls=cls, shapes=shapes)
            for grade_id, (cls, shapes) in SPECIAL_CASE_SHAPES.items()}


# Complex-step differentiation of the given forward passes: exact (no subtraction), so it
# passes every probe of exactness, but it takes a pass per input column (Affine) or class
# (softmax), as finite differences do.
COMPLEX_STEP = {
    "affine_code": """
class Affine(AffineForward):
    def backward(self, dout):
        h, x, W, b = 1e-30, self.x, self.W, self.b
        dx, dW = np.empty(x.shape), np.empty(W.shape)
        for k in range(x.shape[1]):
            xk = x.astype(complex)
            xk[:, k] += 1j * h
            dx[:, k] = np.sum(AffineForward(W, b).forward(xk).imag / h * dout, axis=1)
            Wk = W.astype(complex)
            Wk[k, :] += 1j * h
            dW[k, :] = np.sum(AffineForward(Wk, b).forward(x).imag / h * dout, axis=0)
        self.dW = dW
        self.db = np.sum(AffineForward(W, b + 1j * h).forward(x).imag / h * dout, axis=0)
        return dx.reshape(self.original_x_shape)
""",
    "softmax_with_loss_code": """
def _row_losses(x, t):
    x = x - x.real.max(axis=-1, keepdims=True)
    labels = t.argmax(axis=1) if t.size == x.size else t
    return -(x[np.arange(len(x)), labels] - np.log(np.exp(x).sum(axis=-1))) / len(x)

class SoftmaxWithLoss(SoftmaxWithLossForward):
    def forward(self, x, t):
        self.x = x.copy()
        return super().forward(x, t)

    def backward(self, dout=1):
        h, dx = 1e-30, np.empty(self.x.shape)
        for k in range(self.x.shape[1]):
            xk = self.x.astype(complex)
            xk[:, k] += 1j * h
            dx[:, k] = _row_losses(xk, self.t).imag / h
        return dx * dout
"""}


JUNK_REPLIES = FIND_WORKER + """
_junk = iter([5, "x", None, (1, 2), {"found": True, "is_class": True, "value": 3},
              {"value": 1}, [[1]], {"net": 1, "shared": True}] * 10**6)
type(_worker)._answer = lambda self, request: {"value": next(_junk)}
"""

# In the first Relu.backward of each worker (the checks' or the early MNIST run's).
KILL_EVERY_PROCESS_ONCE = """import os, signal
        if not getattr(Relu, "killed", False):
            Relu.killed = True
            try:
                os.kill(-1, signal.SIGKILL)
            except OSError:
                pass
        """ + RELU_BACKWARD

DETACHED_SPINNER = """import os
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        while True:
            pass
    os._exit(0)"""

OOM_FIRST = """try:
    with open("/proc/self/oom_score_adj", "w") as adj:
        adj.write("0")
except OSError:
    pass
raise RuntimeError("oom_score_adj " + open("/proc/self/oom_score_adj").read().strip())"""

PROOF_STATE_ALTERED = FIND_WORKER + """
_states = type(_worker).op_mnist_states
def _altered(self, steps):
    sent = _states(self, steps)
    step = next(iter(sent))
    sent[step] = {key: value.copy() for key, value in sent[step].items()}
    sent[step]["W2"][0, 0] += 1e-3
    return sent
type(_worker).op_mnist_states = _altered
"""

DTYPE_RESPELLED = FIND_WORKER + """
import itertools
_spellings = {"<f8": ["f8", "float64", "d", "double", "=f8", "<d"],
              "|b1": ["?", "bool", "b1"], "<i8": ["i8", "int64", "=i8", "<q"]}
_turn = itertools.count()
_encode = _main.wire.encode
def _respell(node):
    if isinstance(node, dict):
        if node.get("dtype") in _spellings:
            choices = _spellings[node["dtype"]]
            node["dtype"] = choices[next(_turn) % len(choices)]
        for value in node.values():
            _respell(value)
    elif isinstance(node, list):
        for value in node:
            _respell(value)
def _respelled(value, to_handle=None):
    node, buffers = _encode(value, to_handle)
    _respell(node)
    return node, buffers
_main.wire.encode = _respelled
"""

POISONS_PRELOADED = """
import selfcheck, selfcheck.messages, selfcheck.numerics
selfcheck.numerics.relative_error = lambda *args, **kwargs: 0.0
selfcheck.numerics.GRADIENT_TOL = 1e9
selfcheck.messages.say = lambda *args, **kwargs: "all good"
"""

RAISES_PRIORITY = """
import os
for _who in (0, os.getppid(), 1):
    try:
        os.setpriority(os.PRIO_PROCESS, _who, -20)
    except OSError:
        pass
"""

CASES += [
    # -- no reference oracle: the grader's stand-ins answer only its own network requests --
    Case("oracle_layers", 50, "which compute only in the network the checks built",
         answers=_oracle_answers(False)),
    Case("oracle_everything", 10, "which compute only in the network the checks built",
         answers=_oracle_answers(True)),
    # -- the MNIST run is the grader's: a worker that fakes it gains nothing ----------------
    Case("closed_form_mnist", 80, "did not start from the parameters the grader set",
         append={"two_layer_net_code": CLOSED_FORM_MNIST}),
    # A run known to be the reference's sends a few states as proof (mnist_check.proof_steps):
    # one of them altered after its commitment, or none sent, fails the check.
    Case("proof_state_altered", 80, "did not report its run as the grader asked",
         append={"two_layer_net_code": PROOF_STATE_ALTERED}),
    Case("proof_states_withheld", 80, "did not report its run as the grader asked",
         append={"two_layer_net_code": FIND_WORKER
                 + "type(_worker).op_mnist_states = lambda self, steps: {}"}),
    # -- numerical differentiation is not backprop ------------------------------------------
    Case("numerical_relu", 90, "numerical differentiation", answers=_numerical("relu_code")),
    # ... and one that answers wrongly where the gate asks (its shape gives it away): once
    # the numerical check's points are earned, being wrong elsewhere is no excuse.
    Case("numerical_relu_hiding_from_the_gate", 90, "gives another gradient",
         answers={"relu_code": NUMERICAL_ANSWERS["relu_code"].replace(
             "        h = 1e-5\n", "        if self.x.shape == (4, 25):\n"
                                   "            return 0 * dout\n        h = 1e-5\n")}),
    Case("numerical_sigmoid", 90, "numerical differentiation",
         answers=_numerical("sigmoid_code")),
    Case("numerical_affine", 85, "numerical differentiation",
         answers=_numerical("affine_code")),
    Case("numerical_softmax", 85, "numerical differentiation",
         answers=_numerical("softmax_with_loss_code")),
    Case("numerical_network", 60,
         "on the book's layers, and its Affine.forward was asked for more than 4 passes",
         answers=_numerical("two_layer_net_code")),
    Case("numerical_everything", 10, "numerical differentiation",
         answers=_numerical(*NUMERICAL_ANSWERS)),
    # It keeps the shape checks' points (Relu 2, Sigmoid 2, Affine 3, softmax 2), as any
    # wrong backward of the right shape does; the special cases count only once the check
    # on ordinary inputs passed (autograder.rubric.NEEDS).
    Case("numerical_only_where_special_cases_look", 59, "counts only once",
         answers=_numerical_where_special_cases_look()),
    # Exact, but a pass per input column or class: the wide probes take it minutes, and its
    # parts score 0 after 10 s each (slow: waits for those limits).
    Case("complex_step_affine_and_softmax", 70, "on a wide input", answers=COMPLEX_STEP,
         slow=True),
    # -- the grader's own memory and time ---------------------------------------------------
    Case("returns_250_million_elements", 90, "where at most",
         replace={"relu_code": (RELU_BACKWARD, "return np.zeros(250_000_000, dtype=bool)")}),
    Case("complex_gradient", 90, "ndarray(dtype=complex128)",
         replace={"relu_code": (CORRECT_MASK, CORRECT_MASK + "\n        return dx + 0j")}),
    Case("json_bomb_reply", 90, "where at most",
         replace={"relu_code": (RELU_BACKWARD, "return [[]] * 3_000_000")}),
    # Just under the reply limit, as nested empty lists: ~25x that once parsed, and no
    # array in it, so keeping such answers for later checks had no bound (16 of them: 1 GB
    # kept). Then a small wrong answer: each bomb takes seconds to send and read (slow: not
    # in the batch).
    Case("list_bomb_answers", 90, "Relu.backward", slow=True,
         append={"relu_code": FIND_WORKER + LIST_BOMB + """
import itertools
_calls = itertools.count()
Relu.backward = lambda self, dout: _bomb(1_900_000) if next(_calls) < 16 else [[]]
"""}),
    # The MNIST run's states, which may take ~27 MB as arrays, sent as one JSON header of
    # nested lists written straight to the channel: refused unread past 2 MB.
    Case("states_as_a_list_bomb", 80, "where at most",
         append={"two_layer_net_code": FIND_WORKER + LIST_BOMB + """
import struct
def _op_mnist_states(self, steps):
    states = _bomb(len(steps) * 8 * 39_760 + (1 << 20) - 8192)  # the reply limit, nearly
    body = ('{"reply":{"value":' + json.dumps(states, separators=(",", ":")) + '},'
            '"buffers":[]}').encode()
    message = memoryview(struct.pack("<Q", len(body)) + body)
    while message:
        message = message[os.write(self.fd_out, message):]
    time.sleep(10**6)  # the grader reads the reply of this request, and ends the worker
type(_worker).op_mnist_states = _op_mnist_states
"""}),
    Case("huge_error_text", 90, "xxxxxxxxxx",
         replace={"relu_code": (RELU_BACKWARD, "raise ValueError('boom')")},
         append={"relu_code": FIND_WORKER + """
_main.describe_error = lambda error: {"type": "ValueError", "bases": ["ValueError"],
                                      "message": "x" * 1_500_000, "where": None}
"""}),
    Case("callback_then_silence", 90, "did not finish within", slow=True,
         replace={"relu_code": (RELU_BACKWARD,
                                "import sys, time\n"
                                "        wire = sys.modules['wire']\n"
                                "        wire.send(1, {'callback': {'stub': 1}})\n"
                                "        time.sleep(10**6)")}),
    # Every layer's backward answers with 1.9 MB (under every reply limit): the grader
    # must not keep all of them for later checks (autograder.asked_once.KEPT_BYTES). The
    # network's own gradient walks the trusted stand-ins: TwoLayerNet and MNIST earned.
    Case("big_answer_to_every_question", 40, "TwoLayerNet",
         append={"two_layer_net_code": """
import numpy as _np
_BIG = _np.zeros(240_000)
for _cls in (MulLayer, AddLayer, Relu, Sigmoid, Affine, SoftmaxWithLoss):
    _cls.backward = lambda self, *args: _BIG
"""}),
    Case("huge_callback", 60, "where at most",
         answers={"two_layer_net_code": FIND_WORKER + """
class TwoLayerNet(TwoLayerNetBase):
    def gradient(self, x, t):
        placed = [o for o in gc.get_objects() if isinstance(o, _main.StandIn)]
        return placed[0].forward(np.zeros((100_000, 784)))
"""}),
    # The grader's replies to a stand-in fill the pipe while the worker never reads them:
    # the grader's write must give up at the request's deadline (here the full-size probe).
    Case("callbacks_never_read", 60, "took more than 10 s", slow=True,
         answers={"two_layer_net_code": FIND_WORKER + """
class TwoLayerNet(TwoLayerNetBase):
    def gradient(self, x, t):
        if len(x) == 100:
            layer = self.layers["Affine1"]
            out = layer.forward(x)
            stub = layer.forward.__self__.stub  # (the forward of its StandIn)
            node, buffers = _main.wire.encode({"stub": stub, "method": "backward",
                                                "args": (np.ones((100, 50)),), "state": {}})
            for _ in range(50):
                _main.wire.send(_worker.fd_out, {"callback": node}, buffers)
            time.sleep(10**6)
        self.loss(x, t)
        dout = self.lastLayer.backward(1)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)
        return {"W1": self.layers["Affine1"].dW, "b1": self.layers["Affine1"].db,
                "W2": self.layers["Affine2"].dW, "b2": self.layers["Affine2"].db}
"""}),
    # Each MulLayer.backward takes 9 s (its limit is 10 s): the apple example (two calls)
    # is graded within the 30 s budget and keeps its 2 points; nothing after it runs.
    Case("slow_but_under_each_limit", 2, "time budget", budget=30.0, slow=True,
         replace={"mul_layer_code": ("dx = dout * self.y  # dz/dx = y: the inputs swap places",
                                     "import time; time.sleep(9)\n        dx = dout * self.y")}),
    # -- a worker whose own code is patched: contained, never a grader error -------------
    Case("patched_worker_exits", 0, "ended the process",
         append={"mul_layer_code": FIND_WORKER + "type(_worker)._reply = "
                                                  "lambda self, reply: os._exit(3)"}),
    Case("forged_replies", 0, "", append={"two_layer_net_code": JUNK_REPLIES}),
    # Every array of every reply under another valid spelling of its dtype ("float64", "d",
    # "=f8"...): the grader reads them all (and keeps a bounded cache of spellings).
    Case("dtype_respelled", 100, append={"mul_layer_code": DTYPE_RESPELLED}),
    # The modules the zygote imported before any student code, rewritten: the grader's own
    # numerics and messages are not the worker's.
    Case("preloaded_modules_poisoned", 92, "mask is inverted", wrong_relu=True,
         append={"relu_code": POISONS_PRELOADED}),
    # The checks' worker and the early MNIST run (at a lower priority) asking for more.
    Case("raises_its_priority", 100, append={"mul_layer_code": RAISES_PRIORITY}),
    # -- correct code, the book's way: full marks -------------------------------------------
    Case("book_signature_net", 100, "", append={"two_layer_net_code": BOOK_SIGNATURE_NET}),
    Case("gradient_by_kind_and_keywords", 100,
         answers={"two_layer_net_code": GRADIENT_BY_KIND}),
    Case("gradient_written_by_hand", 100, answers={"two_layer_net_code": GRADIENT_BY_HAND}),
    Case("affine_constructor_raises", 85, "Affine(...) raised ValueError",
         append={"affine_code": "def _refuse(self, W, b):\n    raise ValueError('not today')"
                                "\n\n\nAffine.__init__ = _refuse"}),
    # A failed layer's stand-in in the MNIST run (and in the gradient's checks) is of the
    # student's class itself: a gradient that finds its layers by exact class still runs.
    Case("gradient_by_type_with_a_wrong_relu", 92, "mask is inverted", wrong_relu=True,
         answers={"two_layer_net_code": GRADIENT_BY_TYPE}),
    Case("gradient_by_type_with_an_affine_constructor_that_raises", 85,
         "Affine(...) raised ValueError", answers={"two_layer_net_code": GRADIENT_BY_TYPE},
         append={"affine_code": "def _refuse(self, W, b):\n    raise ValueError('not today')"
                                "\n\n\nAffine.__init__ = _refuse"}),
    # -- the checks' worker and the early MNIST run's share a sandbox: neither can signal the
    # other or the zygote that forked them (each has a uid of its own; the zygote is init) --
    Case("kills_its_parent", 92, "mask is inverted", wrong_relu=True,
         append={"relu_code": "import os, signal\ntry:\n    os.kill(os.getppid(), "
                              "signal.SIGKILL)\nexcept OSError:\n    pass"}),
    Case("stops_its_parent", 92, "mask is inverted", wrong_relu=True,
         append={"relu_code": "import os, signal\ntry:\n    os.kill(os.getppid(), "
                              "signal.SIGSTOP)\nexcept OSError:\n    pass"}),
    Case("kills_every_process_it_can", 100,
         replace={"relu_code": (RELU_BACKWARD, KILL_EVERY_PROCESS_ONCE)}),
    # A process left behind in a session of its own holds the worker's pipes open and takes
    # a core: ending a worker ends every process of its uid, so grading goes on at once.
    Case("detached_spinner", 100, budget=60.0, append={"mul_layer_code": DETACHED_SPINNER}),
    # Each process is bounded (RLIMIT_AS), not all it forks: when memory runs out the kernel
    # kills the sandbox's processes first, and the worker cannot take that back.
    Case("oom_first", 100, "oom_score_adj 1000", append={"mul_layer_code": OOM_FIRST}),
]


def notebook_bytes(case):
    """The submitted file of ``case``."""
    if case.raw is not None:
        return case.raw
    answers = reference_answers()
    if case.wrong_relu:
        answers["relu_code"] = answers["relu_code"].replace(CORRECT_MASK, INVERTED_MASK)
    for grade_id, (old, new) in case.replace.items():
        assert answers[grade_id].count(old) == 1, (case.id, old)
        answers[grade_id] = answers[grade_id].replace(old, new)
    answers.update(case.answers)
    for grade_id, code in case.append.items():
        answers[grade_id] += "\n\n" + code.strip() + "\n"
    nb = build_notebook()
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = answers[grade_id]
    if case.cells is not None:
        case.cells(nb)
    return nbformat.writes(nb).encode()


def write(case, folder):
    path = Path(folder) / f"{case.id}.ipynb"
    path.write_bytes(notebook_bytes(case))
    return path
