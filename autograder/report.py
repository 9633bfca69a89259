"""Plain-text reports of part results, for students (notebook output, feedback)."""


def format_part(result):
    """A few lines: the part's score, then one line per check (✓ or ✗ with the reason)."""
    lines = [f"{result.part.title}: {_points(result.score)} / {_points(result.max_score)} points"]
    shown = set()  # one cause (a missing class, say) often fails every check: say it once
    for check in result.checks:
        mark = "✓" if check.passed else "✗"
        earned = f"[{_points(check.score)}/{_points(check.check.points)}]"
        line = f"  {mark} {check.check.title} {earned}"
        if not check.passed and check.message:
            line += "\n      " + ("(same reason)" if check.message in shown else check.message)
            shown.add(check.message)
        summary = check.details.get("mnist_summary")
        if summary:
            line += f"\n      {summary}"
        lines.append(line)
    return "\n".join(lines)


def _points(value):
    return f"{value:g}"
