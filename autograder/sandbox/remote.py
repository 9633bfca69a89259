"""The student's code as the checks see it when it runs in a sandboxed worker.

:class:`RemoteStudentCode` has the interface of :class:`autograder.student_code.StudentCode`
(``code.Relu``, ``code.prepare_network(...)``...) but every call goes to the worker. Values
come back as plain data; objects come back as :class:`RemoteObject` proxies, so
``layer = code.Relu(); dx = layer.backward(dout)`` reads as it would in-process.
"""

import threading

from autograder.rubric import NETWORK_LAYER_PARTS
from autograder.sandbox.session import StudentRaised, WorkerFailed
from selfcheck.expect import CheckFailed, student_line
from selfcheck.messages import say

_LAYER_OF_PART = {part: kind for kind, part in NETWORK_LAYER_PARTS.items()}
TRAIN_TIMEOUT = 120.0  # the MNIST check trains 600 iterations: ~1 s for vectorised code


class RemoteObject:
    """An object that lives in the worker. Attribute reads and calls are requests."""

    __slots__ = ("_session", "_handle", "_generation", "_label")

    def __init__(self, session, handle, generation, label=None):
        self._session, self._handle, self._generation = session, handle, generation
        self._label = label or handle.type_name

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        label = f"{self._label}.{name}"
        methods = self._session.methods
        if (self._handle.type_name, name) in methods:
            return RemoteMethod(self, name, label)  # saves a round trip per call
        value = self._session.request("getattr", label=label, target=self._ref(), name=name)
        if isinstance(value, RemoteObject):
            value._label = label
            if value._handle.type_name == "method":
                methods.add((self._handle.type_name, name))
        return value

    def __call__(self, *args, **kwargs):
        return self._session.request("call", label=self._label, target=self._ref(),
                                     args=args, kwargs=kwargs)

    def _ref(self):
        if self._generation != self._session.generation:
            raise WorkerFailed(say("stopped_earlier", what=self._label,
                                   reason=self._session.stopped.get(self._label, "restarted")))
        return self._handle

    def __repr__(self):
        return f"<{self._handle.type_name} in the sandbox>"


class RemoteMethod:
    """``obj.name`` for a method seen before on objects of the same type: calling it asks
    the worker for ``getattr(obj, name)(*args)`` in one request."""

    __slots__ = ("_owner", "_name", "_label")

    def __init__(self, owner, name, label):
        self._owner, self._name, self._label = owner, name, label

    def __call__(self, *args, **kwargs):
        session = self._owner._session
        return session.request("call_method", label=self._label, target=self._owner._ref(),
                               name=self._name, args=args, kwargs=kwargs)

    def __repr__(self):
        return f"<method {self._label} in the sandbox>"


class RemoteStudentCode:
    """The required classes of a submission running in ``session`` (already set up).

    cell_of: class name -> the id of the answer cell that defines it (for messages).
    sgd_source: the given training step's source (``sgd_step``), run in the worker.
    data_dir: where the worker finds the MNIST arrays.
    """

    def __init__(self, session, *, sgd_source="", data_dir=None, cell_of=None,
                 missing_cells=()):
        self._session = session
        self._sgd_source, self._data_dir = sgd_source, data_dir
        self._cell_of = dict(cell_of or {})
        self._missing_cells = set(missing_cells)
        self._classes = {}  # name -> RemoteObject of the class, for this worker generation
        self._early = None  # an _EarlyTraining, or None
        self.origin = "the submitted notebook"

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        cached = self._classes.get(name)
        if cached is not None and cached._generation == self._session.generation:
            return cached
        found = self._session.request("lookup", label=f"`{name}`", name=name)
        if not found["found"]:
            raise CheckFailed(self._why_missing(name))
        if not found["is_class"]:
            raise CheckFailed(say("not_a_class", name=name, type=found["type"]))
        cls = found["value"]
        cls._label = name
        self._classes[name] = cls
        return cls

    def _why_missing(self, name):
        cell = self._cell_of.get(name)
        if cell in self._missing_cells:
            return say("cell_missing", cell=cell, name=name)
        error = self._session.cell_errors.get(cell)
        if isinstance(error, StudentRaised):
            return say("cell_failed", cell=cell, error_type=error.type_name, error=error,
                       where=student_line(error))
        if isinstance(error, WorkerFailed):
            return str(error)
        return say("missing_class", name=name)

    # -- what the network checks do to a network (see sandbox/student_side.py) -------------
    def prepare_network(self, net, params, kinds):
        return self._session.request("prepare_network", label="TwoLayerNet (given __init__)",
                                     net=net._ref(), params=params, kinds=list(kinds))

    def parameter_state(self, net):
        return self._session.request("parameter_state", label="TwoLayerNet.params",
                                     net=net._ref())

    def train_on_mnist(self, kinds, **settings):
        """See :func:`autograder.sandbox.student_side.train_network` (settings: seed,
        iterations, batch_size, lr). Runs in a fresh worker (nothing the checks did to the
        classes carries over), started early by :meth:`start_training` when it can be."""
        early, self._early = self._early, None
        if early is not None and early.matches(kinds, settings):
            return early.result()
        if early is not None:
            early.cancel()
        return _train(self._fresh_session(), self._train_fields(kinds, settings))

    def start_training(self, kinds=(), **settings):
        """Begin the MNIST training in a second worker now, while the gradient checks run
        (on two cores the MNIST check then costs little wall time). Used only if the
        checks end up asking for exactly this run; restarted by :meth:`part_failed`."""
        if self._early is not None:
            self._early.cancel()
        self._early = _EarlyTraining(self._fresh_session(), kinds, settings,
                                     self._train_fields(kinds, settings))

    def part_failed(self, part):
        """A part failed: if it is a layer the network uses, the MNIST check will train
        with the reference one instead, so restart the early training that way."""
        kind = _LAYER_OF_PART.get(part)
        early = self._early
        if kind is None or early is None or kind in early.kinds:
            return
        self.start_training(tuple(sorted({*early.kinds, kind})), **early.settings)

    def close(self):
        """Stop an early training nobody asked for (the network failed its checks)."""
        if self._early is not None:
            self._early.cancel()
            self._early = None

    def _train_fields(self, kinds, settings):
        return {"data_dir": self._data_dir, "sgd_source": self._sgd_source,
                "kinds": list(kinds), **settings}

    def _fresh_session(self):
        return self._session.clone()


def _train(session, fields):
    with session:
        session.run_cells()
        return session.request("train", label="training on MNIST", timeout=TRAIN_TIMEOUT,
                               **fields)


class _EarlyTraining:
    """A training run in a thread of its own, on its own worker."""

    def __init__(self, session, kinds, settings, fields):
        self.session, self.kinds, self.settings = session, tuple(kinds), dict(settings)
        self._value = self._error = None
        self._thread = threading.Thread(target=self._run, args=(fields,), daemon=True)
        self._thread.start()

    def _run(self, fields):
        try:
            self._value = _train(self.session, fields)
        except BaseException as error:  # handed to the thread that asks for the result
            self._error = error

    def matches(self, kinds, settings):
        return tuple(sorted(kinds)) == self.kinds and settings == self.settings

    def result(self):
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value

    def cancel(self):
        self.session.close()
        self._thread.join(timeout=10)

