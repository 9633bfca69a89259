"""What the hidden checks' messages must do for every mistake in the catalog
(``tests/catalog/bugs.py``; that each is caught in its own part and named is
``tests/test_bug_catalog.py``): say which method or attribute is wrong, in a sentence, and
give nothing away (no hidden seeds, no grader internals, no reference code).
"""

import inspect
import re
import sys
from pathlib import Path

import pytest

import solutions
from autograder.checks import conftest as hidden_checks

if str(Path(__file__).resolve().parent) not in sys.path:  # tests/ is not a package
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from catalog.bugs import BUGS  # noqa: E402
from test_bug_catalog import expected_fragments  # noqa: E402

# As the messages would show them: from the hidden checks' own list, so a change there is
# followed here.
HIDDEN_SEEDS = tuple(str(seed) for seed in hidden_checks.HIDDEN_SEEDS)
# The catalog's mistakes that the checks catch (the rest are xfail there).
CAUGHT = [pytest.param(bug, id=bug.id) for bug in BUGS if not bug.gap]


def _failed(grade_gradient_parts, bug):
    """The failed checks of the bug's own part, graded as tests/test_bug_catalog.py grades
    it (the session's cache: no second grading)."""
    result = grade_gradient_parts([bug.part], **{bug.replaces: bug.cls})[bug.part]
    return [check for check in result.checks if not check.passed]


@pytest.mark.parametrize("bug", CAUGHT)
def test_failure_message_points_at_the_method(grade_gradient_parts, bug):
    """Does every failed check say, in a sentence, which class or attribute is wrong?"""
    failed = _failed(grade_gradient_parts, bug)
    assert failed
    for check in failed:
        assert bug.replaces in check.message or re.search(r"\bself\.\w+", check.message), \
            check.message
        assert len(check.message.split()) >= 6 and check.message.endswith((".", "?", ")"))


@pytest.mark.parametrize("bug", CAUGHT)
def test_messages_hide_seeds_and_grader_internals(grade_gradient_parts, bug):
    """Is every message free of the hidden seeds and of pytest's `assert` output?"""
    for check in _failed(grade_gradient_parts, bug):
        assert not any(seed in check.message for seed in HIDDEN_SEEDS), check.message
        assert "assert" not in check.message.lower(), check.message


# Mistakes whose rules the self-check shares with the hidden checks (selfcheck.expect and
# selfcheck.diagnosis, whatever the inputs): a student meets them before submitting.
SELF_CHECKED = ("relu_reads_a_notebook_variable", "relu_zeros_like_mask",
                "affine_dW_elementwise", "softmax_labels_only",
                "net_grads_read_before_the_walk", "net_walks_the_notebooks_net")


@pytest.mark.parametrize("bug", [pytest.param(bug, id=bug.id) for bug in BUGS
                                 if bug.id in SELF_CHECKED])
def test_the_self_check_names_the_mistake_too(bug):
    """Does the notebook's self-check of the bug's part name the mistake the hidden checks
    name?"""
    from selfcheck.checks import run_self_check

    row = run_self_check(bug.part, {**vars(solutions), bug.replaces: bug.cls})
    assert not row.passed
    assert all(fragment in row.message for fragment in expected_fragments(bug)), row.message


# The grader's own names for its machinery, which mean nothing to a student: the layers it
# computes for a student's network are "the book's layers" in every message.
GRADER_WORDS = re.compile(r"stand[- ]?ins?\b|대역", re.IGNORECASE)


def test_messages_speak_in_the_students_terms():
    """Does no message, in any language, speak of the grader's stand-in layers?"""
    from selfcheck.messages import MESSAGES

    assert [(key, lang) for key, entry in MESSAGES.items() for lang, text in entry.items()
            if GRADER_WORDS.search(text)] == []


def _solution_lines():
    """The stripped lines between ### BEGIN SOLUTION and ### END SOLUTION in solutions/."""
    lines = set()
    for path in Path(solutions.__file__).parent.glob("*.py"):
        for region in re.findall(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION",
                                 path.read_text(), flags=re.DOTALL):
            lines.update(line.strip() for line in region.splitlines() if line.strip())
    return lines


def test_solution_regions_are_found():
    """Does the reference hold the solution lines the next test looks for?"""
    assert "dx = np.dot(dout, self.W.T).reshape(self.original_x_shape)" in _solution_lines()


# The TwoLayerNet checks run the trusted layers: an error raised inside one of them must
# point at the student's line, never quote the reference's (net_forward_order does that).
@pytest.mark.parametrize("bug", CAUGHT)
def test_messages_never_quote_the_reference(grade_gradient_parts, bug):
    """Does no message show a line of the reference solution to the student?

    A line the student wrote too (``dout = layer.backward(dout)``, say) may be quoted: it
    is theirs. Any other reference line may not.
    """
    own = {line.strip() for func in vars(bug.cls).values() if inspect.isfunction(func)
           for line in inspect.getsource(func).splitlines()}
    solution = _solution_lines() - own
    for check in _failed(grade_gradient_parts, bug):
        quoted = [line for line in solution if line in check.message]
        assert not quoted, check.message
