"""The rubric: the points of every check of every part. Points live here only.

The parts, their checks and what each check is called come from the assignment's spine
(:mod:`selfcheck.assignment`); this module adds what grading decides: each check's points
and which checks are gates. A part's score is the sum of the points of its passed checks,
so one wrong layer costs only that layer's points.

A *gate* check carries no points of its own: when it fails, every check of its part scores
0. The gates tell backprop from numerical differentiation (policy in README: a gradient
computed by finite differences of the forward pass earns none of that part's points).
"""

from dataclasses import dataclass

from selfcheck import assignment
from selfcheck.messages import MESSAGES, say

GATE = "gate"  # in POINTS: the check is a gate (worth 0 points)

# part id -> {check name: points, or GATE}, for every check of every part of the spine.
POINTS = {
    "mul_layer_backward": {"test_apple_example": 2, "test_backward_returns_pair": 1,
                           "test_backward_matches_numerical": 2},
    "add_layer_backward": {"test_apple_orange_example": 2, "test_backward_returns_pair": 1,
                           "test_backward_matches_numerical": 2},
    "relu_backward": {"test_backward_shape": 2, "test_backward_matches_numerical": 5,
                      "test_backward_edge_inputs": 3, "test_backward_is_backprop": GATE},
    "sigmoid_backward": {"test_backward_shape": 2, "test_backward_matches_numerical": 5,
                         "test_backward_large_inputs": 3, "test_backward_is_backprop": GATE},
    "affine_backward": {"test_backward_shapes": 3, "test_backward_matches_numerical": 7,
                        "test_backward_nd_input": 3, "test_backward_batch_of_one": 2,
                        "test_backward_is_backprop": GATE},
    "softmax_with_loss_backward": {"test_backward_shape": 2, "test_backward_one_hot": 5,
                                   "test_backward_labels": 4, "test_backward_large_logits": 2,
                                   "test_backward_batch_of_one": 2,
                                   "test_backward_is_backprop": GATE},
    "two_layer_net_gradient": {"test_gradient_returns_all_parameters": 3,
                               "test_gradient_matches_numerical": 10,
                               "test_gradient_fresh_forward": 3,
                               "test_gradient_leaves_parameters": 2,
                               "test_gradient_labels_and_one_hot": 2,
                               "test_gradient_is_backprop": GATE},
    "mnist_training": {"test_mnist_accuracy": 20},
}

# part id -> {check of a special case: the checks on ordinary inputs it needs, any one of
# them passed}. A special case (an edge input, a batch of one, huge scores) earns its points
# only with a backward that is right on ordinary inputs: right on the special cases alone
# shows nothing, and the gate, which asks ordinary inputs, cannot see what hides there (a
# numerical gradient that answered only the special cases' shapes earned their points).
NEEDS = {
    "relu_backward": {"test_backward_edge_inputs": ("test_backward_matches_numerical",)},
    "sigmoid_backward": {"test_backward_large_inputs": ("test_backward_matches_numerical",)},
    "affine_backward": {"test_backward_nd_input": ("test_backward_matches_numerical",),
                        "test_backward_batch_of_one": ("test_backward_matches_numerical",)},
    "softmax_with_loss_backward": {
        "test_backward_large_logits": ("test_backward_one_hot", "test_backward_labels"),
        "test_backward_batch_of_one": ("test_backward_one_hot", "test_backward_labels")},
    "two_layer_net_gradient": {
        "test_gradient_fresh_forward": ("test_gradient_matches_numerical",),
        "test_gradient_labels_and_one_hot": ("test_gradient_matches_numerical",)},
}


@dataclass(frozen=True)
class Check:
    name: str  # the pytest test function in the part's module
    points: float
    title_key: str  # message key of what it checks (selfcheck.messages)
    gate: bool = False  # failing it fails every check of the part (see runner._score)
    needs: tuple = ()  # names of checks of its part, one of which must pass (see NEEDS)

    @property
    def title(self):
        """What it checks, in the student's terms (English, whatever the notebook's
        language)."""
        return say(self.title_key, assignment.DEFAULT_LANGUAGE)

    def title_in(self, lang=None):
        """What it checks, in ``lang`` (default: the language of the messages)."""
        return say(self.title_key, lang)


@dataclass(frozen=True)
class Part:
    spec: assignment.Part  # the spine's record: id, class and method, cells, check module
    checks: tuple[Check, ...]

    @property
    def id(self):
        """nbgrader grade_id of the hidden-check cell."""
        return self.spec.id

    @property
    def title(self):
        """The method the student wrote (or what the part checks)."""
        return self.spec.title

    def title_in(self, lang=None):
        """:attr:`title` in ``lang`` (default: the language of the messages): a method's
        name is the same in every language, what a part without one checks is not."""
        key = f"part_{self.id}"
        return say(key, lang) if key in MESSAGES else self.title

    @property
    def module(self):
        """Its hidden checks: a file in autograder/checks."""
        return self.spec.module

    @property
    def points(self):
        return sum(check.points for check in self.checks)


def _scored(spec):
    """The spine's part with its points; ValueError unless the rubric scores exactly the
    part's checks."""
    points, needs = POINTS.get(spec.id, {}), NEEDS.get(spec.id, {})
    checks = {check.name for check in spec.checks}
    if set(points) != checks:
        raise ValueError(f"autograder/rubric.py: POINTS[{spec.id!r}] must score exactly the "
                         f"checks selfcheck/assignment.py lists for it; missing: "
                         f"{sorted(checks - set(points))}, unknown: {sorted(set(points) - checks)}")
    named = set(needs).union(*needs.values())
    if not named <= checks:
        raise ValueError(f"autograder/rubric.py: NEEDS[{spec.id!r}] names checks the part "
                         f"does not have: {sorted(named - checks)}")
    return Part(spec, tuple(
        Check(check.name, 0 if points[check.name] == GATE else points[check.name],
              check.title_key, gate=points[check.name] == GATE,
              needs=needs.get(check.name, ()))
        for check in spec.checks))


RUBRIC = tuple(_scored(spec) for spec in assignment.PARTS)
PARTS = {part.id: part for part in RUBRIC}
TOTAL_POINTS = sum(part.points for part in RUBRIC)
