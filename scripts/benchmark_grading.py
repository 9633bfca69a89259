"""Benchmark: the sandboxed grader against plain ``nbgrader autograde``, same notebooks.

    python scripts/benchmark_grading.py [--copies 1]

Prints figures; asserts nothing (speed targets are read, not tested). The class is the
bundled sample class (9 students: one reference, one untouched release, seven with classic
mistakes) repeated ``--copies`` times, written from the release notebook.

1. ``python -m autograder grade``'s engine with 1 worker, then 2: median seconds per
   submission (each submission's own grading time, MNIST check included), wall time, and
   the peak memory of the grading process of each submission.
2. The same notebooks through plain nbgrader autograde in a scratch course: nbgrader's own
   preprocessors (Execute runs every cell in a kernel) and the hidden checks as nbgrader
   courses usually have them, in the notebook's kernel. One command, nbgrader's wall time.
3. The ratio, and whether both gave every submission the same score.
"""

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from autograder.authoring import build_notebook
from autograder.demo import pipeline
from autograder.demo.sample_class import write_class
from autograder.grading import batch
from autograder.grading.submission import find
from autograder.rubric import RUBRIC

ASSIGNMENT = pipeline.ASSIGNMENT

# The classic nbgrader setup: each hidden-test cell runs the checks in the student's kernel
# and outputs the points (partial credit). What IsolatedAutograde replaces.
IN_KERNEL_CELL = '''
from autograder.runner import run_checks
from autograder.in_process_code import InProcessCode

(_result,) = run_checks(InProcessCode.from_namespace(globals()), ["{part}"])
assert _result.score > 0, "no hidden check passed"
_result.score
'''.strip()

PLAIN_CONFIG = '''
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "backprop-plain"
c.CourseDirectory.root = {root!r}
c.CourseDirectory.source_directory = "source"
c.Execute.timeout = 120
c.Autograde.create_student = True
'''


def sandboxed(folder, out, workers):
    start = time.perf_counter()
    rows = batch.grade_batch(find(folder), out, workers=workers, resume=False,
                             show=False)
    wall = time.perf_counter() - start
    return rows, wall


def plain_nbgrader(folder, course):
    """Wall time of one `nbgrader autograde` over the class, and {student: score}."""
    course.mkdir(parents=True)
    (course / "nbgrader_config.py").write_text(PLAIN_CONFIG.format(root=str(course)))
    nb = build_notebook()
    parts = {part.id for part in RUBRIC}
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") in parts:
            cell.source = IN_KERNEL_CELL.format(part=cell.metadata.nbgrader["grade_id"])
    source = course / "source" / ASSIGNMENT
    source.mkdir(parents=True)
    nbformat.write(nb, source / f"{ASSIGNMENT}.ipynb")
    pipeline.nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    students = []
    for path in sorted(Path(folder).glob("*.ipynb")):
        target = course / "submitted" / path.stem / ASSIGNMENT
        target.mkdir(parents=True)
        shutil.copy(path, target / f"{ASSIGNMENT}.ipynb")
        students.append(path.stem)
    start = time.perf_counter()
    pipeline.nbgrader(course, "autograde", ASSIGNMENT, "--force")
    wall = time.perf_counter() - start
    return wall, _scores(course, students)


def _scores(course, students):
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {student: gradebook.find_submission(ASSIGNMENT, student).score
                for student in students}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=1,
                        help="copies of the 9-student sample class (default 1)")
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="backprop-bench-"))
    try:
        folder = scratch / "class"
        write_class(folder, copies=args.copies)
        n = len(list(folder.glob("*.ipynb")))
        print(f"class: {n} submissions (the sample class x {args.copies})")
        batch.grade_batch(find(folder)[:1], scratch / "warm", show=False)  # imports

        one, wall1 = sandboxed(folder, scratch / "one", 1)
        per = [row.seconds for row in one]
        median = statistics.median(per)
        print(f"sandboxed, 1 worker:  median {median:.2f} s per submission "
              f"(min {min(per):.2f}, max {max(per):.2f}); class {wall1:.1f} s "
              f"= {wall1 / n:.2f} s per submission")
        peaks = [row.peak_mb for row in one if row.peak_mb is not None]
        print(f"peak grader memory per submission: median {statistics.median(peaks):.0f} MB, "
              f"max {max(peaks):.0f} MB (the grading process, MNIST included; workers apart)")
        two, wall2 = sandboxed(folder, scratch / "two", 2)
        print(f"sandboxed, 2 workers: class {wall2:.1f} s = {wall2 / n:.2f} s per submission "
              f"(x{wall1 / wall2:.2f} the 1-worker throughput)")

        plain_wall, plain_scores = plain_nbgrader(folder, scratch / "plain-course")
        print(f"plain nbgrader autograde (hidden checks in the kernel): class "
              f"{plain_wall:.1f} s = {plain_wall / n:.2f} s per submission")
        print(f"ratio plain / sandboxed: {plain_wall / n / median:.1f}x per submission "
              f"(1 worker, medians), {plain_wall / wall1:.1f}x for the class with 1 worker, "
              f"{plain_wall / wall2:.1f}x with 2 workers")
        ours = {row.student: row.score for row in one}
        same = [s for s in ours if abs(ours[s] - plain_scores.get(s, -1)) < 1e-9]
        print(f"same scores as plain nbgrader: {len(same)}/{n}"
              + ("" if len(same) == n else "; differ: " + json.dumps(
                  {s: (ours[s], plain_scores.get(s)) for s in ours if s not in same})))
        twos = {row.student: row.score for row in two}
        print(f"1 and 2 workers agree: {ours == twos}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
