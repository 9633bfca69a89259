"""Grading for the backprop course: hidden checks, rubric, runner, nbgrader plumbing.

Never released to students. Layout:

- ``rubric``: the points and gates of every check of every part (the one place points
  live); the parts themselves are the spine's, :mod:`selfcheck.assignment`.
- ``sources``: where the source notebooks are in a checkout, and what grading reads of them.
- ``expectations``: :mod:`selfcheck.expect` (comparisons, messages, diagnoses; numerics in
  :mod:`selfcheck.numerics`), told which source lines are the grader's.
- ``student_code``: the student's classes as one object the checks call (in-process: for
  trusted code; submissions go through ``sandbox.remote``, the same interface).
- ``checks/``: the hidden pytest checks (one module per part).
- ``runner``: runs those checks on a student's code and scores them against the rubric.
- ``sandbox/``: student code in a sandboxed worker process (launcher, session, proxies,
  wire format, the remote student code; the worker's own standalone modules).
- ``grading/``: ``python -m autograder grade``: submissions, one grade, batches (local
  processes or Dask), the command.
- ``notebook``: the outputs of a graded hidden-check cell (what IsolatedAutograde writes).
- ``mnist_check``: the final training check on real MNIST.
- ``reference_layers``: trusted layers for a student's network (in-process or sandboxed).
- ``report`` / ``results``: the text report and Gradescope-format results.json.
- ``authoring``: builds the nbgrader source notebook from ``solutions/``.
- ``nbgrader_plugins``: the nbgrader preprocessors this course configures (NameTaskInStubs,
  IsolatedAutograde).
- ``demo``: the sample class and the instructor pipeline run by ``make demo``.
"""
