"""Helpers given to students in the notebook's first (read-only) cell.

Their source is copied into the notebook by the builder, so they must only use names that
cell defines (os, np, check_part, say, relative_error). Their words come from
:mod:`selfcheck.messages`, in the notebook's language.
"""

import os

import numpy as np

from selfcheck import check_part
from selfcheck.messages import say
from selfcheck.numerics import relative_error


def check_close(what, got, expected, tol=1e-6):
    """Visible check: say ✓, or raise AssertionError saying what was expected and what came.

    what: a description such as "dx of MulLayer.backward". got: the student's value.
    expected: the right value (scalar or array). tol: the largest relative error allowed,
    measured as the hidden checks measure it (:func:`selfcheck.numerics.relative_error`:
    the largest difference over the largest magnitude, with a floor), so that a visible
    check and a hidden one never disagree about the same numbers.
    """
    if got is None:
        raise AssertionError(say("visible_none", what=what))
    got = np.asarray(got, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    if got.shape != expected.shape:
        raise AssertionError(say("visible_shape", what=what, got=got.shape,
                                 expected=expected.shape))
    if not relative_error(got, expected) <= tol:  # written so that NaN fails too
        raise AssertionError(say("visible_values", what=what, got=got, expected=expected))
    print(f"✓ {what}")


def run_hidden_checks(part):
    """Say when the hidden checks of ``part`` run: never in this kernel.

    The grader runs them in its own process against a sandboxed copy of your code, and
    writes their result into this cell. ``nbgrader validate`` runs the part's public
    self-check here instead (and fails if it does). If nbgrader ever executes this cell to
    grade it (a configuration without the course's IsolatedAutograde), it fails, so that
    no points are given for checks that did not run.
    """
    mode = os.environ.get("NBGRADER_EXECUTION")
    if mode == "validate":
        return check_part(part, globals())
    if mode == "autograde":
        raise RuntimeError(say("hidden_checks_not_here", part=part))
    print(say("hidden_checks_later", part=part))
    return None
