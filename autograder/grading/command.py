"""``python -m autograder grade PATH --json OUT``: the one command (see ``cli.py``)."""

import sys
import time
from pathlib import Path

from autograder import course_settings
from autograder.grading import batch
from autograder.grading.preflight import check_setup
from autograder.grading.submission import find
from autograder.report import format_results
from autograder.results import read_json
from autograder.rubric import TOTAL_POINTS

EXIT_GRADED, EXIT_SOME_FAILED, EXIT_CANNOT_RUN = 0, 1, 2
# Where results go without --json: the current folder, for an instructor the course root
# (this repository, whose .gitignore lists both).
ONE_OUT, MANY_OUT = "results.json", "graded"


def main(args):
    try:
        settings = _settings(args)
        subs = find(args.path)
        if not subs:
            raise RuntimeError(f"no .ipynb files under {args.path}")
        isolation = check_setup(settings)
    except (OSError, RuntimeError) as error:  # SetupError included
        print(f"error: {error}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    print(f"isolation: {isolation.describe()}")
    args.isolation, args.budget = settings.isolation, settings.budget
    if not Path(args.path).is_dir():  # one notebook (or whatever stands in its place)
        return _grade_single(subs[0], Path(args.out or ONE_OUT), args)
    return _grade_many(subs, Path(args.out or MANY_OUT), args)


def _settings(args):
    """The course's settings, with what the command line says instead where it says it."""
    settings = course_settings.load(args.course_dir)
    if args.isolation is not None:
        settings.isolation = args.isolation
    if args.budget is not None:
        settings.budget = args.budget
    return settings


def _grade_single(sub, out, args):
    row = batch.grade_in_child(sub, out, args.isolation, budget=args.budget)
    if row.status == "grader error":
        print(f"error: the grader failed on {sub.path}: {row.reason}", file=sys.stderr)
        return EXIT_SOME_FAILED
    # The grading process (a child, so that no submission can take this one down) hands
    # back only its results file: what is printed is what the instructor gets.
    print(format_results(read_json(out)))
    print(f"{sub.student}: {row.score:g} / {TOTAL_POINTS:g} in {row.seconds:.1f} s "
          f"-> {out}")
    return EXIT_GRADED


def _grade_many(subs, out_dir, args):
    start = time.perf_counter()
    rows = batch.grade_batch(subs, out_dir, workers=args.workers, scheduler=args.scheduler,
                             resume=args.resume, isolation_level=args.isolation,
                             show=not args.quiet, budget=args.budget)
    width = max(len(row.student) for row in rows)
    for row in rows:
        score = "failed" if row.score is None else f"{row.score:g} / {TOTAL_POINTS:g}"
        extra = f"  ({row.status})" if row.status != "graded" else ""
        print(f"  {row.student:<{width}}  {score}{extra}  {row.reason}".rstrip())
    failed = [row for row in rows if row.score is None]
    resumed = sum(row.status == "resumed" for row in rows)
    print(f"{len(rows)} submissions ({resumed} already graded, {len(failed)} grader errors) "
          f"in {time.perf_counter() - start:.1f} s -> {out_dir}/ "
          f"({batch.SUMMARY_NAME} and one .json each)")
    return EXIT_SOME_FAILED if failed else EXIT_GRADED
