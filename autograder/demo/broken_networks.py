"""Broken networks that the MNIST check must fail (its calibration and tests).

Each is a drop-in ``TwoLayerNet`` whose layers and ``gradient`` formulas are right on the
small networks of the gradient checks, but whose training on MNIST is not gradient descent
with backprop gradients. (Layers holding copies are also caught earlier, by the
TwoLayerNet.gradient checks; the MNIST check must not rely on that.)
"""

import numpy as np

import solutions
from selfcheck import assignment


class StaleGradientNet(solutions.TwoLayerNet):
    """Computes the gradient once and returns it ever after: cheap, and wrong from the
    second step on."""

    def gradient(self, x, t):
        if not hasattr(self, "_first"):
            self._first = {key: value.copy() for key, value in super().gradient(x, t).items()}
        return self._first


class CopiedParamsNet(solutions.TwoLayerNet):
    """The Affine layers hold copies of W and b, so updating self.params changes nothing
    the network computes with."""

    def __init__(self, input_size, hidden_size, output_size, weight_init_std=0.01,
                 dtype=np.float64):
        super().__init__(input_size, hidden_size, output_size, weight_init_std, dtype)
        for name, (w, b) in {"Affine1": ("W1", "b1"), "Affine2": ("W2", "b2")}.items():
            self.layers[name] = solutions.Affine(self.params[w].copy(), self.params[b].copy())


def as_code(net_class):
    """A InProcessCode made of the reference layers and ``net_class`` as TwoLayerNet."""
    from autograder.in_process_code import REQUIRED_CLASSES, InProcessCode

    classes = {name: getattr(solutions, name) for name in REQUIRED_CLASSES}
    network = assignment.PART[assignment.NETWORK_PART].cls
    return InProcessCode({**classes, network: net_class}, origin=net_class.__name__)


__all__ = ["CopiedParamsNet", "StaleGradientNet", "as_code"]
