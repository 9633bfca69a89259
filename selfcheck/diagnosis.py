"""Name the mistake behind a wrong result, in the student's terms.

A *target* names what was checked ("Relu.dx", "Affine.db", ...). For each target there is a
list of known mistakes, each with the value that mistake would have produced from the same
inputs (the *context*: x, dout, y, t, n, ...). If the student's value matches one of them,
that mistake is named; otherwise generic relations are tried (a factor of N, a sign, a
transpose), then, for small arrays, the first element that differs. An exception the
student's method raised is explained the same way, from the method, the error and the
context (:func:`diagnose_error`). Shared by the hidden checks and the public self-checks.
Nothing here prints inputs beyond that one element.

A sentence that names a mistake is a :class:`Diagnosis`: the text the student reads, which
also carries the mistake's stable id (its key in :mod:`selfcheck.messages`, the same in
every language). The checks pass those ids on with their verdict, so that results files
say which mistakes were found and a class report can count them.
"""

import re

import numpy as np

from selfcheck.messages import say
from selfcheck.numerics import relative_error

# A mistake "explains" a value when it reproduces it to this relative error: far tighter
# than any two different mistakes are apart, far looser than float rounding.
MATCH = 1e-6
# Arrays this small get their first differing element shown.
SMALL = 12


class Diagnosis(str):
    """A sentence for the student naming a mistake; ``key`` is the mistake's stable id.

    It is the message's key in :mod:`selfcheck.messages` ("relu_mask_inverted", "sign"),
    so the id is the same whatever the language of the text.
    """

    key: str

    def __new__(cls, text, key):
        sentence = super().__new__(cls, text)
        sentence.key = key
        return sentence


def named(key, lang=None, /, **fields):
    """The message ``key`` as a :class:`Diagnosis`: the mistake it names, for the student
    (in ``lang``) and, by its key, for reports."""
    return Diagnosis(say(key, lang, **fields), key)


def diagnosis_ids(sentences):
    """The ids of the mistakes ``sentences`` name (their :class:`Diagnosis` keys), in order,
    each once."""
    return tuple(dict.fromkeys(s.key for s in sentences if isinstance(s, Diagnosis)))


def _relu(c):
    return (
        ("relu_mask_inverted", c["dout"] * (c["x"] <= 0)),
        ("relu_mask_from_dout", c["dout"] * (c["dout"] > 0)),
        ("relu_forgot_dout", (c["x"] > 0).astype(np.float64)),
        ("relu_unmasked", c["dout"]),
    )


def _sigmoid(c):
    y, dout = c["y"], c["dout"]
    return (
        ("sigmoid_missing_one_minus_y", dout * y),
        ("sigmoid_missing_y", dout * (1 - y)),
        ("sigmoid_uses_x", dout * c["x"] * (1 - c["x"])),
        ("sigmoid_forgot_dout", y * (1 - y)),
    )


def _softmax(c):
    return (
        ("softmax_missing_n", c["y"] - c["t"]),
        ("softmax_missing_labels", c["y"] / c["n"]),
        ("softmax_missing_labels", c["y"]),
    )


# target -> function of the context giving (message key, value the mistake produces) pairs
MISTAKES = {
    "MulLayer.dx": lambda c: (("mul_not_swapped", c["dout"] * c["x"]),
                              ("mul_forgot_dout", c["y"] * np.ones_like(c["dout"]))),
    "MulLayer.dy": lambda c: (("mul_not_swapped", c["dout"] * c["y"]),
                              ("mul_forgot_dout", c["x"] * np.ones_like(c["dout"]))),
    "AddLayer.dx": lambda c: (("add_split_dout", c["dout"] / 2),),
    "AddLayer.dy": lambda c: (("add_split_dout", c["dout"] / 2),),
    "Relu.dx": _relu,
    "Sigmoid.dx": _sigmoid,
    "Sigmoid.out": lambda c: (("sigmoid_forward_precedence", 1 + np.exp(-c["x"])),),
    "Affine.db": lambda c: (("affine_db_mean", c["dout"].mean(axis=0)),),
    "SoftmaxWithLoss.dx": _softmax,
}


# Python's words for a name that is not defined (not an UnboundLocalError's, a local
# variable used before it is assigned: another mistake).
_UNDEFINED_NAME = re.compile(r"name '(?P<name>\w+)' is not defined")


def _affine_error(error, context, lang):
    """numpy's words for a product of shapes that do not fit: a matrix product (np.dot,
    then @), or `*` where a matrix product belongs."""
    if not isinstance(error, ValueError):
        return ""
    text = str(error)
    if "not aligned" in text or "mismatch in its core dimension" in text:
        return named("affine_product_shapes", lang)
    if "could not be broadcast" in text:
        return named("affine_elementwise_product", lang)
    return ""


def _softmax_error(error, context, lang):
    """Errors of code written for one kind of targets only: both reach backward. Labels
    (N,) in y - t do not broadcast; one-hot rows (N, C) as indices raise IndexError."""
    ndim = np.ndim(context["t"]) if "t" in context else None
    if ndim == 1 and isinstance(error, ValueError) and "broadcast" in str(error):
        return named("softmax_missing_labels", lang)
    if ndim == 2 and isinstance(error, IndexError):
        return named("softmax_one_hot_as_labels", lang)
    return ""


# method -> function of (the error it raised, the context, lang) giving a sentence or ''
ERRORS = {
    "Affine.backward": _affine_error,
    "SoftmaxWithLoss.backward": _softmax_error,
}


def diagnose_error(method, error, context=None, lang=None):
    """A sentence naming the usual cause of ``error``, raised by the student's ``method``
    ("Affine.backward", ...) on inputs ``context`` (t, ...), or ''.

    A name that is not defined is the same mistake in any method: a variable of another
    cell of the notebook, which the checks do not run.
    """
    found = _UNDEFINED_NAME.search(str(error)) if isinstance(error, NameError) else None
    if found:
        return named("name_not_defined", lang, what=method, name=found["name"])
    rule = ERRORS.get(method)
    return rule(error, context or {}, lang) if rule else ""


def diagnose_values(target, got, expected, context=None, lang=None):
    """Sentences naming the likely mistake behind ``got`` (same shape as ``expected``).

    Returns '' when nothing is recognised (and the array is too big to show an element).
    """
    got = np.asarray(got, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    context = context or {}
    if target.endswith(".loss") and np.ndim(got) == 0 and got < 0:
        return named("loss_negative", lang)
    if target.startswith("SoftmaxWithLoss") and not np.all(np.isfinite(got)):
        return named("softmax_overflow", lang)
    if target.startswith("Sigmoid") and not np.all(np.isfinite(got)):
        return named("sigmoid_overflow", lang)
    if not np.all(np.isfinite(got)):
        return ""
    for key, value in _named_mistakes(target, context):
        if _matches(got, value):
            return named(key, lang)
    generic = _generic(got, expected, context.get("n"), lang)
    if generic:
        return generic
    return _first_difference(got, expected, lang)


def diagnose_shape(target, got_shape, expected_shape, context=None, lang=None):
    """A sentence explaining a wrong shape, or ''."""
    got_shape, expected_shape = tuple(got_shape), tuple(expected_shape)
    context = context or {}
    n = context.get("n")
    if target == "Affine.db" and n is not None:
        if got_shape == (1,) + expected_shape:  # keepdims; at N = 1 also "not summed"
            return named("shape_keepdims", lang) if n != 1 else ""
        if got_shape == (n,) + expected_shape:
            return named("shape_not_summed", lang)
        if got_shape == (n,):
            return named("shape_wrong_axis", lang)
        if got_shape == ():
            return named("shape_summed_all", lang)
    if target == "Affine.dx" and len(expected_shape) > 2 and \
            got_shape == (expected_shape[0], int(np.prod(expected_shape[1:]))):
        return named("shape_not_reshaped", lang)
    if target.startswith("TwoLayerNet.") and got_shape in context.get("other_shapes", ()):
        return named("shape_swapped_params", lang)
    if len(expected_shape) == 2 and got_shape == expected_shape[::-1]:
        if target.endswith(".dx"):
            return named("shape_transposed_dx", lang)
        return named("shape_transposed", lang)
    return ""


def _named_mistakes(target, context):
    make = MISTAKES.get(target)
    if make is None:
        return ()
    try:
        return make(context)
    except (KeyError, TypeError, ValueError):  # the context lacks what this target needs
        return ()


def _matches(got, value):
    value = np.asarray(value, dtype=np.float64)
    return value.shape == got.shape and relative_error(got, value, floor=1e-12) <= MATCH


def _generic(got, expected, n, lang):
    if not np.any(expected) or _matches(got, expected):
        return ""
    if not np.any(got):
        return named("all_zero", lang)
    if n and n > 1 and _matches(got, expected * n):
        return named("factor_n", lang, n=n)
    if n and n > 1 and _matches(got, expected / n):
        return named("factor_inverse_n", lang, n=n)
    if _matches(got, -expected):
        return named("sign", lang)
    if got.ndim == 2 and got.shape[0] == got.shape[1] and _matches(got, expected.T):
        return named("transposed_values", lang)
    return ""


def _first_difference(got, expected, lang):
    if got.size > SMALL:
        return ""
    if got.ndim == 0:
        return say("scalar_difference", lang, expected=float(expected), got=float(got))
    close = np.isclose(got, expected, rtol=1e-6, atol=1e-9)
    if np.all(close):
        return ""
    index = tuple(int(i) for i in np.argwhere(~close)[0])
    return say("first_difference", lang, index=index if len(index) != 1 else index[0],
               expected=float(expected[index]), got=float(got[index]))
