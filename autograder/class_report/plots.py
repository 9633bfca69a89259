"""The class report's pictures, as self-contained ``data:`` URIs of SVG.

Drawn on bare matplotlib Figures (the Agg canvas, no pyplot state). Text stays text in the
SVG (``svg.fonttype: none``), so the browser draws Korean labels with its own fonts and
the page needs no font of matplotlib's.
"""

import base64
import io
import warnings

import matplotlib
from matplotlib.figure import Figure

from autograder.class_report.explanations import explain
from autograder.class_report.words import word

OUTCOME_COLORS = ("#2e7d32", "#f9a825", "#c62828", "#9e9e9e")  # full, partial, zero, none
BAR_COLOR = "#1565c0"
MOST_MISTAKES_DRAWN = 15


def svg_uri(fig):
    """The figure as a ``data:image/svg+xml;base64,...`` URI."""
    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "class-report"}), \
            warnings.catch_warnings():
        # Only the layout measures text with matplotlib's font; the browser draws it.
        warnings.filterwarnings("ignore", "Glyph .* missing from font", UserWarning)
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def part_outcomes(outcomes, lang, title_of):
    """One horizontal bar per part (notebook order, top to bottom): how many students got
    full marks, some points, 0 though they wrote it, and nothing written (or not run)."""
    fig = Figure(figsize=(7.5, 0.42 * len(outcomes) + 1.3))
    ax = fig.add_subplot()
    labels = [title_of(o.part) for o in outcomes][::-1]
    rows = [(o.full, o.partial, o.zero, o.not_written) for o in outcomes][::-1]
    names = [word("full", lang), word("partial", lang), word("zero", lang),
             f"{word('not_written', lang)} / {word('not_run', lang)}"]
    left = [0] * len(rows)
    for k, (name, color) in enumerate(zip(names, OUTCOME_COLORS, strict=True)):
        widths = [row[k] for row in rows]
        ax.barh(labels, widths, left=left, color=color, label=name, height=0.7)
        for y, (x0, width) in enumerate(zip(left, widths, strict=True)):
            if width:
                ax.text(x0 + width / 2, y, str(width), ha="center", va="center",
                        fontsize=8, color="white")
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_xlabel(word("students_axis", lang))
    ax.set_xlim(0, max(left) if left and max(left) else 1)
    ax.legend(ncols=4, loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False,
              fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    fig.subplots_adjust(left=0.27, right=0.97, bottom=0.6 / fig.get_figheight() + 0.05,
                        top=1 - 0.55 / fig.get_figheight())
    return svg_uri(fig)


def total_histogram(totals, max_points, lang):
    """Histogram of the total scores, in bins of a tenth of the points."""
    step = max_points / 10
    fig, ax = _histogram(totals, [step * k for k in range(11)], word("total_axis", lang), lang)
    ax.set_xlim(0, max_points)
    return svg_uri(fig)


def _histogram(values, bins, xlabel, lang, value_range=None):
    """A small histogram of ``values`` over students: (figure, axes), to add to."""
    fig = Figure(figsize=(6, 2.8))
    ax = fig.add_subplot()
    ax.hist(values, bins=bins, range=value_range, color=BAR_COLOR, edgecolor="white")
    ax.set(xlabel=xlabel, ylabel=word("students_axis", lang))
    ax.spines[["top", "right"]].set_visible(False)
    fig.subplots_adjust(left=0.11, right=0.97, bottom=0.18, top=0.95)
    return fig, ax


def mistakes_chart(mistakes, lang, title_of_part):
    """The most common mistakes as horizontal bars (most common on top), each labelled
    with its title and part, and its count."""
    shown = mistakes[:MOST_MISTAKES_DRAWN][::-1]
    fig = Figure(figsize=(7.5, 0.36 * len(shown) + 0.9))
    ax = fig.add_subplot()
    labels = [f"{explain(m.diagnosis, lang)[1]} ({title_of_part(m.part)})" for m in shown]
    counts = [m.count for m in shown]
    ax.barh(range(len(shown)), counts, color=BAR_COLOR, height=0.7)
    ax.set_yticks(range(len(shown)), labels, fontsize=8)
    for y, count in enumerate(counts):
        ax.text(count, y, f" {count}", va="center", fontsize=8)
    ax.set_xlabel(word("students_axis", lang))
    ax.set_xlim(0, max(counts + [1]) * 1.12)
    ax.spines[["top", "right"]].set_visible(False)
    fig.subplots_adjust(left=0.5, right=0.97, bottom=0.5 / fig.get_figheight() + 0.04,
                        top=1 - 0.15 / fig.get_figheight())
    return svg_uri(fig)


def mnist_histogram(accuracies, threshold, lang):
    """Histogram of the MNIST test accuracies, with the pass threshold marked."""
    low = min([threshold - 0.05, *accuracies])
    fig, ax = _histogram(accuracies, 30, word("accuracy_axis", lang), lang, (low, 1.0))
    ax.axvline(threshold, color=OUTCOME_COLORS[2], linestyle="--",
               label=f"{word('threshold', lang)} {threshold:.2f}")
    ax.legend(frameon=False, fontsize=8, loc="upper left")
    return svg_uri(fig)
