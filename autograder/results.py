"""Machine-readable results: Gradescope's results.json, one file per submission.

Both routes write the same content: ``backprop-kit grade`` into its output folder, and
nbgrader's autograde (``IsolatedAutograde``) as ``RESULTS_NAME`` beside each graded
notebook. Each test's ``extra_data`` names its part and check and the ids of the mistakes
its message names (``diagnoses``; see :mod:`selfcheck.diagnosis`), which
:mod:`autograder.class_report` counts. Files are written atomically, with the mode a new
file gets from ``open()`` (0666 less the umask), as the feedback HTML has.
"""

import base64
import json
from html import escape
from pathlib import Path

from course_data.files import atomic_write
from selfcheck.messages import say

RESULTS_NAME = "results.json"  # beside each autograded notebook (and its feedback)
MESSAGE_LIMIT = 4000  # characters of one check's message (student text inside is cut too)


def part_payload(result, curve_svg=None, lang=None):
    """A JSON-ready dict of one part's result (a :class:`autograder.runner.PartResult`),
    its titles in ``lang`` (default: the language of the messages); ``curve_svg``: the
    MNIST check's training curve (:mod:`autograder.training_curve`), for that part."""
    details = result.details
    payload = {
        "part": result.part.id,
        "title": result.part.title_in(lang),
        "score": float(result.score),
        "max_score": float(result.max_score),
        "checks": [{"name": c.check.name, "title": c.check.title_in(lang), "passed": c.passed,
                    "score": float(c.score), "max_score": float(c.check.points),
                    "message": c.message[:MESSAGE_LIMIT], "diagnoses": list(c.diagnoses)}
                   for c in result.shown],
    }
    if "mnist_accuracy" in details:
        payload["mnist_accuracy"] = float(details["mnist_accuracy"])
    if curve_svg is not None:
        payload["training_curve_svg"] = curve_svg
    return payload


def gradescope(payloads, execution_time=0.0, notes=(), lang=None):
    """Gradescope's results format for a whole submission, from its parts' payloads.

    notes: messages about the submission as a whole (shown above the parts). lang: of the
    summary's words (default: the language of the messages).
    """
    tests = []
    for payload in payloads:
        for check in payload["checks"]:
            tests.append({
                "name": f"{payload['title']}: {check['title']}",
                "score": check["score"],
                "max_score": check["max_score"],
                "status": "passed" if check["passed"] else "failed",
                "output": check["message"],
                "visibility": "visible",
                "extra_data": _test_data(payload, check),
            })
    return {
        "score": sum(p["score"] for p in payloads),
        "execution_time": round(float(execution_time), 3),
        "output": "\n".join(f"<p>{escape(note)}</p>" for note in notes)
                  + _summary_html(payloads, lang),
        "output_format": "html",
        "tests": tests,
    }


def _test_data(payload, check):
    """What a class report reads of one test: its part and check, the ids of the mistakes
    its message names (stable across languages and wording), and the MNIST accuracy."""
    data = {"part": payload["part"], "check": check["name"],
            "diagnoses": list(check.get("diagnoses", ()))}
    if "mnist_accuracy" in payload:
        data["mnist_accuracy"] = payload["mnist_accuracy"]
    return data


def _summary_html(payloads, lang=None):
    lines = [f"<p>{escape(p['title'])}: {p['score']:g} / {p['max_score']:g}</p>"
             for p in payloads]
    for payload in payloads:
        if "mnist_accuracy" in payload:
            accuracy = say("summary_mnist_accuracy", lang, accuracy=payload["mnist_accuracy"])
            lines.append(f"<p>{escape(accuracy)}</p>")
        if "training_curve_svg" in payload:  # an image: HTML of its own could not hide
            alt = escape(say("summary_curve_alt", lang), quote=True)
            data = base64.b64encode(payload["training_curve_svg"].encode()).decode("ascii")
            lines.append(f"<img alt='{alt}' src='data:image/svg+xml;base64,{data}'/>")
    return "\n".join(lines)


def write_json(path, data):
    """Write ``data`` as JSON to ``path`` atomically (a reader never sees half a file)."""
    return write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def spreadsheet_cell(text):
    """``text`` as a spreadsheet shows it, never runs it: a leading ``'`` before what would
    start a formula (OWASP's rule for CSV injection). Every CSV the kit writes puts its
    text cells through this (student ids are folder names: anyone's)."""
    return f"'{text}" if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def read_json(path):
    """The JSON in the file at ``path`` (results this kit wrote)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def write_text(path, text):
    """Write ``text`` (UTF-8) to ``path`` atomically, with the mode ``open()`` gives a new
    file (see :func:`course_data.files.atomic_write`); its folder is made if need be."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return atomic_write(path, lambda file: file.write(text.encode("utf-8")))
