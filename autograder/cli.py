"""``python -m autograder`` (also ``backprop-kit``): the course's instructor commands."""

import argparse
import sys

from autograder import authoring


def main(argv=None):
    parser = argparse.ArgumentParser(prog="backprop-kit", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build-source", help="rebuild the nbgrader source notebook "
                                "from solutions/ (assignments/backprop/backprop.ipynb)")
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
        ok = authoring.is_up_to_date()
        print("up to date" if ok else f"{authoring.SOURCE_NOTEBOOK} is out of date: "
              "run `python -m autograder build-source`")
        return 0 if ok else 1
    print(f"wrote {authoring.write()}")
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
