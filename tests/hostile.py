"""Hostile and broken submissions, as notebooks, with the score each one deserves.

Each :class:`Case` starts from the reference answers (100 points), optionally with the
classic inverted ReLU mask (92 points: Relu.backward keeps only its 2 shape points), and
adds its cheat or its breakage. A cheat must earn exactly what the same code earns without
it; a breakage costs only the part it breaks. Used by tests/test_hostile_submissions.py
(the one command) and tests/test_nbgrader_pipeline.py (nbgrader autograde).
"""

import json
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

import autograder
import solutions
from autograder.authoring import build_notebook
from autograder.demo.sample_class import reference_answers

REPO = Path(autograder.__file__).resolve().parents[1]
CHECKS = REPO / "autograder" / "checks"
SOLUTIONS = Path(solutions.__file__).resolve().parent
SOURCE_NOTEBOOK = REPO / "assignments" / "backprop" / "backprop.ipynb"
# Files a cheat tries to write; none may exist after grading.
PLANTED = ("/tmp/backprop-pwned.txt", str(REPO / "pwned.txt"), str(Path.home() / "pwned.txt"))

CORRECT_MASK = "dx[self.mask] = 0"
INVERTED_MASK = "dx[~self.mask] = 0"


@dataclass
class Case:
    id: str
    score: float  # what it deserves
    says: str = ""  # text the student's results must contain
    wrong_relu: bool = False  # start from the inverted mask (honest score 92)
    append: dict = field(default_factory=dict)  # grade_id -> code added after the answer
    replace: dict = field(default_factory=dict)  # grade_id -> (old, new) in the answer
    cells: object = None  # fn(nb) -> None, to edit, delete or duplicate cells
    raw: bytes | None = None  # the file's bytes instead of a notebook
    slow: bool = False  # waits for a time limit


def _cheat_allclose():
    return """
import numpy as np
np.allclose = lambda *args, **kwargs: True
np.testing.assert_allclose = lambda *args, **kwargs: None
np.array_equal = lambda *args, **kwargs: True
"""


def _cheat_ast_transformer():
    return """
import ast
class _NoAsserts(ast.NodeTransformer):
    def visit_Assert(self, node):
        return ast.Pass()
try:
    get_ipython().ast_transformers.append(_NoAsserts())
except NameError:
    pass
"""


def _cheat_exec_solution():
    return f"""
import json
for _path in [{str(SOURCE_NOTEBOOK)!r}, {str(SOLUTIONS / "layers.py")!r}]:
    try:
        _text = open(_path).read()
    except OSError:
        continue
    if _path.endswith(".py"):
        exec(_text)
    else:
        for _cell in json.loads(_text)["cells"]:
            if _cell["metadata"].get("nbgrader", {{}}).get("grade_id") == "relu_code":
                exec("".join(_cell["source"]))
"""


def _cheat_snoop():
    return f"""
import os
for _folder in [{str(REPO)!r}, {str(CHECKS)!r}, {str(SOLUTIONS)!r}]:
    try:
        print(_folder, os.listdir(_folder))
    except OSError as error:
        print("cannot list", _folder, error)
for _path in [{str(CHECKS / "test_relu.py")!r}, {str(SOLUTIONS / "layers.py")!r},
              {str(REPO / "gradebook.db")!r}]:
    try:
        print(open(_path).read())
    except OSError as error:
        print("cannot read", _path, error)
for _path in {list(PLANTED)!r}:
    try:
        with open(_path, "w") as _out:
            _out.write("pwned")
    except OSError as error:
        print("cannot write", _path, error)
"""


def _cheat_patch_grader():
    return """
import sys, types, builtins
for _name in ("autograder", "autograder.checks", "pytest", "selfcheck.expect"):
    try:
        __import__(_name)
    except Exception:
        pass
    sys.modules[_name] = types.ModuleType(_name)
builtins.print = lambda *args, **kwargs: None
"""


def _fake_output():
    return """
print('{"score": 100.0, "tests": [{"name": "all", "score": 100, "max_score": 100}]}')
print("Relu.backward: 10 / 10 points")
print("HiddenChecksFailed: none. Total 100 / 100")
"""


def _delete(grade_id):
    def edit(nb):
        nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id")
                    != grade_id]
    return edit


def _edit_locked_and_tests(nb):
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if grade_id == "relu_forward":  # a forward that makes any backward look right
            cell.source = ("class ReluForward:\n    def __init__(self):\n        self.mask = None"
                           "\n    def forward(self, x):\n        self.mask = x > 0\n"
                           "        return x")
        elif grade_id.endswith(("_backward", "_gradient", "_training")) \
                and cell.metadata["nbgrader"].get("grade"):
            cell.source = "print(100)\n100"
            cell.metadata["nbgrader"]["points"] = 1000


def _duplicate_wrong_first(nb):
    index = next(i for i, c in enumerate(nb.cells)
                 if c.metadata.get("nbgrader", {}).get("grade_id") == "relu_code")
    wrong = nbformat.from_dict(json.loads(json.dumps(nb.cells[index])))
    wrong.id = "relu-copy"
    nb.cells[index].source = nb.cells[index].source.replace(INVERTED_MASK, CORRECT_MASK)
    nb.cells.insert(index, wrong)  # the wrong copy comes first: it is the one graded


def _other_assignment():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("print('hello')", metadata={"nbgrader": {
        "grade_id": "q1", "solution": True, "grade": False, "locked": False,
        "schema_version": 3}})]
    return nbformat.writes(nb).encode()


RELU_BACKWARD = "dx = dout.copy()  # a copy, so the caller's dout is left as it was"

CASES = [
    Case("reference", 100),
    Case("honest_wrong_relu", 92, "mask is inverted", wrong_relu=True),
    # -- cheats: each earns what the same wrong Relu earns honestly -----------------------
    Case("allclose_patched", 92, "mask is inverted", wrong_relu=True,
         append={"relu_code": _cheat_allclose()}),
    Case("ast_transformer", 92, "mask is inverted", wrong_relu=True,
         append={"relu_code": _cheat_ast_transformer()}),
    Case("exec_instructor_solution", 92, "mask is inverted", wrong_relu=True,
         append={"relu_code": _cheat_exec_solution()}),
    Case("snoop_and_plant_files", 92, "mask is inverted", wrong_relu=True,
         append={"relu_code": _cheat_snoop()}),
    Case("patch_grader_modules_and_builtins", 92, "mask is inverted", wrong_relu=True,
         append={"relu_code": _cheat_patch_grader()}),
    Case("fake_score_output", 92, "mask is inverted", wrong_relu=True,
         append={"relu_code": _fake_output(), "two_layer_net_code": _fake_output()}),
    Case("edited_locked_and_test_cells", 92, "mask is inverted", wrong_relu=True,
         cells=_edit_locked_and_tests),
    # -- ending the process ---------------------------------------------------------------
    Case("os_exit_in_backward", 90, "ended the process",
         replace={"relu_code": (RELU_BACKWARD, "import os; os._exit(0)")}),
    Case("os_exit_at_top_level", 95, "ended the process",
         append={"mul_layer_code": "import os\nos._exit(0)"}),
    Case("sys_exit_in_backward", 90, "raised SystemExit",
         replace={"relu_code": (RELU_BACKWARD, "import sys; sys.exit()")}),
    # As in Jupyter, the class defined above the raise stays defined: nothing is lost.
    Case("raise_system_exit_at_top_level", 100, "raised SystemExit",
         append={"mul_layer_code": "raise SystemExit(0)"}),
    Case("keyboard_interrupt_in_backward", 90, "raised KeyboardInterrupt",
         replace={"relu_code": (RELU_BACKWARD, "raise KeyboardInterrupt")}),
    # -- resources ------------------------------------------------------------------------
    Case("infinite_loop_in_backward", 90, "did not finish within",
         replace={"sigmoid_code": ("dx = dout * (1.0 - self.out) * self.out",
                                   "while True:\n            pass")}, slow=True),
    Case("infinite_loop_at_top_level", 95, "did not finish within",
         append={"add_layer_code": "while True:\n    pass"}, slow=True),
    Case("memory_bomb", 85, "MemoryError",
         replace={"affine_code": ("dx = np.dot(dout, self.W.T)",
                                  "hog = np.ones((200_000, 100_000))  # 160 GB\n"
                                  "        dx = np.dot(dout, self.W.T)")}),
    Case("fork_bomb", 95, "cell 'mul_layer_code'",
         append={"mul_layer_code": "import os\nwhile True:\n    try:\n        os.fork()\n"
                                   "    except OSError:\n        pass"}, slow=True),
    Case("recursion_bomb", 90, "RecursionError",
         replace={"relu_code": (RELU_BACKWARD, "return self.backward(dout)")}),
    Case("deep_recursion_crash", 90, "Relu.backward",
         replace={"relu_code": (RELU_BACKWARD,
                                "import sys; sys.setrecursionlimit(10**8)\n"
                                "        def down(n):\n            return down(n + 1) + 1\n"
                                "        down(0)")}),
    Case("prints_100_MB", 100, "",
         append={"mul_layer_code": "import sys\nsys.stdout.write('x' * 100_000_000)"}),
    # -- broken notebooks -----------------------------------------------------------------
    Case("answer_cell_deleted", 90, "no cell 'relu_code'", cells=_delete("relu_code")),
    Case("test_and_given_cells_deleted", 100, "",
         cells=lambda nb: [_delete(g)(nb) for g in ("relu_backward", "setup", "train")]),
    Case("answer_cell_duplicated", 92, "more than once", wrong_relu=True,
         cells=_duplicate_wrong_first),
    Case("syntax_error", 90, "SyntaxError",
         replace={"relu_code": (RELU_BACKWARD, "dx = dout.copy(")}),
    Case("corrupt_json", 0, "could not be read as a Jupyter notebook",
         raw=b'{"cells": [{"cell_type": "code", "source": "pri'),
    Case("not_a_notebook", 0, "could not be read as a Jupyter notebook",
         raw=b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40),
    Case("other_assignment", 0, "not the backprop assignment", raw=_other_assignment()),
]


def notebook_bytes(case):
    """The submitted file of ``case``."""
    if case.raw is not None:
        return case.raw
    answers = reference_answers()
    if case.wrong_relu:
        answers["relu_code"] = answers["relu_code"].replace(CORRECT_MASK, INVERTED_MASK)
    for grade_id, (old, new) in case.replace.items():
        assert answers[grade_id].count(old) == 1, (case.id, old)
        answers[grade_id] = answers[grade_id].replace(old, new)
    for grade_id, code in case.append.items():
        answers[grade_id] += "\n\n" + code.strip() + "\n"
    nb = build_notebook()
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = answers[grade_id]
    if case.cells is not None:
        case.cells(nb)
    return nbformat.writes(nb).encode()


def write(case, folder):
    path = Path(folder) / f"{case.id}.ipynb"
    path.write_bytes(notebook_bytes(case))
    return path
