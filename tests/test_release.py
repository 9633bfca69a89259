"""Tests of the student release made by ``nbgrader generate_assignment`` (real nbgrader).

One module-scoped fixture generates the release once in a scratch course; the tests read it
(no solution or hidden-check text leaks, every stub names its task, locked cells unchanged)
and one fixture runs it top to bottom in a kernel, as a student would right after download.
"""

import os
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbgrader.utils import is_grade, is_locked, is_solution

from autograder import sources
from autograder.demo import pipeline
from autograder.demo.sample_class import reference_answers, submission
from autograder.rubric import RUBRIC

pytestmark = pytest.mark.slow

ASSIGNMENT = pipeline.ASSIGNMENT
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
CHECKS_DIR = Path(pipeline.__file__).resolve().parents[1] / "checks"
GRADED_NOTE = "run when your notebook is graded"
STUB = re.compile(r"raise NotImplementedError\('(\w+)\.(\w+) is not written yet")
# A line this short ("else:", "return dx") says nothing about the solution.
MIN_SOLUTION_LINE = 8
MIN_CHECK_LINE = 25


@pytest.fixture(scope="module")
def course(tmp_path_factory, mnist_dir):
    """A scratch course with a fresh release; returns (course dir, generate_assignment output)."""
    course_dir = pipeline.prepare_course(tmp_path_factory.mktemp("release_course"))
    output = pipeline.nbgrader(course_dir, "generate_assignment", ASSIGNMENT, "--force")
    return course_dir, output


@pytest.fixture(scope="module")
def release(course):
    course_dir, _ = course
    return nbformat.read(course_dir / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                         as_version=4)


@pytest.fixture(scope="module")
def source():
    return nbformat.read(sources.SOURCE_NOTEBOOK, as_version=4)


@pytest.fixture(scope="module")
def executed(course, release):
    """The release run top to bottom by a python3 kernel, as a student would first run it."""
    course_dir, _ = course
    return run(nbformat.from_dict(release), course_dir)


def run(nb, cwd):
    """Execute ``nb`` in place in a python3 kernel started in ``cwd``, outside nbgrader."""
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("NBGRADER_EXECUTION", raising=False)
        # the kernelspec runs `python`: make it this venv's
        bin_dir = str(Path(sys.executable).parent)
        mp.setenv("PATH", bin_dir + os.pathsep + os.environ.get("PATH", ""))
        client = NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                                resources={"metadata": {"path": str(cwd)}})
        client.execute()
    return nb


def grade_id(cell):
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def by_grade_id(nb):
    return {grade_id(cell): cell for cell in nb.cells if grade_id(cell)}


def release_text(release):
    return "\n".join(cell.source for cell in release.cells)


def solution_lines(source_cell):
    """The stripped lines inside the BEGIN/END SOLUTION regions of a source cell."""
    inside, lines = False, []
    for line in source_cell.source.split("\n"):
        stripped = line.strip()
        if stripped == BEGIN:
            inside = True
        elif stripped == END:
            inside = False
        elif inside and stripped:
            lines.append(stripped)
    return lines


def tasks_of(source_cell):
    """(Class, method) of each solution region of a source cell."""
    owner, method, tasks = None, None, []
    for line in source_cell.source.split("\n"):
        if match := re.match(r"\s*class\s+(\w+)", line):
            owner = match.group(1)
        elif match := re.match(r"\s*def\s+(\w+)", line):
            method = match.group(1)
        elif line.strip() == BEGIN:
            tasks.append((owner, method))
    return tasks


def error_outputs(cell):
    return [out for out in cell.get("outputs", []) if out.output_type == "error"]


def stdout_of(cell):
    return "".join(out.get("text", "") for out in cell.get("outputs", [])
                   if out.output_type == "stream" and out.name == "stdout")


# ------------------------------------------------------------------------ the release file


def test_generate_assignment_is_clean(course):
    """Does generate_assignment finish without warnings or errors?"""
    _, output = course
    assert "WARNING" not in output
    assert "ERROR" not in output
    assert "has changed" not in output


def test_release_has_the_source_cells(source, release):
    """Does the release hold the same cells, in the same order, with the same roles?"""
    assert [grade_id(c) for c in release.cells] == [grade_id(c) for c in source.cells]
    assert [c.cell_type for c in release.cells] == [c.cell_type for c in source.cells]
    for src, rel in zip(source.cells, release.cells, strict=True):
        assert is_solution(rel) == is_solution(src)
        assert is_grade(rel) == is_grade(src)
        assert is_locked(rel) == is_locked(src)


def test_no_solution_text_in_release(source, release):
    """Does no non-trivial line of any reference answer appear anywhere in the release?"""
    answers = reference_answers()
    given = "\n".join(cell.source for cell in source.cells if not is_solution(cell))
    text = release_text(release)
    checked = 0
    for gid, cell in by_grade_id(source).items():
        if not is_solution(cell):
            continue
        answer_lines = {line.strip() for line in answers[gid].split("\n")}
        for line in solution_lines(cell):
            assert line in answer_lines, f"{gid}: {line!r} is not in the reference answer"
            code = line.split("#", 1)[0].strip()
            if len(code) < MIN_SOLUTION_LINE or code in given:  # trivial, or given anyway
                continue
            assert line not in text, f"{gid}: solution line {line!r} leaked into the release"
            assert code not in text, f"{gid}: solution code {code!r} leaked into the release"
            checked += 1
    assert checked >= 20  # the regions were really found and checked


def check_lines():
    """Non-trivial lines of autograder/checks/*.py: not imports, blanks or docstring quotes."""
    files = sorted(CHECKS_DIR.glob("*.py"))
    assert len(files) >= len(RUBRIC)
    for path in files:
        for line in path.read_text(encoding="utf-8").split("\n"):
            stripped = line.strip()
            if (len(stripped) <= MIN_CHECK_LINE or stripped.startswith(("import ", "from "))
                    or stripped in ('"""', "'''")):
                continue
            yield path.name, stripped


def test_no_check_code_in_release(release):
    """Does no line of the hidden checks (autograder/checks) appear in the release?"""
    text = release_text(release)
    lines = list(check_lines())
    assert len(lines) > 100
    leaked = [(name, line) for name, line in lines if line in text]
    assert not leaked


def test_no_markers_in_release(release):
    """Are all BEGIN/END SOLUTION and HIDDEN TESTS markers gone from the release?"""
    for cell in release.cells:
        assert "BEGIN SOLUTION" not in cell.source
        assert "END SOLUTION" not in cell.source
        assert "HIDDEN" not in cell.source


def test_release_does_not_import_solutions_or_checks(release):
    """Does the release neither import the reference solutions nor name the checks package?"""
    text = release_text(release)
    assert not re.search(r"^\s*(from|import)\s+solutions\b", text, flags=re.MULTILINE)
    assert "import solutions" not in text
    assert "autograder.checks" not in text


def test_every_stub_names_its_task(source, release):
    """Does each solution cell raise exactly one NotImplementedError naming its own method?"""
    released = by_grade_id(release)
    n_cells = 0
    for gid, cell in by_grade_id(source).items():
        if not is_solution(cell):
            continue
        n_cells += 1
        (task,) = tasks_of(cell)
        stubs = STUB.findall(released[gid].source)
        assert stubs == [task], gid
        assert "raise NotImplementedError()" not in released[gid].source
    assert n_cells == 7


def test_locked_cells_unchanged(source, release):
    """Are locked cells identical in source and release (so no checksum warnings later)?"""
    released = by_grade_id(release)
    locked = [cell for cell in source.cells if is_locked(cell)]
    assert len(locked) >= len(RUBRIC)
    for cell in locked:
        rel = released[grade_id(cell)]
        assert rel.source == cell.source, grade_id(cell)
        assert is_locked(rel)
        assert rel.metadata.nbgrader.get("checksum"), grade_id(cell)


def test_grade_cells_keep_points(release):
    """Does every rubric part keep its grade cell and points in the release?"""
    released = by_grade_id(release)
    for part in RUBRIC:
        cell = released[part.id]
        assert is_grade(cell) and is_locked(cell)
        assert cell.metadata.nbgrader["points"] == part.points


def test_release_has_no_outputs(release):
    """Are all code cells of the release cleared of outputs and execution counts?"""
    for cell in release.cells:
        if cell.cell_type == "code":
            assert cell.outputs == []
            assert cell.execution_count is None


# ------------------------------------------------------------------ running the release


def test_kernel_survives_every_cell(executed):
    """Run top to bottom, does every code cell get executed (no dead kernel, no timeout)?"""
    for cell in executed.cells:
        if cell.cell_type == "code":
            assert cell.execution_count is not None, grade_id(cell)


def test_given_cells_before_the_tasks_run(executed):
    """Do the setup and forward cells run without errors?"""
    cells = by_grade_id(executed)
    for gid in ("setup", "mul_layer_forward", "add_layer_forward", "relu_forward",
                "sigmoid_forward", "affine_forward", "softmax_functions",
                "softmax_with_loss_forward", "numerical_gradient", "two_layer_net_base",
                "training_helpers", "load_mnist"):
        assert not error_outputs(cells[gid]), gid
    for gid, cell in cells.items():
        if is_solution(cell):  # defining the class with a stub is fine
            assert not error_outputs(cell), gid


def test_visible_checks_name_the_task(source, executed):
    """Does the visible check after each stub fail with NotImplementedError naming its task?

    The apples-and-oranges check of AddLayer starts its backward pass at a MulLayer, so in
    the untouched release it stops at MulLayer.backward, the first task, which is still
    unwritten (see the next test for AddLayer's own message).
    """
    cells = by_grade_id(executed)
    ids = [grade_id(cell) for cell in source.cells]
    first_unwritten = {"add_layer_visible": "MulLayer.backward"}
    for gid, cell in by_grade_id(source).items():
        if not is_solution(cell):
            continue
        (owner, method) = tasks_of(cell)[0]
        visible_id = gid.replace("_code", "_visible")
        assert ids.index(visible_id) > ids.index(gid)
        errors = error_outputs(cells[visible_id])
        assert len(errors) == 1, visible_id
        assert errors[0].ename == "NotImplementedError", visible_id
        task = first_unwritten.get(visible_id, f"{owner}.{method}")
        assert errors[0].evalue.startswith(f"{task} is not written yet"), visible_id


def test_add_layer_check_names_add_layer_once_mul_is_written(course, release):
    """With MulLayer.backward written, does AddLayer's visible check name AddLayer.backward?"""
    course_dir, _ = course
    nb = nbformat.from_dict(release)
    ids = [grade_id(cell) for cell in nb.cells]
    nb.cells = nb.cells[: ids.index("add_layer_visible") + 1]
    by_grade_id(nb)["mul_layer_code"].source = reference_answers()["mul_layer_code"]
    run(nb, course_dir)
    cells = by_grade_id(nb)
    assert not error_outputs(cells["mul_layer_visible"])
    assert "✓ d price / d tax" in stdout_of(cells["mul_layer_visible"])
    (error,) = error_outputs(cells["add_layer_visible"])
    assert error.ename == "NotImplementedError"
    assert error.evalue.startswith("AddLayer.backward is not written yet")


def test_hidden_check_cells_only_say_when_they_run(executed):
    """Do the hidden-check cells print the 'run when graded' note and raise nothing?"""
    cells = by_grade_id(executed)
    for part in RUBRIC:
        cell = cells[part.id]
        assert not error_outputs(cell), part.id
        assert GRADED_NOTE in stdout_of(cell), part.id
        assert part.id in stdout_of(cell)


def test_training_cell_stops_at_gradient(executed):
    """Untouched, does training stop at the unwritten TwoLayerNet.gradient (data loaded)?"""
    cells = by_grade_id(executed)
    assert "train: (60000, 784)" in stdout_of(cells["load_mnist"])
    errors = error_outputs(cells["train"])
    assert len(errors) == 1
    assert errors[0].ename == "NotImplementedError"
    assert "TwoLayerNet.gradient" in errors[0].evalue


def _validate(course_dir, nb, name):
    """Write ``nb`` into the course and run `nbgrader validate` on it; return its output."""
    path = course_dir / f"{name}.ipynb"
    nbformat.write(nb, path)
    try:
        return pipeline.nbgrader(course_dir, "validate", str(path))
    except pipeline.PipelineError as error:  # validate exits 0 either way in 0.9; be safe
        return str(error)


def test_validate_passes_the_reference(course):
    """Does `nbgrader validate` pass a release filled in with the reference answers?"""
    course_dir, _ = course
    release = course_dir / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    nb = submission(release, reference_answers())
    output = _validate(course_dir, nb, "reference_filled")
    assert "Success! Your notebook passes all the tests." in output, output[-2000:]


def test_validate_fails_the_untouched_release_clearly(course):
    """Does `nbgrader validate` fail the untouched release, naming the methods to write?"""
    course_dir, _ = course
    release = course_dir / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    output = _validate(course_dir, nbformat.read(release, as_version=4), "untouched")
    assert "VALIDATION FAILED ON 7 CELL(S)" in output, output[-2000:]  # every method
    flat = " ".join(output.split())
    assert "MulLayer.backward is not written yet" in flat
    assert "SoftmaxWithLoss.backward is not written yet" in flat


def test_validate_names_the_mistake(course):
    """Does `nbgrader validate` on a Relu with an inverted mask say so?"""
    course_dir, _ = course
    from autograder.demo.sample_class import SAMPLE_CLASS, answers_of
    from selfcheck.messages import say

    cho = next(student for student in SAMPLE_CLASS if student.id == "cho")
    release = course_dir / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    output = _validate(course_dir, submission(release, answers_of(cho)), "cho")
    assert "VALIDATION FAILED" in output
    assert " ".join(say("relu_mask_inverted").split()) in " ".join(output.split())


@pytest.fixture(scope="module")
def executed_reference(course):
    """The release filled in with the reference answers, run top to bottom (training too)."""
    course_dir, _ = course
    release = course_dir / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    return run(submission(release, reference_answers()), course_dir)


def test_reference_filled_release_runs_without_errors(executed_reference):
    """Does every cell of the reference-filled release run without an error, visible checks,
    gradient check and training included?"""
    errors = [(grade_id(cell), out.ename, out.evalue) for cell in executed_reference.cells
              if cell.cell_type == "code" for out in cell.outputs if out.output_type == "error"]
    assert errors == []


def test_self_check_table_passes_on_the_reference(executed_reference):
    """Does the self-check cell show ✓ for all seven methods on the reference answers?"""
    (cell,) = [c for c in executed_reference.cells if grade_id(c) == "self_check"]
    (result,) = [out for out in cell.outputs if out.output_type == "execute_result"]
    html = result.data["text/html"]
    assert html.count("✓") == 7 and "✗" not in html


def test_training_reaches_the_books_accuracy(executed_reference):
    """Does the notebook's own training run reach test accuracy 0.97 or more?"""
    (cell,) = [c for c in executed_reference.cells if grade_id(c) == "train"]
    text = "".join(out.get("text", "") for out in cell.outputs if out.output_type == "stream")
    accuracy = float(re.search(r"test accuracy (0\.\d+)", text).group(1))
    assert accuracy >= 0.97
