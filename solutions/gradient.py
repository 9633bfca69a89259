"""The book's numerical gradient (given to students; used by TwoLayerNet.numerical_gradient)."""

import numpy as np


def numerical_gradient(f, x):
    """Central-difference gradient of a scalar function ``f`` at the array ``x``.

    f: callable taking ``x`` (it may ignore the argument and read ``x`` through a closure,
       as ``TwoLayerNet.numerical_gradient`` does) and returning a float.
    x: float array of any shape; it is perturbed in place, one element at a time, and
       restored exactly afterwards.
    Returns grad with grad.shape == x.shape.
    """
    h = 1e-4  # the book's step: a good trade-off between truncation and rounding error
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    while not it.finished:
        idx = it.multi_index
        original = x[idx]
        x[idx] = original + h
        f_plus = f(x)
        x[idx] = original - h
        f_minus = f(x)
        grad[idx] = (f_plus - f_minus) / (2 * h)
        x[idx] = original
        it.iternext()
    return grad
