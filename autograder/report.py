"""Plain-text reports of part results, for students (notebook output, feedback)."""

import io

from selfcheck.fonts import figure_fonts
from selfcheck.messages import say


def format_part(result, lang=None):
    """A few lines: the part's score, then one line per check (✓ or ✗ with the reason).

    lang: of the titles and words (default: the language of the messages).
    """
    lines = [say("report_points", lang, title=result.part.title_in(lang),
                 score=_points(result.score), max_score=_points(result.max_score))]
    shown = set()  # one cause (a missing class, say) often fails every check: say it once
    for check in result.shown:
        mark = "✓" if check.passed else "✗"
        earned = f"[{_points(check.score)}/{_points(check.check.points)}]"
        line = f"  {mark} {check.check.title_in(lang)} {earned}"
        if not check.passed and check.message:
            line += "\n      " + (say("report_same_reason", lang) if check.message in shown
                                     else check.message)
            shown.add(check.message)
        summary = check.details.get("mnist_summary")
        if summary:
            line += f"\n      {summary}"
        lines.append(line)
    return "\n".join(lines)


def format_results(results):
    """A results.json (Gradescope format) as text: its notes, then one line per check (✓ or
    ✗ with the points) and each distinct failure message once ("see the note above" after
    each of 29 checks would bury the rest)."""
    lines = [f"note: {note}" for note in results["extra_data"]["notes"]]
    printed = set()
    for test in results["tests"]:
        mark = "✓" if test["status"] == "passed" else "✗"
        lines.append(f"  {mark} {test['name']} [{test['score']:g}/{test['max_score']:g}]")
        if test["output"] and test["output"] not in printed:
            lines.append(f"      {test['output']}")
            printed.add(test["output"])
    return "\n".join(lines)


def training_curve(losses, accuracy, title=None, lang=None):
    """A figure of the batch loss, ``losses`` as [iteration, loss] pairs (the grader's
    spot checks), with the test accuracy reached; its words in ``lang`` (default: the
    language of the messages), in a font that has their letters."""
    title = title or say("curve_title", lang)
    # A bare Figure (no pyplot state, no tight_layout): drawn for every graded submission.
    from matplotlib.figure import Figure

    with figure_fonts(lang):  # text takes its font when it is made
        fig = Figure(figsize=(6, 3))
        ax = fig.add_subplot()
        fig.subplots_adjust(left=0.1, right=0.97, bottom=0.17, top=0.88)
        steps, values = zip(*losses, strict=True) if losses else ((), ())
        ax.plot(steps, values, linewidth=0.8, marker=".", markersize=3, color="tab:blue")
        ax.set(xlabel=say("plot_iteration", lang), ylabel=say("plot_batch_loss", lang),
               title=say("curve_with_accuracy", lang, title=title, accuracy=accuracy))
    return fig


def _points(value):
    return f"{value:g}"


def training_curve_png(result, lang=None):
    """The MNIST check's loss curve as PNG bytes (its words in ``lang``), or None for the
    other parts."""
    details = {k: v for check in result.checks for k, v in check.details.items()}
    if "mnist_losses" not in details:
        return None
    fig = training_curve(details["mnist_losses"], details["mnist_accuracy"], lang=lang)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80)
    return buffer.getvalue()
