"""What the hidden-check cells of the notebook call during ``nbgrader autograde``.

The notebook's locked helper ``run_hidden_checks(part)`` imports :func:`grade_part` only
when nbgrader grades (``NBGRADER_EXECUTION=autograde``); the release holds no check code.
nbgrader scores a grade cell by its output: an error gives 0, a number gives that many
points (partial credit), so :func:`grade_part` raises when nothing passed and otherwise
returns the points earned.
"""

import base64
import contextlib
import io
import warnings

from autograder.report import format_part, training_curve
from autograder.results import RESULTS_MIME, part_payload
from autograder.runner import run_checks
from autograder.student_code import StudentCode


class HiddenChecksFailed(AssertionError):
    """No hidden check of the part passed; the message says why."""


def grade_part(part_id, namespace):
    """Run the hidden checks of one part on the classes in ``namespace``; print a report.

    namespace: the notebook's ``globals()``. Returns the points earned (a float) when some
    check passed; raises HiddenChecksFailed when none did.
    Warnings and anything written to stderr by the student's code are swallowed: nbgrader
    gives 0 points to a cell that writes to stderr, and a numpy RuntimeWarning from correct
    code must not cost anything.
    """
    __tracebackhide__ = True  # IPython: show the student the message, not grader frames
    code = StudentCode.from_namespace(namespace)
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        (result,) = run_checks(code, [part_id])
    report = format_part(result)
    curve = _training_curve_png(result)
    _display(result, curve)
    if result.score == 0:
        raise HiddenChecksFailed("\n" + report)
    print(report)
    return float(result.score)


def _training_curve_png(result):
    """The MNIST check's loss curve as PNG bytes, or None for the other parts."""
    details = {k: v for check in result.checks for k, v in check.details.items()}
    if "mnist_losses" not in details:
        return None
    import matplotlib.pyplot as plt

    fig = training_curve(details["mnist_losses"], details["mnist_accuracy"])
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80)
    plt.close(fig)
    return buffer.getvalue()


def _display(result, curve_png):
    """Output the picture (it lands in the feedback) and the machine-readable result."""
    from IPython.display import display

    if curve_png is not None:
        display({"image/png": base64.b64encode(curve_png).decode("ascii")}, raw=True)
    display({RESULTS_MIME: part_payload(result, curve_png)}, raw=True)
