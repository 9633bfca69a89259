"""Does the worker, run as the session runs it (``python -I worker.py IN OUT``), speak the
protocol: execute cells, hand out handles, call methods, and answer every request, even
one that fails, with a reply? (A bare process, no sandbox: this is about the protocol.)"""

import os
import subprocess
import sys

import numpy as np
import pytest

from autograder.sandbox import launcher, wire


class Worker:
    """The grader's end of a worker's two pipes."""

    def __init__(self, cwd):
        to_worker_r, self.to_worker = os.pipe()
        self.from_worker, from_worker_w = os.pipe()
        self.process = subprocess.Popen(
            [sys.executable, *launcher.PYTHON_FLAGS, str(launcher.HERE / "worker.py"),
             str(to_worker_r), str(from_worker_w), *launcher.import_dirs()],
            pass_fds=(to_worker_r, from_worker_w), cwd=cwd,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=launcher.environment("en"))
        os.close(to_worker_r)
        os.close(from_worker_w)

    def ask(self, op, **fields):
        """The reply to one request: {"value": ...} or {"error": {...}}."""
        node, buffers = wire.encode({"op": op, **fields})
        wire.send(self.to_worker, {"request": node}, buffers)
        header, buffers = wire.receive(self.from_worker)
        assert set(header) == {"reply"}
        return wire.decode(header["reply"], buffers, from_handle=lambda handle: handle)

    def value(self, op, **fields):
        reply = self.ask(op, **fields)
        assert "error" not in reply, reply
        return reply["value"]

    def close(self):
        os.close(self.to_worker)
        code = self.process.wait(timeout=10)
        os.close(self.from_worker)
        return code, self.process.stdout.read().decode()


LAYERS = (
        "import numpy as np\n"
        "class Relu:\n"
        "    def forward(self, x):\n"
        "        self.mask = x <= 0\n"
        "        return np.maximum(x, 0)\n"
        "    def backward(self, dout):\n"
        "        return np.where(self.mask, 0, dout)\n"
        "answer = 42\n")


@pytest.fixture(scope="module")
def worker(tmp_path_factory):
    """One worker for the module (each start costs ~0.3 s); every test leaves it serving."""
    worker = Worker(tmp_path_factory.mktemp("worker"))
    worker.value("exec", cell="layers", source=LAYERS)
    yield worker
    worker.close()


def test_a_cell_defines_names_the_grader_can_look_up(worker):
    """Does lookup tell a class from a value, send plain values as they are, and say when
    a name is not there?"""
    assert worker.value("lookup", name="answer") == {
        "found": True, "is_class": False, "type": "int", "value": 42}
    relu = worker.value("lookup", name="Relu")
    assert relu["is_class"] and isinstance(relu["value"], wire.Handle)
    assert relu["value"].is_callable
    assert worker.value("lookup", name="Sigmoid") == {"found": False}


def test_a_cell_has_what_python_with_site_gives(worker):
    """Started without ``site`` for speed, does a cell still import numpy, matplotlib and
    selfcheck and find the builtins site adds (exit, quit, help, copyright)?"""
    worker.value("exec", cell="imports", source=(
        "import numpy, matplotlib, selfcheck\n"
        "site_builtins = [callable(f) for f in (exit, quit, help, copyright)]\n"))
    assert worker.value("lookup", name="site_builtins")["value"] == [True] * 4


def test_what_the_setup_cell_imports_is_there_before_any_cell(tmp_path):
    """The notebook's setup cell imports numpy and selfcheck's modules: has the worker
    (the zygote that forks it, in the sandbox) imported every one before the first cell,
    so that each submission's first cell does not import them again?"""
    import ast

    from autograder.authoring.backprop import SETUP

    tree = ast.parse(SETUP.replace("{language_line}", "").replace("{helpers}", ""))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import)
                 for alias in node.names}
    assert {"numpy", "selfcheck", "selfcheck.messages"} <= imported
    fresh = Worker(tmp_path)
    try:
        fresh.value("exec", cell="first", source="import sys\nloaded = sorted(sys.modules)")
        assert imported <= set(fresh.value("lookup", name="loaded")["value"])
    finally:
        fresh.close()


def test_objects_stay_in_the_worker_and_their_methods_run_there(worker):
    """Does calling a class give a handle, and calling its methods give plain arrays?"""
    cls = worker.value("lookup", name="Relu")["value"]
    layer = worker.value("call", target=cls)
    assert isinstance(layer, wire.Handle) and layer.type_name == "Relu"
    x = np.array([[-1.0, 2.0], [3.0, -4.0]])
    np.testing.assert_array_equal(
        worker.value("call_method", target=layer, name="forward", args=(x,)), [[0, 2], [3, 0]])
    dx = worker.value("call_method", target=layer, name="backward", args=(np.ones((2, 2)),))
    np.testing.assert_array_equal(dx, [[0, 1], [1, 0]])
    mask = worker.value("getattr", target=layer, name="mask")
    assert mask.dtype == bool and mask.tolist() == [[True, False], [False, True]]


def test_make_and_use_sends_each_steps_outcome_then_its_reply(worker):
    """A layer made, run forward and backward, attributes read: one ``step`` message per
    step as it ends, the first error the last of them, then the reply?"""
    cls = worker.value("lookup", name="Relu")["value"]
    steps = [[None, ()], ["forward", (np.array([[-1.0, 2.0]]),)],
             ["backward", (np.ones((1, 2)),)], ["mask", None], ["missing", None],
             ["forward", (np.ones((1, 2)),)]]
    node, buffers = wire.encode({"op": "make_and_use", "target": cls, "steps": steps})
    wire.send(worker.to_worker, {"request": node}, buffers)
    messages = []
    while not messages or "reply" not in messages[-1]:
        header, buffers = wire.receive(worker.from_worker)
        (kind,) = header
        messages.append({kind: wire.decode(header[kind], buffers,
                                           from_handle=lambda handle: handle)})
    *steps_sent, reply = messages
    assert reply == {"reply": {"value": None}}
    made, forward, backward, mask, missing = (message["step"] for message in steps_sent)
    assert made["value"].type_name == "Relu"
    assert forward["value"].tolist() == [[0, 2]] and backward["value"].tolist() == [[0, 1]]
    assert mask["value"].tolist() == [[True, False]]
    assert missing["error"]["type"] == "AttributeError"


# A network whose layer classes are the book's (Affine) or do not let an instance have
# its own forward and backward (Relu: __slots__ without __dict__; SoftmaxWithLoss: forward
# a property), and a function telling, for each layer the network holds, whether it is of
# that class itself, or at least an instance of it.
EXOTIC_NETWORK = """
import numpy as np

class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b

    def forward(self, x):
        return x @ self.W + self.b

class Relu:
    __slots__ = ("mask",)

    def forward(self, x):
        self.mask = x <= 0
        return np.maximum(x, 0)

class SoftmaxWithLoss:
    forward = property(lambda self: lambda x, t: 0.0)

class TwoLayerNet:
    def __init__(self, d, h, c, dtype=np.float64):
        self.params = {"W1": np.zeros((d, h), dtype), "b1": np.zeros(h, dtype),
                       "W2": np.zeros((h, c), dtype), "b2": np.zeros(c, dtype)}
        self.layers = {"Affine1": Affine(self.params["W1"], self.params["b1"]),
                       "Relu1": Relu(),
                       "Affine2": Affine(self.params["W2"], self.params["b2"])}
        self.lastLayer = SoftmaxWithLoss()

def classes_of(net):
    layers = [*net.layers.values(), net.lastLayer]
    return [[type(layer).__name__, type(layer) is globals()[type(layer).__name__],
             isinstance(layer, globals()[type(layer).__name__]),
             type(layer.forward.__self__).__name__] for layer in layers]
"""


def test_stand_ins_are_of_the_students_own_classes_where_they_can_be(tmp_path):
    """Is a stand-in layer of the student's class itself (``type(layer) is Affine`` holds,
    as at home), its forward the grader's StandIn's; of a subclass (``isinstance`` holds)
    only for a class whose instances cannot have their own forward, and is that reported?"""
    worker = Worker(tmp_path)
    try:
        worker.value("exec", cell="network", source=EXOTIC_NETWORK)
        params = {"W1": np.ones((3, 2)), "b1": np.ones(2), "W2": np.ones((2, 2)),
                  "b2": np.ones(2)}
        built = worker.value("build_network", sizes=[3, 2, 2], params=params,
                             dtype="float64", kinds=["Affine", "Relu", "SoftmaxWithLoss"],
                             stubs=list(range(11, 19)))
        classes_of = worker.value("lookup", name="classes_of")["value"]
        assert worker.value("call", target=classes_of, args=(built["net"],)) == [
            ["Affine", True, True, "StandIn"], ["Relu", False, True, "StandIn"],
            ["Affine", True, True, "StandIn"], ["SoftmaxWithLoss", False, True, "StandIn"]]
        assert built["subclassed"] == ["Relu", "SoftmaxWithLoss"]
        assert built["placed"] == [[0, "Affine", 11], [1, "Relu", 12], [2, "Affine", 13],
                                   [3, "SoftmaxWithLoss", 14]]
    finally:
        worker.close()


def test_a_student_error_is_a_reply_naming_the_students_line(worker):
    """Is an exception in a cell a reply with its type, its builtin bases and the cell and
    line it came from, and does the worker go on?"""
    error = worker.ask("exec", cell="broken", source="x = 1\ny = x / 0\n")["error"]
    assert error["type"] == "ZeroDivisionError"
    assert "ArithmeticError" in error["bases"] and "division by zero" in error["message"]
    assert error["where"] == {"function": "<module>", "line": 2, "code": "y = x / 0",
                              "cell": "broken"}
    assert worker.value("lookup", name="answer")["value"] == 42


def test_a_syntax_error_names_its_line(worker):
    error = worker.ask("exec", cell="typo", source="def f(:\n    pass\n")["error"]
    assert error["type"] == "SyntaxError"
    assert error["where"]["cell"] == "typo" and error["where"]["line"] == 1


@pytest.mark.parametrize("source", ["raise SystemExit(3)", "raise KeyboardInterrupt",
                                    "import sys; sys.exit()"])
def test_exiting_is_just_an_error_reply(worker, source):
    """Does code that tries to end the worker get an error reply, the worker still
    serving?"""
    reply = worker.ask("exec", cell="exit", source=source)
    assert reply["error"]["type"] in ("SystemExit", "KeyboardInterrupt")
    assert worker.value("lookup", name="answer")["value"] == 42


def test_bad_requests_get_error_replies(worker):
    """Is a handle the worker never gave out, or an unknown op, an error reply, not the
    end of the worker?"""
    assert worker.ask("getattr", target=wire.Handle(999, "Relu", False), name="x")["error"]
    assert worker.ask("no_such_op")["error"]["type"] == "AttributeError"
    assert worker.value("lookup", name="answer")["value"] == 42


def test_an_unsendable_value_is_an_error_reply(worker):
    """A value the wire cannot carry (nested deeper than it allows): is that an error
    reply rather than a broken channel, and an object array a handle, not a pickle?"""
    worker.value("exec", cell="odd", source=(
        "deep = []\nfor _ in range(100):\n    deep = [deep]\nodd = np.array([object()])"))
    assert worker.ask("lookup", name="deep")["error"]["type"] == "WireError"
    assert isinstance(worker.value("lookup", name="odd")["value"], wire.Handle)


def test_printed_output_does_not_reach_the_channel(tmp_path):
    """Does a print go to the worker's stdout, the channel's next reply intact?"""
    worker = Worker(tmp_path)
    worker.value("exec", cell="layers", source=LAYERS)
    worker.value("exec", cell="chatty", source="print('hello from the student')")
    assert worker.value("lookup", name="answer")["value"] == 42
    code, output = worker.close()
    assert code == 0 and "hello from the student" in output


def test_the_worker_ends_when_the_grader_closes_the_channel(tmp_path):
    """Does the worker exit cleanly once its request channel is closed?"""
    code, output = Worker(tmp_path).close()
    assert code == 0 and output == ""
