"""The same question to a student's code, asked by two checks, is asked once.

The hidden seeds give several checks of a part the same inputs: the shape check and the
gradient check of a layer on one case, TwoLayerNet's gradient on a seed's problem (its
keys and shapes, its values, the gate's ordinary case). Each check still judges the answer
on its own terms; the student's code answers once. Only questions about a fresh object
qualify (a layer or a network made for the question: its answer depends on the inputs
alone), and only small inputs are remembered (none of the full-size probes repeats).
What is kept for one submission is bounded (``KEPT_BYTES``): a student's code that answers
every question with as much as a reply may hold cannot make the grader keep it all.
"""

import weakref

import numpy as np

from selfcheck.expect import CheckFailed

# Questions whose arrays hold more bytes than this are not remembered: no two checks send
# the same large arrays, and keeping them would cost for nothing.
REMEMBERED_BYTES = 1 << 16
_SCALARS = (bool, int, float, str)  # made once: ``bool | int`` in a call is built per call
_SEQUENCES = (list, tuple)

# What is kept for one submission (see _nbytes): a correct notebook's answers take ~0.2 MB,
# while every reply may hold 2 MB (see session.REPLY_BYTES), ~250 questions 0.5 GB, and
# ~25x that as Python lists. Past this, answers are no longer kept: a later check asks
# again, as it would without this module.
KEPT_BYTES = 4 << 20

_ANSWERS = weakref.WeakKeyDictionary()  # code -> _Answers


class _Answers(dict):
    """{question: answer, or the CheckFailed} of one code object, and their bytes."""

    nbytes = 0


def question_key(*parts):
    """A hashable copy of ``parts`` (numbers, strings, arrays by content, and lists,
    tuples and dicts of them), or None for a question not to remember."""
    sizes = []
    try:
        key = _content(parts, sizes)
    except TypeError:  # something else: a proxy, a student's object
        return None
    return key if sum(sizes) <= REMEMBERED_BYTES else None


def _content(value, sizes):
    if isinstance(value, np.ndarray):
        sizes.append(value.nbytes)
        return ("array", value.dtype.str, value.shape, value.tobytes())
    if value is None or isinstance(value, _SCALARS):
        return (type(value).__name__, value)
    if isinstance(value, _SEQUENCES):
        return (type(value).__name__, *(_content(item, sizes) for item in value))
    if isinstance(value, dict):
        return ("dict", *((_content(k, sizes), _content(v, sizes)) for k, v in value.items()))
    raise TypeError(type(value).__name__)


# What a Python object in an answer (a list, a number, a string...) costs at least: an
# answer of a million nested empty lists holds no array, yet ~60 MB.
OBJECT_BYTES = 64


def _nbytes(value, cap):
    """Bytes ``value`` holds: its arrays', and OBJECT_BYTES for each other object in it
    (through lists, tuples and dicts); counted only until they pass ``cap`` (then some
    number above it)."""
    if isinstance(value, np.ndarray):
        return value.nbytes
    items = value.values() if isinstance(value, dict) else \
        value if isinstance(value, _SEQUENCES) else ()
    total = OBJECT_BYTES
    for item in items:
        total += _nbytes(item, cap - total) + OBJECT_BYTES * isinstance(value, dict)
        if total > cap:
            break
    return total


def fresh(value):
    """``value`` with its arrays copied (a check may change what it is given)."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, _SEQUENCES):
        return type(value)(fresh(item) for item in value)
    if isinstance(value, dict):
        return {key: fresh(item) for key, item in value.items()}
    return value


def asked_once(code, ask, *question):
    """``ask()``, or what it gave the first time ``question`` (see :func:`question_key`)
    was asked of ``code`` (the submission's code object): its value with the arrays
    copied, or its CheckFailed raised again. Other exceptions (a worker that hung or
    died) are not remembered."""
    key = question_key(*question)
    if key is None:
        return ask()
    answers = _ANSWERS.get(code)
    if answers is None:
        answers = _ANSWERS[code] = _Answers()
    if key in answers:
        answer = answers[key]
    else:
        try:
            answer = ask()
        except CheckFailed as failure:
            answer = failure
        size = _nbytes(answer, KEPT_BYTES - answers.nbytes)
        if answers.nbytes + size > KEPT_BYTES:  # not kept: the caller may have it as it is
            if isinstance(answer, CheckFailed):
                raise answer
            return answer
        answers[key], answers.nbytes = answer, answers.nbytes + size
    if isinstance(answer, CheckFailed):
        raise answer
    return fresh(answer)
