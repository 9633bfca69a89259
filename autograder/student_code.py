"""The student's classes in the grader's own process (trusted code: tests, calibration).

Submissions never run this way: :class:`autograder.sandbox.remote.RemoteStudentCode` has
the same interface and runs the code in a sandboxed worker. Both offer:

- ``code.Relu`` ...: a required class, or CheckFailed naming what is missing;
- ``prepare_network``, ``parameter_state``, ``train_on_mnist``: what the network checks do
  to a network (written once, in :mod:`autograder.sandbox.student_side`);
- ``part_failed(part)``: called by the runner as soon as a part fails.
"""

import importlib

from autograder.sandbox import student_side

# The names the assignment asks for, in notebook order.
REQUIRED_CLASSES = (
    "MulLayer",
    "AddLayer",
    "Relu",
    "Sigmoid",
    "Affine",
    "SoftmaxWithLoss",
    "TwoLayerNet",
)


class StudentCode:
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

    def part_failed(self, part):
        """Told by the runner when a part fails (the sandboxed code acts on it)."""

    def prepare_network(self, net, params, kinds):
        from autograder.reference_layers import reference_layer

        return student_side.prepare_network(net, params, reference_layer, kinds)

    def parameter_state(self, net):
        return student_side.parameter_state(net)

    def train_on_mnist(self, kinds, **settings):
        from autograder.expectations import call_student
        from autograder.mnist_check import training_data
        from autograder.reference_layers import reference_layer
        from solutions.training import sgd_step

        return student_side.train_network(
            lambda dtype: self.TwoLayerNet(784, 50, 10, dtype=dtype), sgd_step,
            training_data(),
            make_layer=reference_layer, kinds=tuple(kinds), call=call_student, **settings)
