"""The Korean edition of the assignment: messages, diagnoses and the nbgrader release.

Students of ``backprop_ko`` read Korean everywhere the checks speak to them: the self-check,
``nbgrader validate`` and the hidden-check reports. The notebook's setup cell selects the
language (``os.environ["BACKPROP_LANG"] = "ko"``); :func:`selfcheck.messages.say` reads it.
The nbgrader tests (marked slow) run real nbgrader commands in a scratch course.
"""

import builtins
import io
import keyword
import logging
import os
import re
import string
import sys
import tokenize
import warnings
from contextlib import contextmanager
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbgrader.utils import is_solution

import solutions
from autograder import authoring
from autograder.authoring.translate import code_only
from autograder.demo import pipeline
from autograder.demo.sample_class import SAMPLE_CLASS, answers_of, reference_answers, submission
from autograder.in_process_code import REQUIRED_CLASSES, InProcessCode
from autograder.rubric import PARTS
from autograder.runner import run_checks
from selfcheck import assignment, check_part, fonts, messages, messages_ko, self_check
from selfcheck.messages import language, of, say

if str(Path(__file__).resolve().parent) not in sys.path:  # tests/ is not a package
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from catalog.bugs import BUGS  # noqa: E402
from catalog.not_backprop import NOT_BACKPROP  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "artifacts" / "korean"

HANGUL = re.compile("[\uac00-\ud7a3]")
LANGUAGE_LINE = re.compile(r'^os\.environ\["BACKPROP_LANG"\] = "(\w+)"$', re.MULTILINE)
STUB_MESSAGE = re.compile(r"(?<=raise NotImplementedError\()'[^']*'(?=\))")
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
               "kind": "Affine", "limit": 4, "shape": "(100, 784)", "restarts": 8, "keeps": "dW",
               "names": "`f`",
               "owner": "Relu.backward", "want": 110, "task": "Relu.backward",
               "x": "1", "dout": "1", "dx": "0.1966", "derivative": "−1",
               "of": "price", "x_train": (60000, 784), "t_train": (60000,),
               "x_test": (10000, 784), "t_test": (10000,), "dtype": "float32"}
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


# ------------------------------------------------------- Korean words, not English ones

# Names that are not the notebook's identifiers but may stand in a Korean sentence as they
# are: proper names, Python's built-in names (types, exceptions), numpy's, a file extension.
PROPER_NAMES = {"NaN", "ReLU", "Jupyter", "JupyterLab", "IsolatedAutograde", "ipynb",
                "reshape", "softmax", "exp", "log", "ndarray", *dir(builtins)}
NUMBER = re.compile(r"(?<![A-Za-z_])[-+]?\d[\d.,]*(?:e[-+]?\d+)?")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.']*")


def code_names():
    """Every identifier of the English notebook's code (keywords excepted): the names a
    Korean sentence may use as they are, as code."""
    names = set()
    for cell in authoring.build_notebook("en").cells:
        if cell.cell_type == "code":
            for token in tokenize.generate_tokens(io.StringIO(cell.source).readline):
                if token.type == tokenize.NAME and not keyword.iskeyword(token.string):
                    names.add(token.string)
    return names


CODE_NAMES = code_names()


def english_words(text):
    """The words of ``text`` that are English prose: Latin words outside backticks that are
    neither code (a dotted or underscored name, a name of the notebook's code, one letter, a
    number, an acronym such as MNIST or SIGKILL) nor a proper name. [] for a sentence in
    Korean with code in it."""
    text = NUMBER.sub(" ", re.sub(r"`[^`]*`", " ", text))
    found = []
    for word in LATIN_WORD.findall(text):
        if word.endswith("'s"):  # an English possessive: "Relu.backward's dx"
            found.append("'s")
            continue
        word = word.rstrip(".'")
        if not word or len(word) == 1 or any(c in word for c in "._") or word.isupper() \
                or any(c.isdigit() for c in word) or word in CODE_NAMES or word in PROPER_NAMES:
            continue
        found.append(word)
    return found


def is_korean_sentence(text):
    """One message in Korean: Hangul, no English prose, and it ends as a sentence does (a
    polite ending, then '.' or '?'; a closing parenthesis of numbers may come between)."""
    core = re.sub(r"`[^`]*`", "code", text.strip())
    while re.search(r"\([^()]*\)", core):  # parentheses, innermost first
        core = re.sub(r"\s*\([^()]*\)", "", core)
    return (bool(HANGUL.search(text)) and not english_words(text)
            and re.search(r"(다|요|까|세요)[.?]$", core) is not None)


def sample_fields(template, lang):
    """Values for a template's fields, as the checks give them in ``lang``: code names,
    numbers and the checks' own descriptions (of(), in that language)."""
    samples = {"what": of("Sigmoid.backward", "dx", lang), "type": "tuple", "got": (2, 3),
               "expected": (3, 2), "reason": say("reason_numerical", lang), "n": 4,
               "index": (0, 1), "part": "relu_backward", "method": "Relu.backward",
               "name": "dW", "error_type": "ValueError", "error": "x", "where": "",
               "function": "backward", "line": 3, "code": "return dx", "missing": "W1",
               "key": "W1", "title": say("check_dx_numerical", lang), "score": "2",
               "max_score": "10", "layers": "Relu", "iterations": 600, "how": "SIGKILL",
               "cell": "relu_code", "cells": "relu_code", "count": 2, "step": 7,
               "kind": "Affine", "limit": 4, "shape": "(100, 784)", "restarts": 8, "keeps": "dW",
               "names": "`f`",
               "owner": "Relu.backward", "want": 110, "task": "Relu.backward", "x": "1",
               "dout": "1", "dx": "0.1966", "derivative": "−1", "of": "price",
               "x_train": (60000, 784), "t_train": (60000,), "x_test": (10000, 784),
               "t_test": (10000,), "dtype": "float32",
               "reached": say("mnist_reached", lang, accuracy=0.9, iterations=600)}
    return {name: 0.5 if spec else samples[name] for name, spec, _ in fields(template)}


@pytest.mark.parametrize("key", sorted(messages.MESSAGES))
def test_every_message_renders_in_korean(key):
    """Filled in as the checks fill it, is each message Korean, with no English prose
    (code names such as `Sigmoid.backward` and dx may stay as they are)?"""
    template = messages_ko.MESSAGES[key]
    text = say(key, "ko", **sample_fields(template, "ko"))
    assert HANGUL.search(text), (key, text)
    assert english_words(text) == [], (key, text)


def test_no_korean_message_falls_back_to_english(monkeypatch):
    """With the Korean edition's language, does every key say its Korean text, none the
    English one (say() falls back to English for a key a language lacks)?"""
    monkeypatch.setenv("BACKPROP_LANG", "ko")
    for key, entry in messages.MESSAGES.items():
        values = sample_fields(entry["en"], "ko")
        assert entry.get("ko") == messages_ko.MESSAGES[key], key
        assert say(key, **values) == messages_ko.MESSAGES[key].format(**values), key
        assert say(key, **values) != say(key, "en", **values), key


def test_english_words_finds_english_prose():
    """Does the prose detector find English words, and let code names and numbers pass?"""
    assert english_words("Sigmoid.backward's dx: 수치 미분으로 구한 기울기와 일치하지 "
                         "않습니다") == ["'s"]
    assert english_words("the gradient does not match") == ["the", "does", "not", "match"]
    assert english_words("Sigmoid.backward의 dx: 상대 오차 1.0e-01, 허용 오차 1e-06, "
                         "`raise NotImplementedError(...)`, self.mask, MNIST") == []
    assert is_korean_sentence("Relu.backward의 dx: 일치하지 않습니다(상대 오차 1.0e-01).")
    assert not is_korean_sentence("Relu.backward's dx: does not match the numerical gradient.")
    assert not is_korean_sentence("ReLU의 마스크가 반대로 적용되었습니다: the mask")


# --------------------------------------------------------------- diagnoses in Korean


def buggy_code(**classes):
    reference = {name: getattr(solutions, name) for name in REQUIRED_CLASSES}
    return InProcessCode({**reference, **classes}, origin="a test")


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
    from autograder.hidden_cell_outputs import cell_outputs

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


# ------------------------------------------- the bug catalog, diagnosed in Korean


def _catalog():
    """Every catalog entry the engine names (bugs without a gap) and every numerical-
    differentiation cheat, as (id, class name, class, its part)."""
    entries = [(bug.id, bug.replaces, bug.cls, bug.part) for bug in BUGS if not bug.gap]
    entries += [(entry.id, entry.replaces, entry.cls, entry.part) for entry in NOT_BACKPROP]
    return entries


def korean_diagnoses(classes, part):
    """The messages of the failed checks of ``part``, graded in Korean with ``classes``
    swapped into the reference (not the session's cache: that one is English)."""
    os.environ["BACKPROP_LANG"] = "ko"
    try:
        (result,) = run_checks(buggy_code(**classes), [part])
    finally:
        os.environ.pop("BACKPROP_LANG")
    return [check.message for check in result.checks if not check.passed]


# A third of the catalog in the fast suite (one of every three entries, so every part
# is there); all of it in the slow one.
CATALOG = [pytest.param(entry, id=entry[0],
                        marks=[] if index % 3 == 0 else [pytest.mark.slow])
           for index, entry in enumerate(_catalog())]


@pytest.mark.parametrize("entry", CATALOG)
def test_catalog_diagnosis_is_korean(entry):
    """Graded in Korean, is every failed check's message of this catalog mistake Korean
    sentences, with code names but no English prose, ending as a sentence does?"""
    _, name, cls, part = entry
    failed = korean_diagnoses({name: cls}, part)
    assert failed
    for message in failed:
        codes = re.findall(r"`[^`]*`", message)  # code (Python's error text) is not split
        sentences = re.split(r"(?<=[.?])\s+(?=\S)", re.sub(r"`[^`]*`", "`code`", message))
        assert codes or "`" not in message
        assert all(is_korean_sentence(sentence) for sentence in sentences), message


# ------------------------------------------------ figures in Korean: Hangul, no boxes


@contextmanager
def glyph_warnings(caplog):
    """The missing-glyph and font-not-found warnings matplotlib gives inside the block
    (as warnings and as log records), in a list filled when the block ends."""
    found = []
    with warnings.catch_warnings(record=True) as caught, \
            caplog.at_level(logging.WARNING, logger="matplotlib"):
        warnings.simplefilter("always")
        yield found
    found += [str(w.message) for w in caught if "Glyph" in str(w.message)]
    found += [r.getMessage() for r in caplog.records
              if "Glyph" in r.getMessage() or "findfont" in r.getMessage()]


def korean_figures():
    """{file name: figure} of every matplotlib picture a Korean student sees: the
    notebook's training curves, the three graphs. (The grader's training curve is SVG
    text, set by the viewer: tests/test_training_curve.py.)"""
    import matplotlib

    matplotlib.use("Agg")
    from selfcheck.graph_drawing import draw_apple_graph, draw_sigmoid_graph
    from solutions.plotting import plot_history

    rng = np.random.default_rng(0)
    history = {"loss": list(2.3 * np.exp(-np.arange(600) / 200) + 0.1 * rng.random(600)),
               "epoch_iter": [200, 400, 600], "train_acc": [0.8, 0.88, 0.9],
               "test_acc": [0.81, 0.87, 0.9]}
    apple, tax = solutions.MulLayer(), solutions.MulLayer()
    tax.forward(apple.forward(100, 2), 1.1)
    return {
        "plot_history.png": plot_history(history, lang="ko"),
        "apple_graph.png": draw_apple_graph(apple, tax, lang="ko"),
        "sigmoid_graph.png": draw_sigmoid_graph(x=1.0, layer=solutions.Sigmoid(), lang="ko"),
        "sigmoid_untouched.png": draw_sigmoid_graph(x=1.0, layer=_Unwritten(), lang="ko"),
    }


class _Unwritten(solutions.Sigmoid):
    def backward(self, dout):
        raise NotImplementedError


def texts_of(figure):
    """Every text a figure shows (titles, labels, legends, notes)."""
    from matplotlib.text import Text

    return [t.get_text() for t in figure.findobj(Text) if t.get_text().strip()]


def test_korean_font_is_installed():
    """Does the student package bring a Hangul font that matplotlib can use?"""
    assert fonts.korean_font_files(), "pip install -e ./student (koreanize-matplotlib)"
    assert fonts.font_family("ko") == [fonts.KOREAN_FAMILY, fonts.FALLBACK_FAMILY]
    assert fonts.font_family("en") is None


def test_korean_figures_have_every_glyph(caplog):
    """Drawn in Korean and saved as PNG, does every figure show its Hangul (no missing-glyph
    warning, no font not found), with its words in Korean? (PNGs in artifacts/korean/)"""
    import matplotlib.pyplot as plt

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with glyph_warnings(caplog) as missing:
        figures = korean_figures()
        for name, figure in figures.items():
            figure.savefig(ARTIFACTS / name, dpi=80)
    assert missing == []
    for name, figure in figures.items():
        words = " ".join(texts_of(figure))
        assert HANGUL.search(words), name
        assert english_words(words) == [], (name, english_words(words))
        plt.close(figure)


def test_korean_title_without_the_font_shows_boxes(caplog):
    """Is the check able to fail: without the Korean font, does a Korean title give
    missing-glyph warnings (the boxes graders saw before)?"""
    from matplotlib.figure import Figure

    with glyph_warnings(caplog) as missing:
        figure = Figure()
        figure.suptitle(say("curve_title", "ko"))
        figure.savefig(io.BytesIO(), format="png")
    assert len(missing) >= len(set(HANGUL.findall(say("curve_title", "ko"))))


def test_results_json_of_a_korean_submission_is_korean():
    """Does a Korean submission's results.json give Korean check titles, part titles, the
    summary's words and a curve drawn in Korean?"""
    from autograder.hidden_cell_outputs import cell_outputs
    from autograder.results import gradescope, part_payload
    from autograder.runner import CheckResult, PartResult

    part = PARTS[assignment.TRAINING_PART]
    details = {"mnist_losses": [[1, 2.3], [600, 0.3]], "mnist_accuracy": 0.9061}
    result = PartResult(part, [CheckResult(part.checks[0], True, "", details=details)])
    payload = part_payload(result, None, "ko")
    results = gradescope([payload], notes=[], lang="ko")
    assert payload["title"] == say("part_mnist_training", "ko")
    assert [test["name"] for test in results["tests"]] == [
        f"{say('part_mnist_training', 'ko')}: {say('check_mnist_accuracy', 'ko')}"]
    assert say("summary_mnist_accuracy", "ko", accuracy=0.9061) in results["output"]
    report = "".join(output.get("text", "") for output in cell_outputs(result, lang="ko"))
    assert say("check_mnist_accuracy", "ko") in report
    assert english_words(report) == [], report


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
    """Are the two releases' code cells (stubs included) the same code but for the language
    line, the stubs' messages and the comments and docstrings, which are Korean?"""
    english, korean = (nbformat.read(release_path(course, lang), as_version=4)
                       for lang in ("en", "ko"))
    assert [c.id for c in english.cells] == [c.id for c in korean.cells]
    for en, ko in zip(english.cells, korean.cells, strict=True):
        assert en.cell_type == ko.cell_type, en.id
        if en.cell_type == "code":
            assert (code_only(STUB_MESSAGE.sub("", LANGUAGE_LINE.sub("", en.source)))
                    == code_only(STUB_MESSAGE.sub("", LANGUAGE_LINE.sub("", ko.source)))), en.id
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
