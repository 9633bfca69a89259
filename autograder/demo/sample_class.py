"""The bundled sample class: realistic submissions made from the release notebook.

Each student is a list of edits to the reference answers (what a student would have typed
in the solution cells), so the class is rebuilt from the current release every run and
never drifts from it. ``None`` means the release handed in untouched.
"""

from dataclasses import dataclass

import nbformat
from nbgrader.utils import is_solution

from autograder.authoring import build_notebook

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"


@dataclass(frozen=True)
class Edit:
    cell: str  # grade_id of a solution cell
    old: str  # text of the reference answer to replace (must occur exactly once)
    new: str


@dataclass(frozen=True)
class Student:
    id: str
    story: str  # what this submission shows
    edits: tuple | None = ()  # None: the untouched release


SAMPLE_CLASS = (
    Student("ada", "the reference answers: full marks"),
    Student("ben", "the release, untouched: 0 on every part", None),
    Student("cho", "Relu mask inverted: loses Relu.backward only", (
        Edit("relu_code", "dx[self.mask] = 0", "dx[~self.mask] = 0"),
    )),
    Student("dev", "db averaged instead of summed: loses Affine.backward only", (
        Edit("affine_code", "np.sum(dout, axis=0)", "np.mean(dout, axis=0)"),
    )),
    Student("eun", "Sigmoid missing (1 - y): loses Sigmoid.backward only", (
        Edit("sigmoid_code", "dout * (1.0 - self.out) * self.out", "dout * self.out"),
    )),
    Student("fay", "Softmax-with-loss without / N: loses that part only", (
        Edit("softmax_with_loss_code", "dx = (self.y - self.t) / batch_size",
             "dx = self.y - self.t"),
        Edit("softmax_with_loss_code", "dx = dx / batch_size", "dx = dx"),
    )),
    Student("gus", "layers walked in forward order: loses TwoLayerNet.gradient (and MNIST)", (
        Edit("two_layer_net_code", "reversed(list(self.layers.values()))",
             "list(self.layers.values())"),
    )),
    Student("ivy", "two classic mistakes, Relu mask and db: two diagnoses in the feedback", (
        Edit("relu_code", "dx[self.mask] = 0", "dx[~self.mask] = 0"),
        Edit("affine_code", "np.sum(dout, axis=0)", "np.mean(dout, axis=0)"),
    )),
    Student("hana", "correct code that prints numpy RuntimeWarnings: full marks", (
        Edit("sigmoid_code", "dx = dout * (1.0 - self.out) * self.out",
             "print('mean log-odds:', np.mean(np.log(self.out / (1.0 - self.out))))\n"
             "        dx = dout * (1.0 - self.out) * self.out"),
    )),
)


def reference_answers():
    """grade_id -> the reference answer of each solution cell, as a student would type it."""
    return {cell.metadata.nbgrader["grade_id"]: _strip_markers(cell.source)
            for cell in build_notebook().cells if is_solution(cell)}


def _strip_markers(source):
    return "\n".join(line for line in source.split("\n")
                     if line.strip() not in (BEGIN, END))


def answers_of(student):
    """grade_id -> source for the student's solution cells (None for the untouched release)."""
    if student.edits is None:
        return None
    answers = reference_answers()
    for edit in student.edits:
        if answers[edit.cell].count(edit.old) != 1:
            raise ValueError(f"sample {student.id}: {edit.old!r} must occur once in "
                             f"{edit.cell}")
        answers[edit.cell] = answers[edit.cell].replace(edit.old, edit.new)
    return answers


def submission(release_path, answers):
    """The release notebook with its solution cells replaced by ``answers``."""
    return _with_answers(nbformat.read(release_path, as_version=4), answers)


def _with_answers(nb, answers):
    if answers is not None:
        for cell in nb.cells:
            if is_solution(cell):
                cell.source = answers[cell.metadata.nbgrader["grade_id"]]
    return nb


def release_notebook():
    """The release notebook as ``nbgrader generate_assignment`` writes its cells (solutions
    cleared, stubs naming their method), built in-process for tests and benchmarks."""
    from nbgrader.preprocessors import ClearSolutions

    from autograder.nbgrader_plugins import CODE_STUB, NameTaskInStubs

    nb = build_notebook()
    nb, _ = ClearSolutions(code_stub={"python": CODE_STUB}).preprocess(
        nb, {"language": "python"})
    nb, _ = NameTaskInStubs().preprocess(nb, {})
    return nb


def write_class(folder, copies=1):
    """Write the sample class as ``<student>.ipynb`` files in ``folder`` (``copies`` of each
    student, named ``<student>-<k>`` when more than one); return the paths."""
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    release = nbformat.writes(release_notebook())
    paths = []
    for k in range(copies):
        for student in SAMPLE_CLASS:
            nb = _with_answers(nbformat.reads(release, as_version=4), answers_of(student))
            name = student.id if copies == 1 else f"{student.id}-{k:03d}"
            paths.append(folder / f"{name}.ipynb")
            nbformat.write(nb, paths[-1])
    return paths
