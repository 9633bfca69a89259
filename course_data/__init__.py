"""Datasets for the backprop course.

``load_mnist`` returns MNIST (by Yann LeCun, Corinna Cortes and Christopher J.C. Burges,
CC BY-SA 3.0) with the interface of "Deep Learning from Scratch"; ``find_mnist`` locates
and verifies the four original .gz files; ``MnistError`` explains what is wrong and how to
fix it. The .gz files may be dropped into this directory; they are git-ignored.
"""

from .mnist import MnistError, find_mnist, load_mnist

__all__ = ["MnistError", "find_mnist", "load_mnist"]
