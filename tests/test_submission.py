"""Do submissions get found, read and rebuilt as the grader must (no sandbox needed)?"""

import nbformat
import pytest

from autograder.demo.sample_class import reference_answers
from autograder.grading import submission as submissions
from autograder.grading.submission import NotANotebook, build_program, find, parse


def _nb(**answers):
    """The source notebook with some answer cells replaced."""
    from autograder.authoring import build_notebook

    nb = build_notebook()
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in answers:
            cell.source = answers[grade_id]
    return nb


def test_find_reads_nbgrader_trees_and_plain_folders(tmp_path):
    """Are student ids taken from submitted/<student>/<assignment>/, else the file stem,
    with checkpoints skipped?"""
    tree = tmp_path / "submitted" / "ada" / "backprop"
    tree.mkdir(parents=True)
    (tree / "backprop.ipynb").write_text("{}")
    (tree / ".ipynb_checkpoints").mkdir()
    (tree / ".ipynb_checkpoints" / "backprop-checkpoint.ipynb").write_text("{}")
    (tmp_path / "loose").mkdir()
    (tmp_path / "loose" / "ben.ipynb").write_text("{}")
    subs = find(tmp_path / "submitted")
    assert [(s.student, s.assignment) for s in subs] == [("ada", "backprop")]
    assert [s.student for s in find(tmp_path / "loose")] == ["ben"]
    with pytest.raises(FileNotFoundError):
        find(tmp_path / "nowhere")


def test_locked_cells_come_from_the_source_and_answers_from_the_student():
    """Does the program hold the instructor's given cells even when the student edited them,
    and the student's answer cells?"""
    nb = _nb(relu_forward="class ReluForward: pass", relu_code="class Relu: pass  # mine")
    program = build_program(nb, "en")
    cells = dict(program.cells)
    assert "self.mask = x <= 0" in cells["relu_forward"]
    assert cells["relu_code"] == "class Relu: pass  # mine"
    assert "relu_backward" not in cells and "train" not in cells  # not run by the grader
    assert program.cell_of["Relu"] == "relu_code" and not program.notes


def test_duplicates_added_cells_and_deleted_answers_are_noted():
    """Is the first copy of a duplicated answer used, and are duplicates, added cells and
    deleted answer cells reported?"""
    nb = _nb(relu_code="class Relu(ReluForward): pass  # first")
    copy = nbformat.from_dict(dict(next(c for c in nb.cells if c.get("id") == "relu_code")))
    copy.source = "class Relu: pass  # second"
    nb.cells.append(copy)
    nb.cells.append(nbformat.v4.new_code_cell("print('my own cell')"))
    nb.cells = [c for c in nb.cells if c.get("id") != "sigmoid_code"]
    program = build_program(nb, "en")
    assert dict(program.cells)["relu_code"].endswith("# first")
    assert program.missing == ["sigmoid_code"]
    assert any("more than once" in note for note in program.notes)
    assert any("1 code cell(s) you added" in note for note in program.notes)


def test_magics_become_comments():
    """Are IPython magics and shell lines skipped, keeping the rest of the cell?"""
    answer = reference_answers()["relu_code"] + "\n%timeit 1 + 1\n!ls"
    program = build_program(_nb(relu_code=answer), "en")
    source = dict(program.cells)["relu_code"]
    assert "# (skipped) %timeit" in source and "# (skipped) !ls" in source
    compile(source, "relu_code", "exec")


@pytest.mark.parametrize("raw, reason", [(b"not json", "does not appear to be JSON"),
                                         (b'{"cells": 3}', "TypeError"),
                                         (b"\xff\xfe", "UnicodeDecodeError")])
def test_unreadable_files_say_why(raw, reason):
    """Does a file that is not a notebook give NotANotebook naming the problem?"""
    with pytest.raises(NotANotebook, match=reason):
        parse(raw)


def test_another_assignment_is_refused():
    """Is a notebook with none of the answer cells refused as another assignment's?"""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")])
    with pytest.raises(NotANotebook, match="not the backprop assignment"):
        build_program(nb, "en")


def test_language_comes_from_the_assignment_or_the_setup_cell():
    """Is the Korean edition recognised by its assignment name or its setup cell?"""
    from autograder.authoring import build_notebook

    assert submissions.language_of(build_notebook("ko")) == "ko"
    assert submissions.language_of(build_notebook("en"), "backprop_ko") == "ko"
    assert submissions.language_of(build_notebook("en")) == "en"
