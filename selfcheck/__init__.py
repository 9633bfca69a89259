"""Public tools for students: self-checks, the diagnosis engine they share with the hidden
checks, and pictures of computational graphs (:mod:`selfcheck.graph_drawing`).

Students' environments need this package (and ``course_data``), never ``solutions`` or
``autograder``: nothing here holds a reference backward pass.
"""

from selfcheck.checks import check_part, self_check

__all__ = ["check_part", "self_check"]
