"""The grader's trusted numerics: central differences and relative error."""

import numpy as np
import pytest

from selfcheck.numerics import (
    FLOOR,
    away_from_zero,
    numerical_gradient,
    relative_error,
    softmax_cross_entropy,
)


def test_numerical_gradient_of_a_known_function():
    """Does the central difference of sum(sin(x) * dout) give cos(x) * dout?"""
    rng = np.random.default_rng(0)
    x, dout = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    grad = numerical_gradient(np.sin, x.copy(), dout)
    assert relative_error(grad, np.cos(x) * dout) < 1e-9


def test_numerical_gradient_restores_its_input():
    """Is x exactly as it was after the perturbations?"""
    x = np.linspace(-1, 1, 7)
    before = x.copy()
    numerical_gradient(lambda a: a**3, x, np.ones(7))
    assert np.array_equal(x, before)


def test_relative_error_has_a_floor():
    """Are two near-zero gradients (numerical noise) considered equal?"""
    assert relative_error(np.array([1e-12]), np.array([0.0])) == pytest.approx(1e-12 / FLOOR)
    assert relative_error(np.array([2.0]), np.array([1.0])) == pytest.approx(0.5)


def test_relative_error_of_nan_fails_comparisons():
    """Does a NaN gradient give an error that no tolerance accepts?"""
    error = relative_error(np.array([np.nan]), np.array([1.0]))
    assert not error <= 1e-6


def test_softmax_cross_entropy_gradient_is_y_minus_t_over_n():
    """Is the exact loss's gradient (y - t) / N, for labels and one-hot alike?"""
    rng = np.random.default_rng(1)
    x, labels = rng.standard_normal((5, 4)), rng.integers(0, 4, 5)
    y = np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)
    expected = (y - np.eye(4)[labels]) / 5
    for t in (labels, np.eye(4)[labels]):
        grad = numerical_gradient(lambda a, t=t: softmax_cross_entropy(a, t), x.copy(), 1.0)
        assert relative_error(grad, expected) < 1e-8


def test_away_from_zero_keeps_a_margin():
    """Are all values at least the margin away from ReLU's kink?"""
    x = away_from_zero(np.random.default_rng(2), (1000,), margin=0.01)
    assert np.min(np.abs(x)) >= 0.01
