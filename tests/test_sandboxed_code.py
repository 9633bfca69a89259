"""Does the student's code in a worker look to the checks as it would in-process
(``code.Relu().backward(dout)``), and does each way a class can be missing say so in the
student's terms? (Real workers, the bare "process" level.)"""

import inspect

import numpy as np
import pytest

from autograder.checks import test_two_layer_net as network_checks
from autograder.reference_layers import NetworkStandIns
from autograder.sandbox import launcher
from autograder.sandbox.sandboxed_code import RemoteObject, SandboxedCode
from autograder.sandbox.session import Budget, Session, StudentRaised, WorkerFailed
from selfcheck.expect import CheckFailed
from selfcheck.messages import say
from solutions import layers, two_layer_net

CELLS = [
    # the reference Relu, as the notebook's given and answer cells define it
    ("relu_code", "import numpy as np\n" + inspect.getsource(layers.ReluForward)
     + inspect.getsource(layers.Relu)),
    ("extra", "class Careless:\n    def fail(self):\n        raise ValueError('my own mistake')\n"),
    ("sigmoid_code", "class Sigmoid:\n    pass\nundefined_name\n"),
    ("affine_code", "Affine = 3\n"),
    ("counting", "class Counted:\n    made = 0\n    def __init__(self):\n"
                 "        Counted.made += 1\n    def forward(self, x):\n"
                 "        return x * Counted.made\n"),
]
CELL_OF = {"Relu": "relu_code", "Sigmoid": "sigmoid_code", "Affine": "affine_code",
           "SoftmaxWithLoss": "softmax_with_loss_code", "MulLayer": "mul_layer_code"}


@pytest.fixture(scope="module")
def code():
    with Session(CELLS, isolation=launcher.Isolation("process"), budget=Budget(60)) as session:
        session.run_cells()
        code = SandboxedCode(session, stand_ins=NetworkStandIns, cell_of=CELL_OF,
                                 missing_cells=["softmax_with_loss_code"])
        yield code
        code.close()


def test_a_class_is_used_as_in_process(code):
    """Do instances and their methods work through the proxy, arrays coming back plain?"""
    layer = code.Relu()
    assert isinstance(layer, RemoteObject) and repr(layer) == "<Relu in the sandbox>"
    out = layer.forward(np.array([-1.0, 2.0]))
    assert isinstance(out, np.ndarray) and out.tolist() == [0.0, 2.0]
    assert layer.backward(np.ones(2)).tolist() == [0.0, 1.0]
    assert layer.mask.tolist() == [True, False]  # an attribute: a plain array too


def test_a_method_seen_once_is_called_in_one_request(code):
    """After a method of a type has been seen, does ``obj.method(...)`` skip the attribute
    request (one round trip per call)?"""
    layer = code.Relu()
    layer.forward(np.ones(1))
    assert ("Relu", "forward") in code._session.methods
    assert type(layer.forward).__name__ == "RemoteMethod"


def test_the_students_exception_comes_back_as_its_kind(code):
    """Is an exception raised by the student's method re-raised here as its own kind,
    with its message?"""
    with pytest.raises(StudentRaised, match="my own mistake") as raised:
        code.Careless().fail()
    assert isinstance(raised.value, ValueError) and raised.value.type_name == "ValueError"


@pytest.mark.parametrize(("name", "expected"), [
    ("MulLayer", say("missing_class", name="MulLayer")),
    ("SoftmaxWithLoss", say("cell_missing", cell="softmax_with_loss_code",
                            name="SoftmaxWithLoss")),
    ("Affine", say("not_a_class", name="Affine", type="int")),
])
def test_a_missing_class_says_why(code, name, expected):
    """Is a class that is not there a CheckFailed saying why: never defined, its cell
    deleted, or the name bound to something else?"""
    with pytest.raises(CheckFailed) as raised:
        getattr(code, name)
    assert str(raised.value) == expected


def test_a_class_whose_cell_raised_names_the_error(code):
    """Sigmoid's cell raised after defining it: is the class still there (the cell ran up
    to the error), and a class the cell never reached explained by the error?"""
    assert isinstance(code.Sigmoid, RemoteObject)
    error = code._session.cell_errors["sigmoid_code"]
    assert error.type_name == "NameError"
    assert "NameError" in code._why_missing("Sigmoid")


def test_private_names_are_not_requests(code):
    with pytest.raises(AttributeError):
        code._nothing  # noqa: B018


def test_objects_of_an_ended_worker_are_void():
    """After the worker is restarted, does an object of the old one fail as stopped,
    rather than reach a different object of the new one?"""
    with Session(CELLS, isolation=launcher.Isolation("process"), budget=Budget(60)) as session:
        session.run_cells()
        code = SandboxedCode(session, stand_ins=NetworkStandIns, cell_of=CELL_OF)
        layer = code.Relu()
        session._kill()  # as after a hang: the next request starts a fresh worker
        with pytest.raises(WorkerFailed, match="Relu"):
            layer.forward(np.ones(1))
        assert code.Relu().forward(np.ones(1)).tolist() == [1.0]
        assert session.restarts == 1


def test_make_and_use_gives_what_calls_one_by_one_give_in_process(code):
    """A layer made, run forward and backward, an attribute read: the same outcomes from
    the worker (one request) as from the class in this process, an error included?"""
    from autograder.in_process_code import InProcessCode

    steps = [("Relu(...)", None, ()), ("Relu.forward", "forward", (np.array([-1.0, 2.0]),)),
             ("Relu.backward", "backward", (np.ones(2),)), ("Relu.mask", "mask", None),
             ("Relu.missing", "missing", None), ("Relu.forward", "forward", (np.ones(2),))]
    remote = code.make_and_use(code.Relu, steps)
    local = InProcessCode.make_and_use(layers.Relu, steps)
    for there, here in zip(remote[1:4], local[1:4], strict=True):
        assert there.get().tolist() == here.get().tolist()
    for outcomes in (remote, local):
        for outcome in outcomes[4:]:  # the error, and the step after it that never ran
            with pytest.raises(AttributeError, match="missing"):
                outcome.get()


def test_the_same_request_again_is_answered_once(code):
    """Two checks that send the same steps on equal arrays: is the student's class made
    once (the second gets the first's outcomes, arrays copied), and asked again for other
    arrays, another time limit, or arrays too large to be remembered?"""
    def run(x):
        (made, out) = code.make_and_use(code.Counted, [("Counted()", None, ()),
                                                       ("Counted.forward", "forward", (x,))])
        return out.get()

    first = run(np.ones(2))
    count = first[0]
    first[:] = -1  # a check may change what it was given
    assert run(np.ones(2)).tolist() == [count, count]
    assert run(np.full(2, 2.0)).tolist() == [2 * (count + 1)] * 2  # made again
    with code.time_limit(5):
        assert run(np.ones(2)).tolist() == [count + 2] * 2  # another question
    large = np.ones(1 << 14)  # 128 KiB: not remembered
    assert run(large)[0] == count + 3 and run(large)[0] == count + 4


def test_a_failed_layer_moves_the_mnist_run_into_the_checks_worker():
    """A failed layer stops the early MNIST run (it trains the wrong network): the run with
    stand-ins for the failed layers then takes place once, after the checks, in the
    checks' own worker (no second worker to start)."""
    runs = []

    def train(code, kinds):
        with code.training_network((4, 3, 2), {}, kinds):
            pass

    def record(code, kinds):
        runs.append((code._session, kinds))
        return train(code, kinds)

    with Session(CELLS, isolation=launcher.Isolation("process"), budget=Budget(60)) as session:
        session.run_cells()
        code = SandboxedCode(session, stand_ins=NetworkStandIns)
        code.start_training(record)
        for kind in ("Relu", "Affine"):
            code.layer_failed(kind)
        assert code._early is None
        with pytest.raises(StudentRaised):  # no TwoLayerNet in these cells: built here
            code.train_on_mnist(record, ("Affine", "Relu"))
        code.close()
    assert runs[-1] == (session, ("Affine", "Relu"))
    assert len(runs) <= 2


# An Affine whose instances have no __dict__ (so no forward of their own: its stand-ins
# are of a subclass), and a gradient that picks its layers by exact class.
SLOTTED_AFFINE_NET = """
import numpy as np
from collections import OrderedDict

class Relu:
    pass

class SoftmaxWithLoss:
    pass

class Affine:
    __slots__ = ("W", "b", "x", "original_x_shape", "dW", "db")

    def __init__(self, W, b):
        self.W, self.b = W, b

""" + inspect.getsource(two_layer_net.TwoLayerNetBase) + """
class TwoLayerNet(TwoLayerNetBase):
    def gradient(self, x, t):
        self.loss(x, t)
        dout = self.lastLayer.backward(1)
        for layer in reversed(list(self.layers.values())):
            dout = layer.backward(dout)
        affine = [layer for layer in self.layers.values() if type(layer) == Affine]
        return {f"{key}{i}": getattr(layer, "d" + key)
                for i, layer in enumerate(affine, 1) for key in "Wb"}
"""


def test_a_gradient_that_picks_layers_by_exact_class_hears_why_it_found_none():
    """Where the stand-ins cannot be of the student's class itself (a subclass of it),
    does a gradient that looks for ``type(layer) == Affine`` hear why it found none?"""
    with Session([("two_layer_net_code", SLOTTED_AFFINE_NET)],
                 isolation=launcher.Isolation("process"), budget=Budget(60)) as session:
        session.run_cells()
        code = SandboxedCode(session, stand_ins=NetworkStandIns)
        params, x, t = network_checks._problem(np.random.default_rng(0))
        net = network_checks._net(code, params)
        with pytest.raises(CheckFailed) as raised:
            network_checks._gradients(net, x, t)
    assert raised.value.diagnoses == ("net_missing_keys", "net_stand_ins_subclassed")
    assert "`isinstance(layer, Affine)`, not `type(layer) == Affine`" in str(raised.value)
