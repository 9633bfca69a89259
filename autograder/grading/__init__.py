"""``python -m autograder grade``: grade submitted notebooks in sandboxed workers.

- :mod:`~autograder.grading.submission`: find submissions, read them, rebuild the program
  to run from the trusted source notebook and the student's answer cells;
- :mod:`~autograder.grading.grade`: grade one submission (sandbox session + hidden checks)
  into Gradescope-format results;
- :mod:`~autograder.grading.batch`: many submissions, in parallel local processes or on a
  Dask cluster, resumable, with a progress bar and a summary CSV.
"""
