"""What the checks expect, phrased for students.

Every check calls student code through :func:`call_student` and compares results with the
``expect_*`` helpers. A failure raises :class:`CheckFailed` whose message is the whole of
what the student sees: what was expected, what came back, what that usually means. Hidden
inputs are never printed (only shapes).
"""

import contextlib
import traceback
from pathlib import Path

import numpy as np

import autograder
import solutions
from autograder.numerics import relative_error


class CheckFailed(AssertionError):
    """A check failed; ``str(error)`` is the message for the student."""


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


def call_student(what, fn, *args, **kwargs):
    """Call ``fn(*args, **kwargs)`` (student code named ``what``, e.g. "Relu.backward").

    Any exception becomes a CheckFailed naming the method, the exception and the student's
    own line where it happened.
    """
    try:
        return fn(*args, **kwargs)
    except CheckFailed:
        raise
    except NotImplementedError:
        raise CheckFailed(f"{what} is not written yet: it raised NotImplementedError. "
                          "Replace the `raise NotImplementedError(...)` line with your code."
                          ) from None
    except Exception as error:  # student code may raise anything: report, don't crash
        raise CheckFailed(f"{what} raised {type(error).__name__}: {error}"
                          f"{_student_line(error)}") from None


# Frames from these folders are never the student's: numpy, pytest, the grader, and the
# reference layers the network checks swap in (whose lines must not be shown either).
_NOT_STUDENT = ("/numpy/", "/_pytest/",
                Path(autograder.__file__).parent.as_posix() + "/",
                Path(solutions.__file__).parent.as_posix() + "/")


def _student_line(error):
    """' (in f, line N: `code`)' for the innermost frame of the student's own code."""
    frames = traceback.extract_tb(error.__traceback__)
    for frame in reversed(frames):
        name = frame.filename.replace("\\", "/")
        if any(folder in name for folder in _NOT_STUDENT):
            continue
        where = f"line {frame.lineno}" if frame.lineno else "a line"
        code = f": `{frame.line.strip()}`" if frame.line else ""
        return f" (in {frame.name}, {where}{code})"
    return ""


def expect_array(what, value, shape):
    """Check that ``value`` is a numeric array (or scalar) of ``shape``; return float64."""
    if value is None:
        raise CheckFailed(f"{what} returned None. Is a `return` missing?")
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise CheckFailed(f"{what} returned a {type(value).__name__}, "
                          "which is not an array of numbers.") from None
    if array.shape != tuple(shape):
        raise CheckFailed(f"{what} has shape {array.shape}, expected {tuple(shape)}.")
    if not np.all(np.isfinite(array)):
        raise CheckFailed(f"{what} contains NaN or infinity.")
    return array


def expect_pair(what, value):
    """Check that a backward of a two-input node returned a pair (dx, dy)."""
    if value is None:
        raise CheckFailed(f"{what} returned None. Is a `return dx, dy` missing?")
    if not isinstance(value, tuple | list) or len(value) != 2:
        raise CheckFailed(f"{what} should return two gradients, (dx, dy); "
                          f"it returned a {type(value).__name__}.")
    return value


def expect_close(what, got, expected, tol, reason="does not match the expected values"):
    """Check that two same-shape arrays agree to relative error ``tol``."""
    error = relative_error(got, expected)
    for log in _recorders:
        log.append((what, error, tol))
    if not error <= tol:  # written this way so that NaN fails too
        raise CheckFailed(f"{what} {reason} (relative error {error:.1e}, allowed {tol:.0e}).")
    return error


def expect_gradient(what, got, numerical, tol):
    """Check a backprop gradient against the numerical one."""
    return expect_close(what, got, numerical, tol,
                        reason="does not match the numerical gradient")
