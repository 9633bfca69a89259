"""The gate that tells backprop from numerical differentiation: exact where finite
differences cannot be, and fast at full size."""

from autograder.expectations import CheckFailed
from autograder.sandbox.session import TimedOut
from selfcheck.diagnosis import named
from selfcheck.messages import say
from selfcheck.numerics import EXACT_TOL, GRADIENT_TOL

# Calls at full size (Affine 784 -> 50 and the network at batch 100, softmax over 1,000
# classes) must finish within this: backprop takes milliseconds and Python loops over the
# batch ~0.1 s, while numerical differentiation needs one or two forward passes per input
# element: 30 s or more. (Python loops over every scalar of Affine's products, ~12 million
# steps, take ~13 s: too slow as well, and the message says so.) The full-size probe runs
# on the first seed only (the checks pass it as None otherwise): its time does not depend
# on the values, and at full size the grader's references and the arrays crossing to the
# sandbox were a tenth of a correct notebook's grading time when all three seeds ran it.
FULL_SIZE_SECONDS = 10.0
# The wide probes take backprop milliseconds, but any way of differentiating the forward
# pass needs a pass per input column or class: finite differences, and complex-step
# differentiation, which is exact and so passes every probe of exactness (a red team's 50
# points), ~100 s or more. Affine: 100,000 inputs, batch 2. Softmax: 10,000 classes,
# batch 10: correct code may make its one-hot rows with np.eye(C), C x C numbers to zero,
# 0.8 GB (~0.1 s), even once per sample; a pass per class costs ~30x that.
WIDE_INPUTS = 100_000
WIDE_CLASSES, WIDE_BATCH = 10_000, 10


def expect_backprop(code, what, earned, ordinary, probes, full_size=(), tol=GRADIENT_TOL):
    """The gate of a part: fail only on evidence that ``what`` is not computed by backprop.

    ordinary(): the relative error of the student's gradient against the exact one on
    ordinary inputs, drawn as the part's main numerical check draws them.
    earned: whether that check passed. If it did, its points are what the gate protects,
    and the method must be right here too (code that is wrong only where the gate asks
    is hiding something). If it did not and the method is wrong or fails here, there is
    no evidence either way: the part's other checks judge it, and this passes.
    probes: [(where, probe)] or [(where, probe, tolerance)], each probe() the relative
    error on inputs where finite differences lose their precision (default tolerance:
    EXACT_TOL). full_size: [(where, probe)] at full size or wide, each of which must also
    finish within FULL_SIZE_SECONDS (empty: not on this seed).
    Right on ordinary inputs, a backward must then be exact (EXACT_TOL) there and on every
    probe, and finish in time; right-but-inexact is what finite differences give.
    """
    where = say("probe_ordinary")
    try:
        error = ordinary()
    except CheckFailed as failure:
        if earned:
            raise CheckFailed(named("not_backprop_failed", what=what, where=where,
                                  reason=failure)) from None
        return
    if not error <= tol:
        if earned:
            raise CheckFailed(named("not_backprop_inconsistent", what=what, error=error))
        return
    _expect_exact(what, where, error)
    for where, probe, *probe_tol in probes:
        _expect_exact(what, where, _probe(what, where, probe), *probe_tol)
    for where, probe in full_size:
        try:
            with code.time_limit(FULL_SIZE_SECONDS):
                error = _probe(what, where, probe)
        except TimedOut:
            raise CheckFailed(named("not_backprop_slow", what=what, where=where,
                                  seconds=FULL_SIZE_SECONDS)) from None
        _expect_exact(what, where, error)


def _probe(what, where, probe):
    try:
        return probe()
    except TimedOut:
        raise
    except CheckFailed as failure:
        raise CheckFailed(named("not_backprop_failed", what=what, where=where,
                              reason=failure)) from None


def _expect_exact(what, where, error, tol=EXACT_TOL):
    if not error <= tol:
        raise CheckFailed(named("not_backprop_inexact", what=what, where=where, error=error,
                              tol=tol))
