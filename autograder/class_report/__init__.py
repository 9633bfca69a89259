"""The class report: what a graded class got right and wrong, for the instructor.

    backprop-kit report COURSE_OR_RESULTS [--out report/] [--lang en|ko]

reads every results.json (:mod:`.reading`), sums them up (:mod:`.summary`: score
distributions per part, the mistakes the grader named ranked by how many students made
them, MNIST accuracies, the students who need help) and writes ``index.html``
(:mod:`.page`, pictures from :mod:`.plots` embedded) and CSV files (:mod:`.spreadsheets`).
What each mistake means is in :mod:`.explanations`, the page's words in :mod:`.words`.
"""

import time
from dataclasses import dataclass
from pathlib import Path

from autograder.results import write_text

PAGE_NAME = "index.html"
DEFAULT_OUT = "report"


@dataclass(frozen=True)
class Written:
    """A report written: its page, its CSV files, the class size and the seconds it took."""

    page: Path
    files: tuple
    students: int
    seconds: float


def write_report(source, out_dir=DEFAULT_OUT, lang="en", assignment=None):
    """Read the results under ``source``, write the report into ``out_dir``; return Written.

    assignment: the name in the page's title (default: the assignment of ``lang``).
    """
    from autograder.class_report import page, spreadsheets
    from autograder.class_report.reading import read_class
    from autograder.class_report.summary import summarize
    from autograder.mnist_check import THRESHOLD
    from selfcheck.assignment import NAMES

    start = time.perf_counter()
    out_dir = Path(out_dir)
    summary = summarize(read_class(source))
    files = spreadsheets.write_all(summary, out_dir, lang)
    html = page.render(summary, lang=lang, assignment=assignment or NAMES[lang],
                       source=Path(source).name or str(source), threshold=THRESHOLD,
                       files=files)
    path = write_text(out_dir / PAGE_NAME, html)
    return Written(path, tuple(files),
                   len(summary.students), time.perf_counter() - start)


def main(args):
    """``backprop-kit report``: write the report; exit status 0, or 2 if nothing to read."""
    from autograder.class_report.reading import NoResults

    try:
        written = write_report(args.source, args.out, args.lang)
    except NoResults as error:
        print(f"report: {error}")
        return 2
    print(f"{written.students} students -> {written.page} (and {', '.join(written.files)}) "
          f"in {written.seconds:.1f} s")
    return 0
