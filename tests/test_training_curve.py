"""Is the MNIST check's training curve a well-formed SVG that plots the grader's losses
where they belong, titled with the accuracy, in the student's language, with readable
ticks; and none for the other parts?"""

import math
import xml.etree.ElementTree as ElementTree

import pytest
from test_korean import HANGUL, english_words

from autograder import training_curve
from autograder.rubric import PARTS
from autograder.runner import CheckResult, PartResult
from selfcheck.messages import say

SVG = "{http://www.w3.org/2000/svg}"
LOSSES = [[1, 2.30], [50, 1.2], [120, 0.45], [200, 0.33]]


def _drawing(losses=LOSSES, accuracy=0.9139, **kwargs):
    return ElementTree.fromstring(training_curve.svg(losses, accuracy, **kwargs))


def _texts(root):
    return [element.text for element in root.iter(f"{SVG}text")]


def _mnist_result(details):
    (check,) = PARTS["mnist_training"].checks
    return PartResult(PARTS["mnist_training"], [CheckResult(check, True, "", details)])


def test_one_dot_per_loss_inside_the_axes_higher_loss_higher_up():
    """One dot per (iteration, loss), left to right in iteration order, a larger loss
    drawn higher (a smaller y), every dot inside the axes' box?"""
    root = _drawing()
    dots = [(float(c.get("cx")), float(c.get("cy"))) for c in root.iter(f"{SVG}circle")]
    assert len(dots) == len(LOSSES)
    assert [x for x, _ in dots] == sorted(x for x, _ in dots)
    ys = [y for _, y in dots]
    assert ys == sorted(ys)  # the losses fall, so the dots go down the picture
    box = next(r for r in root.iter(f"{SVG}rect") if r.get("fill") == "none")
    left, top = float(box.get("x")), float(box.get("y"))
    right, bottom = left + float(box.get("width")), top + float(box.get("height"))
    assert all(left <= x <= right and top <= y <= bottom for x, y in dots)
    (line,) = root.iter(f"{SVG}polyline")
    assert len(line.get("points").split()) == len(LOSSES)


def test_titled_with_the_accuracy_and_the_axes_named():
    texts = _texts(_drawing(title="Run"))
    assert "Run: test accuracy 0.9139" in texts
    assert say("plot_iteration", "en") in texts and say("plot_batch_loss", "en") in texts
    assert _texts(_drawing())[0].startswith("Your network on MNIST")


def test_ticks_are_round_numbers_that_cover_the_run():
    """Ticks 0, 50, ..., 200 under the iterations and 0, 0.5, ..., 2.5 beside the loss?"""
    texts = _texts(_drawing())
    assert {"0", "50", "100", "150", "200"} <= set(texts)
    assert {"0.5", "1", "1.5", "2", "2.5"} <= set(texts)


@pytest.mark.parametrize("top", [0.33, 1.0, 2.3, 7, 200, 600, 12345.0, 1e-9])
def test_nice_ticks(top):
    """From 0 to the first tick at or above ``top``, in steps of 1, 2 or 5 times a power of
    ten, about five of them?"""
    ticks = training_curve.nice_ticks(top)
    step = ticks[1] - ticks[0]
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert ticks[0] == 0 and ticks[-1] >= top > ticks[-2]
    assert min(abs(mantissa - m) for m in (1, 2, 5, 10)) < 1e-9
    assert 3 <= len(ticks) - 1 <= 2 * training_curve.TICKS


def test_an_empty_or_broken_run_still_draws():
    """No losses, or an infinite one: still a well-formed picture?"""
    assert list(_drawing([], 0.1).iter(f"{SVG}circle")) == []
    assert training_curve.nice_ticks(math.inf) == training_curve.nice_ticks(1.0)


def test_text_is_escaped():
    """A title with markup in it stays text (the picture is parsed as XML)."""
    assert "<b>&" in " ".join(_texts(_drawing(title="<b>&")))


def test_in_korean_every_word_is_korean():
    """A Korean submission's curve: Korean title and axis names, no English word? (The
    viewer sets the Hangul: the grading machine needs no font.)"""
    words = " ".join(_texts(_drawing(lang="ko")))
    assert HANGUL.search(words)
    assert english_words(words) == [], english_words(words)


def test_only_the_mnist_part_has_a_curve():
    details = {"mnist_accuracy": 0.9, "mnist_losses": LOSSES}
    drawing = training_curve.of_result(_mnist_result(details), lang="en")
    assert drawing == training_curve.svg(LOSSES, 0.9, lang="en")
    assert training_curve.of_result(_mnist_result({})) is None
    relu = PARTS["relu_backward"]
    assert training_curve.of_result(PartResult(relu, [CheckResult(relu.checks[0], True, "")])) \
        is None
