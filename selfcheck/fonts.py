"""Fonts for the figures' text in the assignment's language (Hangul for the Korean edition).

matplotlib's own font, DejaVu Sans, has no Hangul: a Korean title comes out as boxes, with a
"Glyph ... missing from font(s)" warning per character. The Korean edition draws its text in
NanumGothic, from the PyPI package ``koreanize-matplotlib`` (a dependency of the student
distribution) or, failing that, Debian's ``fonts-nanum``. The package is only looked up,
never imported (importing it changes matplotlib's global settings). DejaVu Sans stays in the
family list as the fallback for the symbols NanumGothic lacks (∂, −, ², ...).

    >>> with figure_fonts("ko"):
    ...     fig = Figure(); fig.suptitle("학습 곡선")
"""

import contextlib
import functools
import importlib.util
from pathlib import Path

from selfcheck.messages import language

KOREAN_FAMILY = "NanumGothic"
FALLBACK_FAMILY = "DejaVu Sans"  # matplotlib's default: Latin, Greek, math symbols
# Debian's fonts-nanum (apt-get install fonts-nanum), if the PyPI package is missing.
SYSTEM_FONT_DIRS = ("/usr/share/fonts/truetype/nanum",)


def korean_font_files():
    """The NanumGothic .ttf files available here: koreanize-matplotlib's, else Debian's."""
    spec = importlib.util.find_spec("koreanize_matplotlib")  # found, not imported
    folders = [Path(location) / "fonts" for location in
               (spec.submodule_search_locations or ())] if spec else []
    folders += [Path(folder) for folder in SYSTEM_FONT_DIRS]
    for folder in folders:
        files = sorted(folder.glob(f"{KOREAN_FAMILY}*.ttf"))
        if files:
            return files
    return []


@functools.cache
def register_korean_font():
    """Add NanumGothic to matplotlib's font manager (once); whether it is there."""
    from matplotlib import font_manager

    files = korean_font_files()
    for path in files:
        font_manager.fontManager.addfont(str(path))
    return bool(files)


def font_family(lang=None):
    """The font.family list for text in ``lang`` (default: the notebook's language), or None
    where matplotlib's default font will do (English, or no Korean font installed)."""
    if (lang or language()) == "ko" and register_korean_font():
        return [KOREAN_FAMILY, FALLBACK_FAMILY]
    return None


def figure_fonts(lang=None):
    """A context in which new figures' text uses the fonts of ``lang``.

    Text takes its font when it is made, so make the figure (titles, labels, legend) inside.
    """
    family = font_family(lang)
    if family is None:
        return contextlib.nullcontext()
    import matplotlib

    return matplotlib.rc_context({"font.family": family})
