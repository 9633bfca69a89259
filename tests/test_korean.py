"""The Korean edition of the assignment: messages, diagnoses and the nbgrader release.

Students of ``backprop_ko`` read Korean everywhere the checks speak to them: the self-check,
``nbgrader validate`` and the hidden-check reports. The notebook's setup cell selects the
language (``os.environ["BACKPROP_LANG"] = "ko"``); :func:`selfcheck.messages.say` reads it.
The nbgrader tests (marked slow) run real nbgrader commands in a scratch course.
"""

import os
import re
import string
from contextlib import contextmanager

import nbformat
import pytest
from nbgrader.utils import is_solution

import solutions
from autograder.demo import pipeline
from autograder.demo.sample_class import SAMPLE_CLASS, answers_of, reference_answers, submission
from autograder.runner import run_checks
from autograder.student_code import REQUIRED_CLASSES, StudentCode
from selfcheck import assignment, check_part, messages, messages_ko, self_check
from selfcheck.messages import language, say

HANGUL = re.compile("[\uac00-\ud7a3]")
LANGUAGE_LINE = re.compile(r'^os\.environ\["BACKPROP_LANG"\] = "(\w+)"$', re.MULTILINE)
NOT_WRITTEN_KO = "의 코드를 아직 작성하지 않았습니다"  # messages_ko's not_written, after {what}


def _inverted_mask_backward(self, dout):
    dx = dout.copy()
    dx[~self.mask] = 0  # the classic mistake: blocks dout where x > 0, passes it elsewhere
    return dx


# A student's Relu: the reference with an inverted mask in backward.
ReluMaskInverted = type("Relu", (solutions.Relu,), {"backward": _inverted_mask_backward})


def flat(text):
    """``text`` with all whitespace runs made single spaces (validate wraps long lines)."""
    return " ".join(text.split())


def fields(template):
    return {(name, spec, conversion)
            for _, name, spec, conversion in string.Formatter().parse(template)
            if name is not None}


# ------------------------------------------------------------------------ the messages


def test_every_key_is_translated():
    """Does selfcheck/messages_ko.py have exactly the keys of the English table?"""
    assert messages_ko.MESSAGES.keys() == messages.MESSAGES.keys()


@pytest.mark.parametrize("key", sorted(messages.MESSAGES))
def test_translation_has_the_same_fields(key):
    """Does each Korean template take exactly the English one's {fields} (and formats)?"""
    assert fields(messages_ko.MESSAGES[key]) == fields(messages.MESSAGES[key]["en"])


@pytest.mark.parametrize("key", sorted(messages.MESSAGES))
def test_translation_is_korean(key):
    """Is each Korean template written in Korean, and merged into MESSAGES as "ko"?"""
    assert HANGUL.search(messages_ko.MESSAGES[key]), key
    assert messages.MESSAGES[key]["ko"] == messages_ko.MESSAGES[key]


def test_translations_format_like_english():
    """Does every Korean template format with the fields its English one is given?"""
    samples = {"what": "Relu.backward", "type": "tuple", "got": (2, 3), "expected": (3, 2),
               "reason": say("reason_numerical", "ko"), "n": 4, "index": (0, 1),
               "part": "mnist_training", "method": "Relu.backward", "name": "Relu",
               "error_type": "ValueError", "error": "boom", "where": "", "function": "f",
               "line": 3, "code": "return dx", "missing": "W1", "key": "W1",
               "title": "Relu.backward", "score": "2", "max_score": "10",
               "reached": "test accuracy 0.9 after 600 iterations", "layers": "Relu",
               "iterations": 600, "how": "exit status 0",
               "cell": "relu_code", "cells": "relu_code", "count": 2, "step": 7,
               "kind": "Affine", "limit": 4, "shape": "(100, 784)", "restarts": 8,
               "owner": "Relu.backward", "want": 110, "task": "Relu.backward",
               "x": "1", "dout": "1", "dx": "0.1966", "derivative": "−1",
               "of": "price", "x_train": (60000, 784), "t_train": (60000,),
               "x_test": (10000, 784), "t_test": (10000,)}
    for key, entry in messages.MESSAGES.items():
        values = {name: 0.5 if spec else samples[name]  # a format spec takes a number
                  for name, spec, _ in fields(entry["en"])}
        text = say(key, "ko", **values)
        assert text != say(key, "en", **values), key
        assert "{" not in text and "}" not in text, key


def test_language_follows_the_environment(monkeypatch):
    """Does BACKPROP_LANG choose the language, with English for anything unknown?"""
    monkeypatch.setenv("BACKPROP_LANG", "ko")
    assert language() == "ko"
    assert say("relu_mask_inverted") == messages_ko.MESSAGES["relu_mask_inverted"]
    assert say("relu_mask_inverted", "en") == messages.MESSAGES["relu_mask_inverted"]["en"]
    monkeypatch.setenv("BACKPROP_LANG", "fr")
    assert language() == "en"
    monkeypatch.delenv("BACKPROP_LANG")
    assert language() == "en"


# --------------------------------------------------------------- diagnoses in Korean


def buggy_code(**classes):
    reference = {name: getattr(solutions, name) for name in REQUIRED_CLASSES}
    return StudentCode({**reference, **classes}, origin="a test")


def test_hidden_checks_diagnose_in_korean(monkeypatch):
    """With BACKPROP_LANG=ko, do the hidden checks name an inverted ReLU mask in Korean?"""
    monkeypatch.setenv("BACKPROP_LANG", "ko")
    (result,) = run_checks(buggy_code(Relu=ReluMaskInverted), ["relu_backward"])
    assert result.score < result.max_score
    failed = [check.message for check in result.checks if not check.passed]
    assert failed
    assert any(messages_ko.MESSAGES["relu_mask_inverted"] in message for message in failed)
    assert not any(messages.MESSAGES["relu_mask_inverted"]["en"] in message
                   for message in failed)
    assert any(say("reason_numerical", "ko") in message for message in failed)


def test_hidden_checks_diagnose_in_english_by_default(monkeypatch):
    """Without BACKPROP_LANG, is the same diagnosis English (the English notebook's case)?"""
    monkeypatch.delenv("BACKPROP_LANG", raising=False)
    (result,) = run_checks(buggy_code(Relu=ReluMaskInverted), ["relu_backward"])
    failed = " ".join(check.message for check in result.checks if not check.passed)
    assert messages.MESSAGES["relu_mask_inverted"]["en"] in failed
    assert not HANGUL.search(failed)


def test_hidden_check_cell_reports_in_korean(monkeypatch):
    """Does the graded cell's report give the Korean diagnosis?"""
    from autograder.notebook import cell_outputs

    monkeypatch.setenv("BACKPROP_LANG", "ko")
    (result,) = run_checks(buggy_code(Relu=ReluMaskInverted), ["relu_backward"])
    report = "".join(output.get("text", "") + output.get("evalue", "")
                     for output in cell_outputs(result))
    assert result.score < 10
    assert messages_ko.MESSAGES["relu_mask_inverted"] in report


def test_self_check_speaks_korean(monkeypatch):
    """Do the students' self-check table and validate's check_part speak Korean?"""
    monkeypatch.setenv("BACKPROP_LANG", "ko")
    namespace = {**vars(solutions), "Relu": ReluMaskInverted}
    report = str(self_check(namespace))
    assert report.startswith(messages_ko.MESSAGES["selfcheck_title"])
    assert messages_ko.MESSAGES["relu_mask_inverted"] in report
    with pytest.raises(AssertionError) as failure:
        check_part("relu_backward", namespace)
    assert flat(messages_ko.MESSAGES["relu_mask_inverted"]) in flat(str(failure.value))


def test_unwritten_method_is_reported_in_korean(monkeypatch):
    """Does an unwritten backward (the release's stub) get the Korean not_written message?"""
    class Relu(solutions.Relu):
        def backward(self, dout):
            raise NotImplementedError("Relu.backward is not written yet")

    monkeypatch.setenv("BACKPROP_LANG", "ko")
    row = str(self_check({**vars(solutions), "Relu": Relu}))
    assert f"Relu.backward{NOT_WRITTEN_KO}" in row


# ------------------------------------------------------- nbgrader, both assignments


@contextmanager
def no_language_in_environment():
    """Run nbgrader without BACKPROP_LANG, so only the notebook can choose the language."""
    saved = os.environ.pop("BACKPROP_LANG", None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ["BACKPROP_LANG"] = saved


@pytest.fixture(scope="module")
def course(tmp_path_factory, mnist_dir):
    """A scratch course with the releases of both assignments, made by nbgrader."""
    course_dir = pipeline.prepare_course(tmp_path_factory.mktemp("korean_course"))
    with no_language_in_environment():
        for lang in ("en", "ko"):
            pipeline.nbgrader(course_dir, "generate_assignment", assignment.NAMES[lang],
                              "--force")
    return course_dir


def release_path(course_dir, lang):
    name = assignment.NAMES[lang]
    return course_dir / "release" / name / f"{name}.ipynb"


def validate(course_dir, nb, name):
    """Write ``nb`` into the course and run `nbgrader validate` on it; return its output."""
    path = course_dir / f"{name}.ipynb"
    nbformat.write(nb, path)
    with no_language_in_environment():
        try:
            return pipeline.nbgrader(course_dir, "validate", str(path))
        except pipeline.PipelineError as error:  # validate exits 0 either way in 0.9
            return str(error)


@pytest.mark.slow
def test_both_releases_are_generated(course):
    """Does nbgrader make a release of each assignment in the same course?"""
    for lang in ("en", "ko"):
        nb = nbformat.read(release_path(course, lang), as_version=4)
        setup = next(cell for cell in nb.cells if cell.id == "setup")
        assert LANGUAGE_LINE.findall(setup.source) == [lang]


@pytest.mark.slow
def test_releases_have_the_same_code(course):
    """Are the two releases' code cells (stubs included) the same but for the language line?"""
    english, korean = (nbformat.read(release_path(course, lang), as_version=4)
                       for lang in ("en", "ko"))
    assert [c.id for c in english.cells] == [c.id for c in korean.cells]
    for en, ko in zip(english.cells, korean.cells, strict=True):
        assert en.cell_type == ko.cell_type, en.id
        if en.cell_type == "code":
            assert LANGUAGE_LINE.sub("", en.source) == LANGUAGE_LINE.sub("", ko.source), en.id
            assert is_solution(en) == is_solution(ko), en.id
        else:
            assert HANGUL.search(ko.source) and not HANGUL.search(en.source), en.id


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_validate_passes_the_reference(course, lang):
    """Does `nbgrader validate` pass each release filled in with the reference answers?"""
    nb = submission(release_path(course, lang), reference_answers())
    output = validate(course, nb, f"reference_{lang}")
    assert "Success! Your notebook passes all the tests." in output, output[-2000:]


@pytest.mark.slow
def test_validate_fails_the_untouched_korean_release_in_korean(course):
    """Does `nbgrader validate` fail the untouched Korean release, saying so in Korean?"""
    nb = nbformat.read(release_path(course, "ko"), as_version=4)
    output = flat(validate(course, nb, "untouched_ko"))
    assert "VALIDATION FAILED" in output, output[-2000:]
    for method in ("MulLayer", "AddLayer", "Relu", "Sigmoid", "Affine", "SoftmaxWithLoss"):
        assert f"{method}.backward: {method}.backward{NOT_WRITTEN_KO}" in output, method
    # The network is built from the (unwritten) layers: its check says to fix them first.
    assert "TwoLayerNet.gradient: " + flat(
        say("net_layer_failed", "ko", method="Relu.backward")) in output
    assert "is not written yet: it raised NotImplementedError" not in output  # English


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_validate_names_the_mistake_in_the_notebooks_language(course, lang):
    """Does `nbgrader validate` name the inverted ReLU mask in the release's language?"""
    cho = next(student for student in SAMPLE_CLASS if student.id == "cho")
    output = flat(validate(course, submission(release_path(course, lang), answers_of(cho)),
                           f"cho_{lang}"))
    assert "VALIDATION FAILED" in output
    assert flat(say("relu_mask_inverted", lang)) in output
    other = "en" if lang == "ko" else "ko"
    assert flat(say("relu_mask_inverted", other)) not in output
