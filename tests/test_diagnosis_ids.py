"""Diagnosis ids: does every failed check say, machine-readably, which mistake it names?

The text a student reads is unchanged; the ids (keys of ``selfcheck.messages``) travel
beside it, from the check that names the mistake to results.json, where the class report
counts them.
"""

import sys
from pathlib import Path

import pytest

from autograder.results import gradescope, part_payload
from selfcheck.diagnosis import Diagnosis, diagnose_values, named
from selfcheck.expect import CheckFailed
from selfcheck.messages import say

if str(Path(__file__).resolve().parent) not in sys.path:  # tests/ is not a package
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from catalog.bugs import BUGS  # noqa: E402
from test_bug_catalog import own_part  # noqa: E402


def test_a_diagnosis_is_its_message_with_an_id():
    """Is a Diagnosis exactly the student's message, in any language, with the key as id?"""
    for lang in ("en", "ko"):
        sentence = named("factor_n", lang, n=4)
        assert sentence == say("factor_n", lang, n=4) and sentence.key == "factor_n"


def test_check_failed_joins_sentences_and_keeps_their_ids():
    """Does CheckFailed read as the joined sentences, and keep the ids of those that name a
    mistake, each once, in order?"""
    error = CheckFailed("Relu.backward's dx does not match.", named("relu_unmasked"), "",
                        named("sign"), named("relu_unmasked"))
    assert str(error) == " ".join(["Relu.backward's dx does not match.", say("relu_unmasked"),
                                   say("sign"), say("relu_unmasked")])
    assert error.diagnoses == ("relu_unmasked", "sign")
    assert CheckFailed("plain text").diagnoses == ()


def test_first_difference_is_not_a_diagnosis():
    """Is a fallback that names no mistake (the first differing element) left without id?"""
    import numpy as np

    text = diagnose_values("Nothing.dx", np.array([1.0, 2.5]), np.array([1.0, 2.0]))
    assert text and not isinstance(text, Diagnosis)


@pytest.mark.parametrize("bug", [b for b in BUGS if b.expect and not b.gap], ids=lambda b: b.id)
def test_each_catalog_mistake_is_reported_by_id(grade_gradient_parts, bug):
    """Does grading the bug record its expected message key among the diagnoses of its
    part's failed checks, in the check results and in results.json's tests alike?"""
    result = grade_gradient_parts([own_part(bug)], **{bug.replaces: bug.cls})[bug.part]
    found = {key for check in result.checks if not check.passed for key in check.diagnoses}
    assert bug.expect in found, found
    tests = gradescope([part_payload(result)])["tests"]
    assert {test["extra_data"]["part"] for test in tests} == {bug.part}
    in_json = {key for test in tests for key in test["extra_data"]["diagnoses"]}
    assert in_json == found
