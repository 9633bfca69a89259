"""Submissions: where they are, what they are, and what the grader runs of them.

The grader never runs a submitted notebook as it is. It rebuilds the program from the
trusted source notebook: the given cells marked ``grader_runs`` (imports, the given forward
passes) exactly as the instructor wrote them, and each answer cell taken from the
submission by its nbgrader ``grade_id`` (of copies, see :func:`graded_copy`; under
``nbgrader autograde``, RestoreReleasedMetadata keeps the same one).
Edited locked cells, edited or deleted hidden-check cells and added cells change nothing.
"""

import ast
import functools
import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbformat.reader import NotJSONError

from autograder.sources import GRADER_RUNS, source_notebook
from selfcheck import assignment
from selfcheck.messages import say

MAX_NOTEBOOK_BYTES = 20 << 20  # a real submission is ~100 kB; 20 MB leaves room for images


class NotANotebook(ValueError):
    """The file is not a readable notebook; ``str()`` is the student's message."""


@dataclass
class Submission:
    """One entry to grade. ``student``: the nbgrader student id or the file's stem;
    ``relative``: its path relative to the folder graded (its name, for one file)."""

    path: Path
    student: str
    relative: str
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
    Symbolic links are never followed (the folder named here excepted: the instructor chose
    it). Every entry named ``*.ipynb`` is listed, whatever it is, so that the instructor sees
    it; :func:`read` refuses what is not a regular file.
    """
    path = Path(path)
    if path.is_dir():
        return [_submission(notebook, path) for notebook in sorted(_entries(path))]
    if not os.path.lexists(path):
        raise FileNotFoundError(f"no such file or folder: {path}")
    return [_submission(path, path.parent)]


def _entries(root):
    """Paths of the entries named ``*.ipynb`` under ``root``, hidden ones left out; links to
    folders are listed, not entered (``os.walk`` does not follow them)."""
    for folder, folders, files in os.walk(root):
        folders[:] = [name for name in folders if not name.startswith(".")]
        for name in folders + files:
            if name.endswith(".ipynb") and not name.startswith("."):
                yield Path(folder, name)


def _submission(notebook, root):
    parts = notebook.relative_to(root).parts
    relative = "/".join(parts)
    if len(parts) >= 3 and parts[-2] in assignment.NAMES.values():
        return Submission(notebook, parts[-3], relative, assignment=parts[-2])
    if len(parts) == 2 and parts[-2] not in assignment.NAMES.values():
        return Submission(notebook, parts[-2], relative)  # <student>/<any>.ipynb
    return Submission(notebook, notebook.stem, relative)


def read(path, *, again=False):
    """(notebook, sha256 of the bytes) or NotANotebook with the reason.

    again: this process will read the same file again (a grading process reads its
    notebook ahead of its turn, for its language, then at its turn): the notebook is kept
    for that read, which then takes it instead of parsing the same bytes again (~13 ms,
    nbformat's validation), so the caller must not change it. Each read reads the file:
    bytes that changed in between are parsed anew."""
    raw = read_bytes(path)
    digest = hashlib.sha256(raw).hexdigest()
    nb = _read_ahead.pop(digest, None)
    if nb is None:
        try:
            nb = parse(raw)
        except NotANotebook as error:
            error.sha256 = digest  # an unreadable file is still this file: resume skips it
            raise
    if again:
        _read_ahead.clear()  # one notebook at a time
        _read_ahead[digest] = nb
    return nb, digest


_read_ahead = {}  # sha256 -> the notebook of those bytes, kept for a read to come


def read_bytes(path):
    """The bytes of the regular file at ``path``, or NotANotebook.

    A student controls what the path is: a symbolic link to a file only the grader may
    read, a named pipe that never delivers a byte, a device. So a special file is never
    opened (``lstat``), the file is opened without following a link and without waiting
    (``O_NOFOLLOW | O_NONBLOCK``), and what was opened is checked (``fstat``) before at most
    ``MAX_NOTEBOOK_BYTES`` are read from it: no swap between the check and the read.
    """
    try:
        _refuse_special(os.lstat(path).st_mode)
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        raise NotANotebook(say("not_a_notebook", error=error.strerror or "unreadable")) \
            from None
    with open(fd, "rb") as file:
        info = os.fstat(fd)
        _refuse_special(info.st_mode)
        if info.st_size > MAX_NOTEBOOK_BYTES:
            raise NotANotebook(say("not_a_notebook",
                                   error=f"{info.st_size >> 20} MB, too large"))
        return file.read(MAX_NOTEBOOK_BYTES)


SPECIAL_FILES = {stat.S_IFLNK: "a symbolic link", stat.S_IFDIR: "a folder",
                 stat.S_IFIFO: "a named pipe", stat.S_IFCHR: "a character device",
                 stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket"}


def _refuse_special(mode):
    if not stat.S_ISREG(mode):
        kind = SPECIAL_FILES.get(stat.S_IFMT(mode), "of an unknown kind")
        raise NotANotebook(say("not_a_regular_file", kind=kind))


def warm_validator():
    """Build nbformat's validator of submissions now (its schema is compiled to code on
    first use, ~0.1 s): a grading process forked from this one then starts with it."""
    nbformat.validator.get_validator(version=4, version_minor=nbformat.v4.nbformat_minor,
                                     relax_add_props=True)


def parse(raw):
    """A NotebookNode (nbformat 4) from bytes, or NotANotebook saying what is wrong and
    where, never what the file holds: a message quoting it would show the student bytes
    of whatever the grader was tricked into reading."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise NotANotebook(say("not_a_notebook", error=f"not UTF-8 text (byte {error.start})")) \
            from None
    try:
        nb = nbformat.convert(nbformat.reader.reads(text), 4)
        nbformat.validate(nb, relax_add_props=True)
    except NotJSONError as error:  # its message quotes the file; json's error has the place
        raise NotANotebook(say("not_a_notebook", error=_json_problem(error.__cause__))) \
            from None
    except nbformat.ValidationError as error:
        raise NotANotebook(say("not_a_notebook", error="not a notebook: the schema check "
                               f"failed at {_position(error.absolute_path)}")) from None
    except Exception:  # a list, a number, an unknown nbformat version, nesting too deep...
        raise NotANotebook(say("not_a_notebook", error="not a notebook: JSON, but not in "
                               "the notebook format")) from None
    return nb


def _json_problem(cause):
    if isinstance(cause, json.JSONDecodeError):
        return f"not valid JSON (line {cause.lineno}, column {cause.colno})"
    return "not valid JSON"


def _position(path):
    """``cells/3/source``: indices and the notebook format's own field names; any other key
    came from the file, so it shows as ``?``."""
    steps = [str(step) if isinstance(step, int) or step in _format_fields() else "?"
             for step in path]
    return "/".join(steps) or "the top level"


@functools.cache
def _format_fields():
    """Every property name the notebook format's JSON schema (nbformat v4) defines."""
    schema = Path(nbformat.v4.__file__).parent / nbformat.v4.nbformat_schema[(None, None)]
    return frozenset(_property_names(json.loads(schema.read_text(encoding="utf-8"))))


def _property_names(node):
    if isinstance(node, list):
        return set().union(*map(_property_names, node))
    if not isinstance(node, dict):
        return set()
    return set(node.get("properties", {})).union(*map(_property_names, node.values()))


def language_of(nb, name=None):
    """The edition's language: from the assignment name, else the notebook's setup cell."""
    for lang, assignment_name in assignment.NAMES.items():
        if name == assignment_name:
            return lang
    for cell in nb.cells:
        if _grade_id(cell) == assignment.SETUP_CELL:
            match = re.search(r'BACKPROP_LANG"\] = "(\w+)"', "".join(cell.source))
            if match and match.group(1) in assignment.NAMES:
                return match.group(1)
    return assignment.DEFAULT_LANGUAGE


def source_cells(language):
    """The trusted source notebook's cells: read from assignments/ in a checkout; where
    the package is installed without it (`pip install .`, a grader's venv), built from
    the installed package itself, which gives the same cells (tests/test_authoring.py
    holds the committed notebook to a fresh build)."""
    path = source_notebook(language)
    if path.is_file():
        info = path.stat()
        return _cells_of(path, info.st_mtime_ns, info.st_size)
    from autograder.authoring import build_notebook  # solutions/ and the text: only here

    return build_notebook(language).cells


@functools.cache
def _cells_of(path, mtime_ns, size):
    """The cells of the notebook at ``path``, read once per process and version of the
    file (a grading process forked from a warm one reads none: see grade.prepare)."""
    return tuple(nbformat.read(path, as_version=4).cells)


def build_program(nb, language):
    """The Program for a submitted notebook ``nb``; NotANotebook if it is another
    assignment's (none of the answer cells is there)."""
    source = source_cells(language)
    classes = {_grade_id(cell): answer_classes("".join(cell.source)) for cell in source
               if _grade_id(cell) in assignment.ANSWER_CELLS}
    answers, duplicates, extra = _answers(nb, {_grade_id(c) for c in source} - {None},
                                          classes)
    if not any(cell_id in answers for cell_id in assignment.ANSWER_CELLS):
        raise NotANotebook(say("wrong_assignment", language,
                               cells=", ".join(assignment.ANSWER_CELLS)))
    cells, missing, cell_of = [], [], {}
    for cell in source:
        cell_id = _grade_id(cell)
        if cell.cell_type == "code" and cell_id in assignment.ANSWER_CELLS:
            for name in classes[cell_id]:
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
        notes.append(say("extra_cells_ignored", language, count=len(extra)))
        needed = _needed_from(extra, [source for cell_id, source in cells
                                      if cell_id in assignment.ANSWER_CELLS],
                              [source for cell_id, source in cells
                               if cell_id not in assignment.ANSWER_CELLS])
        if needed:
            notes.append(say("extra_cells_needed", language,
                             names=", ".join(f"`{name}`" for name in needed)))
    return Program(cells, language, cell_of, missing, notes)


def _needed_from(added, answers, given):
    """The names the cells a student ``added`` define that their ``answers`` use and
    neither the answers nor the ``given`` cells the grader runs define (a helper written
    in a cell of the student's own: at home it is defined, in grading it is not)."""
    answers, added, given = ([_parsed(s) for s in cells] for cells in (answers, added, given))
    defined_in_added = set().union(*map(_defined, added))
    defined_here = set().union(*map(_defined, answers + given))
    used = set().union(*map(_used, answers))
    return sorted((defined_in_added & used) - defined_here)


# Cells parsed for a note at most this long: a helper is a few lines, and parsing has no
# other bound (a sum of 3,000 terms is a RecursionError, a long chain of minus signs fills
# memory).
PARSED_CHARS = 20_000


def _parsed(source):
    if len(source) <= PARSED_CHARS:
        try:
            return ast.parse(without_magics(source))
        except (SyntaxError, ValueError, RecursionError, MemoryError):  # (a NUL byte...)
            pass
    return ast.Module(body=[], type_ignores=[])  # a broken or huge cell: nothing in it


def _defined(tree):
    """Names a parsed cell binds at its top level (def, class, import, assignment)."""
    names = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name))
    return names


def _used(tree):
    """Every name a parsed cell reads."""
    return {node.id for node in ast.walk(tree)
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)}


def _answers(nb, known_ids, classes):
    """{grade_id: source} of the code cell with each id (of the copies of an answer cell,
    a key of ``classes``, its classes' names, the one :func:`graded_copy` chooses; else
    the first); duplicated ids; the sources of the code cells with code that are not the
    assignment's."""
    copies, extra = {}, []
    for cell in nb.cells:
        if cell.get("cell_type") != "code":
            continue
        cell_id, source = _grade_id(cell), "".join(cell.get("source", ""))
        if cell_id in known_ids:
            copies.setdefault(cell_id, []).append(source)
        elif source.strip():
            extra.append(source)
    answers = {cell_id: sources[graded_copy(sources, classes[cell_id])
                                if cell_id in classes else 0]
               for cell_id, sources in copies.items()}
    return answers, {cell_id for cell_id, sources in copies.items() if len(sources) > 1}, extra


# The statement every released answer cell raises until it is answered (NameTaskInStubs
# names the task in it), and a class the cell defines.
_STUB = re.compile(r"^[ \t]*raise NotImplementedError\(", re.M)
_CLASS = re.compile(r"^class (\w+)", re.M)


def answer_classes(source):
    """The classes an answer cell of the assignment defines (``{"Relu"}``)."""
    return set(_CLASS.findall(source))


def graded_copy(sources, classes):
    """Which copy of an answer cell is graded (an index into ``sources``, the copies'
    code in notebook order): of the copies that define the cell's ``classes`` and no
    longer raise the stub, the last, as running the notebook from the top leaves it in
    effect (a student who copied the cell and answered in the copy below keeps that
    answer; an empty copy or one used as scratch below the answer changes nothing); the
    first copy if none is such."""
    answered = [index for index, source in enumerate(sources)
                if classes <= answer_classes(source) and not _STUB.search(source)]
    return answered[-1] if answered else 0


def without_magics(source):
    """IPython's ``%magic`` and ``!shell`` lines become comments (plain Python runs it).
    As in IPython, only a line that starts a statement is one: a line inside brackets, a
    string or after a backslash is Python's (``(self.mask`` then ``!= True)``)."""
    lines, state = [], _LineState()
    for line in source.split("\n"):
        if state.at_statement_start() and line.lstrip().startswith(("%", "!")):
            lines.append(f"{line[:len(line) - len(line.lstrip())]}# (skipped) {line.lstrip()}")
        else:
            lines.append(line)
            state.read(line.removesuffix("\r"))  # (a notebook written on Windows: CRLF)
    return "\n".join(lines)


class _LineState:
    """Where Python code stands after the lines read so far: open brackets, an open
    (triple-quoted) string, a backslash continuation. Enough of Python's tokenizer to tell
    whether the next line starts a statement."""

    def __init__(self):
        self.depth, self.quote, self.continued = 0, None, False

    def at_statement_start(self):
        return self.depth == 0 and self.quote is None and not self.continued

    def read(self, line):
        i, self.continued = 0, False
        while i < len(line):
            char = line[i]
            if self.quote is not None:  # in a string: an escaped character, or its end
                if char == "\\":
                    i += 2
                elif line.startswith(self.quote, i):
                    i, self.quote = i + len(self.quote), None
                else:
                    i += 1
                continue
            if char == "#":  # a comment ends the line, and continues nothing
                return
            if char in "'\"":
                self.quote = char * 3 if line.startswith(char * 3, i) else char
                i += len(self.quote)
                continue
            if char in "([{":
                self.depth += 1
            elif char in ")]}":
                self.depth = max(self.depth - 1, 0)
            i += 1
        if self.quote is None:
            self.continued = line.endswith("\\")
        elif len(self.quote) == 1 and not line.endswith("\\"):
            self.quote = None  # a one-line string left open: Python's syntax error to say


def _grade_id(cell):
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return meta.get("grade_id") if isinstance(meta, dict) else None
