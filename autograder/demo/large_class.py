"""A realistic class of 200: the catalog's mistakes at plausible frequencies, fixed seed.

Each mistake is a bug of the catalog (``tests/catalog/bugs.py``, named by its id) written
as the edit a student makes to the reference answer in the notebook, as in the sample
class. Each student is a choice per graded part: the reference answer, the stub left as
released, or one mistake. Some students are perfect, some hand in the untouched release,
some ran out of time (the later parts left as stubs), the rest make each mistake with its
frequency, scaled by how careful they are. ``tests/test_class_report.py`` grades every
mistake and checks it gets its catalog bug's diagnosis.
"""

import random
from dataclasses import dataclass

from autograder.demo.sample_class import Edit
from selfcheck.assignment import GRADIENT_PARTS, PART

SEED = 2026
SIZE = 200
REFERENCE = "reference"  # a part answered as the reference does
STUB = "stub"  # a part left as released


@dataclass(frozen=True)
class Mistake:
    catalog: str  # the id of the bug in tests/catalog/bugs.py it reproduces
    part: str
    frequency: float  # share of an average class that makes it
    edits: tuple


def _m(catalog, cell, frequency, *edits):
    part = next(p.id for p in PART.values() if p.cells.solution == cell)
    return Mistake(catalog, part, frequency, tuple(Edit(cell, old, new) for old, new in edits))


_MUL = "dx = dout * self.y  # dz/dx = y: the inputs swap places\n        dy = dout * self.x"
_SIG = "dx = dout * (1.0 - self.out) * self.out"
_SMX_BRANCHES = ("        if self.t.size == self.y.size:  # one-hot targets\n"
                 "            dx = (self.y - self.t) / batch_size\n"
                 "        else:  # label indices: subtract 1 at each sample's true class\n"
                 "            dx = self.y.copy()\n"
                 "            dx[np.arange(batch_size), self.t] -= 1\n"
                 "            dx = dx / batch_size")
_NET_W1 = 'grads["W1"], grads["b1"] = self.layers["Affine1"].dW, self.layers["Affine1"].db'
_NET_W2 = 'grads["W2"], grads["b2"] = self.layers["Affine2"].dW, self.layers["Affine2"].db'

MISTAKES = (
    _m("mul_not_swapped", "mul_layer_code", 0.06,
       (_MUL, "dx = dout * self.x\n        dy = dout * self.y")),
    _m("mul_forgot_dout", "mul_layer_code", 0.03, (_MUL, "dx = self.y\n        dy = self.x")),
    _m("mul_missing_return", "mul_layer_code", 0.02, ("        return dx, dy", "")),
    _m("add_splits_dout", "add_layer_code", 0.06,
       ("dx = dout * 1\n        dy = dout * 1", "dx = dout / 2\n        dy = dout / 2")),
    _m("add_missing_return", "add_layer_code", 0.03, ("        return dx, dy", "")),
    _m("add_returns_one_value", "add_layer_code", 0.02, ("return dx, dy", "return dout")),
    _m("relu_mask_inverted", "relu_code", 0.14, ("dx[self.mask] = 0", "dx[~self.mask] = 0")),
    _m("relu_mask_from_dout", "relu_code", 0.05, ("dx[self.mask] = 0", "dx[dout <= 0] = 0")),
    _m("relu_forgot_dout", "relu_code", 0.04,
       ("dx = dout.copy()  # a copy, so the caller's dout is left as it was",
        "dx = np.ones_like(dout)")),
    _m("relu_unmasked", "relu_code", 0.02, ("        dx[self.mask] = 0\n", "")),
    _m("sigmoid_missing_one_minus_y", "sigmoid_code", 0.08, (_SIG, "dx = dout * self.out")),
    _m("sigmoid_uses_x", "sigmoid_code", 0.06,
       ("    def backward(self, dout):", "    def forward(self, x):\n        self.x = x\n"
        "        return super().forward(x)\n\n    def backward(self, dout):"),
       (_SIG, "dx = dout * self.x * (1.0 - self.x)")),
    _m("sigmoid_missing_y", "sigmoid_code", 0.03, (_SIG, "dx = dout * (1.0 - self.out)")),
    _m("sigmoid_forgot_dout", "sigmoid_code", 0.03, (_SIG, "dx = (1.0 - self.out) * self.out")),
    _m("affine_db_mean", "affine_code", 0.15, ("np.sum(dout, axis=0)", "np.mean(dout, axis=0)")),
    _m("affine_db_not_summed", "affine_code", 0.06,
       ("self.db = np.sum(dout, axis=0)", "self.db = dout")),
    _m("affine_dW_transposed", "affine_code", 0.05,
       ("self.dW = np.dot(self.x.T, dout)", "self.dW = np.dot(dout.T, self.x)")),
    _m("affine_dx_not_reshaped", "affine_code", 0.07,
       ("dx = np.dot(dout, self.W.T).reshape(self.original_x_shape)",
        "dx = np.dot(dout, self.W.T)")),
    _m("affine_dW_averaged", "affine_code", 0.04,
       ("self.dW = np.dot(self.x.T, dout)", "self.dW = np.dot(self.x.T, dout) / dout.shape[0]")),
    _m("softmax_missing_n", "softmax_with_loss_code", 0.12,
       ("dx = (self.y - self.t) / batch_size", "dx = self.y - self.t"),
       ("dx = dx / batch_size", "dx = dx")),
    _m("softmax_one_hot_only", "softmax_with_loss_code", 0.07,
       (_SMX_BRANCHES, "        dx = (self.y - self.t) / batch_size")),
    _m("softmax_sign", "softmax_with_loss_code", 0.03,
       ("dx = (self.y - self.t) / batch_size", "dx = (self.t - self.y) / batch_size"),
       ("dx = dx / batch_size", "dx = -dx / batch_size")),
    _m("net_forward_order", "two_layer_net_code", 0.09,
       ("reversed(list(self.layers.values()))", "list(self.layers.values())")),
    _m("net_skips_last_layer", "two_layer_net_code", 0.04,
       ("dout = self.lastLayer.backward(1)", "dout = 1")),
    _m("net_no_forward_pass", "two_layer_net_code", 0.04,
       ("self.loss(x, t)  # a fresh forward pass: backward uses what it stored",
        "# the layers already hold the last forward pass")),
    _m("net_sign", "two_layer_net_code", 0.03,
       ("        return grads", "        return {key: -grad for key, grad in grads.items()}")),
    _m("net_averaged_again", "two_layer_net_code", 0.03,
       ("        return grads",
        "        return {key: grad / x.shape[0] for key, grad in grads.items()}")),
    _m("net_updates_params", "two_layer_net_code", 0.03,
       ("        return grads", "        for key in grads:\n"
        "            self.params[key] -= 0.1 * grads[key]\n        return grads")),
    _m("net_W_and_b_swapped", "two_layer_net_code", 0.02,
       (_NET_W1, 'grads["W1"], grads["b1"] = self.layers["Affine1"].db, '
                 'self.layers["Affine1"].dW'),
       (_NET_W2, 'grads["W2"], grads["b2"] = self.layers["Affine2"].db, '
                 'self.layers["Affine2"].dW')),
    _m("net_missing_return", "two_layer_net_code", 0.02, ("        return grads", "")),
)
MISTAKE = {mistake.catalog: mistake for mistake in MISTAKES}

# Profiles of students, (name, share of the class). "careless" students make each mistake
# more often than the frequencies say, "careful" ones less.
PERFECT, UNTOUCHED, OUT_OF_TIME = "perfect", "untouched", "out of time"
PROFILES = ((PERFECT, 0.12), (UNTOUCHED, 0.03), (OUT_OF_TIME, 0.10), ("careful", 0.30),
            ("average", 0.30), ("careless", 0.15))
CARE = {"careful": 0.6, "average": 1.3, "careless": 2.6, OUT_OF_TIME: 1.3}


@dataclass(frozen=True)
class LargeStudent:
    """One generated student: part id -> REFERENCE, STUB or a mistake's catalog id."""

    id: str
    profile: str
    answers: dict

    def edits(self):
        """The edits to the reference answers: this student's mistakes (stubs apart)."""
        return tuple(edit for choice in self.answers.values() if choice in MISTAKE
                     for edit in MISTAKE[choice].edits)

    def stubs(self):
        """The answer cells left as released."""
        return tuple(PART[part].cells.solution for part, choice in self.answers.items()
                     if choice == STUB)


def generate(size=SIZE, seed=SEED):
    """``size`` students, the same ones for the same seed."""
    rng = random.Random(seed)
    names, shares = zip(*PROFILES, strict=True)
    return [_student(f"student-{k:03d}", rng.choices(names, shares)[0], rng)
            for k in range(1, size + 1)]


def _student(student_id, profile, rng):
    if profile == PERFECT:
        return LargeStudent(student_id, profile, dict.fromkeys(GRADIENT_PARTS, REFERENCE))
    if profile == UNTOUCHED:
        return LargeStudent(student_id, profile, dict.fromkeys(GRADIENT_PARTS, STUB))
    first_stub = rng.randrange(3, len(GRADIENT_PARTS)) if profile == OUT_OF_TIME else None
    answers = {}
    for k, part in enumerate(GRADIENT_PARTS):
        if first_stub is not None and k >= first_stub:
            answers[part] = STUB
            continue
        answers[part] = REFERENCE
        draw = rng.random()
        for mistake in (m for m in MISTAKES if m.part == part):
            draw -= mistake.frequency * CARE[profile]
            if draw < 0:
                answers[part] = mistake.catalog
                break
    return LargeStudent(student_id, profile, answers)
