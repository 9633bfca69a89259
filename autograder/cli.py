"""``python -m autograder`` (also ``backprop-kit``): the course's instructor commands."""

import argparse
import os
import sys

from autograder import authoring, sources
from autograder.course_settings import DEFAULT_BUDGET, ISOLATION_LEVELS
from selfcheck.assignment import DEFAULT_LANGUAGE, LANGUAGES


def main(argv=None):
    from autograder.grading.command import MANY_OUT, ONE_OUT

    parser = argparse.ArgumentParser(prog="backprop-kit", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build-source", help="rebuild the nbgrader source notebooks "
                                "from solutions/ (assignments/backprop*, English and Korean)")
    build.add_argument("--check", action="store_true",
                       help="only report whether the committed notebook is up to date")

    demo = commands.add_parser("demo", help="run the instructor pipeline on the sample class")
    demo.add_argument("--course-dir", default=str(sources.REPO),
                      help="course root to run in (default: this repository)")

    grade = commands.add_parser(
        "grade", help="grade submitted notebooks in a sandbox; write Gradescope results.json",
        description="Grade PATH (a notebook, a folder of notebooks, or nbgrader's submitted/ "
                    "tree) with the hidden checks, running student code in a sandboxed "
                    "worker. Exit status: 0 when grading ran (whatever the scores), 1 when "
                    "the grader failed on some submission, 2 when it could not run at all.")
    grade.add_argument("path", help="a .ipynb file, or a folder to search for them")
    grade.add_argument("--json", dest="out", default=None,
                       help=f"results file for one notebook (default {ONE_OUT}), or "
                            f"folder for many (default {MANY_OUT}/): <student>.json + "
                            "summary.csv")
    grade.add_argument("-j", "--workers", type=int, default=os.cpu_count() or 1,
                       help="local grading processes (default: one per core)")
    grade.add_argument("--scheduler", default=None,
                       help="Dask scheduler address (tcp://host:8786): grade on that cluster")
    grade.add_argument("--no-resume", dest="resume", action="store_false",
                       help="regrade submissions whose results are already there")
    grade.add_argument("--course-dir", default=None,
                       help="the course whose nbgrader_config.py holds the settings "
                            "(c.BackpropCourse.*; default: the current folder's, else this "
                            "kit's own)")
    grade.add_argument("--isolation", default=None, choices=ISOLATION_LEVELS,
                       help="sandbox level (default: the course's, else the strongest "
                            "available)")
    grade.add_argument("--budget", type=float, default=None, metavar="SECONDS",
                       help="wall time one submission may take, all its workers together "
                            f"(default: the course's, else {DEFAULT_BUDGET:g}); past it the "
                            "checks not yet graded get 0, with a note")
    grade.add_argument("-q", "--quiet", action="store_true", help="no progress bar")

    report = commands.add_parser(
        "report", help="write the class report (HTML and CSV) from graded results",
        description="Read the results.json files of a graded class (a course root's "
                    "autograded/, or a folder `backprop-kit grade` wrote) and write a report "
                    "for the instructor: score distributions per part, the mistakes ranked by "
                    "how many students made them, MNIST accuracies, the students who need "
                    "help. index.html is self-contained; the CSV files are for spreadsheets.")
    report.add_argument("source", help="a course root, a folder of results files, or one")
    report.add_argument("--out", default="report", help="folder to write into (default report/)")
    report.add_argument("--lang", default=DEFAULT_LANGUAGE, choices=LANGUAGES,
                        help=f"language of the report (default {DEFAULT_LANGUAGE})")

    args = parser.parse_args(argv)
    if args.command == "build-source":
        return _build_source(args.check)
    if args.command == "grade":
        from autograder.grading.command import main as grade_main

        return grade_main(args)
    if args.command == "report":
        from autograder.class_report import main as report_main

        return report_main(args)
    return _demo(args.course_dir)


def _build_source(check):
    if check:
        stale = authoring.stale_notebooks()
        for path in stale:
            print(f"{path} is out of date: run `python -m autograder build-source`")
        if not stale:
            print("up to date")
        return 1 if stale else 0
    for path in authoring.write():
        print(f"wrote {path}")
    return 0


def _demo(course_dir):
    from autograder.demo import pipeline

    try:
        pipeline.run(course_dir)
    except pipeline.PipelineError as error:
        print(f"\nerror: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
