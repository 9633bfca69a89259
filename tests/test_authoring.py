"""Tests of the authoring side: the source notebooks, their nbgrader metadata, NameTaskInStubs.

The source notebooks ``assignments/backprop/backprop.ipynb`` (English) and
``assignments/backprop_ko/backprop_ko.ipynb`` (Korean) are generated from ``solutions/`` and
``autograder/authoring/``; these tests make sure they cannot drift from them, that their
cells carry the metadata nbgrader and the rubric expect, and that the two languages differ
in their words (markdown, comments, docstrings) and in one setup line only. All fast: no
nbgrader command runs.
"""

import inspect
import re
import textwrap

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell
from nbgrader.preprocessors import ClearSolutions
from nbgrader.utils import is_grade, is_locked, is_solution

import solutions
from autograder import authoring, cli, sources
from autograder.authoring import backprop, text_en, text_ko, translate
from autograder.demo.sample_class import reference_answers
from autograder.grading.submission import language_of
from autograder.nbgrader_plugins import NameTaskInStubs
from autograder.rubric import RUBRIC
from selfcheck import assignment

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
STUB = "raise NotImplementedError()"

# grade_id of each solution cell -> the class of solutions/ it is built from.
SOLUTION_CLASSES = {part.cells.solution: getattr(solutions, part.cls)
                    for part in assignment.PARTS if part.cells.solution}


LANGUAGES = tuple(authoring.TEXTS)  # ("en", "ko")
LANGUAGE_LINE = re.compile(r'^os\.environ\["BACKPROP_LANG"\] = "(\w+)"$')


def read_source(lang):
    return nbformat.read(sources.SOURCE_NOTEBOOKS[lang], as_version=4)


@pytest.fixture(scope="module", params=LANGUAGES)
def source_nb(request):
    """The committed source notebook of each language, as nbgrader reads it."""
    return read_source(request.param)


@pytest.fixture(scope="module")
def notebooks():
    """{language: the committed source notebook}."""
    return {lang: read_source(lang) for lang in LANGUAGES}


def grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def nbgrader_cells(nb):
    return [cell for cell in nb.cells if "nbgrader" in cell.metadata]


def solution_cells(nb):
    return {grade_id(cell): cell for cell in nb.cells if is_solution(cell)}


def without_markers(source):
    return "\n".join(line for line in source.split("\n") if line.strip() not in (BEGIN, END))


def class_source(cls):
    return textwrap.dedent(inspect.getsource(cls)).strip()


# ------------------------------------------------------------------ the source notebook


@pytest.mark.parametrize("lang", LANGUAGES)
def test_source_notebook_is_up_to_date(lang):
    """Is each committed source notebook exactly what a fresh build makes from solutions/?"""
    path = sources.SOURCE_NOTEBOOKS[lang]
    assert authoring.is_up_to_date(lang=lang), (
        f"{path} is stale: run `python -m autograder build-source`")
    assert authoring.is_up_to_date(path, lang=lang)


def test_all_source_notebooks_are_up_to_date():
    """Does the default check (the one `build-source --check` runs) cover every language?"""
    assert authoring.stale_notebooks() == []
    assert authoring.is_up_to_date()
    assert cli.main(["build-source", "--check"]) == 0


def test_source_notebook_paths():
    """Is each language its own nbgrader assignment, its notebook named like its folder?"""
    assert assignment.NAMES == {"en": "backprop", "ko": "backprop_ko"}
    assert tuple(authoring.TEXTS) == assignment.LANGUAGES
    assert sources.SOURCE_NOTEBOOK == sources.REPO / "assignments/backprop/backprop.ipynb"
    assert sources.SOURCE_NOTEBOOKS["ko"] == (
        sources.REPO / "assignments/backprop_ko/backprop_ko.ipynb")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_render_is_deterministic_and_valid(lang):
    """Does building twice give the same text, and is that a valid notebook?"""
    text = authoring.render(lang)
    assert text == authoring.render(lang)
    nbformat.validate(nbformat.reads(text, as_version=4))


def test_stale_korean_notebook_is_reported(tmp_path):
    """Is a Korean notebook that differs from a fresh build reported as stale?"""
    path = tmp_path / "backprop_ko.ipynb"
    assert authoring.write(path, lang="ko") == path
    assert authoring.is_up_to_date(path, lang="ko")
    assert not authoring.is_up_to_date(path, lang="en")
    path.write_text(path.read_text(encoding="utf-8").replace("역전파", "backprop"),
                    encoding="utf-8")
    assert not authoring.is_up_to_date(path, lang="ko")
    assert not authoring.is_up_to_date(tmp_path / "missing.ipynb", lang="ko")


# ------------------------------------------------------------------ the two languages


def without_language_line(source):
    """A code cell's source with the setup cell's language line removed."""
    return "\n".join(line for line in source.split("\n") if not LANGUAGE_LINE.match(line))


def code_cells(nb):
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def test_same_cells_in_the_same_order(notebooks):
    """Do both languages have the same cells (type, id, nbgrader metadata) in the same order?"""
    english, korean = notebooks["en"], notebooks["ko"]
    assert [c.cell_type for c in english.cells] == [c.cell_type for c in korean.cells]
    assert [c.id for c in english.cells] == [c.id for c in korean.cells]
    for en, ko in zip(english.cells, korean.cells, strict=True):
        assert en.metadata == ko.metadata, en.id
    assert english.metadata == korean.metadata


def test_same_grade_ids_and_points(notebooks):
    """Do both languages grade the same parts with the same points?"""
    def grades(nb):
        return [(grade_id(cell), cell.metadata.nbgrader.get("points"))
                for cell in nbgrader_cells(nb) if is_grade(cell)]

    assert grades(notebooks["en"]) == grades(notebooks["ko"])
    assert grades(notebooks["en"]) == [(part.id, part.points) for part in RUBRIC]
    assert ([grade_id(c) for c in nbgrader_cells(notebooks["en"])]
            == [grade_id(c) for c in nbgrader_cells(notebooks["ko"])])


def test_code_cells_identical_but_for_the_language_line(notebooks):
    """With the setup cell's language line removed and comments and docstrings stripped, is
    every code cell the same code (string literals and all)?"""
    english, korean = code_cells(notebooks["en"]), code_cells(notebooks["ko"])
    assert len(english) == len(korean)
    differing = [en.id for en, ko in zip(english, korean, strict=True)
                 if translate.code_only(en.source) != translate.code_only(ko.source)]
    assert differing == ["setup"]
    for en, ko in zip(english, korean, strict=True):
        assert (translate.code_only(without_language_line(en.source))
                == translate.code_only(without_language_line(ko.source))), en.id


@pytest.mark.parametrize("change", [
    ("np.sum(dout, axis=0)", "np.sum(dout, axis=1)"),  # code
    ("dx[self.mask] = 0", "dx[self.mask] = 0.0"),  # a constant
    ('"""dout: shape of x.', '"""dout: the shape of x.'),  # a docstring: not code
    ("# a copy,", "# 복사본,"),  # a comment: not code
])
def test_code_comparison_sees_code_only(change):
    """Does the comparison of the editions' code fail on any change of code, and only
    there (comments and docstrings may differ)?"""
    source = class_source(solutions.Relu) + "\n\n\n" + class_source(solutions.Affine)
    old, new = change
    assert old in source
    changed = source.replace(old, new)
    is_code = not (old.startswith("#") or old.startswith('"""'))
    assert (translate.code_only(changed) != translate.code_only(source)) == is_code


def test_korean_comments_and_docstrings_are_korean(notebooks):
    """Is every comment and docstring of the Korean notebook's code cells Korean (nbgrader's
    markers aside), and every one of the English notebook's English?"""
    for cell in code_cells(notebooks["ko"]):
        assert translate.words(cell.source) == [], cell.id
    for cell in code_cells(notebooks["en"]):
        assert not HANGUL.search(cell.source), cell.id


def test_every_code_translation_is_used():
    """Does every entry of text_ko.CODE translate a comment or docstring of the English
    notebook (none is left over from code that changed)?"""
    used = {text for cell in code_cells(authoring.build_notebook("en"))
            for text in translate.words(cell.source)}
    assert set(text_ko.CODE) - used == set()


def test_untranslated_code_stops_the_build():
    """Does a comment or docstring the table lacks stop the Korean build, naming it?"""
    with pytest.raises(translate.Untranslated) as error:
        translate.translate('def f():\n    """New words."""\n    return 1  # more\n', {})
    assert error.value.texts == ["New words.", "more"]


def test_translated_comments_are_wrapped():
    """Is a long translated comment block wrapped (Hangul counted double) at its indent?"""
    source = "if True:\n    # one\n    # two\n    x = 1\n"
    out = translate.translate(source, {"one two": "가나다 " * 40})
    lines = out.split("\n")
    comments = [line for line in lines if line.strip().startswith("#")]
    assert len(comments) > 2
    assert all(line.startswith("    # ") for line in comments)
    assert all(translate._width(line) <= translate.WIDTH for line in comments)
    assert translate.code_only(out) == translate.code_only(source)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_setup_cell_selects_the_language(notebooks, lang):
    """Does exactly one line of the notebook, in the setup cell, set BACKPROP_LANG to it?"""
    found = [(cell.id, LANGUAGE_LINE.match(line).group(1))
             for cell in code_cells(notebooks[lang]) for line in cell.source.split("\n")
             if LANGUAGE_LINE.match(line)]
    assert found == [("setup", lang)]
    assert backprop.language_line(lang) == f'os.environ["BACKPROP_LANG"] = "{lang}"'
    for cell in code_cells(notebooks[lang]):
        if cell.id != "setup":
            assert "BACKPROP_LANG" not in cell.source, cell.id


def test_setup_cell_sets_the_language_when_run(notebooks, monkeypatch):
    """Run in process, does the Korean setup cell make selfcheck speak Korean?"""
    from selfcheck.messages import language, say

    monkeypatch.setenv("BACKPROP_LANG", "en")  # restored after the test
    exec(compile(notebooks["ko"].cells[1].source, "<setup>", "exec"), {})
    assert language() == "ko"
    assert say("selfcheck_pass") == "자가 점검 통과"


HANGUL = re.compile("[\uac00-\ud7a3]")


def test_markdown_is_in_the_notebooks_language(notebooks):
    """Is every markdown cell of the Korean notebook Korean, and of the English one not?"""
    for lang, nb in notebooks.items():
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                assert bool(HANGUL.search(cell.source)) == (lang == "ko"), (lang, cell.id)


# Code in the markdown that is a comment, so in the notebook's language: (English, Korean).
TRANSLATED_CODE = [("# YOUR CODE HERE", "# 여기에 코드를 작성하세요")]


def test_texts_have_the_same_cells():
    """Do both text modules name the same markdown cells, with the same math, code and
    headings?"""
    assert text_en.TEXT.keys() == text_ko.TEXT.keys()
    assert (text_en.LANGUAGE, text_ko.LANGUAGE) == ("en", "ko")
    inline_code = re.compile(r"`[^`\n]+`")

    def headings(text):
        return [line.split()[0] for line in text.split("\n") if line.lstrip().startswith("#")]

    for name, english in text_en.TEXT.items():
        korean = text_ko.TEXT[name]
        assert english.count("$") == korean.count("$"), name
        assert english.count("```") == korean.count("```"), name
        assert headings(english) == headings(korean), name
        translated = {f"`{english}`": f"`{korean}`" for english, korean in TRANSLATED_CODE}
        expected = {translated.get(code, code) for code in inline_code.findall(english)}
        assert expected <= set(inline_code.findall(korean)), name


def test_korean_text_uses_the_books_terms():
    """Does the Korean text use the Korean edition's terms for the key ideas?"""
    words = "\n".join(text_ko.TEXT.values())
    for term in ("계산 그래프", "순전파", "역전파", "오차역전파법", "국소적 미분", "연쇄법칙",
                 "곱셈 노드", "덧셈 노드", "기울기", "배치", "형상", "기울기 확인"):
        assert term in words, term


def test_cell_ids_are_grade_ids(source_nb):
    """Does every graded/locked/solution cell carry its grade_id as its cell id?"""
    for cell in nbgrader_cells(source_nb):
        assert cell.id == grade_id(cell)


def in_language(source, nb):
    """``source`` with the comments and docstrings of the notebook ``nb``'s language."""
    code = authoring.TEXTS[language_of(nb)].CODE
    return source if code is None else translate.translate(source, code)


def test_solution_cells_are_the_solution_classes(source_nb):
    """Is each solution cell the source of its class in solutions/, markers and all (its
    comments and docstrings in the notebook's language)?"""
    cells = solution_cells(source_nb)
    assert set(cells) == set(SOLUTION_CLASSES)
    for gid, cls in SOLUTION_CLASSES.items():
        assert cells[gid].source == in_language(class_source(cls), source_nb), gid
        assert translate.code_only(cells[gid].source) == translate.code_only(class_source(cls))


def test_solution_cells_without_markers_match_solutions(source_nb):
    """With the BEGIN/END SOLUTION lines removed, do notebook and solutions agree?"""
    answers = reference_answers()
    assert set(answers) == set(SOLUTION_CLASSES)
    for gid, cell in solution_cells(source_nb).items():
        expected = without_markers(class_source(SOLUTION_CLASSES[gid]))
        assert without_markers(cell.source) == in_language(expected, source_nb), gid
        assert answers[gid] == expected, gid
        assert BEGIN not in answers[gid] and END not in answers[gid]


def test_solution_cells_are_not_locked_or_graded(source_nb):
    """Are the cells students write in editable and worth no points by themselves?"""
    for gid, cell in solution_cells(source_nb).items():
        assert not is_locked(cell), gid
        assert not is_grade(cell), gid
        assert cell.metadata.get("editable", True) is not False, gid


def test_one_marker_pair_per_method(source_nb):
    """Does every method of every solution cell hold exactly one BEGIN/END region, in order?"""
    for gid, cell in solution_cells(source_nb).items():
        methods = re.split(r"^\s*def\s+", cell.source, flags=re.MULTILINE)[1:]
        assert methods, f"{gid} has no method"
        for method in methods:
            lines = [line.strip() for line in method.split("\n")]
            name = method.split("(", 1)[0]
            assert lines.count(BEGIN) == 1, f"{gid}: {name}"
            assert lines.count(END) == 1, f"{gid}: {name}"
            begin, end = lines.index(BEGIN), lines.index(END)
            assert begin < end, f"{gid}: {name}"
            body = [line for line in lines[begin + 1:end] if line]
            assert body, f"{gid}: {name} has an empty solution region"


def test_each_part_has_one_locked_grade_cell(source_nb):
    """Does each rubric part have exactly one locked grade cell with its id and points?"""
    grade_cells = [cell for cell in source_nb.cells if is_grade(cell)]
    for part in RUBRIC:
        matching = [cell for cell in grade_cells if grade_id(cell) == part.id]
        assert len(matching) == 1, part.id
        (cell,) = matching
        assert cell.cell_type == "code"
        assert is_locked(cell), part.id
        assert not is_solution(cell), part.id
        assert cell.metadata.nbgrader["points"] == part.points, part.id
        assert f'run_hidden_checks("{part.id}")' in cell.source
    assert [grade_id(cell) for cell in grade_cells] == [part.id for part in RUBRIC]


def test_total_points(source_nb):
    """Do the grade cells' points add up to the rubric's total (and to 100)?"""
    total = sum(cell.metadata.nbgrader["points"] for cell in source_nb.cells if is_grade(cell))
    assert total == sum(part.points for part in RUBRIC) == 100


def test_grade_ids_are_unique(source_nb):
    """Is every grade_id used by one cell only?"""
    ids = [grade_id(cell) for cell in nbgrader_cells(source_nb)]
    assert all(ids)
    assert len(ids) == len(set(ids))


def test_no_hidden_test_regions(source_nb):
    """Is the source free of HIDDEN TESTS regions (the checks live in autograder/)?"""
    for cell in source_nb.cells:
        assert "BEGIN HIDDEN TESTS" not in cell.source
        assert "END HIDDEN TESTS" not in cell.source
        assert "autograder.checks" not in cell.source


def test_locked_cells_have_no_solution_regions(source_nb):
    """Are the solution markers only in solution cells, so locked cells pass unchanged?"""
    for cell in source_nb.cells:
        if not is_solution(cell):
            assert BEGIN not in cell.source and END not in cell.source, grade_id(cell)


def test_locked_cells_are_read_only(source_nb):
    """Are locked cells marked non-editable and non-deletable for the notebook front end?"""
    for cell in source_nb.cells:
        if is_locked(cell):
            assert cell.metadata.get("editable") is False, grade_id(cell)
            assert cell.metadata.get("deletable") is False, grade_id(cell)


# ------------------------------------------------------------------------ NameTaskInStubs


RELU_STUBBED = """\
class Relu(ReluForward):
    def backward(self, dout):
        \"\"\"Docstring.\"\"\"
        # YOUR CODE HERE
        raise NotImplementedError()
        return dx"""


def test_stub_names_class_and_method():
    """Does a stub inside `class Relu ... def backward` name Relu.backward?"""
    out = NameTaskInStubs().name_tasks(RELU_STUBBED)
    lines = out.split("\n")
    assert lines[4] == ("        raise NotImplementedError('Relu.backward is not written yet: "
                        "replace this line with your code.')")


def test_stub_rewrite_keeps_other_lines():
    """Are the lines around the stub (and their indentation) left exactly as they were?"""
    before = RELU_STUBBED.split("\n")
    after = NameTaskInStubs().name_tasks(RELU_STUBBED).split("\n")
    assert len(after) == len(before)
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert changed == [4]
    assert after[4].startswith(" " * 8 + "raise NotImplementedError(")


def test_stub_indentation_kept():
    """Does the rewritten line keep the stub's own indentation, whatever it is?"""
    source = "class A:\n  def f(self):\n    if True:\n      raise NotImplementedError()"
    last = NameTaskInStubs().name_tasks(source).split("\n")[-1]
    assert last.startswith("      raise NotImplementedError('A.f is not written yet")
    assert not last.startswith("       ")


def test_each_stub_names_its_own_method():
    """With two classes and several methods, does each stub name the enclosing one?"""
    source = textwrap.dedent("""\
        class MulLayer:
            def forward(self, x, y):
                return x * y

            def backward(self, dout):
                raise NotImplementedError()


        class TwoLayerNet:
            def gradient(self, x, t):
                raise NotImplementedError()
                return grads""")
    out = NameTaskInStubs().name_tasks(source)
    assert "NotImplementedError('MulLayer.backward is not written yet" in out
    assert "NotImplementedError('TwoLayerNet.gradient is not written yet" in out
    assert "NotImplementedError()" not in out


def test_stub_outside_any_class():
    """Does a stub in a plain function name the function, and a bare one 'this cell'?"""
    plugin = NameTaskInStubs()
    assert "'softmax is not written yet" in plugin.name_tasks(
        "def softmax(x):\n    raise NotImplementedError()")
    assert plugin.name_tasks("raise NotImplementedError()") == (
        "raise NotImplementedError('this cell is not written yet: "
        "replace this line with your code.')")


def test_non_stub_lines_untouched():
    """Are raises that are not exactly the stub line (messages, comments) left alone?"""
    source = textwrap.dedent("""\
        class Relu:
            def backward(self, dout):
                raise NotImplementedError("my own message")
                raise NotImplementedError()  # a comment makes it not the stub
                x = 'raise NotImplementedError()'
                return dout""")
    assert NameTaskInStubs().name_tasks(source) == source


def test_message_is_configurable():
    """Do the configurable stub and message traits take effect?"""
    plugin = NameTaskInStubs(stub="raise ValueError()", message="write {task}!")
    out = plugin.name_tasks("class A:\n    def f(self):\n        raise ValueError()")
    assert out.split("\n")[-1] == "        raise NotImplementedError('write A.f!')"


def test_message_with_quotes_is_valid_python():
    """Is the rewritten stub valid Python even when the message contains quotes?"""
    plugin = NameTaskInStubs(message="{task} isn't \"written\" yet")
    out = plugin.name_tasks("class A:\n    def f(self):\n        raise NotImplementedError()")
    namespace = {}
    exec(compile(out, "<stub>", "exec"), namespace)
    with pytest.raises(NotImplementedError, match="A.f isn't \"written\" yet"):
        namespace["A"]().f()


def test_preprocess_cell_only_touches_solution_cells():
    """Does the preprocessor leave markdown and locked code cells alone?"""
    plugin = NameTaskInStubs()
    meta = {"nbgrader": {"solution": False, "grade": False, "locked": True,
                         "grade_id": "given", "schema_version": 3}}
    locked = new_code_cell("def f():\n    raise NotImplementedError()", metadata=meta)
    text = new_markdown_cell("raise NotImplementedError()")
    for cell in (locked, text):
        before = cell.source
        out, _ = plugin.preprocess_cell(cell, {}, 0)
        assert out.source == before


# The stub's words, by language: (its comment, a pattern of its message naming the task).
STUB_WORDS = {"en": ("# YOUR CODE HERE", r"(\w+\.\w+) is not written yet"),
              "ko": ("# 여기에 코드를 작성하세요", r"(\w+\.\w+)의 코드를 아직 작성하지 않았습니다")}


def test_clear_solutions_then_name_tasks_on_source_notebook(source_nb):
    """Run in process on the real source: does each solution cell name its own task, in
    the notebook's language (the stub's comment too)?"""
    comment, message = STUB_WORDS[language_of(source_nb)]
    nb = nbformat.from_dict(source_nb)
    resources = {"language": "python"}
    clear = ClearSolutions(code_stub={"python": "# YOUR CODE HERE\n" + STUB})
    nb, resources = clear.preprocess(nb, resources)
    nb, resources = NameTaskInStubs().preprocess(nb, resources)
    for part in assignment.PARTS:
        if part.cells.solution is None:
            continue
        (cell,) = [cell for cell in nb.cells if grade_id(cell) == part.cells.solution]
        tasks = re.findall(r"raise NotImplementedError\('" + message, cell.source)
        assert tasks == [part.title], part.cells.solution
        assert comment in cell.source, part.cells.solution
        assert not any(other in cell.source for other, _ in STUB_WORDS.values()
                       if other != comment), part.cells.solution
        assert STUB not in cell.source
        assert BEGIN not in cell.source and END not in cell.source


def test_top_level_function_after_a_class_is_named_alone():
    """Is a stub in a top-level function after a class named by the function only?"""
    from autograder.nbgrader_plugins import NameTaskInStubs

    source = ("class A:\n    def f(self):\n        return 1\n\n\n"
              "def helper():\n    raise NotImplementedError()")
    assert "'helper is not written yet" in NameTaskInStubs().name_tasks(source)
