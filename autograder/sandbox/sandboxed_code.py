"""The student's code as the checks see it when it runs in a sandboxed worker.

:class:`SandboxedCode` has the interface of :class:`autograder.in_process_code.InProcessCode`
(``code.Relu``, ``code.build_network(...)``...) but every call goes to the worker. Values
come back as plain data; objects come back as :class:`~autograder.sandbox.proxies.RemoteObject`
proxies, so
``layer = code.Relu(); dx = layer.backward(dout)`` reads as it would in-process. Nothing
that comes back is trusted: the checks judge every value themselves.
"""

import contextlib
import contextvars
import copy
import itertools
import secrets
import threading

from autograder.asked_once import asked_once
from autograder.sandbox.proxies import Outcome, RemoteObject
from autograder.sandbox.session import BudgetExhausted, StudentRaised, TimedOut, WorkerFailed
from selfcheck.assignment import STAND_IN_KINDS
from selfcheck.expect import CheckFailed, student_line
from selfcheck.messages import say


class SandboxedCode:
    """The required classes of a submission running in ``session`` (already set up).

    stand_ins(sizes, placed): the grader's answers for the stand-in layers of one network
    (see :class:`autograder.reference_layers.NetworkStandIns`); the sandbox itself holds no
    reference code.
    cell_of: class name -> the id of the answer cell that defines it (for messages).
    data_dir: where the worker finds the MNIST arrays.
    train_here: the MNIST run uses this worker, after the checks (when no second core is
    free to start one early), instead of a fresh worker of its own.
    """

    def __init__(self, session, *, stand_ins, data_dir=None, cell_of=None, missing_cells=(),
                 train_here=False):
        self._session, self._stand_ins, self._data_dir = session, stand_ins, data_dir
        self._train_here = train_here
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
        if not isinstance(found, dict) or not found.get("found"):
            raise CheckFailed(self._why_missing(name))
        cls = found.get("value")
        if not found.get("is_class") or not isinstance(cls, RemoteObject):
            raise CheckFailed(say("not_a_class", name=name, type=str(found.get("type"))[:100]))
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

    def make_and_use(self, cls, steps):
        """Make an object of ``cls`` (a class of this code, ``code.Relu``) and use it, in one
        request: one :class:`~autograder.sandbox.proxies.Outcome` per step (see
        :meth:`autograder.sandbox.session.Session.make_and_use` for ``steps``).

        The same request made again gets the first one's outcomes, their arrays copied
        (see :mod:`autograder.asked_once`): the same class of the same worker, the same
        steps on the same arrays (by content), within the same time limit. (A step that
        hung or killed the worker is among them; a new worker makes the key another, and
        the session would not run that step again anyway.)"""
        try:
            target = cls._ref()
        except WorkerFailed as error:  # a class of a worker that has ended
            return [Outcome(error=error) for _ in steps]
        session = self._session
        def ask():  # plain (value, error) pairs: what asked_once measures and copies
            return [(o.value, o.error) for o in session.make_and_use(target, steps)]

        outcomes = asked_once(self, ask, target.number, session.generation,
                              session.label_suffix, session.call_timeout,
                              [list(step) for step in steps])
        return [Outcome(value, error) for value, error in outcomes]

    @contextlib.contextmanager
    def time_limit(self, seconds):
        """Each call in the block must finish within ``seconds`` (else TimedOut)."""
        with self._session.time_limit(seconds, label_suffix=f" (within {seconds:g} s)"):
            yield

    # -- networks ----------------------------------------------------------------------------
    def build_network(self, sizes, params, kinds, dtype="float64"):
        """The student's TwoLayerNet of ``sizes`` on ``params``, with a stand-in for every
        layer of ``kinds``; a :class:`SandboxedNetwork`. See
        :func:`autograder.sandbox.network_driver.build_network`."""
        return _build(self._session, self._stand_ins, sizes, params, kinds, dtype,
                      self._data_dir)

    @contextlib.contextmanager
    def training_network(self, sizes, params, kinds, dtype="float64"):
        """As build_network, for a training run: in a fresh worker of its own, which ends
        with the block (nothing the checks did carries over), or in this one (train_here:
        the run comes last), if it never had to be restarted."""
        if self._train_here and self._session.restarts == 0:
            yield self.build_network(sizes, params, kinds, dtype)
            return
        session = self._next_session()
        with session:
            session.run_cells()
            yield _build(session, self._stand_ins, sizes, params, kinds, dtype,
                         self._data_dir)

    def _next_session(self):
        return self._session.clone()

    # -- the MNIST training, started early ----------------------------------------------------
    def train_on_mnist(self, train, kinds):
        """``train(self, kinds)``: the grader's MNIST training run (see
        :class:`autograder.mnist_check.Run`), or the one :meth:`start_training` began with
        equal settings for the same layers. If that one's worker died, the run takes place
        in this worker, as without a spare core (so it counts against the training only if
        it dies here too)."""
        early, self._early = self._early, None
        if early is not None and early.matches(train, kinds):
            try:
                return early.result()
            except (TimedOut, BudgetExhausted):
                raise
            except WorkerFailed:  # its worker died (a sibling may kill it): run it here
                self._train_here = True
        elif early is not None:
            early.cancel()
        return train(self, kinds)

    def start_training(self, train, kinds=()):
        """Begin ``train(self, kinds)`` now in a thread (its own worker), while the gradient
        checks run: on two cores the MNIST check then costs little wall time. Used only if
        the checks end up asking for exactly this run; see :meth:`layer_failed`."""
        if self._early is not None:
            self._early.cancel()
        self._early = _EarlyTraining(self, train, kinds)

    def layer_failed(self, kind):
        """A layer of the network failed its checks: the MNIST check will train with a
        stand-in for it, so the early run (the wrong network now) stops, and the MNIST run
        takes place in this worker after the checks. Starting it again in a fresh worker
        would cost a start and finish later: its stand-ins cross to the grader every step,
        so it runs longer than the checks left to do. Never raises."""
        if self._early is None:
            return
        self._early.cancel()
        self._early, self._train_here = None, True

    def close(self):
        """Stop an early training nobody asked for (the network failed its checks)."""
        if self._early is not None:
            self._early.cancel()
            self._early = None


class SandboxedNetwork:
    """A student's network in the worker, built by the grader. ``loss`` and ``gradient``
    run there; its stand-in layers are answered only during those calls, for a batch of
    the size the call's ``x`` implies.

    shared: whether its Affine layers held the arrays of ``net.params`` themselves (as the
    worker reports it: for a diagnosis only, never for points).
    subclassed: the kinds whose stand-ins are of a subclass of the student's class, not the
    class itself (as the worker reports it: for the feedback only).
    refusal: why the grader refused a stand-in pass during the last ``loss`` or
    ``gradient`` (a cause of :mod:`autograder.reference_layers`), or None.
    """

    refusal = None

    def __init__(self, session, proxy, stand_ins, shared, data_dir, subclassed):
        self._session, self._proxy, self._stand_ins = session, proxy, stand_ins
        self.shared, self._data_dir, self.subclassed = shared, data_dir, subclassed

    def loss(self, x, t):
        return self._call("loss", x, t)

    def gradient(self, x, t):
        return self._call("gradient", x, t)

    def parameter_state(self):
        return self._session.request("parameter_state", label="TwoLayerNet.params",
                                     net=self._proxy._ref())

    def set_parameters(self, params):
        """Copy ``params`` into the network's parameter arrays, in place."""
        self._session.request("set_parameters", label="TwoLayerNet.params",
                              net=self._proxy._ref(), params=params)

    def mnist_train(self, params, batches, lr, dtype, seconds):
        """The grader's SGD run on MNIST, in the worker (it reads the images from its own
        copy); the commitments to every state (see network_driver.train_committed).
        Raises TimedOut after ``seconds``."""
        return self._session.request(
            "mnist_train", label="training on MNIST", timeout=seconds,
            scope=self._stand_ins.scope(batches.shape[1], passes=len(batches)),
            net=self._proxy._ref(), params=params, batches=batches, lr=lr, dtype=dtype,
            data_dir=self._data_dir)

    def mnist_states(self, steps, reply_limit):
        """The parameters at ``steps`` of the last run, as the worker reports them."""
        return self._session.request("mnist_states", label="training on MNIST",
                                     reply_limit=reply_limit, steps=list(steps))

    def _call(self, name, x, t):
        scope = self._stand_ins.scope(len(x))
        try:
            return self._session.request("call_method", label=f"TwoLayerNet.{name}",
                                         scope=scope, target=self._proxy._ref(), name=name,
                                         args=(x, t), kwargs={})
        finally:  # the grader's own record, for the checks' diagnosis
            self.refusal = scope.refusal


_stub_ids = itertools.count(secrets.randbits(40))  # never reused in one grading process


def _build(session, stand_ins, sizes, params, kinds, dtype, data_dir):
    stubs = [next(_stub_ids) for _ in range(8)]
    built = session.request("build_network", label="TwoLayerNet (the given __init__)",
                            sizes=list(sizes), params=params, dtype=dtype,
                            kinds=list(kinds), stubs=stubs)
    if not isinstance(built, dict) or not isinstance(built.get("net"), RemoteObject):
        raise CheckFailed(say("channel_broken", what="TwoLayerNet",
                              how="an answer that is not a network"))
    answers = stand_ins(sizes, built.get("placed"), stubs)
    return SandboxedNetwork(session, built["net"], answers, built.get("shared") is True,
                            data_dir, _known_kinds(built.get("subclassed")))


def _known_kinds(value):
    """The layer kinds named in ``value`` (the worker's list of names), in a fixed order;
    anything else in it is ignored (an array would not even compare to a name)."""
    names = {item for item in value if isinstance(item, str)} if isinstance(value, list) \
        else set()
    return tuple(kind for kind in STAND_IN_KINDS if kind in names)


class _EarlyTraining:
    """A training run in a thread of its own, on a worker of its own."""

    def __init__(self, code, train, kinds):
        self.train, self.kinds = train, tuple(sorted(kinds))
        self._value = self._error = None
        self._session = code._session.sibling()  # forked with the checks' worker, if it can
        view = copy.copy(code)  # the same code, whose training network lives in that worker
        view._early, view._train_here = None, False
        view._next_session = lambda: self._session
        # In the context of the grading (the submission's language, say).
        self._thread = threading.Thread(target=contextvars.copy_context().run,
                                        args=(self._run, view), daemon=True)
        self._thread.start()

    def _run(self, code):
        try:
            self._value = self.train(code, self.kinds)
        except BaseException as error:  # handed to the thread that asks for the result
            self._error = error

    def matches(self, train, kinds):
        return train == self.train and tuple(sorted(kinds)) == self.kinds

    def result(self):
        self._thread.join()  # bounded: every request of the run has a deadline
        if self._error is not None:
            raise self._error
        return self._value

    def cancel(self):
        self._session.cancel()  # its requests now fail at once
        self._thread.join(timeout=10)
