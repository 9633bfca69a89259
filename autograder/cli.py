"""``python -m autograder`` (also ``backprop-kit``): the course's instructor commands."""

import argparse
import sys

from autograder import authoring


def main(argv=None):
    parser = argparse.ArgumentParser(prog="backprop-kit", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build-source", help="rebuild the nbgrader source notebooks "
                                "from solutions/ (assignments/backprop*, English and Korean)")
    build.add_argument("--check", action="store_true",
                       help="only report whether the committed notebook is up to date")

    demo = commands.add_parser("demo", help="run the instructor pipeline on the sample class")
    demo.add_argument("--course-dir", default=str(authoring.REPO),
                      help="course root to run in (default: this repository)")

    args = parser.parse_args(argv)
    if args.command == "build-source":
        return _build_source(args.check)
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
