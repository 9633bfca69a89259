"""What a hidden-check cell of a graded notebook shows: the outputs nbgrader scores.

The hidden checks never run in the student's kernel: the course's nbgrader configuration
grades the notebook in a sandbox (:class:`autograder.nbgrader_plugins.IsolatedAutograde`)
and writes these outputs into each hidden-check cell. nbgrader scores a grade cell by its
outputs: an error gives 0, a number gives that many points (partial credit).
"""

import base64
import io

import nbformat

from autograder.report import format_part, training_curve
from autograder.results import RESULTS_MIME, part_payload


def cell_outputs(result, execution_time=None, lang=None):
    """nbformat outputs for one part's result (an :class:`autograder.runner.PartResult`).

    execution_time: seconds the whole submission took to grade, kept in the payload for
    results.json (the notebook itself is not executed, so no cell has timestamps).
    lang: of the report, the titles and the curve (default: the language of the messages).

    Some points: the report on stdout, then the points as the cell's value. None: an error
    output (ename HiddenChecksFailed) carrying the report. Both carry the training curve
    (MNIST) and the machine-readable payload (MIME ``RESULTS_MIME``, hidden in feedback).
    """
    report = format_part(result, lang)
    curve = training_curve_png(result, lang)
    outputs = []
    if curve is not None:
        outputs.append(nbformat.v4.new_output(
            "display_data", data={"image/png": base64.b64encode(curve).decode("ascii")}))
    payload = part_payload(result, curve, lang)
    if execution_time is not None:
        payload["execution_time"] = float(execution_time)
    outputs.append(nbformat.v4.new_output("display_data", data={RESULTS_MIME: payload}))
    if result.score == 0:
        outputs.append(nbformat.v4.new_output(
            "error", ename="HiddenChecksFailed", evalue="\n" + report,
            traceback=[f"HiddenChecksFailed: \n{report}"]))
    else:
        outputs.append(nbformat.v4.new_output("stream", name="stdout", text=report + "\n"))
        outputs.append(nbformat.v4.new_output(
            "execute_result", data={"text/plain": repr(float(result.score))},
            execution_count=None))
    return outputs


def training_curve_png(result, lang=None):
    """The MNIST check's loss curve as PNG bytes (its words in ``lang``), or None for the
    other parts."""
    details = {k: v for check in result.checks for k, v in check.details.items()}
    if "mnist_losses" not in details:
        return None
    fig = training_curve(details["mnist_losses"], details["mnist_accuracy"], lang=lang)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80)
    return buffer.getvalue()
