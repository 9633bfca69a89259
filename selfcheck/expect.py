"""What the checks expect, phrased for students (hidden checks and self-checks alike).

Every check calls student code through :func:`call_student` and compares results with the
``expect_*`` helpers. A failure raises :class:`CheckFailed` whose message is the whole of
what the student sees: what was expected, what came back, and, from
:mod:`selfcheck.diagnosis`, the mistake that usually causes it. Hidden inputs are never
printed (only shapes, and one element of a small array).
"""

import contextlib
import traceback
from pathlib import Path

import numpy as np

from selfcheck.diagnosis import (
    diagnose_error,
    diagnose_shape,
    diagnose_values,
    diagnosis_ids,
    named,
)
from selfcheck.messages import say
from selfcheck.numerics import relative_error


class CheckFailed(AssertionError):
    """A check failed; ``str(error)`` is the message for the student: its sentences, joined.

    ``diagnoses``: the ids of the mistakes those sentences name (the keys of the
    :class:`selfcheck.diagnosis.Diagnosis` among them), for results files and reports.
    """

    def __init__(self, *sentences):
        super().__init__(" ".join(str(s) for s in sentences if s))
        self.diagnoses = diagnosis_ids(sentences)


_recorders = []  # lists that receive (what, error, tol) of every comparison


@contextlib.contextmanager
def recording():
    """Record every comparison made inside the block (for calibrating tolerances)."""
    log = []
    _recorders.append(log)
    try:
        yield log
    finally:
        _recorders.remove(log)


def _fail(*sentences):
    raise CheckFailed(*sentences)


def call_student(what, fn, *args, hint=None, **kwargs):
    """Call ``fn(*args, **kwargs)`` (student code named ``what``, e.g. "Relu.backward").

    Any exception becomes a CheckFailed naming the method, the exception and the student's
    own line where it happened, with a diagnosis: ``hint(error)``'s, else the one the error
    itself gives (:func:`selfcheck.diagnosis.diagnose_error`). Exceptions re-raised from
    the grader's sandbox carry that line (``student_where``).
    """
    try:
        return fn(*args, **kwargs)
    except CheckFailed:
        raise
    except NotImplementedError:
        _fail(named("not_written", what=what))
    except Exception as error:  # student code may raise anything: report, don't crash
        _fail(named("raised", what=what,
                  error_type=type(error).__name__, error=error, where=student_line(error)),
              (hint(error) if hint else "") or diagnose_error(what, error))


# Frames from these folders are never the student's: numpy, pytest, the checks. The grader
# adds its own folders (and the reference's, whose lines must not be shown either).
NOT_STUDENT = ["/numpy/", "/_pytest/", Path(__file__).parent.as_posix() + "/"]


def not_student_code(folder):
    """Never point a student at lines under ``folder`` (a package directory)."""
    NOT_STUDENT.append(Path(folder).as_posix().rstrip("/") + "/")


def student_line(error):
    """' (in f, line N: `code`)' for the innermost frame of the student's own code."""
    where = getattr(error, "student_where", None)
    if isinstance(where, dict):  # from the sandbox, which found the frame itself
        return say("raised_where", function=where.get("function"), line=where.get("line"),
                   code=where.get("code"))
    frames = traceback.extract_tb(error.__traceback__)
    for frame in reversed(frames):
        name = frame.filename.replace("\\", "/")
        if any(folder in name for folder in NOT_STUDENT):
            continue
        return say("raised_where", function=frame.name, line=frame.lineno or "?",
                   code=(frame.line or "").strip())
    return ""


def type_name(value):
    """What ``value`` is, for a message: its type, and an array's dtype. The grader's
    proxies for objects left in its sandbox say the type of the object they stand for."""
    if isinstance(value, np.ndarray):
        return f"ndarray(dtype={value.dtype})"
    named_type = getattr(value, "type_name", None)
    return named_type if isinstance(named_type, str) else type(value).__name__


def expect_array(what, value, shape, target=None, context=None, *, none="returned_none"):
    """Check that ``value`` is a numeric array (or scalar) of ``shape``; return float64.

    none: the key of the message for a None value (by default: the method returned None).
    """
    if value is None:
        _fail(named(none, what=what))
    try:
        # converting would drop the imaginary part with only a warning
        if isinstance(value, np.ndarray | np.generic) and np.iscomplexobj(value):
            raise TypeError("complex")
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        _fail(say("not_numbers", what=what, type=type_name(value)))
    _expect_float(what, value)
    if array.shape != tuple(shape):
        _fail(say("wrong_shape", what=what, got=array.shape, expected=tuple(shape)),
              diagnose_shape(target or "", array.shape, shape, context))
    if not np.all(np.isfinite(array)):
        _fail(say("not_finite", what=what),
              diagnose_values(target or "", array, array, context) if target else "")
    return array


def _expect_float(what, value):
    """Every check passes float64 arrays (the MNIST run, in float32, is checked otherwise),
    so a numpy answer of another dtype lost values on the way: booleans and integers hold
    no fractions (np.zeros_like(self.mask), then filled, is boolean), float32 and float16
    were rounded on purpose. A single number may be an integer: the apple examples pass
    whole numbers (apple = 100), and some of their gradients are whole."""
    if not isinstance(value, np.ndarray | np.generic):
        return
    kind = value.dtype.kind
    if kind == "b" or (kind in "iu" and value.ndim):
        _fail(named("not_float", what=what, dtype=value.dtype))
    if kind == "f" and value.dtype.itemsize < 8:
        _fail(named("low_precision", what=what, dtype=value.dtype))


def expect_pair(what, value):
    """Check that a backward of a two-input node returned a pair (dx, dy)."""
    if value is None:
        _fail(named("returned_none", what=what))
    if not isinstance(value, tuple | list) or len(value) != 2:
        _fail(named("not_pair", what=what, type=type_name(value)))
    return value


def expect_close(what, got, expected, tol, reason=None, target=None, context=None):
    """Check that two same-shape arrays agree to relative error ``tol``."""
    error = relative_error(got, expected)
    for log in _recorders:
        log.append((what, error, tol))
    if not error <= tol:  # written this way so that NaN fails too
        _fail(say("mismatch", what=what, reason=reason or say("reason_expected"),
                  error=error, tol=tol),
              diagnose_values(target, got, expected, context) if target else "")
    return error


def expect_gradient(what, got, numerical, tol, target=None, context=None):
    """Check a backprop gradient against the numerical one."""
    return expect_close(what, got, numerical, tol, reason=say("reason_numerical"),
                        target=target, context=context)
