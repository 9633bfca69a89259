"""Small nbgrader preprocessors this course adds to nbgrader's own (see nbgrader_config.py)."""

import re

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import is_solution
from traitlets import Float, Unicode

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
    ClearSolutions, before the checksums are computed.
    """

    stub = Unicode("raise NotImplementedError()",
                   help="The stub line to rewrite, as ClearSolutions.code_stub writes it."
                   ).tag(config=True)
    message = Unicode("{task} is not written yet: replace this line with your code.",
                      help="The error message; {task} becomes Class.method.").tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and is_solution(cell):
            cell.source = self.name_tasks(cell.source)
        return cell, resources

    def name_tasks(self, source):
        """Rewrite every stub line of ``source`` with the enclosing Class.method."""
        lines, owner, method = [], None, None
        for line in source.split("\n"):
            if match := _CLASS.match(line):
                owner, method = match.group(1), None
            elif match := _DEF.match(line):
                method = match.group(1)
                if not line[:1].isspace():  # a top-level function: no class owns it
                    owner = None
            if line.strip() == self.stub:
                task = ".".join(name for name in (owner, method) if name) or "this cell"
                indent = line[: len(line) - len(line.lstrip())]
                line = f"{indent}raise NotImplementedError({self.message.format(task=task)!r})"
            lines.append(line)
        return "\n".join(lines)


class IsolatedAutograde(NbGraderPreprocessor):
    """Grade in the sandbox instead of executing the notebook (replaces nbgrader's Execute).

    nbgrader's own autograde runs the student's notebook, hidden tests included, in one
    kernel: the student's code could read, patch or skip the tests. Here the notebook is
    never executed as it is: :func:`autograder.grading.grade.grade_notebook` runs the
    answer cells in a sandboxed worker and the hidden checks in this process, exactly as
    ``python -m autograder grade`` does, and this writes each part's result into its
    hidden-check cell, where nbgrader's SaveAutoGrades reads the points. So the gradebook,
    formgrader, feedback and export all show the one command's scores.
    """

    isolation = Unicode("auto", help="Sandbox level: auto, bubblewrap, user or process."
                        ).tag(config=True)
    budget = Float(None, allow_none=True,
                   help="Seconds of wall time one notebook may take to grade, all its "
                        "workers together (default: the grader's DEFAULT_BUDGET, 300). When "
                        "it runs out, the checks graded by then keep their points and the "
                        "rest get 0, with a note.").tag(config=True)

    def preprocess(self, nb, resources):
        from autograder.grading.grade import DEFAULT_BUDGET, grade_notebook, isolation_for
        from autograder.notebook import cell_outputs

        info = resources.get("nbgrader", {})
        graded = grade_notebook(nb, student=info.get("student", ""),
                                assignment=info.get("assignment"),
                                isolation=isolation_for(self.isolation),
                                budget=DEFAULT_BUDGET if self.budget is None else self.budget)
        by_part = {part.part.id: part for part in graded.parts}
        notes = graded.results["extra_data"]["notes"]
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if cell.cell_type == "code" and grade_id in by_part:
                cell.outputs = cell_outputs(by_part[grade_id],
                                            execution_time=graded.results["execution_time"])
                if notes:  # about the notebook as a whole: shown once, at the first part
                    cell.outputs.insert(0, nbformat.v4.new_output(
                        "stream", name="stdout", text="".join(f"{n}\n" for n in notes)))
                    notes = []
        self.log.info("Graded %s in the sandbox: %g points (%s)", info.get("student", "?"),
                      graded.score, graded.results["extra_data"]["isolation"])
        return nb, resources
