"""What the hidden-check cells of the notebook call during ``nbgrader autograde``.

The notebook's locked helper ``run_hidden_checks(part)`` imports :func:`grade_part` only
when nbgrader grades (``NBGRADER_EXECUTION=autograde``); the release holds no check code.
nbgrader scores a grade cell by its output: an error gives 0, a number gives that many
points (partial credit), so :func:`grade_part` raises when nothing passed and otherwise
returns the points earned.
"""

import contextlib
import io
import warnings

from autograder.report import format_part, training_curve
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
    _show_training_curve(result)
    if result.score == 0:
        raise HiddenChecksFailed("\n" + report)
    print(report)
    return float(result.score)


def _show_training_curve(result):
    """Show the MNIST check's loss curve as a picture (it lands in the feedback)."""
    details = {k: v for check in result.checks for k, v in check.details.items()}
    if "mnist_losses" not in details:
        return
    import matplotlib.pyplot as plt
    from IPython.display import display

    fig = training_curve(details["mnist_losses"], details["mnist_accuracy"])
    display(fig)
    plt.close(fig)
