"""The MNIST check's training curve: the batch loss at the grader's spot checks, as SVG.

Drawn for every graded submission, so it is written out by hand (a plotting library took
a tenth of a second per submission and ~50 MB of the grading process), and its words are
text for the viewer to set (a browser, JupyterLab, nbconvert's HTML): the viewer's fonts
have the student's letters, Hangul included, whatever fonts the grading machine has.

    >>> svg([[1, 2.30], [100, 0.41], [200, 0.33]], 0.9139)[:39]
    "<svg xmlns='http://www.w3.org/2000/svg'"
"""

import math
from html import escape

from selfcheck.messages import say

WIDTH, HEIGHT = 480, 240  # pixels, as the picture is shown
LEFT, RIGHT, TOP, BOTTOM = 56, 14, 30, 42  # margins: tick labels and axis titles
TICKS = 5  # about this many ticks on each axis
LINE = "#1f77b4"  # the blue of most plots
FONT = "font-family='sans-serif'"  # 11 px unless set: the svg element's font-size


def svg(losses, accuracy, title=None, lang=None):
    """The curve of ``losses`` ([iteration, loss] pairs, in order) as an SVG document
    (text), titled with the test ``accuracy`` reached; its words in ``lang`` (default: the
    language of the messages). An empty run draws empty axes."""
    title = say("curve_with_accuracy", lang, title=title or say("curve_title", lang),
                accuracy=accuracy)
    steps = [float(step) for step, _ in losses]
    values = [float(value) for _, value in losses]
    x_ticks = nice_ticks(max(steps, default=1.0))
    y_ticks = nice_ticks(max(values, default=1.0))
    x = _scale(x_ticks[-1], LEFT, WIDTH - RIGHT)
    y = _scale(y_ticks[-1], HEIGHT - BOTTOM, TOP)
    points = " ".join(f"{x(s):.1f},{y(v):.1f}" for s, v in zip(steps, values, strict=True))
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{WIDTH}' height='{HEIGHT}' "
        f"viewBox='0 0 {WIDTH} {HEIGHT}' font-size='11'>",
        f"<rect width='{WIDTH}' height='{HEIGHT}' fill='white'/>",
        f"<text x='{WIDTH / 2}' y='18' text-anchor='middle' {FONT} font-size='12.5'>"
        f"{escape(title)}</text>",
        *_axis_x(x_ticks, x), *_axis_y(y_ticks, y),
        f"<rect x='{LEFT}' y='{TOP}' width='{WIDTH - LEFT - RIGHT}' "
        f"height='{HEIGHT - TOP - BOTTOM}' fill='none' stroke='black' stroke-width='0.8'/>",
        f"<polyline points='{points}' fill='none' stroke='{LINE}' stroke-width='1'/>",
        *(f"<circle cx='{x(s):.1f}' cy='{y(v):.1f}' r='1.6' fill='{LINE}'/>"
          for s, v in zip(steps, values, strict=True)),
        f"<text x='{(LEFT + WIDTH - RIGHT) / 2}' y='{HEIGHT - 6}' text-anchor='middle' "
        f"{FONT}>{escape(say('plot_iteration', lang))}</text>",
        f"<text transform='translate(14 {(TOP + HEIGHT - BOTTOM) / 2}) rotate(-90)' "
        f"text-anchor='middle' {FONT}>{escape(say('plot_batch_loss', lang))}</text>",
        "</svg>",
    ]
    return "\n".join(parts)


def of_result(result, lang=None):
    """The curve of the MNIST check's result (an :class:`autograder.runner.PartResult`) as
    SVG text, or None for the other parts (and an MNIST check that did not train)."""
    details = result.details
    if "mnist_losses" not in details:
        return None
    return svg(details["mnist_losses"], details["mnist_accuracy"], lang=lang)


def nice_ticks(top):
    """Ticks 0, step, 2 step... up to the first at or above ``top`` (> 0 and finite, else
    1), the step 1, 2 or 5 times a power of ten: what a reader counts in."""
    top = top if math.isfinite(top) and top > 0 else 1.0
    rough = top / TICKS
    power = 10 ** math.floor(math.log10(rough))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= rough)
    count = math.ceil(top / step - 1e-9)
    return [i * step for i in range(count + 1)]


def _scale(top, start, end):
    """Data 0..top to pixels start..end."""
    return lambda value: start + (end - start) * value / top


def _axis_x(ticks, x):
    bottom = HEIGHT - BOTTOM
    return [f"<line x1='{x(t):.1f}' y1='{bottom}' x2='{x(t):.1f}' y2='{bottom + 4}' "
            f"stroke='black' stroke-width='0.8'/><text x='{x(t):.1f}' y='{bottom + 15}' "
            f"text-anchor='middle' {FONT}>{_label(t)}</text>" for t in ticks]


def _axis_y(ticks, y):
    return [f"<line x1='{LEFT - 4}' y1='{y(t):.1f}' x2='{LEFT}' y2='{y(t):.1f}' "
            f"stroke='black' stroke-width='0.8'/><text x='{LEFT - 7}' y='{y(t) + 4:.1f}' "
            f"text-anchor='end' {FONT}>{_label(t)}</text>" for t in ticks]


def _label(value):
    """A tick's number as people write it: 200, 0.5, 1.5 (no 0.30000000000000004)."""
    return f"{float(f'{value:.12g}'):g}"
