"""The student's classes in the grader's own process (trusted code: tests, calibration).

Submissions never run this way: :class:`autograder.sandbox.sandboxed_code.SandboxedCode` has
the same interface and runs the code in a sandboxed worker. Both offer:

- ``code.Relu`` ...: a required class, or CheckFailed naming what is missing;
- ``build_network``, ``training_network``: the student's network built by the grader (written
  once, in :mod:`autograder.sandbox.network_driver`), with ``loss``, ``gradient``,
  ``parameter_state``, ``mnist_train`` and ``mnist_states``;
- ``make_and_use(cls, steps)``: an object of a class made and used (forward, backward,
  its attributes read) in one go, each step's outcome kept for the checks to judge in order;
- ``time_limit(seconds)``: calls in the block must finish in time (TimedOut);
- ``train_on_mnist(train, kinds)``; ``layer_failed(kind)``: called by the runner as soon as
  a layer of the network fails its checks.
"""

import contextlib
import importlib
import time

from autograder.sandbox import network_driver
from autograder.sandbox.proxies import Outcome
from selfcheck.assignment import CLASSES as REQUIRED_CLASSES  # in notebook order


class InProcessCode:
    """The classes under test, looked up by name (``code.Relu``).

    A missing name raises :class:`autograder.expectations.CheckFailed` with a message for
    the student, so one missing class fails only the checks that need it.
    """

    def __init__(self, classes, origin):
        self._classes = dict(classes)
        self.origin = origin

    @classmethod
    def from_namespace(cls, namespace, origin="the notebook"):
        """Take the required classes from a dict such as a notebook's ``globals()``."""
        return cls({n: namespace[n] for n in REQUIRED_CLASSES if n in namespace}, origin)

    @classmethod
    def from_module(cls, module_name):
        """Take the required classes from an importable module (``solutions``, say)."""
        module = importlib.import_module(module_name)
        return cls.from_namespace(vars(module), origin=f"module {module_name}")

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        from autograder.expectations import CheckFailed
        from selfcheck.messages import say

        try:
            found = self._classes[name]
        except KeyError:
            raise CheckFailed(say("missing_class", name=name)) from None
        if not isinstance(found, type):
            raise CheckFailed(say("not_a_class", name=name, type=type(found).__name__))
        return found

    @staticmethod
    def make_and_use(cls, steps):
        """Make an object of ``cls`` and use it, step by step (see
        :meth:`autograder.sandbox.session.Session.make_and_use`): one
        :class:`~autograder.sandbox.proxies.Outcome` per step; the first exception ends
        the steps, and those after it fail the same way."""
        outcomes = [Outcome(value, error) for value, error in network_driver.run_steps(
            cls, [(name, args) for _, name, args in steps])]
        while len(outcomes) < len(steps):
            outcomes.append(Outcome(error=outcomes[-1].error))
        return outcomes

    @contextlib.contextmanager
    def time_limit(self, seconds):
        """The block must finish within ``seconds`` (measured after the fact: code that
        runs in-process cannot be stopped)."""
        from autograder.sandbox.session import TimedOut
        from selfcheck.messages import say

        start = time.perf_counter()
        yield
        if time.perf_counter() - start > seconds:
            raise TimedOut(say("timed_out", what=say("what_the_call"), seconds=seconds))

    def build_network(self, sizes, params, kinds, dtype="float64"):
        from autograder.reference_layers import reference_layer

        net, report = network_driver.build_network(self.TwoLayerNet, sizes, params, dtype,
                                                 reference_layer, kinds)
        return LocalNetwork(net, report["shared"])

    @contextlib.contextmanager
    def training_network(self, sizes, params, kinds, dtype="float64"):
        yield self.build_network(sizes, params, kinds, dtype)

    def train_on_mnist(self, train, kinds):
        return train(self, kinds)

    def layer_failed(self, kind):
        """Told by the runner when a layer fails (the sandboxed code acts on it)."""

    def close(self):
        """Nothing to stop in-process."""


class LocalNetwork:
    """A student's network in this process, with the interface of
    :class:`autograder.sandbox.sandboxed_code.SandboxedNetwork`."""

    subclassed = ()  # its stand-ins are the reference's own layers, never subclasses

    def __init__(self, net, shared):
        self.net, self.shared = net, shared

    def loss(self, x, t):
        return self.net.loss(x, t)

    def gradient(self, x, t):
        return self.net.gradient(x, t)

    def parameter_state(self):
        return network_driver.parameter_state(self.net)

    def set_parameters(self, params):
        network_driver.set_parameters(self.net, params)

    def mnist_train(self, params, batches, lr, dtype, seconds):
        """The grader's SGD run; ``seconds`` bounds it only in the sandbox (code in this
        process cannot be stopped)."""
        from autograder.mnist_data import training_set

        x_train, t_train = training_set()
        commitments, self._states = network_driver.train_committed(
            self.net, params, batches, lr, (x_train, t_train), dtype)
        return commitments

    def mnist_states(self, steps, reply_limit):
        """The parameters after ``steps``; ``reply_limit`` bounds only a sandbox's reply."""
        return {step: self._states[step] for step in steps}
