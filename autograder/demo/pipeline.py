"""The instructor pipeline on the sample class, with real nbgrader commands.

    generate_assignment -> (sample submissions) -> autograde -> generate_feedback -> export

then prints the class's grade table from nbgrader's gradebook. ``make demo`` runs it in the
repository (the course root); tests run it in a scratch copy of the course.
"""

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from autograder import authoring, course_settings
from autograder.class_report import write_report
from autograder.course_settings import CONFIG_NAME
from autograder.demo.sample_class import SAMPLE_CLASS, answers_of, submission
from autograder.grading.preflight import SetupError, check_setup
from autograder.rubric import RUBRIC
from autograder.sources import REPO
from selfcheck import assignment

ASSIGNMENT = assignment.NAMES[assignment.DEFAULT_LANGUAGE]
TIMESTAMP = "2026-11-27 12:00:00.000000 UTC"
LARGE_CLASS_SIZE = 200
_FAILED_STUDENT = re.compile(r"There was an error processing assignment '.*' for student '(.*)'")


class PipelineError(RuntimeError):
    """An nbgrader step failed; the message holds the command and its output's tail."""


def prepare_course(course_dir):
    """Make ``course_dir`` a course root: this repo's nbgrader_config.py and assignments/.

    The repository itself already is one; any other folder gets copies, its settings
    naming the MNIST folder this process uses (the kit's default is relative to the kit).
    """
    course_dir = Path(course_dir).resolve()
    if course_dir != REPO:
        course_dir.mkdir(parents=True, exist_ok=True)
        config = (REPO / CONFIG_NAME).read_text(encoding="utf-8")
        (course_dir / CONFIG_NAME).write_text(config + _mnist_setting(), encoding="utf-8")
        shutil.copytree(REPO / assignment.SOURCE_DIRECTORY,
                        course_dir / assignment.SOURCE_DIRECTORY, dirs_exist_ok=True)
    return course_dir


def _mnist_setting():
    """The config line naming the MNIST folder the kit's own settings lead to ("" if none
    does: the copy keeps the kit's line, and the setup check names it)."""
    from course_data import MnistError, find_mnist

    course_settings.load(REPO).apply()
    try:
        folder = find_mnist(download=False)
    except MnistError:
        return ""
    return ("\n# This copy's MNIST (written by prepare_course):\n"
            f"c.BackpropCourse.mnist_dir = {str(folder)!r}\n")


def nbgrader(course_dir, *args, log=None, on_line=None):
    """Run one nbgrader command in ``course_dir``; return its combined output.

    on_line: called with each line of output as it comes (to show progress).
    """
    bin_dir = str(Path(sys.executable).parent)  # nbgrader runs `alembic` from PATH
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    command = [sys.executable, "-m", "nbgrader", *args]
    lines = []
    with subprocess.Popen(command, cwd=course_dir, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True) as process:
        for line in process.stdout:
            lines.append(line)
            if on_line is not None:
                on_line(line)
    output = "".join(lines)
    if log is not None:
        log.write(f"$ nbgrader {' '.join(args)}\n{output}\n")
    if process.returncode != 0:
        raise PipelineError(f"`nbgrader {' '.join(args)}` failed ({process.returncode}):\n"
                            f"{output[-3000:]}")
    return output


def autograde_with_progress(course_dir, students, log=None, show=True):
    """`nbgrader autograde` for the whole class, with a bar: done, total, failures, ETA.

    nbgrader logs "Autograding .../<student>/..." as it starts each notebook and "There was
    an error processing assignment '<a>' for student '<student>'" when one fails; the bar
    follows those lines, and any other line (whatever its form) leaves it as it is.
    """
    from tqdm import tqdm

    bar = tqdm(total=len(students), desc="autograde", unit="notebook", disable=not show,
               bar_format="{desc}: {n_fmt}/{total_fmt} |{bar:20}| {elapsed}<{remaining}"
                          "{postfix}")
    started, failed = [], set()

    def follow(line):
        if "] Autograding " in line:
            if started:
                bar.update(1)
            started.append(line)
        elif match := _FAILED_STUDENT.search(line):
            failed.add(match.group(1))
            bar.set_postfix_str(f" failures: {len(failed)}")

    try:
        nbgrader(course_dir, "autograde", ASSIGNMENT, "--force", log=log, on_line=follow)
        bar.update(len(students) - bar.n)
    finally:
        bar.close()


def write_submissions(course_dir, students=SAMPLE_CLASS):
    """Write each sample student's notebook into submitted/<id>/<assignment>/."""
    release = course_dir / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    for student in students:
        folder = course_dir / "submitted" / student.id / ASSIGNMENT
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(submission(release, answers_of(student)),
                       folder / f"{ASSIGNMENT}.ipynb")
        (folder / "timestamp.txt").write_text(TIMESTAMP)


def grade_table(course_dir, students=SAMPLE_CLASS):
    """{student id: {part id: score}} from the gradebook."""
    url = f"sqlite:///{course_dir / 'gradebook.db'}"
    table = {}
    with Gradebook(url) as gradebook:
        for student in students:
            nb = gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, student.id)
            table[student.id] = {grade.name: grade.score for grade in nb.grades}
    return table


def format_table(table, students=SAMPLE_CLASS):
    """The grade table as text: one row per student, one column per part."""
    header = f"{'student':8s}" + "".join(f"{p.spec.label:>7s}" for p in RUBRIC) + \
        f"{'total':>7s}  story"
    maximum = f"{'(max)':8s}" + "".join(f"{p.points:7g}" for p in RUBRIC) + \
        f"{sum(p.points for p in RUBRIC):7g}"
    lines = [header, maximum]
    for student in students:
        scores = table[student.id]
        row = f"{student.id:8s}" + "".join(f"{scores[p.id]:7g}" for p in RUBRIC)
        lines.append(row + f"{sum(scores.values()):7g}  {student.story}")
    return "\n".join(lines)


def large_class_report(course_dir, isolation):
    """The generated class of 200 (:mod:`autograder.demo.large_class`): its results from the
    real grader (class-of-200/, one results file per student) and its report (report-200/)."""
    from autograder.demo.large_class import generate
    from autograder.demo.large_class_results import write_class_results

    settings = course_settings.load(course_dir)
    settings.apply()  # the MNIST folder, for the grading done in this process
    write_class_results(generate(LARGE_CLASS_SIZE), course_dir / "class-of-200",
                        isolation=isolation, budget=settings.budget)
    write_report(course_dir / "class-of-200", course_dir / "report-200")


def run(course_dir=REPO, echo=print):
    """The whole pipeline; returns the grade table. Re-running it is idempotent."""
    if not authoring.is_up_to_date():
        raise PipelineError("assignments/backprop/backprop.ipynb is out of date with "
                            "solutions/: run `python -m autograder build-source`.")
    course_dir = prepare_course(course_dir)
    try:
        isolation = check_setup(course_settings.load(course_dir))
    except SetupError as error:
        raise PipelineError(str(error)) from None
    echo(f"isolation: {isolation.describe()}")
    log_path = course_dir / "pipeline.log"
    with open(log_path, "w", encoding="utf-8") as log:
        steps = [
            ("generate the release", lambda: nbgrader(
                course_dir, "generate_assignment", ASSIGNMENT, "--force", log=log)),
            (f"write {len(SAMPLE_CLASS)} sample submissions",
             lambda: write_submissions(course_dir)),
            ("autograde", lambda: autograde_with_progress(
                course_dir, SAMPLE_CLASS, log=log, show=echo is print)),
            ("generate feedback", lambda: nbgrader(
                course_dir, "generate_feedback", ASSIGNMENT, "--force", log=log)),
            ("export grades.csv", lambda: nbgrader(
                course_dir, "export", "--to", "grades.csv", log=log)),
            ("write the class report (report/)", lambda: write_report(
                course_dir, course_dir / "report")),
            (f"a class of {LARGE_CLASS_SIZE}: grade its distinct answers, write its report "
             "(report-200/)", lambda: large_class_report(course_dir, isolation)),
        ]
        for title, step in steps:
            start = time.perf_counter()
            echo(f"• {title} ...", flush=True)
            step()
            echo(f"  done in {time.perf_counter() - start:.1f} s")
    table = grade_table(course_dir)
    echo("\n" + format_table(table))
    echo(f"\nrelease/, autograded/, feedback/ (HTML and results.json), gradebook.db, "
         f"grades.csv and the class reports (report/, report-200/: index.html and CSV files) "
         f"are in {course_dir}"
         f"\nnbgrader's output: {log_path}")
    return table
