"""The class report as one self-contained HTML page (styles inline, pictures as ``data:``
URIs): scores per part, the mistakes ranked, MNIST accuracy, the students who need help."""

import statistics
from html import escape

from autograder.class_report import plots
from autograder.class_report.explanations import FUNDAMENTAL, explain
from autograder.class_report.summary import FUNDAMENTAL_MISTAKES, LOW_SHARE
from autograder.class_report.words import word
from autograder.rubric import TOTAL_POINTS
from selfcheck.assignment import TRAINING

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 68em; color: #222;
       line-height: 1.45; padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.92em; }
th, td { border: 1px solid #ddd; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } td.n { text-align: right; white-space: nowrap; }
.lead { color: #555; } .tag { font-size: 0.8em; background: #ffe0b2; border-radius: 3px;
       padding: 0 0.3em; white-space: nowrap; }
.warn { background: #fff3cd; padding: 0.5em 1em; border-left: 4px solid #f0ad4e; }
details { font-size: 0.9em; color: #555; } img { max-width: 100%; }
nav a { margin-right: 1em; }
"""


def part_title(part, lang):
    """What the report calls a part: the method the student wrote, or the training run."""
    return word("training_part", lang) if part.spec.role == TRAINING else part.title


def render(summary, *, lang, assignment, source, threshold, files=()):
    """The page's HTML for ``summary`` (a ClassSummary) in ``lang``.

    threshold: the MNIST accuracy a network must reach; files: the CSV files written beside
    the page (names), linked at the end.
    """
    sections = [
        _header(summary, lang, assignment, source),
        _scores(summary, lang),
        _mistakes(summary, lang),
        _mnist(summary, lang, threshold),
        _needs_help(summary, lang),
        _files(files, lang),
    ]
    title = escape(word("title", lang, assignment=assignment))
    return (f"<!DOCTYPE html>\n<html lang='{lang}'><head><meta charset='utf-8'>"
            f"<title>{title}</title><style>{STYLE}</style></head><body>\n"
            + "\n".join(sections) + "\n</body></html>\n")


def _header(summary, lang, assignment, source):
    totals = summary.totals or [0.0]
    html = [f"<h1>{escape(word('title', lang, assignment=assignment))}</h1>",
            "<p class='lead'>" + escape(word(
                "intro", lang, students=len(summary.students), mean=statistics.fmean(totals),
                max=TOTAL_POINTS, median=statistics.median(totals), source=source)) + "</p>"]
    if summary.without_ids:
        html.append(f"<p class='warn'>{escape(word('no_ids', lang, count=summary.without_ids))}"
                    "</p>")
    links = [("scores", "scores"), ("mistakes", "mistakes"), ("mnist", "mnist"),
             ("help", "help")]
    html.append("<nav>" + "".join(f"<a href='#{anchor}'>{escape(word(key, lang))}</a>"
                                  for anchor, key in links) + "</nav>")
    return "\n".join(html)


def _scores(summary, lang):
    rows = []
    for outcome in summary.parts:
        rows.append("<tr>" + f"<td>{escape(part_title(outcome.part, lang))}</td>"
                    + "".join(f"<td class='n'>{value}</td>" for value in (
                        f"{outcome.part.points:g}", f"{outcome.mean:.1f}", f"{outcome.median:g}",
                        outcome.full, outcome.partial, outcome.zero, outcome.not_written))
                    + "</tr>")
    heads = ["part", "points", "mean", "median", "full", "partial", "zero", "not_written"]
    return "\n".join([
        f"<h2 id='scores'>{escape(word('scores', lang))}</h2>",
        f"<p class='lead'>{escape(word('scores_lead', lang))}</p>",
        f"<h3>{escape(word('total_histogram', lang))}</h3>",
        _image(plots.total_histogram(summary.totals, TOTAL_POINTS, lang),
               word("total_histogram", lang)),
        f"<h3>{escape(word('part_outcomes', lang))}</h3>",
        _image(plots.part_outcomes(summary.parts, lang, lambda p: part_title(p, lang)),
               word("part_outcomes", lang)),
        _table(heads, rows, lang, table_id="parts-table"),
    ])


def _mistakes(summary, lang):
    html = [f"<h2 id='mistakes'>{escape(word('mistakes', lang))}</h2>",
            f"<p class='lead'>{escape(word('mistakes_lead', lang))}</p>"]
    if not summary.mistakes:
        return "\n".join([*html, f"<p>{escape(word('no_mistakes', lang))}</p>"])
    titles = {p.part.id: part_title(p.part, lang) for p in summary.parts}
    html.append(_image(plots.mistakes_chart(summary.mistakes, lang, lambda pid: titles[pid]),
                       word("mistakes_chart", lang)))
    size = len(summary.students)
    rows = []
    for rank, mistake in enumerate(summary.mistakes, 1):
        kind, title, text = explain(mistake.diagnosis, lang)
        tag = f" <span class='tag'>{escape(word('fundamental', lang))}</span>" \
            if kind in FUNDAMENTAL else ""
        who = ", ".join(escape(s) for s in mistake.students)
        rows.append(
            f"<tr data-diagnosis='{escape(mistake.diagnosis)}'><td class='n'>{rank}</td>"
            f"<td><b>{escape(title)}</b>{tag}</td><td>{escape(titles[mistake.part])}</td>"
            f"<td class='n count'>{mistake.count}</td>"
            f"<td class='n'>{mistake.count / size:.0%}</td>"
            f"<td>{escape(text)}<details><summary>{escape(word('who', lang))}</summary>"
            f"{who}</details></td></tr>")
    heads = ["rank", "mistake", "part", "students", "share", "what_to_teach"]
    html.append(_table(heads, rows, lang, table_id="mistakes-table"))
    return "\n".join(html)


def _mnist(summary, lang, threshold):
    accuracies = summary.mnist_accuracies
    html = [f"<h2 id='mnist'>{escape(word('mnist', lang))}</h2>",
            "<p class='lead'>" + escape(word(
                "mnist_lead", lang, threshold=threshold, ran=len(accuracies),
                passed=sum(a >= threshold for a in accuracies),
                not_run=summary.mnist_not_run)) + "</p>"]
    if accuracies:
        html.append(_image(plots.mnist_histogram(accuracies, threshold, lang),
                           word("mnist", lang)))
    else:
        html.append(f"<p>{escape(word('no_mnist', lang))}</p>")
    return "\n".join(html)


def _needs_help(summary, lang):
    html = [f"<h2 id='help'>{escape(word('help', lang))}</h2>",
            "<p class='lead'>" + escape(word("help_lead", lang, low=LOW_SHARE,
                                             fundamental=FUNDAMENTAL_MISTAKES)) + "</p>"]
    if not summary.needs_help:
        return "\n".join([*html, f"<p>{escape(word('nobody_needs_help', lang))}</p>"])
    titles = {p.part.id: part_title(p.part, lang) for p in summary.parts}
    rows = []
    for helped in summary.needs_help:
        mistakes = "; ".join(f"{explain(d, lang)[1]} ({titles[p]})"
                             for p, d in helped.student.mistakes)
        rows.append(f"<tr><td>{escape(helped.student.id)}</td>"
                    f"<td class='n'>{helped.student.score:g}</td>"
                    f"<td>{escape(', '.join(reasons(helped, lang)))}</td>"
                    f"<td>{escape(mistakes)}</td></tr>")
    heads = ["student", "total", "why", "mistakes"]
    html.append(_table(heads, rows, lang, table_id="help-table"))
    return "\n".join(html)


def reasons(helped, lang):
    """Why a student needs help, as short phrases in ``lang``."""
    said = []
    if helped.low_score:
        said.append(word("reason_low", lang))
    if len(helped.fundamental) >= FUNDAMENTAL_MISTAKES:
        said.append(word("reason_fundamental", lang, count=len(helped.fundamental)))
    if helped.untouched:
        said.append(word("reason_untouched", lang, count=helped.untouched))
    return said


def _files(files, lang):
    if not files:
        return ""
    links = "".join(f"<li><a href='{escape(name)}'>{escape(name)}</a></li>" for name in files)
    return f"<h2>{escape(word('files', lang))}</h2><ul>{links}</ul>"


def _table(heads, rows, lang, table_id):
    head = "".join(f"<th>{escape(word(h, lang))}</th>" for h in heads)
    return f"<table id='{table_id}'><thead><tr>{head}</tr></thead><tbody>" + "\n".join(rows) \
        + "</tbody></table>"


def _image(uri, alt):
    return f"<img src='{uri}' alt='{escape(alt)}'>"
