"""Public self-checks and the diagnosis engine shared with the hidden checks.

Students' environments need this package (and ``course_data``), never ``solutions`` or
``autograder``: nothing here holds a reference backward pass.
"""

from selfcheck.checks import check_part, self_check

__all__ = ["check_part", "self_check"]
