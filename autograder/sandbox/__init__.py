"""Running student code where it cannot reach the grader.

- :mod:`~autograder.sandbox.launcher`: the sandbox (bubblewrap, an unprivileged user, or a
  bare process) and the resource limits;
- :mod:`~autograder.sandbox.session`: the grader's side of one worker (requests with wall
  time limits, restarts, captured output);
- :mod:`~autograder.sandbox.remote`: the student's code as the checks see it;
- :mod:`~autograder.sandbox.wire`: the message format (JSON and raw arrays, no pickle);
- :mod:`~autograder.sandbox.worker` and :mod:`~autograder.sandbox.student_side`: the code
  that runs inside the sandbox (standard library and numpy only).
"""
