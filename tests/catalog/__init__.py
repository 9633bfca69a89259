"""The catalog of student code: mistakes students make (:mod:`catalog.bugs`), correct
solutions written differently from the reference (:mod:`catalog.variants`), and gradients
computed without backprop (:mod:`catalog.not_backprop`).

Each entry is a class that subclasses a reference class from ``solutions`` and overrides
the method the student wrote (``backward``, ``gradient``) or, where the mistake is there,
``forward``. ``tests/test_bug_catalog.py`` grades each one with the hidden checks.
"""

from dataclasses import dataclass

from autograder.in_process_code import REQUIRED_CLASSES


def replaced_class(cls):
    """The name of the assignment's class that ``cls`` stands in for (its reference base)."""
    for base in cls.__mro__:
        if base.__name__ in REQUIRED_CLASSES and base.__module__.startswith("solutions"):
            return base.__name__
    raise TypeError(f"{cls.__name__} does not subclass a reference class of the assignment")


@dataclass(frozen=True)
class Bug:
    """A realistic mistake, and what grading must make of it.

    part: the rubric part that must lose points (every other gradient part keeps all).
    checks: the rubric checks of that part that must fail, and no others.
    expect: the key, in ``selfcheck.messages``, of the message the student must see.
    text: instead of ``expect``, a literal text the message must contain, for the few
        messages the checks write themselves rather than take from ``selfcheck.messages``.
    gap: if set, why the current diagnosis engine misses this one (the case is xfail).
    """

    id: str
    cls: type
    part: str
    checks: tuple
    expect: str = ""
    text: str = ""
    gap: str = ""

    @property
    def replaces(self):
        return replaced_class(self.cls)


@dataclass(frozen=True)
class Variant:
    """A correct implementation written differently: it must get full marks everywhere.

    gap: if set, why the current checks wrongly take points from it (the case is xfail).
    """

    id: str
    cls: type
    gap: str = ""

    @property
    def replaces(self):
        return replaced_class(self.cls)


@dataclass(frozen=True)
class NotBackprop:
    """A gradient computed by numerical differentiation: its whole part must score 0."""

    id: str
    cls: type
    part: str

    @property
    def replaces(self):
        return replaced_class(self.cls)
