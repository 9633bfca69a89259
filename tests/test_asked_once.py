"""Is a question asked of a submission's code twice answered once, and only when that is
safe: the same code object and the same inputs by content, a CheckFailed remembered, a
hang or a crash not, arrays handed out as copies, large or unknown inputs never kept?"""

import numpy as np
import pytest

from autograder.asked_once import REMEMBERED_BYTES, asked_once, question_key
from selfcheck.expect import CheckFailed


class Code:
    """Stands for a submission's code object (what the checks call ``code``)."""


def _counting(answer):
    calls = []

    def ask():
        calls.append(1)
        if isinstance(answer, BaseException):
            raise answer
        return {"dW": np.ones(3)} if answer is None else answer

    return ask, calls


def test_the_same_question_is_asked_once_and_its_arrays_are_copies():
    code, (ask, calls) = Code(), _counting(None)
    first = asked_once(code, ask, "q", np.arange(3.0), {"W": np.ones(2)}, 7)
    first["dW"][:] = -1  # a check may change what it is given
    again = asked_once(code, ask, "q", np.arange(3.0), {"W": np.ones(2)}, 7)
    assert len(calls) == 1 and again["dW"].tolist() == [1.0, 1.0, 1.0]


@pytest.mark.parametrize("other", [
    ("q", np.arange(3.0) + 1, {"W": np.ones(2)}, 7),  # other values
    ("q", np.arange(3.0).astype(np.float32), {"W": np.ones(2)}, 7),  # another dtype
    ("q", np.arange(3.0).reshape(3, 1), {"W": np.ones(2)}, 7),  # another shape
    ("r", np.arange(3.0), {"W": np.ones(2)}, 7),  # another question
])
def test_other_inputs_are_asked_again(other):
    code, (ask, calls) = Code(), _counting(None)
    asked_once(code, ask, "q", np.arange(3.0), {"W": np.ones(2)}, 7)
    asked_once(code, ask, *other)
    assert len(calls) == 2


def test_each_code_object_is_asked_for_itself():
    (ask, calls) = _counting(None)
    asked_once(Code(), ask, "q", 1)
    asked_once(Code(), ask, "q", 1)
    assert len(calls) == 2


def test_a_check_failure_is_remembered_and_a_hang_is_not():
    code = Code()
    ask, calls = _counting(CheckFailed("returned None"))
    for _ in range(2):
        with pytest.raises(CheckFailed, match="returned None"):
            asked_once(code, ask, "failing")
    assert len(calls) == 1
    ask, calls = _counting(TimeoutError("hung"))
    for _ in range(2):
        with pytest.raises(TimeoutError):
            asked_once(code, ask, "hanging")
    assert len(calls) == 2


@pytest.mark.parametrize("question", [
    ("large", np.zeros(REMEMBERED_BYTES // 8 + 1)),
    ("a student's object", object()),
])
def test_large_or_unknown_inputs_are_never_remembered(question):
    code, (ask, calls) = Code(), _counting(None)
    assert question_key(*question) is None
    asked_once(code, ask, *question)
    asked_once(code, ask, *question)
    assert len(calls) == 2


def test_what_is_kept_for_one_code_is_bounded():
    """Answers of 1 MB each: are the first KEPT_BYTES of them kept and the rest asked
    again, while another code object keeps its own?"""
    from autograder.asked_once import KEPT_BYTES

    code, calls = Code(), []

    def ask():
        calls.append(1)
        return np.zeros(1 << 17)  # 1 MiB

    kept = KEPT_BYTES >> 20
    for round_ in range(2):
        for question in range(kept + 3):
            asked_once(code, ask, "big", question)
        assert len(calls) == (kept + 3) + round_ * 3  # the first `kept` asked once
    asked_once(Code(), ask, "big", 0)
    assert len(calls) == 2 * (kept + 3) - kept + 1


def test_answers_without_arrays_are_counted_too():
    """Answers of nested lists (no array in them, ~60 MB each once parsed, were they sent
    whole): is what they hold counted, so that they stop being kept too?"""
    from autograder.asked_once import KEPT_BYTES, OBJECT_BYTES

    code, calls = Code(), []

    def ask():
        calls.append(1)
        return [[[]] * 1000] * 16  # 16,017 objects

    kept = KEPT_BYTES // (16_017 * OBJECT_BYTES)
    for round_ in range(2):
        for question in range(kept + 3):
            asked_once(code, ask, "lists", question)
        assert len(calls) == (kept + 3) + round_ * 3
