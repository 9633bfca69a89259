"""Submissions: where they are, what they are, and what the grader runs of them.

The grader never runs a submitted notebook as it is. It rebuilds the program from the
trusted source notebook: the given cells marked ``grader_runs`` (imports, the given forward
passes) exactly as the instructor wrote them, and each answer cell taken from the
submission by its nbgrader ``grade_id`` (the first one, as nbgrader's DeduplicateIds does).
Edited locked cells, edited or deleted hidden-check cells and added cells change nothing.
"""

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder import authoring
from autograder.authoring.cells import GRADER_RUNS
from selfcheck.messages import say

MAX_NOTEBOOK_BYTES = 20 << 20  # a real submission is ~100 kB; 20 MB leaves room for images


class NotANotebook(ValueError):
    """The file is not a readable notebook; ``str()`` is the student's message."""


@dataclass
class Submission:
    """One file to grade. ``student``: the nbgrader student id or the file's stem."""

    path: Path
    student: str
    assignment: str | None = None  # nbgrader assignment name, when the path tells it


@dataclass
class Program:
    """What the worker runs for one submission, and what was noticed building it."""

    cells: list  # [(cell id, source)], in notebook order
    language: str
    cell_of: dict  # class name -> id of the answer cell that defines it
    missing: list = field(default_factory=list)  # answer cells not found
    notes: list = field(default_factory=list)  # messages for the student about the file


def find(path):
    """Submissions under ``path``: one notebook, a folder of them, or nbgrader's submitted/.

    In an nbgrader tree (``<student>/<assignment>/<notebook>.ipynb``) the student id and the
    assignment come from the folders; elsewhere the student id is the file's stem.
    Checkpoints and hidden files are skipped. Sorted, so batches run in a stable order.
    """
    path = Path(path)
    if path.is_file():
        return [_submission(path, path.parent)]
    if not path.is_dir():
        raise FileNotFoundError(f"no such file or folder: {path}")
    found = [_submission(p, path) for p in sorted(path.rglob("*.ipynb"))
             if not any(part.startswith(".") for part in p.relative_to(path).parts)]
    return found


def _submission(notebook, root):
    parts = notebook.relative_to(root).parts if notebook != root else (notebook.name,)
    if len(parts) >= 3 and parts[-2] in authoring.ASSIGNMENTS.values():
        return Submission(notebook, student=parts[-3], assignment=parts[-2])
    if len(parts) == 2 and parts[-2] not in authoring.ASSIGNMENTS.values():
        return Submission(notebook, student=parts[-2])  # <student>/<any>.ipynb
    return Submission(notebook, student=notebook.stem)


def read(path):
    """(notebook, sha256 of the bytes) or NotANotebook with the reason."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_NOTEBOOK_BYTES:
            raise NotANotebook(say("not_a_notebook", error=f"{size >> 20} MB, too large"))
        raw = path.read_bytes()
    except OSError as error:
        raise NotANotebook(say("not_a_notebook", error=error.strerror or error)) from None
    digest = hashlib.sha256(raw).hexdigest()
    try:
        return parse(raw), digest
    except NotANotebook as error:
        error.sha256 = digest  # an unreadable file is still this file: resume skips it
        raise


def parse(raw):
    """A NotebookNode (nbformat 4) from bytes, or NotANotebook."""
    try:
        nb = nbformat.reads(raw.decode("utf-8"), as_version=4)
        nbformat.validate(nb, relax_add_props=True)
    except Exception as error:  # JSON, encoding, schema: all mean "not a notebook"
        reason = f"{type(error).__name__}: {str(error).splitlines()[0][:200]}" \
            if str(error) else type(error).__name__
        raise NotANotebook(say("not_a_notebook", error=reason)) from None
    return nb


def language_of(nb, assignment=None):
    """The edition's language: from the assignment name, else the notebook's setup cell."""
    for lang, name in authoring.ASSIGNMENTS.items():
        if assignment == name:
            return lang
    for cell in nb.cells:
        if _grade_id(cell) == "setup":
            match = re.search(r'BACKPROP_LANG"\] = "(\w+)"', "".join(cell.source))
            if match and match.group(1) in authoring.ASSIGNMENTS:
                return match.group(1)
    return authoring.DEFAULT_LANGUAGE


def source_cells(language):
    """The trusted source notebook's cells (read from assignments/)."""
    return nbformat.read(authoring.source_notebook(language), as_version=4).cells


def build_program(nb, language):
    """The Program for a submitted notebook ``nb``; NotANotebook if it is another
    assignment's (none of the answer cells is there)."""
    source = source_cells(language)
    answer_ids = [_grade_id(c) for c in source if _is_answer(c)]
    answers, duplicates, extra = _answers(nb, {_grade_id(c) for c in source} - {None})
    if not any(cell_id in answers for cell_id in answer_ids):
        raise NotANotebook(say("wrong_assignment", language, cells=", ".join(answer_ids)))
    cells, missing, cell_of = [], [], {}
    for cell in source:
        cell_id = _grade_id(cell)
        if _is_answer(cell):
            for name in re.findall(r"^class (\w+)", "".join(cell.source), re.M):
                cell_of[name] = cell_id
            if cell_id in answers:
                cells.append((cell_id, without_magics(answers[cell_id])))
            else:
                missing.append(cell_id)
        elif cell.metadata.get("backprop_kit", {}).get(GRADER_RUNS):
            cells.append((cell_id, "".join(cell.source)))
    notes = []
    if duplicates:
        notes.append(say("duplicate_cells", language, cells=", ".join(sorted(duplicates))))
    if extra:
        notes.append(say("extra_cells_ignored", language, count=extra))
    return Program(cells, language, cell_of, missing, notes)


def _answers(nb, known_ids):
    """{grade_id: source} of the first code cell with each id; duplicated ids; how many
    code cells with code are not the assignment's."""
    answers, duplicates, extra = {}, set(), 0
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        cell_id = _grade_id(cell)
        if cell_id not in known_ids:
            extra += bool("".join(cell.get("source", "")).strip())
        elif cell_id in answers:
            duplicates.add(cell_id)
        else:
            answers[cell_id] = "".join(cell.get("source", ""))
    return answers, duplicates, extra


def without_magics(source):
    """IPython's ``%magic`` and ``!shell`` lines become comments (plain Python runs it)."""
    return "\n".join(f"{line[:len(line) - len(line.lstrip())]}# (skipped) {line.lstrip()}"
                     if line.lstrip().startswith(("%", "!")) else line
                     for line in source.split("\n"))


def _grade_id(cell):
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta.get("grade_id") if isinstance(meta, dict) else None


def _is_answer(cell):
    return cell.cell_type == "code" and cell.metadata.get("nbgrader", {}).get("solution")
