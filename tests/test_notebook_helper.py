"""What the notebook's hidden-check cells do during nbgrader autograde (and before it)."""

import sys
import warnings

import numpy as np
import pytest

import solutions
from autograder.authoring.notebook_helpers import run_hidden_checks
from autograder.notebook import HiddenChecksFailed, grade_part


def _namespace(**classes):
    """A notebook's globals(): the reference module's names, with ``classes`` swapped in."""
    return {**vars(solutions), **classes}


class AffineFlatDx(solutions.Affine):
    def backward(self, dout):  # right but for N-d inputs: dx is not reshaped
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        return dout @ self.W.T


class SigmoidNoisy(solutions.Sigmoid):
    def backward(self, dout):
        print("debugging Sigmoid.backward", file=sys.stderr)
        warnings.warn("a student's own warning", stacklevel=1)
        np.log(np.zeros(1))  # RuntimeWarning: divide by zero
        return dout * (1.0 - self.out) * self.out


def test_reference_gets_the_part_points(capsys):
    """Does grade_part return the part's full points, as a float (nbgrader's points for the
    cell), and print its report?"""
    points = grade_part("relu_backward", _namespace())
    assert points == 10.0 and type(points) is float
    out = capsys.readouterr().out
    assert "Relu.backward: 10 / 10 points" in out
    assert "✗" not in out


def test_nothing_defined_raises_naming_the_class():
    """With no classes at all, does grade_part raise HiddenChecksFailed naming the class?"""
    with pytest.raises(HiddenChecksFailed) as raised:
        grade_part("sigmoid_backward", {})
    message = str(raised.value)
    assert "`Sigmoid` is not defined" in message
    assert "Sigmoid.backward: 0 / 10 points" in message


def test_partial_credit(capsys):
    """Does a partly right method earn some but not all of the part's points?"""
    points = grade_part("affine_backward", _namespace(Affine=AffineFlatDx))
    assert 0 < points < 15
    out = capsys.readouterr().out
    assert f"Affine.backward: {points:g} / 15 points" in out
    assert "Affine.backward's dx has shape" in out


def test_no_stderr_from_student_output_or_warnings(capsys):
    """Does grade_part keep stderr empty (nbgrader gives 0 to a cell writing there) even when
    the student's code prints to stderr and raises warnings?"""

    def show_on_stderr(message, category, filename, lineno, file=None, line=None):
        sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))

    with warnings.catch_warnings():  # as in a notebook: warnings are shown on stderr
        warnings.simplefilter("always")
        warnings.showwarning = show_on_stderr
        layer = SigmoidNoisy()
        layer.forward(np.zeros(2))
        layer.backward(np.ones(2))
        assert "RuntimeWarning" in capsys.readouterr().err  # the setup does show them

        points = grade_part("sigmoid_backward", _namespace(Sigmoid=SigmoidNoisy))
    captured = capsys.readouterr()
    assert points == 10.0
    assert captured.err == ""
    assert "debugging" not in captured.out


def test_run_hidden_checks_waits_for_grading(monkeypatch, capsys):
    """Before grading (NBGRADER_EXECUTION unset), does the helper only print a note?"""
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert run_hidden_checks("relu_backward") is None
    assert "run when your notebook is graded" in capsys.readouterr().out


def test_run_hidden_checks_grades_under_autograde(monkeypatch):
    """Under nbgrader autograde, does the helper hand the part and its globals to grade_part?"""
    calls = []
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    monkeypatch.setattr("autograder.notebook.grade_part",
                        lambda part, namespace: calls.append((part, namespace)) or 7.0)
    assert run_hidden_checks("relu_backward") == 7.0
    ((part, namespace),) = calls
    assert part == "relu_backward"
    assert namespace["run_hidden_checks"] is run_hidden_checks
