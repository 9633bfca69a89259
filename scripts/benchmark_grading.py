"""Benchmark: the sandboxed grader against plain ``nbgrader autograde``, same notebooks.

    python scripts/benchmark_grading.py [--quick] [--copies 1] [--no-dask]

Prints figures; asserts nothing (speed targets are read, not tested). The class is the
bundled sample class (9 students: one reference, one untouched release, seven with classic
mistakes) repeated ``--copies`` times, written from the release notebook.

1. ``python -m autograder grade``'s engine with 1 worker, then 2: median seconds per
   submission (each submission's own grading time from its turn, MNIST check included;
   target <= 0.5 s with 1 worker: its sandbox was started while the submission before it
   was graded, so the class's wall time per submission is printed beside it), the same
   for the submissions with a failed layer (target <= 2x), wall time, CPU time (the
   machine's busy time during the run: on a quiet machine, the grading processes and
   their sandboxed workers) and the peak memory of the grading process of each
   submission.
2. The same class on a Dask LocalCluster of 2 single-threaded worker processes (the
   ``--scheduler`` route): wall time, and whether its scores are the local ones.
3. The same notebooks through plain nbgrader autograde in a scratch course: nbgrader's own
   preprocessors (Execute runs every cell in a kernel) and the hidden checks as nbgrader
   courses usually have them, in the notebook's kernel. One command, nbgrader's wall time.
4. The ratios (target: >= 20x plain nbgrader's class throughput with 2 workers), and
   whether both gave every submission the same score.
5. From the measured figures, on paper: wall time and core-hours for 1,000 and 10,000
   submissions on a Dask cluster of N single-threaded workers.

--quick (CI): one copy of the class, plain nbgrader on three of its students (the
reference, the untouched release, one mistake).
"""

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from autograder import course_settings
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


# Students of the sample class whose submission fails a layer (the MNIST check then trains
# with a stand-in for it) and the three plain nbgrader grades in --quick.
FAILED_LAYER = ("cho", "dev", "eun", "fay", "ivy")
QUICK_PLAIN = ("ada", "ben", "cho")


def sandboxed(folder, out, workers, scheduler=None):
    """(rows, wall seconds, CPU seconds the machine was busy meanwhile)."""
    cpu = _busy_cpu()
    start = time.perf_counter()
    rows = batch.grade_batch(find(folder), out, workers=workers, scheduler=scheduler,
                             resume=False, show=False)
    wall = time.perf_counter() - start
    return rows, wall, _busy_cpu() - cpu


def _busy_cpu():
    """CPU seconds the machine has been busy (all cores; Linux's /proc/stat). Not this
    process's children's rusage: a sandboxed worker is killed with its bubblewrap parent,
    which never waits for it, so its time would go uncounted."""
    with open("/proc/stat") as stat:
        user, nice, system, _idle, _iowait, irq, softirq = map(
            int, stat.readline().split()[1:8])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")


def on_dask(folder, out, workers):
    """The class on a LocalCluster of ``workers`` single-threaded processes, each warmed as
    a local grading process is (grade.prepare), timed from the first submission sent."""
    from dask.distributed import Client, LocalCluster

    from autograder.grading import grade

    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        client.run(grade.prepare)
        rows, wall, _ = sandboxed(folder, out, workers, scheduler=cluster.scheduler_address)
    return rows, wall


def agreement(rows, others):
    """'True' when both runs gave every student the same score; else 'False' and, for each
    student who differs, both scores and the reasons, so that the difference can be
    chased."""
    theirs = {row.student: row for row in others}
    differ = [(row, theirs.get(row.student)) for row in rows
              if theirs.get(row.student) is None or theirs[row.student].score != row.score]
    if not differ and len(theirs) == len(rows):
        return "True"
    return "False: " + "; ".join(
        f"{row.student} {row.score} ({row.reason or row.status}) against "
        + (f"{other.score} ({other.reason or other.status})" if other else "no result")
        for row, other in differ)


def student_of(row):
    """The sample student of a row (copies are named ``ada``, ``ada-2``...)."""
    return row.student.split("-")[0]


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
    parser.add_argument("--quick", action="store_true",
                        help="CI: one copy, plain nbgrader on three students")
    parser.add_argument("--copies", type=int, default=None,
                        help="copies of the 9-student sample class (default 2, 1 with --quick)")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask LocalCluster")
    args = parser.parse_args()
    course_settings.load().apply()  # MNIST where the course's settings say, as the kit finds it
    copies = args.copies or (1 if args.quick else 2)

    scratch = Path(tempfile.mkdtemp(prefix="backprop-bench-"))
    try:
        folder = scratch / "class"
        write_class(folder, copies=copies)
        n = len(list(folder.glob("*.ipynb")))
        print(f"class: {n} submissions (the sample class x {copies})")
        batch.grade_batch(find(folder)[:1], scratch / "warm", show=False)  # imports

        one, wall1, cpu1 = sandboxed(folder, scratch / "one", 1)
        per = [row.seconds for row in one]
        median = statistics.median(per)
        print(f"sandboxed, 1 worker:  median {median:.2f} s per submission from its turn "
              f"(min {min(per):.2f}, max {max(per):.2f}; target <= 0.5 s); class "
              f"{wall1:.1f} s = {wall1 / n:.2f} s per submission; CPU {cpu1 / n:.2f} s per "
              "submission (the machine's busy time: grading processes and workers)")
        failed = [row.seconds for row in one if student_of(row) in FAILED_LAYER]
        print(f"  with a failed layer: median {statistics.median(failed):.2f} s "
              f"(max {max(failed):.2f}) = {statistics.median(failed) / median:.1f}x the "
              "median (target <= 2x)")
        peaks = [row.peak_mb for row in one if row.peak_mb is not None]
        print(f"peak grader memory per submission: median {statistics.median(peaks):.0f} MB, "
              f"max {max(peaks):.0f} MB (the grading process, MNIST included; workers apart)")
        two, wall2, cpu2 = sandboxed(folder, scratch / "two", 2)
        print(f"sandboxed, 2 workers: class {wall2:.1f} s = {wall2 / n:.2f} s per submission "
              f"(x{wall1 / wall2:.2f} the 1-worker throughput); CPU {cpu2 / n:.2f} s per "
              "submission (no second worker for an early MNIST run, as on a cluster)")
        ours = {row.student: row.score for row in one}
        print(f"1 and 2 workers agree: {agreement(one, two)}")
        if not args.no_dask:
            dask_rows, dask_wall = on_dask(folder, scratch / "dask", 2)
            print(f"Dask LocalCluster, 2 workers: class {dask_wall:.1f} s = "
                  f"{dask_wall / n:.2f} s per submission; same scores as local: "
                  f"{agreement(one, dask_rows)}")

        plain_folder = folder
        if args.quick:
            plain_folder = scratch / "plain-class"
            plain_folder.mkdir()
            for student in QUICK_PLAIN:
                shutil.copy(folder / f"{student}.ipynb", plain_folder)
        plain_n = len(list(plain_folder.glob("*.ipynb")))
        plain_wall, plain_scores = plain_nbgrader(plain_folder, scratch / "plain-course")
        plain = plain_wall / plain_n
        print(f"plain nbgrader autograde (hidden checks in the kernel): {plain_n} "
              f"submissions {plain_wall:.1f} s = {plain:.2f} s per submission")
        print(f"ratio plain / sandboxed: {plain / median:.1f}x per submission "
              f"(1 worker, medians), {plain / (wall1 / n):.1f}x for the class with 1 worker, "
              f"{plain / (wall2 / n):.1f}x with 2 workers (target >= 20x)")
        same = [s for s in plain_scores if abs(ours[s] - plain_scores[s]) < 1e-9]
        print(f"same scores as plain nbgrader: {len(same)}/{plain_n}"
              + ("" if len(same) == plain_n else "; differ: " + json.dumps(
                  {s: (ours[s], plain_scores[s]) for s in plain_scores if s not in same})))
        print_scaling(cpu2 / n, wall2 / n)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


def print_scaling(cpu, wall):
    """Wall time and core-hours for a large class, on paper: each submission costs ``cpu``
    core-seconds (its grading process and sandboxed worker, graded as a cluster's workers
    grade: no early MNIST run on a spare core); a cluster of N single-threaded workers,
    each on a core of its own, grades N at a time, each in about its CPU time (``wall``,
    measured here with 2 workers on 2 cores, is printed beside it)."""
    print(f"on paper, from these figures ({cpu:.2f} core-s per submission; {wall:.2f} s "
          "wall per submission measured here with 2 workers on 2 cores):")
    for submissions in (1_000, 10_000):
        spans = ", ".join(f"{workers} workers {submissions * cpu / workers / 60:.1f} min"
                          for workers in (2, 16, 64))
        print(f"  {submissions:,} submissions: {submissions * cpu / 3600:.2f} core-hours; "
              f"wall {spans}")


if __name__ == "__main__":
    sys.exit(main())
