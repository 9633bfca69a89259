"""Public tools for students: self-checks, the diagnosis engine they share with the hidden
checks, and pictures of computational graphs (:mod:`selfcheck.graph_drawing`).

Students' environments need this package (and ``course_data``), never ``solutions`` or
``autograder``: nothing here holds a reference backward pass.
"""

__all__ = ["check_part", "self_check"]

# Thin entry points: the checks load on first use, not when the notebook's first cell
# imports these names (a grader runs that cell for every submission).


def self_check(namespace):
    """Self-check every method; returns a report (a table in Jupyter)."""
    from selfcheck import checks

    return checks.self_check(namespace)


def check_part(part, namespace):
    """For ``nbgrader validate``: raise AssertionError unless the part's self-check passes."""
    __tracebackhide__ = True  # IPython: show the message, not this frame
    from selfcheck import checks

    return checks.check_part(part, namespace)
