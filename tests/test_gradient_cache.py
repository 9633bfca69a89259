"""Does the gradient cache give the very gradient central differences give, compute it once
per function and inputs (arrays by content), hand out copies the caller may change, and
never cache a function that closes over something it cannot fingerprint?"""

import numpy as np
import pytest

import solutions
from autograder.checks import gradient_cache
from autograder.checks.gradient_cache import cached_numerical_gradient
from selfcheck.numerics import numerical_gradient


@pytest.fixture
def computed(monkeypatch):
    """An empty cache; the list of the x each numerical gradient was computed at."""
    monkeypatch.setattr(gradient_cache, "_CACHE", {})
    calls = []

    def counting(f, x, dout):
        calls.append(x.copy())
        return numerical_gradient(f, x, dout)

    monkeypatch.setattr(gradient_cache, "_numerical_gradient", counting)
    return calls


def _inputs(seed=0, shape=(3, 4)):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(shape), rng.standard_normal(shape)


def _affine_loss(w, ref=solutions):
    """f(x) = sigmoid(tanh(x) @ w), closing over the array w and the reference package
    (as the hidden checks close over theirs)."""
    return lambda x: ref.Sigmoid().forward(np.tanh(x) @ w)


def test_a_second_call_returns_the_first_result_without_computing(computed):
    """Same function code, an equal closure and equal inputs (other array objects): is the
    gradient computed once, and both answers exactly the uncached numerical gradient?"""
    x, _ = _inputs()
    w = np.random.default_rng(1).standard_normal((4, 4))
    dout = np.random.default_rng(2).standard_normal((3, 4))
    first = cached_numerical_gradient(_affine_loss(w), x, dout)
    second = cached_numerical_gradient(_affine_loss(w.copy()), x.copy(), dout.copy())
    assert len(computed) == 1
    uncached = numerical_gradient(_affine_loss(w), x.copy(), dout)
    # Exact: the same arithmetic on the same values, once stored and once not.
    np.testing.assert_array_equal(first, uncached)
    np.testing.assert_array_equal(second, uncached)


def test_the_callers_x_is_left_as_it_was(computed):
    """Is the caller's x unchanged (the cache differentiates a copy)?"""
    x, dout = _inputs()
    before = x.copy()
    cached_numerical_gradient(lambda a: np.sin(a), x, dout)
    np.testing.assert_array_equal(x, before)


def test_returned_copies_are_fresh(computed):
    """Does changing a returned gradient in place leave the cached one (and the next
    answer) untouched?"""
    x, dout = _inputs()
    f = lambda a: np.tanh(a)  # noqa: E731
    first = cached_numerical_gradient(f, x, dout)
    expected = first.copy()
    first[...] = 0.0
    second = cached_numerical_gradient(f, x, dout)
    assert second is not first and len(computed) == 1
    np.testing.assert_array_equal(second, expected)
    (stored,) = gradient_cache._CACHE.values()
    assert stored is not second


class _StudentLayer:
    def forward(self, x):
        return np.tanh(x)


@pytest.mark.parametrize("untrusted", [
    _StudentLayer(),
    np,  # a module, but not the reference's
    _StudentLayer().forward,  # a bound method: its object comes with it
    [1.0, ("nested", _StudentLayer())],
    {"layer": _StudentLayer()},
], ids=["object", "module", "bound method", "deep in a list", "in a dict"])
def test_a_closure_over_anything_else_is_never_cached(computed, untrusted):
    """A function whose closure holds an object it cannot fingerprint (a student's layer,
    say, whose behaviour may change between calls): is it computed every time, and is
    nothing stored?"""
    x, dout = _inputs()

    def f(a):
        assert untrusted is not None
        return np.tanh(a)

    for _ in range(2):
        cached_numerical_gradient(f, x, dout)
    assert len(computed) == 2 and gradient_cache._CACHE == {}


def test_arrays_are_keyed_by_content(computed):
    """Equal values in other arrays share an entry; other values, another dtype or another
    shape of the same bytes do not?"""
    x, dout = _inputs(shape=(2, 3))
    f = lambda a: np.sin(a)  # noqa: E731
    cached_numerical_gradient(f, x, dout)
    cached_numerical_gradient(f, np.array(x, order="F"), dout.copy())  # same values
    assert len(computed) == 1
    cached_numerical_gradient(f, x + 1.0, dout)
    cached_numerical_gradient(f, x.astype(np.float32), dout)
    cached_numerical_gradient(f, x.reshape(3, 2), dout.reshape(3, 2))
    cached_numerical_gradient(f, x, 2 * dout)
    assert len(computed) == 5


def test_an_array_changed_in_place_in_the_closure_is_a_new_key(computed):
    """The function closes over w, and w changes in place between calls: is the gradient
    recomputed (not the stale one handed out)?"""
    x, dout = _inputs()
    w = np.eye(4)
    f = _affine_loss(w)
    first = cached_numerical_gradient(f, x, dout)
    w *= 3.0
    second = cached_numerical_gradient(f, x, dout)
    assert len(computed) == 2
    assert not np.allclose(first, second)


def test_defaults_are_part_of_the_key(computed):
    """The same code with other default values (positional or keyword-only), as a loop
    binds ``key=key``: does each get its own gradient?"""
    x, dout = _inputs()
    positional = [lambda a, s=s: s * np.sin(a) for s in (1.0, 2.0)]
    keyword = [lambda a, *, s=s: s * np.sin(a) for s in (1.0, 2.0)]
    for functions in (positional, keyword):
        one, two = (cached_numerical_gradient(f, x, dout) for f in functions)
        np.testing.assert_allclose(two, 2 * one, rtol=1e-7, atol=1e-9)


def test_a_full_cache_is_cleared(computed, monkeypatch):
    """At the size limit, is the cache emptied before the next entry is stored (the
    memory a grading process holds stays bounded)?"""
    monkeypatch.setattr(gradient_cache, "_LIMIT", 2)
    x, dout = _inputs(shape=(2,))
    f = lambda a: np.sin(a)  # noqa: E731
    for shift in (0.0, 1.0):
        cached_numerical_gradient(f, x + shift, dout)
    assert len(gradient_cache._CACHE) == 2
    cached_numerical_gradient(f, x + 2.0, dout)
    assert len(gradient_cache._CACHE) == 1
    cached_numerical_gradient(f, x, dout)  # cleared: computed again
    assert len(computed) == 4
