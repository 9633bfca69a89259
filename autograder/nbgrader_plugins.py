"""Small nbgrader preprocessors this course adds to nbgrader's own (see nbgrader_config.py)."""

import re

from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import is_solution
from traitlets import Unicode

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
