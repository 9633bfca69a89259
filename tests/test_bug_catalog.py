"""The catalog of student code: is every mistake caught and named, every correct variant
given full marks?

The entries live in ``tests/catalog`` (``bugs.py``: mistakes, ``variants.py``: correct
code written differently). Each is graded once, on the seven gradient parts, with the
reference classes and that one class swapped in:

- CAUGHT: its part loses points and every other gradient part keeps full marks.
- DIAGNOSED: a failed check of its part shows the student the expected message (from
  ``selfcheck.messages``; for a template, every literal fragment of more than 8 characters).

Entries with a ``gap`` are mistakes the engine does not name yet (or correct code it marks
down): they are xfail(strict), so fixing the engine makes them fail until the mark goes.
"""

import string
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from autograder.rubric import PARTS, RUBRIC
from selfcheck.assignment import GRADIENT_PARTS, NETWORK_LAYER_PARTS
from selfcheck.messages import DEFAULT_LANGUAGE, MESSAGES, language, say

if str(Path(__file__).resolve().parent) not in sys.path:  # tests/ is not a package
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from catalog import Bug  # noqa: E402
from catalog.bugs import BUGS  # noqa: E402
from catalog.variants import VARIANTS  # noqa: E402

# The mistakes from the study notes the course grew from: the catalog must keep them.
STUDY_NOTES = {
    "relu_forward_missing_return": "returned_none",
    "add_missing_return": "returned_none",
    "sigmoid_forward_precedence": "sigmoid_forward_precedence",
    "softmax_loss_no_minus": "loss_negative",
    "softmax_loss_log_of_sum": "loss_negative",
}


def expected_fragments(bug):
    """The texts a message must contain to name ``bug``'s mistake; None if the message key
    does not exist (yet).

    A message without fields must appear whole, as ``say`` renders it. A template with
    fields ({n}, {what}, ...) is matched by its literal fragments longer than 8 characters
    (or its longest one, if none is that long).
    """
    if bug.text:
        return [bug.text]
    entry = MESSAGES.get(bug.expect)
    if entry is None:
        return None
    template = entry.get(language(), entry[DEFAULT_LANGUAGE])
    parsed = list(string.Formatter().parse(template))
    if all(field is None for _, field, _, _ in parsed):
        return [say(bug.expect)]
    literals = [literal for literal, _, _, _ in parsed if literal]
    return [literal for literal in literals if len(literal) > 8] or [max(literals, key=len)]


@dataclass
class Verdict:
    """What grading made of one catalog entry."""

    scores: dict  # part id -> (score, max score)
    failed: dict  # part id -> {check name: message} of its failed checks

    def lost_points(self, besides=None):
        """The parts (other than ``besides``) that lost points, with their scores."""
        return {pid: score for pid, score in self.scores.items()
                if pid != besides and score[0] != score[1]}


def _verdict(results):
    return Verdict(
        scores={pid: (result.score, result.max_score) for pid, result in results.items()},
        failed={pid: {check.check.name: check.message for check in result.checks
                      if not check.passed}
                for pid, result in results.items()})


def own_part(entry):
    """The part of the method the entry rewrites (its class's part)."""
    return next(part.id for part in RUBRIC if part.title.startswith(entry.replaces + "."))


@pytest.fixture(scope="module")
def graded(grade_gradient_parts):
    """``graded(entry)``: the entry's Verdict on its own part, graded once per module run.
    (That a class costs nothing in the other parts is tested once per class, below.)"""
    cache = {}

    def grade(entry):
        if entry.id not in cache:
            cache[entry.id] = _verdict(grade_gradient_parts(
                [own_part(entry)], **{entry.replaces: entry.cls}))
        return cache[entry.id]

    return grade


def caught(bug, verdict):
    score, max_score = verdict.scores[bug.part]
    return score < max_score and not verdict.lost_points(besides=bug.part)


def diagnosed(bug, verdict):
    fragments = expected_fragments(bug)
    return fragments is not None and any(
        all(fragment in message for fragment in fragments)
        for message in verdict.failed[bug.part].values())


def _param(entry):
    marks = [pytest.mark.xfail(strict=True, reason=entry.gap)] if entry.gap else []
    return pytest.param(entry, id=entry.id, marks=marks)


# --------------------------------------------------------------------------- the catalog


def test_catalog_is_well_formed():
    """Does every entry name a real part, real checks of that part and a message key that
    exists (or a gap saying why not), with unique ids, enough bugs and variants, and the
    study notes' mistakes among them?"""
    ids = [entry.id for entry in BUGS + VARIANTS]
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert len(BUGS) >= 30 and len(VARIANTS) >= 8
    for bug in BUGS:
        assert bug.part in GRADIENT_PARTS, bug.id
        names = {check.name for check in PARTS[bug.part].checks}
        assert bug.checks and set(bug.checks) <= names, bug.id
        assert bool(bug.expect) != bool(bug.text), bug.id
        assert bug.text or bug.expect in MESSAGES or bug.gap, bug.id
        assert PARTS[bug.part].title.startswith(bug.replaces + "."), bug.id
    expects = {bug.id: bug.expect for bug in BUGS}
    assert {key: expects.get(key) for key in STUDY_NOTES} == STUDY_NOTES


# --------------------------------------------------------------------------- bugs


@pytest.mark.parametrize("bug", [_param(bug) for bug in BUGS])
def test_bug_is_caught_and_diagnosed(graded, bug: Bug):
    """Does this mistake lose points in its own part only, fail exactly the checks it
    should, and tell the student what the mistake is?"""
    verdict = graded(bug)
    failed = verdict.failed[bug.part]
    assert caught(bug, verdict), (
        f"{bug.part}: {verdict.scores[bug.part]}; other parts that lost points: "
        f"{verdict.lost_points(besides=bug.part)}")
    assert sorted(failed) == sorted(bug.checks)
    assert diagnosed(bug, verdict), (
        f"expected {bug.text or bug.expect!r}: "
        f"{expected_fragments(bug) or 'no such message key yet'}; the student saw:\n"
        + "\n".join(f"  {name}: {message}" for name, message in failed.items()))


def _one_bug_per_class():
    chosen = {}
    for bug in BUGS:
        if not bug.gap:
            chosen.setdefault(bug.replaces, bug)
    return list(chosen.values())


# Each grades all seven gradient parts (~1 s): slow, run in CI. The tests above grade
# every entry on its own part.
@pytest.mark.slow
@pytest.mark.parametrize("bug", _one_bug_per_class(), ids=lambda bug: bug.replaces)
def test_a_broken_class_costs_nothing_in_the_other_parts(grade_gradient_parts, bug):
    """With one class broken, does every other gradient part keep full marks (no check
    uses another part's class, so one mistake is never charged twice)?"""
    verdict = _verdict(grade_gradient_parts(**{bug.replaces: bug.cls}))
    assert caught(bug, verdict), verdict.lost_points(besides=bug.part)


# --------------------------------------------------------------------------- variants


@pytest.mark.parametrize("variant", [_param(variant) for variant in VARIANTS])
def test_correct_variant_gets_full_marks(graded, variant):
    """Does this correct implementation, written differently from the reference, get every
    point of every gradient part?"""
    verdict = graded(variant)
    assert not verdict.lost_points(), {
        pid: verdict.failed[pid] for pid in verdict.lost_points()}


def _network_of(variant):
    """The reference TwoLayerNet built of the variant's layer, as a notebook's network is
    built of the notebook's own layers (or the variant's network itself)."""
    import solutions

    if variant.replaces == "TwoLayerNet":
        return variant.cls

    class Network(solutions.TwoLayerNet):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            for key, layer in list(self.layers.items()):
                if type(layer).__name__ == variant.replaces:
                    self.layers[key] = (variant.cls(layer.W, layer.b)
                                        if variant.replaces == "Affine" else variant.cls())
            if variant.replaces == "SoftmaxWithLoss":
                self.lastLayer = variant.cls()

    return Network


@pytest.mark.slow
@pytest.mark.parametrize("variant", [_param(variant) for variant in VARIANTS
                                     if variant.replaces in (*NETWORK_LAYER_PARTS, "TwoLayerNet")])
def test_correct_variant_passes_the_mnist_check(mnist_dir, variant):
    """Does a network made of this correct variant pass the MNIST check, on the check's
    own run and on run 1016 (where the reference's float32 and float64 put a hidden unit
    on different sides of ReLU's kink)? Its last bits differ from the reference's, so
    every spot check is computed."""
    from autograder import mnist_check
    from autograder.demo.broken_networks import as_code

    for run in (mnist_check.CHECK_RUN, mnist_check.Run(1016)):
        outcome = mnist_check.train_student_network(as_code(_network_of(variant)), run=run)
        assert outcome.accuracy >= mnist_check.THRESHOLD, (run, outcome.accuracy)


# --------------------------------------------------------------------------- summary


def _rate(count, total):
    return f"{count}/{total} ({100.0 * count / total:.1f}%)"


def test_catalog_summary(graded, capsys):
    """Over the whole catalog, what are the catch rate, the diagnosis accuracy and the share
    of correct variants with full marks, and are they 100% wherever no gap is known?"""
    bugs = {bug.id: (bug, graded(bug)) for bug in BUGS}
    was_caught = {bid: caught(bug, v) for bid, (bug, v) in bugs.items()}
    was_diagnosed = {bid: diagnosed(bug, v) for bid, (bug, v) in bugs.items()}
    full = {variant.id: not graded(variant).lost_points() for variant in VARIANTS}
    n, m = len(BUGS), len(VARIANTS)
    variants = "all full marks" if all(full.values()) else f"{_rate(sum(full.values()), m)} " \
        "full marks"
    gaps = [entry.id for entry in BUGS + VARIANTS if entry.gap]
    with capsys.disabled():
        print(f"\ncatalog: {n} bugs, catch rate {_rate(sum(was_caught.values()), n)}, "
              f"diagnosis accuracy {_rate(sum(was_diagnosed.values()), n)}; "
              f"{m} correct variants, {variants}")
        if gaps:
            print(f"known gaps (xfail): {', '.join(gaps)}")
    known = {bug.id for bug in BUGS if not bug.gap}
    assert [bid for bid in known if not was_caught[bid]] == []
    assert [bid for bid in known if not was_diagnosed[bid]] == []
    assert [vid for vid, ok in full.items() if not ok and vid not in gaps] == []
