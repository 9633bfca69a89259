"""The student's classes, gathered from a notebook's namespace or a module."""

import importlib

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
