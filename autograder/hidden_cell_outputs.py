"""What a hidden-check cell of a graded notebook shows: the outputs nbgrader scores.

The hidden checks never run in the student's kernel: the course's nbgrader configuration
grades the notebook in a sandbox (:class:`autograder.nbgrader_plugins.IsolatedAutograde`)
and writes these outputs into each hidden-check cell. nbgrader scores a grade cell by its
outputs: an error gives 0, a number gives that many points (partial credit).
"""

import nbformat

from autograder.report import format_part


def cell_outputs(result, curve_svg=None, lang=None):
    """nbformat outputs for one part's result (an :class:`autograder.runner.PartResult`).

    curve_svg: the MNIST check's training curve (SVG text, drawn once per submission when
    it was graded), shown above that part's report.
    lang: of the report and its titles (default: the language of the messages).
    Some points: the report on stdout, then the points as the cell's value. None: an error
    output (ename HiddenChecksFailed) carrying the report. results.json (written beside the
    notebook) holds the same results in machine-readable form.
    """
    report = format_part(result, lang)
    outputs = []
    if curve_svg is not None:
        outputs.append(nbformat.v4.new_output("display_data", data={"image/svg+xml": curve_svg}))
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
