"""Plain-text reports of part results, for students (notebook output, feedback)."""

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
            line += "\n" + _indented(say("report_same_reason", lang)
                                     if check.message in shown else check.message)
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
    lines = ["note: " + _indented(note).lstrip() for note in results["extra_data"]["notes"]]
    printed = set()
    for test in results["tests"]:
        mark = "✓" if test["status"] == "passed" else "✗"
        lines.append(f"  {mark} {test['name']} [{test['score']:g}/{test['max_score']:g}]")
        if test["output"] and test["output"] not in printed:
            lines.append(_indented(test["output"]))
            printed.add(test["output"])
    return "\n".join(lines)


def _indented(message, margin="      "):
    """``message`` under a line of the report, every line of it indented: a message quotes
    the student's text, whose line breaks must not start lines that look like the report's
    own (a forged "✓ ... [10/10]")."""
    return "\n".join(margin + "| " * (i > 0) + line
                     for i, line in enumerate(message.split("\n")))


def _points(value):
    return f"{value:g}"
