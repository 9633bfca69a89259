"""Do submissions get found, read and rebuilt as the grader must (no sandbox needed)?"""

import contextlib
import os
import signal
import stat

import nbformat
import pytest

from autograder.demo.sample_class import reference_answers
from autograder.grading import submission as submissions
from autograder.grading.submission import (
    NotANotebook,
    build_program,
    find,
    graded_copy,
    parse,
    without_magics,
)


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


@pytest.fixture
def special_files(tmp_path):
    """A class folder of entries named *.ipynb that are not regular files, beside a real
    notebook and a link to a folder of notebooks (which must not be entered)."""
    secret = tmp_path / "secret"
    secret.write_text("TOP-SECRET")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "stolen.ipynb").write_text("{}")
    folder = tmp_path / "class"
    folder.mkdir()
    (folder / "ada.ipynb").write_text("{}")
    (folder / "link.ipynb").symlink_to(secret)
    (folder / "dangling.ipynb").symlink_to(tmp_path / "nowhere")
    (folder / "linked_folder.ipynb").symlink_to(elsewhere)
    (folder / "more").symlink_to(elsewhere)
    os.mkfifo(folder / "pipe.ipynb")
    (folder / "folder.ipynb").mkdir()
    return folder


def test_find_lists_special_entries_and_never_follows_links(special_files):
    """Is every entry named *.ipynb listed, links, pipes and folders included (so the
    instructor sees them), and is no link to a folder entered?"""
    found = {sub.relative: sub.student for sub in find(special_files)}
    assert found == {name: name.removesuffix(".ipynb") for name in (
        "ada.ipynb", "dangling.ipynb", "folder.ipynb", "link.ipynb", "linked_folder.ipynb",
        "pipe.ipynb")}


@pytest.mark.parametrize("name, kind", [("link.ipynb", "a symbolic link"),
                                        ("dangling.ipynb", "a symbolic link"),
                                        ("linked_folder.ipynb", "a symbolic link"),
                                        ("pipe.ipynb", "a named pipe"),
                                        ("folder.ipynb", "a folder")])
def test_special_entries_are_refused_unopened(special_files, name, kind):
    """Is an entry that is not a regular file refused, saying what it is, without reading
    it, and without waiting on a pipe that no one writes to?"""
    with _within(seconds=5), pytest.raises(NotANotebook,
                                            match=f"not a regular file \\({kind}\\)") as raised:
        submissions.read(special_files / name)
    assert "TOP-SECRET" not in str(raised.value)


def test_a_device_is_refused_unopened(tmp_path):
    """Is a character device named like a notebook refused (made as /dev/zero is)?"""
    device = tmp_path / "zero.ipynb"
    try:
        os.mknod(device, 0o600 | stat.S_IFCHR, os.makedev(1, 5))
    except PermissionError:
        pytest.skip("making a device node needs root (CAP_MKNOD)")
    with _within(seconds=5), pytest.raises(NotANotebook, match="a character device"):
        submissions.read(device)


def test_one_path_that_is_a_link_is_one_submission_never_read(special_files):
    """Is a single PATH that is itself a link listed as one submission and refused?"""
    (sub,) = find(special_files / "link.ipynb")
    assert sub.student == "link" and sub.relative == "link.ipynb"
    with pytest.raises(NotANotebook, match="a symbolic link"):
        submissions.read(sub.path)


def test_a_file_over_the_limit_is_refused_unread(tmp_path, monkeypatch):
    """Is a file larger than MAX_NOTEBOOK_BYTES refused by its size?"""
    monkeypatch.setattr(submissions, "MAX_NOTEBOOK_BYTES", 1 << 20)
    big = tmp_path / "big.ipynb"
    big.write_bytes(b" " * (3 << 20))
    with pytest.raises(NotANotebook, match="3 MB, too large"):
        submissions.read(big)


@contextlib.contextmanager
def _within(seconds):
    """Fail (not hang) if the block takes longer than ``seconds``."""
    def expire(*_):
        raise TimeoutError(f"still waiting after {seconds} s")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_notebook_read_ahead_is_parsed_once_unless_it_changed(tmp_path, monkeypatch):
    """Read ahead of its turn (again=True), then at its turn: is the notebook parsed once,
    the second read taking the first's; and parsed anew when its bytes changed between
    the two reads, or when it is read a third time?"""
    path = tmp_path / "ada.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1")]), path)
    parsed = []
    parse = submissions.parse
    monkeypatch.setattr(submissions, "parse", lambda raw: parsed.append(1) or parse(raw))
    ahead, digest = submissions.read(path, again=True)
    turn, same = submissions.read(path)
    assert turn is ahead and same == digest and len(parsed) == 1
    submissions.read(path)
    assert len(parsed) == 2  # kept for one read only
    submissions.read(path, again=True)
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 2")]), path)
    changed, other = submissions.read(path)
    assert other != digest and changed.cells[0].source == "x = 2" and len(parsed) == 4


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


def test_an_installed_package_without_assignments_builds_the_same_program(monkeypatch,
                                                                          tmp_path):
    """Where the package is installed without the repository's assignments/ (`pip install
    .` into a grader's venv), is the program the same as from the committed notebook?"""
    nb = _nb(relu_code="class Relu: pass  # mine")
    from_file = build_program(nb, "en")
    monkeypatch.setattr(submissions, "source_notebook",
                        lambda language: tmp_path / "missing.ipynb")
    built = build_program(nb, "en")
    assert built.cells == from_file.cells and built.cell_of == from_file.cell_of


def test_duplicates_added_cells_and_deleted_answers_are_noted():
    """Is the last answered copy of a duplicated answer used (as a run from the top leaves
    it), and are duplicates, added cells and deleted answer cells reported?"""
    nb = _nb(relu_code="class Relu(ReluForward): pass  # first")
    copy = nbformat.from_dict(dict(next(c for c in nb.cells if c.get("id") == "relu_code")))
    copy.source = "class Relu: pass  # second"
    nb.cells.append(copy)
    nb.cells.append(nbformat.v4.new_code_cell("print('my own cell')"))
    nb.cells = [c for c in nb.cells if c.get("id") != "sigmoid_code"]
    program = build_program(nb, "en")
    assert dict(program.cells)["relu_code"].endswith("# second")
    assert program.missing == ["sigmoid_code"]
    assert any("more than once" in note for note in program.notes)
    assert any("1 code cell(s) you added" in note for note in program.notes)


@pytest.mark.parametrize("added", [
    " + ".join(["1"] * 3000),  # Python's parser: RecursionError
    "x = " + "-" * 200_000 + "1",  # a long chain of operators
    "y = a" + ".b" * 300_000,
    "def f(:\n",  # not Python at all
])
def test_a_cell_the_student_added_never_stops_grading(added):
    """However a cell the student added is written (deeply nested, huge, broken), is the
    program still built (the cell is only read for a note)?"""
    nb = _nb()
    nb.cells.append(nbformat.v4.new_code_cell(added))
    assert any("you added" in note for note in build_program(nb, "en").notes)


def test_a_continuation_line_in_a_windows_notebook_is_python():
    """With CRLF line ends, is a line after a backslash still Python's, not a magic?"""
    source = "keep = self.mask \\\r\n    != True\r\n%pwd\r\n"
    assert without_magics(source).split("\n")[1:3] == ["    != True\r", "# (skipped) %pwd\r"]


def test_a_helper_in_an_added_cell_is_named():
    """A helper defined in a cell the student added and used by an answer: does a note
    name it (and no name the answers or the given cells define, such as np)?"""
    sigmoid = "class Sigmoid(SigmoidForward):\n    def backward(self, dout):\n" \
              "        return dout * sigmoid_grad(self.out) * both(1)"
    nb = _nb(sigmoid_code=sigmoid + "\n\ndef both(v):\n    return v")
    nb.cells.append(nbformat.v4.new_code_cell(
        "import numpy as np\n%matplotlib inline\ndef sigmoid_grad(y):\n    return y * (1 - y)"
        "\n\ndef both(v):\n    return v\nunused = 3"))
    notes = build_program(nb, "en").notes
    assert [note for note in notes if "not defined when" in note] == [
        "`sigmoid_grad`, defined in a cell you added and used in your answers, is not "
        "defined when the grader runs them: move it into the answer cell that uses it."]


@pytest.mark.parametrize(("copies", "graded"), [
    (["stub", "answer"], 1),  # copied, then answered in the copy below
    (["answer", "stub"], 0),  # a fresh stub pasted below the answer
    (["answer", "answer 2", "stub"], 1),
    (["stub", "stub"], 0),
    (["answer", "empty"], 0),  # an empty copy below changes nothing
    (["answer", "scratch"], 0),  # nor a copy used to try the class out
    (["answer", "answer with the stub in a comment"], 1),
])
def test_the_graded_copy_is_the_last_one_answered(copies, graded):
    """Of an answer cell's copies, is the last one graded that defines the cell's class and
    no longer raises the stub (as a run from the top leaves in effect), the first if none?"""
    stub = "class Relu(ReluForward):\n    def backward(self, dout):\n" \
           "        raise NotImplementedError('Relu.backward is not written yet')"
    sources = {"stub": stub, "empty": "", "scratch": "r = Relu()\nprint(r.backward(1))",
               "answer with the stub in a comment":
                   "class Relu(ReluForward):\n    # raise NotImplementedError('was here')\n"
                   "    def backward(self, dout):\n        return dout"}
    code = [sources.get(kind, f"class Relu(ReluForward):\n    pass  # {kind}") for kind in copies]
    assert graded_copy(code, {"Relu"}) == graded


def test_magics_become_comments():
    """Are IPython magics and shell lines skipped, keeping the rest of the cell?"""
    answer = reference_answers()["relu_code"] + "\n%timeit 1 + 1\n!ls"
    program = build_program(_nb(relu_code=answer), "en")
    source = dict(program.cells)["relu_code"]
    assert "# (skipped) %timeit" in source and "# (skipped) !ls" in source
    compile(source, "relu_code", "exec")


@pytest.mark.parametrize("source", [
    "x = 1\n%timeit x\n!ls",
    "keep = (self.mask\n!= True)",  # Python: a continuation line
    "s = '''\n%not a magic\n'''\n%time 1",
    "y = 10 \\\n% 3\n%pwd",  # after a backslash: Python's modulo
    "if x:\n    %time f()\n    y = 2",
    "t = ('a'  # (\n, 'b')\n%pwd",  # a bracket in a comment
    "u = 'it''s'\n!echo", 'v = "a\\\\"\n%pwd', "w = f'{x!r}'\n%pwd",
])
def test_magics_are_the_lines_ipython_takes_for_magics(source):
    """Is a line skipped exactly when IPython itself takes it for a magic or a shell line
    (one that starts a statement; never a continuation inside brackets or a string)?"""
    from IPython.core.inputtransformer2 import TransformerManager

    ours = without_magics(source).split("\n")
    ipython = TransformerManager().transform_cell(source).rstrip("\n").split("\n")
    assert [i for i, line in enumerate(ours) if "# (skipped)" in line] == \
        [i for i, line in enumerate(ipython) if "get_ipython()" in line]


@pytest.mark.parametrize("raw, reason", [
    (b'{"cells": [SECRET]}', r"not valid JSON \(line 1, column 12\)"),
    (b'\n\n  {"nbformat": 4, "SECRET"', r"not valid JSON \(line 3, column 27\)"),
    (b"SECRET\xff\xfe", r"not UTF-8 text \(byte 6\)"),
    (b'["SECRET"]', "JSON, but not in the notebook format"),
    (b'{"nbformat": "SECRET"}', "JSON, but not in the notebook format"),
    (b'{"cells": 3}', "JSON, but not in the notebook format"),
    (nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "x = 1", id="a")])).replace('"execution_count": null', '"execution_count": "SECRET"')
     .encode(), "the schema check failed at cells/0/execution_count"),
    (nbformat.writes(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "x = 1", id="a")])).replace('"code"', '"SECRET"').encode(),
     "the schema check failed at cells/0"),
])
def test_unreadable_files_say_what_and_where_never_what_they_hold(raw, reason):
    """Does a file that is not a notebook give NotANotebook naming the problem and its
    place, without quoting a byte of the file?"""
    with pytest.raises(NotANotebook, match=reason) as raised:
        parse(raw)
    assert "SECRET" not in str(raised.value)


def test_schema_positions_show_only_the_formats_own_keys():
    """In a schema check's position, is a key that did not come from the notebook format
    (a student may choose it) shown as '?'?"""
    assert submissions._position(["cells", 3, "outputs", 0, "data", "SECRET/x"]) == \
        "cells/3/outputs/0/data/?"
    assert submissions._position([]) == "the top level"


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
