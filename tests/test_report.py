"""Does the text report say what the student scored, check by check (✓ or ✗ with the
points, each failure's reason once), for one part and for a whole results.json?"""

import dataclasses

import pytest

from autograder.report import format_part, format_results
from autograder.results import gradescope, part_payload
from autograder.rubric import PARTS
from autograder.runner import CheckResult, PartResult
from selfcheck.messages import speaking

MISSING = "NameError: name 'np' is not defined"


@pytest.fixture(autouse=True)
def english():
    with speaking("en"):
        yield


def _relu(*outcomes, gate_passed=True):
    """Relu.backward's result: (passed, message) for shape, numerical, edge inputs."""
    shape, numerical, edge, gate = PARTS["relu_backward"].checks
    checks = [CheckResult(check, passed, message)
              for check, (passed, message) in zip((shape, numerical, edge), outcomes,
                                                   strict=True)]
    return PartResult(PARTS["relu_backward"],
                      checks + [CheckResult(gate, gate_passed, "" if gate_passed else "gate")])


def _mnist(accuracy=0.9061, passed=True):
    (check,) = PARTS["mnist_training"].checks
    details = {"mnist_accuracy": accuracy, "mnist_losses": [[0, 2.3], [300, 0.4], [599, 0.3]],
               "mnist_summary": f"test accuracy {accuracy:.4f} (needed: 0.85)"}
    return PartResult(PARTS["mnist_training"], [CheckResult(check, passed, "", details)])


def test_a_part_that_passed_lists_every_check_with_its_points():
    """Full marks: the score line, then ✓ and the points of each check (the gate that
    passed says nothing)?"""
    assert format_part(_relu((True, ""), (True, ""), (True, ""))).splitlines() == [
        "Relu.backward: 10 / 10 points",
        "  ✓ dx has the shape of x [2/2]",
        "  ✓ dx matches numerical gradients [5/5]",
        "  ✓ a batch of one, 1-d and 3-d inputs, all-negative [3/3]",
    ]


def test_a_failed_check_says_why_and_earns_nothing():
    """One check failed: is it ✗ with 0 of its points, its reason under it, and the total
    what the others earned?"""
    text = format_part(_relu((True, ""), (False, "dx is wrong where x < 0"), (True, "")))
    assert text.splitlines() == [
        "Relu.backward: 5 / 10 points",
        "  ✓ dx has the shape of x [2/2]",
        "  ✗ dx matches numerical gradients [0/5]",
        "      dx is wrong where x < 0",
        "  ✓ a batch of one, 1-d and 3-d inputs, all-negative [3/3]",
    ]


def test_one_cause_is_said_once():
    """Every check failed for one reason (a missing import): is the reason said under the
    first, "(same reason)" under the others, and a different reason said in full?"""
    text = format_part(_relu((False, MISSING), (False, MISSING), (False, "other")))
    assert text.count(MISSING) == 1
    assert text.splitlines()[1:] == [
        "  ✗ dx has the shape of x [0/2]",
        f"      {MISSING}",
        "  ✗ dx matches numerical gradients [0/5]",
        "      (same reason)",
        "  ✗ a batch of one, 1-d and 3-d inputs, all-negative [0/3]",
        "      other",
    ]


def test_a_gate_that_fired_is_shown():
    """The backprop gate failed: is it listed with its reason (it is why the rest is 0)?"""
    text = format_part(_relu((True, ""), (True, ""), (True, ""), gate_passed=False))
    assert "  ✗ computed by backprop, not by finite differences" in text
    assert text.endswith("[0/0]\n      gate")


def test_points_are_written_plainly_in_korean_too():
    """Half points as 2.5, whole ones without ".0"; and the words in the student's
    language (Korean here)?"""
    result = _relu((True, ""), (False, MISSING), (False, MISSING))
    result.checks[0] = dataclasses.replace(result.checks[0], check=dataclasses.replace(
        result.checks[0].check, points=2.5))
    with speaking("ko"):
        text = format_part(result)
    assert text.splitlines()[0] == "Relu.backward: 2.5 / 10점"
    assert "[2.5/2.5]" in text and "(같은 이유)" in text


def test_the_mnist_part_adds_its_summary():
    """Does the MNIST check's line carry the accuracy summary under it?"""
    assert format_part(_mnist()).splitlines() == [
        "training on MNIST: 20 / 20 points",
        "  ✓ your network learns MNIST [20/20]",
        "      test accuracy 0.9061 (needed: 0.85)",
    ]


def test_a_results_file_as_text():
    """A results.json of two parts and a note: the note first, then ✓/✗ and points per
    check, and each distinct failure message once?"""
    results = gradescope([part_payload(_relu((False, MISSING), (False, MISSING),
                                             (True, ""))),
                          part_payload(_mnist(0.5, passed=False))])
    results["extra_data"] = {"notes": ["Relu failed its checks: the reference stood in"]}
    assert format_results(results).splitlines() == [
        "note: Relu failed its checks: the reference stood in",
        "  ✗ Relu.backward: dx has the shape of x [0/2]",
        f"      {MISSING}",
        "  ✗ Relu.backward: dx matches numerical gradients [0/5]",
        "  ✓ Relu.backward: a batch of one, 1-d and 3-d inputs, all-negative [3/3]",
        "  ✗ training on MNIST: your network learns MNIST [0/20]",
    ]


def test_a_message_of_several_lines_stays_under_its_check():
    """A failure message quoting a student's text with line breaks: is every line of it
    indented under its check (and marked), so none reads as a line of the report?"""
    results = gradescope([part_payload(_relu((False, "raised ValueError: ok\n  \u2713 Relu"
                                                     ".backward: all passed [10/10]"),
                                             (True, ""), (True, "")))])
    results["extra_data"] = {"notes": ["a cell raised `E: one\ntwo`"]}
    assert format_results(results).splitlines()[:4] == [
        "note: a cell raised `E: one",
        "      | two`",
        "  ✗ Relu.backward: dx has the shape of x [0/2]",
        "      raised ValueError: ok",
    ]
    assert format_results(results).splitlines()[4] == \
        "      |   \u2713 Relu.backward: all passed [10/10]"
