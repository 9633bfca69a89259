"""Grading for the backprop course: hidden checks, rubric, sandbox, nbgrader plumbing.

Never released to students. Its modules, one concern each, are mapped in README.md
("What is where"), the one place the layout is described.
"""

import sys

# Startup time. nbformat imports jsonschema, whose format checkers import rfc3987_syntax
# when it is installed (jupyter-events asks for jsonschema[format-nongpl]), and that module
# builds a Lark grammar as it is imported: ~2.5 s in every fresh Python process that reads
# a notebook (the one command, a Dask worker, a test run). Nothing here needs it: nbformat
# validates notebooks without a format checker, so its "iri" formats are never consulted.
# Where jsonschema is not imported yet, it is imported as if rfc3987_syntax were absent
# (jsonschema's own fallback: those two formats go unchecked). A process that imported
# jsonschema before (nbgrader, Jupyter) keeps it as it is.
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)
