"""What a hidden-check cell holds once graded, and what it does in the student's kernel."""

import numpy as np
import pytest

import solutions
from autograder.authoring.notebook_helpers import run_hidden_checks
from autograder.hidden_cell_outputs import cell_outputs
from autograder.in_process_code import REQUIRED_CLASSES, InProcessCode
from autograder.runner import run_checks


class AffineFlatDx(solutions.Affine):
    def backward(self, dout):  # right but for N-d inputs: dx is not reshaped
        self.dW = self.x.T @ dout
        self.db = dout.sum(axis=0)
        return dout @ self.W.T


def _graded(part, **classes):
    reference = {name: getattr(solutions, name) for name in REQUIRED_CLASSES}
    code = InProcessCode({**reference, **classes}, origin="a test")
    (result,) = run_checks(code, [part])
    return result


def _kinds(outputs):
    return [output.output_type for output in outputs]


def test_full_points_are_the_cells_value():
    """Does a passed part's cell print its report and have the points as its value (what
    nbgrader's SaveAutoGrades reads)?"""
    outputs = cell_outputs(_graded("relu_backward"))
    assert _kinds(outputs) == ["stream", "execute_result"]
    assert outputs[-1].data["text/plain"] == "10.0"
    assert "Relu.backward: 10 / 10 points" in outputs[0].text


def test_the_training_curve_is_shown_above_the_report():
    """Is the curve drawn when the submission was graded shown as SVG in its cell?"""
    outputs = cell_outputs(_graded("relu_backward"), curve_svg="<svg>...</svg>")
    assert _kinds(outputs) == ["display_data", "stream", "execute_result"]
    assert outputs[0].data["image/svg+xml"] == "<svg>...</svg>"


def test_partial_credit_is_the_cells_value():
    """Does a partly right method give a number between 0 and the part's points?"""
    outputs = cell_outputs(_graded("affine_backward", Affine=AffineFlatDx))
    points = float(outputs[-1].data["text/plain"])
    assert 0 < points < 15
    assert "Affine.backward's dx has shape" in outputs[0].text


def test_no_points_is_an_error_naming_the_cause():
    """With nothing passed, is the cell an error (nbgrader: 0 points) carrying the report?"""
    class SigmoidUnwritten(solutions.Sigmoid):
        def backward(self, dout):
            raise NotImplementedError("Sigmoid.backward is not written yet")

    outputs = cell_outputs(_graded("sigmoid_backward", Sigmoid=SigmoidUnwritten))
    assert _kinds(outputs) == ["error"]
    assert outputs[-1].ename == "HiddenChecksFailed"
    assert "Sigmoid.backward: 0 / 10 points" in outputs[-1].evalue
    assert "not written yet" in outputs[-1].evalue


def test_outputs_are_valid_nbformat():
    """Can the outputs go into a notebook that nbformat validates?"""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("run_hidden_checks('relu_backward')",
                                          outputs=cell_outputs(_graded("relu_backward")))]
    nbformat.validate(nb)
    assert np.isfinite(float(nb.cells[0].outputs[-1].data["text/plain"]))


def test_run_hidden_checks_only_says_when_they_run(monkeypatch, capsys):
    """In the student's kernel, does the helper only print a note?"""
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    assert run_hidden_checks("relu_backward") is None
    assert "run when your notebook is graded" in capsys.readouterr().out


def test_run_hidden_checks_gives_nothing_to_an_in_kernel_autograde(monkeypatch):
    """If nbgrader executed the cell to grade it (a configuration without IsolatedAutograde),
    does it fail (0 points) instead of passing silently (full points)?"""
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(RuntimeError, match="IsolatedAutograde"):
        run_hidden_checks("relu_backward")


@pytest.mark.parametrize(("got", "expected"), [
    (220.0, 220.0), (220.0001, 220.0), (220.1, 220.0), ([1e-9, 2.0], [0.0, 2.0]),
    ([1e-3, 1e-3], [0.0, 0.0]), ([4.0, 6.0], [4.0, 6.000001]), (float("nan"), 1.0),
])
def test_the_visible_check_judges_as_the_hidden_checks_do(got, expected, capsys):
    """Does the notebook's check_close pass exactly where the hidden checks' expect_close
    (relative error with a floor) passes, so that a visible ✓ never meets a hidden ✗ on
    the same numbers?"""
    from autograder.authoring.notebook_helpers import check_close
    from selfcheck.expect import CheckFailed, expect_close

    got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    try:
        expect_close("x", got, expected, 1e-6)
        hidden = True
    except CheckFailed:
        hidden = False
    try:
        check_close("x", got, expected)
        visible = True
    except AssertionError:
        visible = False
    assert visible == hidden
