"""The code cells' comments and docstrings in the notebook's language; the code stays the same.

Every edition has the same code: :func:`code_only` (the code with comments and docstrings
stripped) is equal for both, and ``tests/test_authoring.py`` checks it. What a student
reads in the code, its comments and docstrings, is translated with a table (``CODE`` of a
text module): English text -> its translation, where the English text is

- a docstring, as :func:`inspect.cleandoc` gives it;
- a comment: a block of consecutive full-line comments at the same indentation, its lines
  joined by spaces (the translation is wrapped again), or one comment after code.

A comment or docstring the table lacks stops the build with the list of them, so an edition
cannot go out half translated. nbgrader's solution markers are never translated.
"""

import ast
import inspect
import io
import re
import tokenize
import unicodedata

MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")  # nbgrader's: kept as they are
HANGUL = re.compile("[\uac00-\ud7a3]")
WIDTH = 88  # display columns of a wrapped comment line (a Hangul syllable takes two)


class Untranslated(KeyError):
    """Comments or docstrings the table has no translation for (``.texts``)."""

    def __init__(self, texts):
        super().__init__("no translation in the text module's CODE for:\n"
                         + "\n".join(f"  {text!r}" for text in texts))
        self.texts = texts


def words(source):
    """The English texts of ``source`` that a table must translate, in order."""
    return [text for _, _, text, _ in _pieces(source)]


def translate(source, table):
    """``source`` with each comment and docstring replaced by ``table[its text]``."""
    edits, missing = [], []
    for start, end, text, kind in _pieces(source):
        if text not in table:
            missing.append(text)
            continue
        edits.append((start, end, _render(kind, table[text], source, start)))
    if missing:
        raise Untranslated(list(dict.fromkeys(missing)))
    offsets = _line_offsets(source)
    result = source
    for (srow, scol), (erow, ecol), new in sorted(edits, reverse=True):
        result = (result[:offsets[srow] + scol] + new + result[offsets[erow] + ecol:])
    return result


def code_only(source):
    """The code of ``source`` without its comments and docstrings (an AST dump): equal for
    two sources exactly when they differ in comments and docstrings only."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if _docstring(node) is not None:
            node.body[0].value.value = ""
    return ast.dump(tree, include_attributes=False)


def has_words_of_another_language(text):
    """Whether ``text`` is already translated (it has Hangul)."""
    return bool(HANGUL.search(text))


# --------------------------------------------------------------------------- the pieces


def _docstring(node):
    body = getattr(node, "body", None)
    if not isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        return body[0].value
    return None


def _pieces(source):
    """(start, end, English text, kind) of every comment block and docstring to translate;
    start and end are (row, column) as tokenize gives them; kind is "docstring",
    ("block", column) or "inline"."""
    docstrings = {(node.lineno, node.col_offset)
                  for node in map(_docstring, ast.walk(ast.parse(source))) if node is not None}
    lines = source.split("\n")
    pieces, block = [], []

    def close_block():
        if block:
            text = " ".join(token.string[1:].strip() for token in block)
            pieces.append((block[0].start, block[-1].end, text, ("block", block[0].start[1])))
            block.clear()

    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            if token.string.strip() in MARKERS or has_words_of_another_language(token.string):
                close_block()
                continue
            row, col = token.start
            if lines[row - 1][:col].strip():  # after code on the same line
                close_block()
                pieces.append((token.start, token.end, token.string[1:].strip(), "inline"))
            elif block and (block[-1].start[0] == row - 1 and block[-1].start[1] == col):
                block.append(token)
            else:
                close_block()
                block.append(token)
        elif token.type in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
            continue
        else:
            close_block()
            if token.type == tokenize.STRING and token.start in docstrings:
                text = inspect.cleandoc(ast.literal_eval(token.string))
                if not has_words_of_another_language(text):
                    pieces.append((token.start, token.end, text, "docstring"))
    close_block()
    return sorted(pieces)


def _render(kind, text, source, start):
    """The source text that replaces a piece of ``kind`` by ``text``."""
    if kind == "inline":
        return f"# {text}"
    if kind == "docstring":
        indent = " " * start[1]
        first, *rest = text.split("\n")
        if not rest:
            return f'"""{first}"""'
        body = "".join(f"{indent}{line}\n" if line else "\n" for line in rest)
        return f'"""{first}\n{body}{indent}"""'
    indent = " " * kind[1]
    wrapped = _wrap(text, WIDTH - kind[1] - 2)
    return f"\n{indent}".join(f"# {line}" for line in wrapped)


def _width(text):
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _wrap(text, width):
    """``text`` in lines of at most ``width`` display columns, broken at spaces."""
    lines, line = [], ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and _width(candidate) > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines or [""]


def _line_offsets(source):
    """offsets[row]: where line ``row`` (1-based, as tokenize counts) starts in ``source``."""
    offsets, total = [0, 0], 0
    for line in source.split("\n"):
        total += len(line) + 1
        offsets.append(total)
    return offsets

