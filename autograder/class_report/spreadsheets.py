"""The class report's CSV files, for spreadsheets: one row per student, per part, per
mistake, and per student who needs help. Column names are stable (English identifiers);
titles and explanations are in the report's language. Text cells a spreadsheet would take
for a formula are defused, as in the grader's summary.csv (student ids are folder names)."""

import csv
import io

from autograder.class_report.explanations import explain
from autograder.class_report.page import part_title, reasons
from autograder.results import spreadsheet_cell, write_text
from autograder.rubric import RUBRIC, TOTAL_POINTS

FILES = ("students.csv", "parts.csv", "mistakes.csv", "needs_help.csv")


def write_all(summary, out_dir, lang):
    """Write every CSV file of ``summary`` into ``out_dir``; return their names."""
    tables = {"students.csv": students_rows(summary, lang), "parts.csv": parts_rows(summary, lang),
              "mistakes.csv": mistakes_rows(summary, lang),
              "needs_help.csv": needs_help_rows(summary, lang)}
    for name, rows in tables.items():
        write_text(out_dir / name, to_csv(rows))
    return list(tables)


def to_csv(rows):
    """CSV text of ``rows`` (the first is the header), text cells defused."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([spreadsheet_cell(cell) if isinstance(cell, str) else cell for cell in row])
    return buffer.getvalue()


def students_rows(summary, lang):
    """One row per student: total, each part's points, MNIST accuracy, untouched parts,
    mistakes (ids, then titles) and whether they need help."""
    helped = {h.student.id for h in summary.needs_help}
    rows = [["student", "total", "max", *(part.id for part in RUBRIC), "mnist_accuracy",
             "not_written", "mistakes", "mistake_titles", "needs_help"]]
    for s in summary.students:
        rows.append([s.id, f"{s.score:g}", f"{TOTAL_POINTS:g}",
                     *(f"{s.parts.get(part.id, 0.0):g}" for part in RUBRIC),
                     "" if s.mnist_accuracy is None else f"{s.mnist_accuracy:.4f}",
                     " ".join(s.untouched), " ".join(f"{p}:{d}" for p, d in s.mistakes),
                     "; ".join(explain(d, lang)[1] for _, d in s.mistakes),
                     "yes" if s.id in helped else "no"])
    return rows


def parts_rows(summary, lang):
    """One row per part, in notebook order: points, mean, median and how many students got
    full marks, some, none, or did not write it."""
    rows = [["part", "title", "points", "mean", "median", "full", "partial", "zero",
             "not_written"]]
    for o in summary.parts:
        rows.append([o.part.id, part_title(o.part, lang), f"{o.part.points:g}", f"{o.mean:.2f}",
                     f"{o.median:g}", o.full, o.partial, o.zero, o.not_written])
    return rows


def mistakes_rows(summary, lang):
    """One row per mistake, most common first: its part, id, kind, title, how many and
    which students made it, and its explanation."""
    size = len(summary.students) or 1
    rows = [["rank", "part", "part_title", "diagnosis", "kind", "title", "students", "share",
             "explanation", "student_ids"]]
    titles = {o.part.id: part_title(o.part, lang) for o in summary.parts}
    for rank, m in enumerate(summary.mistakes, 1):
        kind, title, text = explain(m.diagnosis, lang)
        rows.append([rank, m.part, titles[m.part], m.diagnosis, kind, title, m.count,
                     f"{m.count / size:.3f}", text, " ".join(m.students)])
    return rows


def needs_help_rows(summary, lang):
    """One row per student who needs help, lowest total first, with the reasons."""
    rows = [["student", "total", "reasons", "fundamental_mistakes", "not_written"]]
    for h in summary.needs_help:
        rows.append([h.student.id, f"{h.student.score:g}", "; ".join(reasons(h, lang)),
                     " ".join(f"{p}:{d}" for p, d in h.fundamental), h.untouched])
    return rows
