"""Grading for the backprop course: hidden checks, rubric, runner, nbgrader plumbing.

Never released to students. Layout:

- ``rubric``: every graded part and check with its points (the one place points live).
- ``expectations``: :mod:`selfcheck.expect` (comparisons, messages, diagnoses; numerics in
  :mod:`selfcheck.numerics`), told which source lines are the grader's.
- ``student_code``: the student's classes as one object the checks call.
- ``checks/``: the hidden pytest checks (one module per part).
- ``runner``: runs those checks on a student's code and scores them against the rubric.
- ``notebook``: the helper the hidden cells of the notebook call during ``nbgrader autograde``.
- ``mnist_check``: the final training check on real MNIST.
- ``reference_layers``: trusted layers swapped into a student's network.
- ``report`` / ``results``: the text report and Gradescope-format results.json.
- ``authoring``: builds the nbgrader source notebook from ``solutions/``.
- ``nbgrader_plugins``: small nbgrader preprocessors this course configures.
- ``demo``: the sample class and the instructor pipeline run by ``make demo``.
"""
