"""Small nbgrader preprocessors this course adds to nbgrader's own (see nbgrader_config.py)."""

import re
from pathlib import Path

import nbformat
from nbconvert.exporters import NotebookExporter
from nbgrader.api import Gradebook
from nbgrader.converters.base import NbGraderException
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import is_solution
from traitlets import Unicode

from autograder import course_settings
from autograder.grading import submission as submissions
from autograder.grading.preflight import SetupError, check_setup
from autograder.results import RESULTS_NAME, write_json
from selfcheck.assignment import DEFAULT_LANGUAGE, TRAINING_PART
from selfcheck.messages import MESSAGES, say

# The stub ClearSolutions writes for every solution region (nbgrader_config.py sets it);
# NameTaskInStubs then names the method in its last line.
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"

_CLASS = re.compile(r"^\s*class\s+(\w+)")
_DEF = re.compile(r"^\s*def\s+(\w+)")


class NameTaskInStubs(NbGraderPreprocessor):
    """Make each stub say which method it stands for.

    ``ClearSolutions`` replaces every solution region with the same ``code_stub``; this
    rewrites the stub's bare ``raise NotImplementedError()`` so a student who runs an
    unfinished cell reads e.g. "Relu.backward is not written yet". Runs right after
    ClearSolutions, before the checksums are computed. In another edition than the English
    one (the Korean), the message and the stub's comment are in its language
    (``stub_not_written`` and ``stub_your_code_here`` in :mod:`selfcheck.messages`).
    """

    stub = Unicode("raise NotImplementedError()",
                   help="The stub line to rewrite, as ClearSolutions.code_stub writes it."
                   ).tag(config=True)
    message = Unicode("{task} is not written yet: replace this line with your code.",
                      help="The error message of the English edition; {task} becomes "
                      "Class.method.").tag(config=True)

    def preprocess(self, nb, resources):
        self._lang = submissions.language_of(nb, resources.get("nbgrader", {}).get("assignment"))
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and is_solution(cell):
            cell.source = self.name_tasks(cell.source, getattr(self, "_lang", DEFAULT_LANGUAGE))
        return cell, resources

    def name_tasks(self, source, lang=DEFAULT_LANGUAGE):
        """Rewrite every stub line of ``source`` with the enclosing Class.method, in the
        words of ``lang`` (its stub comment too)."""
        english = lang == DEFAULT_LANGUAGE
        message = self.message if english else MESSAGES["stub_not_written"][lang]
        comment = CODE_STUB.split("\n")[0]  # "# YOUR CODE HERE"
        lines, owner, method = [], None, None
        for line in source.split("\n"):
            if match := _CLASS.match(line):
                owner, method = match.group(1), None
            elif match := _DEF.match(line):
                method = match.group(1)
                if not line[:1].isspace():  # a top-level function: no class owns it
                    owner = None
            indent = line[: len(line) - len(line.lstrip())]
            if line.strip() == self.stub:
                task = ".".join(name for name in (owner, method) if name) or "this cell"
                line = f"{indent}raise NotImplementedError({message.format(task=task)!r})"
            elif line.strip() == comment and not english:
                line = f"{indent}# {say('stub_your_code_here', lang)}"
            lines.append(line)
        return "\n".join(lines)


class RestoreReleasedMetadata(NbGraderPreprocessor):
    """Give each submitted cell the nbgrader metadata the released notebook gave it, or none,
    and put back the graded cells a student deleted (first of nbgrader's sanitizing, before
    DeduplicateIds, OverwriteCells and CheckCellMetadata).

    A student can edit any cell's metadata, and JupyterLab copies a cell's metadata with the
    cell. nbgrader's own sanitizing then fails: a copied cell's metadata, emptied by
    DeduplicateIds, stops the whole ``nbgrader autograde`` in CheckCellMetadata (every later
    student ungraded: SchemaTooOldError), and an unknown or malformed grade id, or points
    missing, is an "error processing" for that student. Here a cell keeps nbgrader metadata
    only if its grade id is one of the released notebook's (for a copied cell, one copy:
    of an answer cell the one the grader grades, see ``graded_copy``; else the first),
    and then gets that cell's metadata from the
    gradebook; every other cell becomes the student's own plain cell. A deleted hidden-check
    cell would leave its points out of the gradebook (the one command grades the part all
    the same, from the trusted source): it comes back, from the gradebook, after the
    released cell before it (nbgrader's own ``add_missing_cells`` fails with a KeyError
    when that cell is not a graded or answer cell).
    """

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gradebook:
            notebook = gradebook.find_notebook(info["notebook"], info["assignment"])
            released = _released_metadata(notebook)
            sources = {cell.name: cell for cell in notebook.source_cells}
        classes = {name: submissions.answer_classes(cell.source or "")
                   for name, cell in sources.items() if released[name]["solution"]}
        present = self._restore(nb, released, classes)
        for name, metadata in released.items():
            if metadata["grade"] and name not in present:
                self.log.warning("Cell %s (points) was deleted: put back", name)
                present[name] = _put_back(nb, sources[name], metadata, present, released)
        return nb, resources

    @staticmethod
    def _restore(nb, released, classes):
        """Restore or remove each cell's nbgrader metadata; {grade id: the cell kept}.
        classes: {grade id of an answer cell: the classes it defines}."""
        copies = {}  # grade id -> its cells, in order
        for cell in nb.cells:
            metadata = cell.get("metadata")
            if not isinstance(metadata, dict) or "nbgrader" not in metadata:
                continue
            grade_id = metadata["nbgrader"].get("grade_id") \
                if isinstance(metadata["nbgrader"], dict) else None
            if isinstance(grade_id, str) and grade_id in released:
                copies.setdefault(grade_id, []).append(cell)
            del metadata["nbgrader"]
        present = {}
        for grade_id, cells in copies.items():
            if grade_id in classes:  # of an answer cell, the copy graded (its code cells)
                cells = [cell for cell in cells if cell.cell_type == "code"] or cells
                cells = cells[submissions.graded_copy([cell.source for cell in cells],
                                                      classes[grade_id]):]
            present[grade_id] = cells[0]
            cells[0].metadata["nbgrader"] = dict(released[grade_id])
        return present


def _released_metadata(notebook):
    """{grade id: the nbgrader metadata (schema 3) of that cell} of a gradebook notebook,
    in the gradebook's order of its source cells (the released notebook's)."""
    points = {cell.name: cell.max_score for cell in notebook.grade_cells}
    solutions = {cell.name for cell in notebook.solution_cells}
    tasks = {cell.name for cell in notebook.task_cells}
    released = {}
    for cell in notebook.source_cells:
        metadata = {"schema_version": 3, "grade_id": cell.name, "locked": cell.locked,
                    "grade": cell.name in points, "solution": cell.name in solutions,
                    "task": cell.name in tasks}
        if cell.name in points:
            metadata["points"] = points[cell.name]
        released[cell.name] = metadata
    return released


def _put_back(nb, source, metadata, present, released):
    """Insert the released cell ``source`` (a gradebook source cell) after the nearest
    released cell before it that ``nb`` still has (first if none); the new cell."""
    make = nbformat.v4.new_code_cell if source.cell_type == "code" \
        else nbformat.v4.new_markdown_cell
    cell = make(source.source, metadata={"nbgrader": dict(metadata)})
    names = list(released)
    before = [present[name] for name in names[:names.index(source.name)] if name in present]
    at = next(i + 1 for i, kept in enumerate(nb.cells) if kept is before[-1]) if before else 0
    nb.cells.insert(at, cell)
    return cell


class IsolatedAutograde(NbGraderPreprocessor):
    """Grade in the sandbox instead of executing the notebook (replaces nbgrader's Execute).

    nbgrader's own autograde runs the student's notebook, hidden tests included, in one
    kernel: the student's code could read, patch or skip the tests. Here the notebook is
    never executed as it is: :func:`autograder.grading.grade.grade_notebook` grades the
    file as submitted, exactly as ``python -m autograder grade`` does (answer cells in a
    sandboxed worker, hidden checks in this process; so copied answer cells are graded and
    named the same way by both), and this writes each part's result into its hidden-check
    cell of nbgrader's sanitized copy, where nbgrader's SaveAutoGrades reads the points.
    So the gradebook, formgrader, feedback and export all show the one command's scores.
    The one command's results.json is written too, beside the graded notebook
    (``autograded/<student>/<assignment>/results.json``; ``generate_feedback`` copies it
    beside the feedback).
    Sandbox and budget are the course's (``c.BackpropCourse``).
    """

    def preprocess(self, nb, resources):
        from autograder.grading.grade import grade_notebook

        settings = _course_settings(self.config)
        info = resources.get("nbgrader", {})
        student, assignment = info.get("student", ""), info.get("assignment")
        paths = _CoursePaths(self.config, student, assignment, resources.get("unique_key"))
        try:
            submitted, digest = submissions.read(paths.submitted)
        except submissions.NotANotebook:  # gone since nbgrader read it: grade what it read
            submitted, digest = nb, None
        graded = grade_notebook(submitted, student=student, assignment=assignment,
                                isolation=check_setup(settings), budget=settings.budget,
                                sha256=digest, origin=str(paths.submitted))
        write_json(paths.results, graded.results)
        self._write_outputs(nb, graded)
        self.log.info("Graded %s in the sandbox: %g points (%s)", student or "?",
                      graded.score, graded.results["extra_data"]["isolation"])
        return nb, resources

    @staticmethod
    def _write_outputs(nb, graded):
        """Each part's report and points into its hidden-check cell."""
        from autograder.hidden_cell_outputs import cell_outputs

        by_part = {part.part.id: part for part in graded.parts or ()}
        notes = graded.results["extra_data"]["notes"]
        lang = graded.results["extra_data"]["language"]  # the notebook's edition
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if cell.cell_type == "code" and grade_id in by_part:
                curve = graded.curve_svg if grade_id == TRAINING_PART else None
                cell.outputs = cell_outputs(by_part[grade_id], curve, lang=lang)
                if notes:  # about the notebook as a whole: shown once, at the first part
                    cell.outputs.insert(0, nbformat.v4.new_output(
                        "stream", name="stdout", text="".join(f"{n}\n" for n in notes)))
                    notes = []


def _course_settings(config):
    """The course's settings in an nbgrader app's ``config`` (loaded from the course's
    nbgrader_config.py, which messages name)."""
    root = Path(CourseDirectory(config=config).root)
    return course_settings.from_config(config, root / course_settings.CONFIG_NAME)


class _CoursePaths:
    """Where nbgrader keeps one student's notebook of an assignment, in this course."""

    def __init__(self, config, student, assignment, notebook_id):
        course = CourseDirectory(config=config)
        self.submitted = Path(course.format_path(course.submitted_directory, student,
                                                 assignment)) / f"{notebook_id}.ipynb"
        self.results = Path(course.format_path(course.autograded_directory, student,
                                               assignment)) / RESULTS_NAME


class CheckedSetupExporter(NotebookExporter):
    """nbgrader autograde's exporter, made only once the grader's setup is checked.

    nbgrader makes its exporter before it touches any submission, and removes the
    autograded folder of a submission whose grading fails, so this is where a setup error
    (MNIST missing, no sandbox) must stop autograde: with the fix in nbgrader's log, and
    every earlier autograded folder and grade left as it was.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        try:
            check_setup(_course_settings(self.config))
        except SetupError as error:
            self.log.error("%s", error)
            raise NbGraderException(str(error)) from None
