"""The trusted reference implementation of the backprop assignment.

This package is the single source of truth for every code cell of the assignment:
``autograder.authoring`` copies these classes verbatim into the nbgrader source notebook
(``assignments/backprop/backprop.ipynb``), with the ``### BEGIN/END SOLUTION`` regions that
``nbgrader generate_assignment`` replaces by stubs. Edit here, then rebuild the notebook with
``python -m autograder build-source``; a test fails if the two drift apart.

Layout follows Saito, *Deep Learning from Scratch*, chapter 5:

- :mod:`solutions.functions`: softmax and cross-entropy (given to students).
- :mod:`solutions.layers`: MulLayer, AddLayer, Relu, Sigmoid, Affine, SoftmaxWithLoss; each
  as a given ``...Forward`` class and the ``backward`` students write.
- :mod:`solutions.gradient`: the book's numerical gradient (given).
- :mod:`solutions.two_layer_net`: TwoLayerNet; students write ``gradient``.
- :mod:`solutions.training`: mini-batch SGD on MNIST with a history for plotting.
- :mod:`solutions.plotting`: training curves.
"""

from solutions.functions import cross_entropy_error, softmax
from solutions.gradient import numerical_gradient
from solutions.layers import (
    AddLayer,
    AddLayerForward,
    Affine,
    AffineForward,
    MulLayer,
    MulLayerForward,
    Relu,
    ReluForward,
    Sigmoid,
    SigmoidForward,
    SoftmaxWithLoss,
    SoftmaxWithLossForward,
)
from solutions.two_layer_net import TwoLayerNet, TwoLayerNetBase

__all__ = [
    "Affine",
    "AffineForward",
    "AddLayer",
    "AddLayerForward",
    "MulLayer",
    "MulLayerForward",
    "Relu",
    "ReluForward",
    "Sigmoid",
    "SigmoidForward",
    "SoftmaxWithLoss",
    "SoftmaxWithLossForward",
    "TwoLayerNet",
    "TwoLayerNetBase",
    "cross_entropy_error",
    "numerical_gradient",
    "softmax",
]
