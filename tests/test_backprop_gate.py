"""Does the gate tell backprop from numerical differentiation, and never the other way?

Every gradient of ``tests/catalog/not_backprop.py`` (finite differences of the forward
pass or of the loss, in every form tried) must lose its whole part, with a message that
says why, while every other part keeps full marks; every correct variant of the catalog
keeps full marks (``tests/test_bug_catalog.py``). The table printed here is the calibration
of ``EXACT_TOL`` (``selfcheck/numerics.py``): the errors of analytic forms and of finite
differences on the probes' inputs.
"""

import functools
import sys
from pathlib import Path

import numpy as np
import pytest

import solutions
from autograder.checks import backprop_gate, layer_pass
from selfcheck.numerics import (
    EXACT_TOL,
    OFFSET_SCORES_TOL,
    relative_error,
    softmax_cross_entropy,
)

if str(Path(__file__).resolve().parent) not in sys.path:  # tests/ is not a package
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from catalog.not_backprop import NOT_BACKPROP, _elementwise, _loop  # noqa: E402


@pytest.mark.parametrize("cheat", NOT_BACKPROP, ids=lambda cheat: cheat.id)
def test_numerical_differentiation_loses_its_part(grade_gradient_parts, cheat):
    """Does a gradient by finite differences score 0 on its part, saying why?"""
    part = grade_gradient_parts([cheat.part], **{cheat.replaces: cheat.cls})[cheat.part]
    assert part.score == 0, [(c.check.name, c.passed, c.message[:120]) for c in part.checks]
    gate = next(check for check in part.checks if check.check.gate)
    assert not gate.passed and "numerical differentiation" in gate.message


class SlowAffine(solutions.Affine):
    """Exact, but slower at full size than the (shortened) limit allows."""

    def backward(self, dout):
        if self.x.size > 10_000:
            import time

            time.sleep(0.3)
        return super().backward(dout)


def test_exact_but_too_slow_at_full_size_loses_its_part(grade_gradient_parts, monkeypatch):
    """Is an exact backward that takes longer than the limit at full size (numerical
    differentiation by complex steps would) failed, with the reason?"""
    monkeypatch.setattr(backprop_gate, "FULL_SIZE_SECONDS", 0.1)
    part = grade_gradient_parts(["affine_backward"], Affine=SlowAffine)["affine_backward"]
    gate = next(check for check in part.checks if check.check.gate)
    assert part.score == 0 and "took more than 0.1 s" in gate.message


class CountingLayers:
    """Reference layers that count their backward passes at full size or wide (inputs of
    more than 50,000 numbers)."""

    def __init__(self):
        self.full_size = {}

    def counted(self, base):
        counts = self.full_size

        class Counted(base):
            def backward(self, dout):
                kept = self.y if base is solutions.SoftmaxWithLoss else self.x
                if kept.size > 50_000:
                    counts[base.__name__] = counts.get(base.__name__, 0) + 1
                return super().backward(dout)

        return Counted


def test_full_size_probes_run_on_the_first_seed_only(grade_gradient_parts):
    """Does each gate ask its full-size and wide questions once per grade (the first
    seed's case), while the other seeds' cases still ask their exactness probes?"""
    layers = CountingLayers()
    parts = grade_gradient_parts(["affine_backward", "softmax_with_loss_backward"],
                                 Affine=layers.counted(solutions.Affine),
                                 SoftmaxWithLoss=layers.counted(solutions.SoftmaxWithLoss))
    assert layers.full_size == {"Affine": 2, "SoftmaxWithLoss": 2}
    assert all(part.score == part.max_score for part in parts.values())


def _probe_errors():
    """{probe: (largest error of an analytic form, smallest of a finite difference)}."""
    rng = np.random.default_rng(0)
    sigmoid = solutions.SigmoidForward().forward
    rows = {}
    x = layer_pass.saturated(rng, (4, 25))
    dout = rng.standard_normal(x.shape)
    y = sigmoid(x)
    exact = dout * y * (1 - y)
    analytic = [dout * (y - y * y), dout * np.exp(-x) / (1 + np.exp(-x)) ** 2,
                dout * np.exp(-np.logaddexp(0, -x) - np.logaddexp(0, x))]
    numerical = [_elementwise(sigmoid, x, dout, h) for h in (1e-3, 1e-4, 1e-5, 1e-6)]
    numerical += [_elementwise(sigmoid, x, dout, h, "five_point")
                  for h in (1e-1, 3e-2, 1e-2, 8e-3, 5e-3, 1e-3)]
    rows["sigmoid, saturated"] = _extremes(exact, analytic, numerical)
    x = layer_pass.extreme_magnitudes(rng, (4, 25))
    dout = rng.standard_normal(x.shape)
    relu = solutions.ReluForward().forward
    with np.errstate(all="ignore"):
        numerical = [_elementwise(lambda a: relu(a.copy()), x, dout, h)
                     for h in (1e-3, 1e-5, 2.0 ** -20)]
    rows["relu, 1e-300 to 1e300"] = _extremes(dout * (x > 0), [np.where(x > 0, dout, 0)],
                                              numerical)
    rows["softmax, scores + 1e6"] = _offset_scores(rng)
    return rows


def _offset_scores(rng, trials=5):
    """(analytic, numerical, OFFSET_SCORES_TOL, margin) for softmax with loss on scores
    offset by 1e6, over ``trials`` draws: the analytic forms (y - t) / N from x - max and
    from x - logsumexp(x); finite differences of the exact loss, central and 5-point."""
    steps = {"central": (1e-2, 1e-3, 1e-4), "five_point": (1e-1, 1e-2, 1e-3)}
    analytic, numerical = 0.0, np.inf
    for _ in range(trials):
        x, t = 2.0 * rng.standard_normal((6, 5)) + 1e6, rng.integers(0, 5, size=6)
        one_hot = np.eye(5)[t]
        exact = (solutions.functions.softmax(x) - one_hot) / 6
        shifted = x - x.max(axis=1, keepdims=True)
        lse = x.max(axis=1, keepdims=True) + np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        analytic = max(analytic, relative_error((np.exp(x - lse) - one_hot) / 6, exact))
        loss = functools.partial(softmax_cross_entropy, t=t)
        numerical = min(numerical, *(_error(_loop(loss, x.copy(), h, stencil), exact)
                                     for stencil in steps for h in steps[stencil]))
    return analytic, numerical, OFFSET_SCORES_TOL, 3  # see OFFSET_SCORES_TOL


def _extremes(exact, analytic, numerical):
    return (max(relative_error(a, exact) for a in analytic),
            min(_error(n, exact) for n in numerical), EXACT_TOL, 5)


def _error(got, exact):
    error = relative_error(got, exact)
    return error if np.isfinite(error) else np.inf


def test_exact_tolerance_separates_backprop_from_differences(capsys):
    """Is each probe's tolerance (EXACT_TOL, OFFSET_SCORES_TOL) at least 5x above every
    analytic form and its margin (5x; 3x for offset scores, where the wide probe decides)
    below every finite difference on the probe's inputs?"""
    rows = _probe_errors()
    with capsys.disabled():
        print(f"\n{'probe':28s} {'analytic (max)':>15s} {'differences (min)':>18s} "
              f"{'tolerance':>10s}")
        for name, (analytic, numerical, tol, _) in rows.items():
            print(f"{name:28s} {analytic:15.2e} {numerical:18.2e} {tol:10.0e}")
    for analytic, numerical, tol, margin in rows.values():
        assert analytic * 5 <= tol <= numerical / margin
