"""Do warnings printed by correct code cost nothing? (Correct-but-different answers in
general are in the catalog: tests/test_bug_catalog.py and tests/catalog/variants.py.)"""

import numpy as np
import pytest

import solutions


class SigmoidNoisyDebug(solutions.Sigmoid):
    def backward(self, dout):
        print("debug:", np.log(np.zeros(1)))  # RuntimeWarning: divide by zero in log
        return dout * (1.0 - self.out) * self.out


def test_runtime_warning_costs_nothing(grade_gradient_parts):
    """Does a correct Sigmoid.backward whose debug print raises a RuntimeWarning get full
    marks?"""
    layer = SigmoidNoisyDebug()
    layer.forward(np.zeros(3))
    with pytest.warns(RuntimeWarning):
        layer.backward(np.ones(3))
    results = grade_gradient_parts(Sigmoid=SigmoidNoisyDebug)
    assert {pid: (r.score, r.max_score) for pid, r in results.items()} == \
        {pid: (r.max_score, r.max_score) for pid, r in results.items()}
