"""Grade one submission: rebuild its program, run it in a sandboxed worker, run the hidden
checks against it from this (trusted) process, and produce Gradescope-format results.

    >>> graded = grade_file("submitted/ada/backprop/backprop.ipynb")
    >>> graded.results["score"], graded.results["tests"][0]["status"]

Nothing the student's code does can stop this function from returning a result: broken
files, wrong assignments, crashes, hangs, forged replies and cheats all end as scores and
messages, within the submission's time budget. Only a broken grader (no MNIST data, say)
raises :class:`~autograder.runner.GraderError`.
"""

import contextlib
import dataclasses
import functools
import os
import shutil
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from threadpoolctl import ThreadpoolController

from autograder import mnist_check, mnist_data, training_curve
from autograder.course_settings import DEFAULT_BUDGET
from autograder.grading import submission as submissions
from autograder.reference_layers import NetworkStandIns
from autograder.results import gradescope, part_payload
from autograder.rubric import RUBRIC
from autograder.runner import CheckResult, GraderError, PartResult, run_checks
from autograder.sandbox import launcher, processes
from autograder.sandbox.sandboxed_code import SandboxedCode
from autograder.sandbox.session import Budget, Session
from selfcheck.assignment import GRADIENT_PARTS, NAMES
from selfcheck.messages import say, speaking

GRADER_VERSION = "6"  # bump when a change to the checks or the rubric changes grades
DATA_VERSION = "mnist-npy-v1"  # the workers' copy of MNIST: uint8 images, labels


@dataclass
class Graded:
    """One graded submission: per-part results (every part failed, with the reason, for a
    file that could not be graded), the Gradescope results dict (what results.json holds)
    and the MNIST check's training curve as SVG text (None: the check did not train)."""

    parts: list
    results: dict
    curve_svg: str | None = None

    @property
    def score(self):
        return self.results["score"]


def grade_file(path, *, student=None, assignment=None, isolation=None, overlap=True,
               budget=DEFAULT_BUDGET):
    """Grade the notebook at ``path`` (see :func:`grade_notebook`)."""
    start = time.perf_counter()
    path = Path(path)
    try:
        nb, digest = submissions.read(path)
    except submissions.NotANotebook as error:
        graded = ungraded(str(error), origin=path, student=student, assignment=assignment,
                          isolation=isolation or default_isolation(), start=start)
        graded.results["extra_data"]["sha256"] = getattr(error, "sha256", None)
        return graded
    return grade_notebook(nb, student=student or path.stem, assignment=assignment,
                          isolation=isolation, sha256=digest, origin=str(path), start=start,
                          overlap=overlap, budget=budget)


def start_ahead(path, *, assignment=None, isolation=None, overlap=True):
    """Start now the sandbox that ``grade_file(path)`` with these settings will run in: a
    batch's grading process does this while the submission before it is graded, so that
    the sandbox's start (~0.2 s) is over when its turn comes. Nothing of the student's
    runs before then. A file that is not a notebook needs no sandbox (one started before
    is ended); one that cannot start is left for the grade to report."""
    isolation = isolation or default_isolation()
    try:
        nb, _ = submissions.read(Path(path), again=True)
        Session.start_ahead(isolation=isolation, data_dir=worker_data_dir(), spare=overlap,
                            language=submissions.language_of(nb, assignment))
    except submissions.NotANotebook:
        processes.discard_ahead()
    except OSError:
        pass


def grade_notebook(nb, *, student="", assignment=None, isolation=None, sha256=None,
                   origin="", start=None, overlap=True, budget=DEFAULT_BUDGET):
    """Grade a submitted notebook (a NotebookNode) in a sandboxed worker; return Graded.

    isolation: a :class:`autograder.sandbox.launcher.Isolation` (default: the strongest
    this machine allows).
    overlap: start the MNIST training in a second worker while the gradient checks run
    (faster for one submission; a batch that already keeps every core busy turns it off,
    as a guess that turns out wrong costs a second run). The results are the same.
    budget: seconds of wall time for the whole submission (None: no limit). When it runs
    out the workers are killed; the checks graded by then keep their results, the others
    get 0, and a note says so.
    """
    start = time.perf_counter() if start is None else start
    isolation = isolation or default_isolation()
    language = submissions.language_of(nb, assignment)
    try:
        program = submissions.build_program(nb, language)
    except submissions.NotANotebook as error:
        graded = ungraded(str(error), origin=origin, student=student, assignment=assignment,
                          isolation=isolation, start=start, language=language)
        graded.results["extra_data"]["sha256"] = sha256
        return graded
    budget = Budget(budget)
    try:
        with speaking(language), one_blas_thread():
            parts, notes, output, restarts = _run(program, isolation, budget, overlap)
    finally:
        budget.cancel()
    notes = program.notes + notes
    if budget.expired:
        notes.append(say("budget_note", language, seconds=budget.seconds))
    parts, notes, causes = said_once(parts, notes, language)
    curves = {part.part.id: training_curve.of_result(part, language) for part in parts}
    payloads = [part_payload(part, curves[part.part.id], language) for part in parts]
    results = gradescope(payloads, time.perf_counter() - start, notes=notes, lang=language)
    results["extra_data"] = _extra(student, assignment, language, sha256, origin, isolation,
                                   notes=notes, causes=causes, restarts=restarts,
                                   output=output)
    return Graded(parts, results, next(filter(None, curves.values()), None))


def _run(program, isolation, budget, overlap):
    """(parts, notes, the student's output, worker restarts) of one program's checks.

    Anything that goes wrong here but a grader setup error is contained: it ends grading
    of this notebook with a note, never the grader.
    """
    session = Session(program.cells, isolation=isolation, data_dir=worker_data_dir(),
                      language=program.language, budget=budget, spare=overlap)
    with session:
        code = SandboxedCode(
            session, stand_ins=NetworkStandIns,
            data_dir=launcher.data_dir_inside(isolation, worker_data_dir()),
            cell_of=program.cell_of, missing_cells=program.missing, train_here=not overlap)
        try:
            if overlap:  # its worker (forked with this one's) runs while this one checks
                code.start_training(mnist_check.CHECK_RUN)
            session.run_cells()
            notes = _cell_notes(session, program)
            parts = run_checks(code, None)
        except GraderError:
            raise
        except Exception as error:  # noqa: BLE001 (a submission must never fail the grader)
            reason = f"{type(error).__name__}: {str(error)[:200]}"
            parts, notes = _all_failed(say("grading_stopped", reason=reason)), []
        finally:
            code.close()
        return parts, notes, session.output, session.restarts


def _cell_notes(session, program):
    """A note for each answer cell that raised (the checks say what went missing)."""
    from autograder.sandbox.session import StudentRaised
    from selfcheck.expect import student_line
    from selfcheck.messages import say

    notes = []
    answers = set(program.cell_of.values())
    for cell, error in session.cell_errors.items():
        if cell not in answers:
            continue
        if isinstance(error, StudentRaised):
            nothing_ran = isinstance(error, SyntaxError)  # IndentationError too
            notes.append(say("cell_failed" if nothing_ran else "cell_raised", cell=cell,
                             error_type=error.type_name, error=error,
                             where=student_line(error)))
        else:
            notes.append(str(error))
    return list(dict.fromkeys(notes))  # one cause that stops several cells: said once


def _all_failed(message):
    return [PartResult(part, [CheckResult(check, False, message) for check in part.checks])
            for part in RUBRIC]


def said_once(parts, notes, language=None):
    """(parts, notes, causes): a failure message that checks of two or more parts share has
    one cause for the whole notebook (not a notebook, a worker that cannot run, the budget
    spent before the checks): it is added to ``notes`` (once) and each check that said it
    says "see the note above" instead. Said by all 29 checks, it would bury the rest of
    the results; a message of one part's checks names that part, and stays."""
    parts_saying = {}
    for part in parts:
        for check in part.checks:
            if not check.passed and check.message:
                parts_saying.setdefault(check.message, set()).add(part.part.id)
    causes = [message for message, said_by in parts_saying.items() if len(said_by) > 1]
    pointer = say("see_note", language)
    parts = [PartResult(part.part, [
        dataclasses.replace(check, message=pointer)
        if not check.passed and check.message in causes else check for check in part.checks])
        for part in parts]
    return parts, list(dict.fromkeys([*notes, *causes])), causes


def ungraded(message, *, origin, student, assignment, isolation, start=None, language=None):
    """Results for a submission that could not be graded at all: every check 0, and the
    reason, once. isolation: the sandbox it would have run in, or None when nothing ran.
    language: of the messages, when the notebook tells it."""
    start = time.perf_counter() if start is None else start
    parts, notes, causes = said_once(_all_failed(message), [], language)
    results = gradescope([part_payload(p, lang=language) for p in parts],
                         time.perf_counter() - start, notes=notes, lang=language)
    results["extra_data"] = _extra(student, assignment, None, None, str(origin), isolation,
                                   notes=notes, causes=causes)
    return Graded(parts, results)


def _extra(student, assignment, language, sha256, origin, isolation, *, notes, causes,
           restarts=0, output=""):
    return {"student": student, "assignment": assignment, "language": language,
            "submission": origin, "sha256": sha256, "grader_version": GRADER_VERSION,
            "isolation": isolation.describe() if isolation else None, "notes": list(notes),
            "causes": list(causes), "worker_restarts": restarts,
            "student_output": output[:4000]}


# -- the pieces the worker needs, made once per grading process ---------------------------
def isolation_for(level="auto"):
    """The Isolation for ``level`` ("auto", "bubblewrap", "user", "process"), chosen once
    per process: a worker's uid depends on the grading process (see launcher.choose), and
    a forked grading process chooses its own (the parent's, inherited, would be shared by
    every submission graded at the same time: one process limit, one kill)."""
    return _isolation_of(level, os.getpid())


@functools.cache
def _isolation_of(level, _pid):
    return launcher.choose(level)


def default_isolation():
    return isolation_for("auto")


@functools.cache
def worker_data_dir():
    """MNIST as .npy files for the workers (mounted read-only, memory-mapped), made once per
    machine and user in ``$TMPDIR/backprop-kit-<uid>/`` (readable by a sandbox user)."""
    base = Path(tempfile.gettempdir()) / f"backprop-kit-{os.getuid()}"
    base.mkdir(mode=0o755, exist_ok=True)
    info = base.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o022:
        raise GraderError(f"{base} is not a private folder of this user: remove it")
    folder = base / DATA_VERSION
    if not (folder / "complete").exists():
        fresh = Path(tempfile.mkdtemp(dir=base, prefix=".mnist-"))
        mnist_data.write_worker_data(fresh)
        (fresh / "complete").touch()
        fresh.chmod(0o755)
        for file in fresh.iterdir():
            file.chmod(0o644)
        try:
            fresh.rename(folder)  # atomic: another grader may have won the race
        except OSError:
            shutil.rmtree(fresh, ignore_errors=True)
    return folder


def one_blas_thread():
    """A context in which BLAS runs one thread: the checks' matrices are small, and threads
    would contend with each other and with the worker. When BLAS already runs one (set by
    :func:`prepare` in the process that forks grading processes), nothing is set: in a
    forked process, setting OpenBLAS's thread count, even to the one it has, restarts its
    thread pool, whose new thread then spins ~0.1 s of CPU before it sleeps (a fifth of a
    submission's CPU on the 2-core machine)."""
    if all(lib["num_threads"] == 1 for lib in _blas().info()):
        return contextlib.nullcontext()
    return _blas().limit(limits=1)


@functools.cache
def _blas():
    """The BLAS libraries loaded (numpy's, imported with this module's imports), looked up
    once per process and inherited by its forks."""
    return ThreadpoolController().select(user_api="blas")


@functools.cache
def prepare():
    """Load what every grade needs in this process, so that grading processes forked from
    it start warm and share one copy: MNIST and the workers' copy of it, the hidden checks
    themselves, run once on the reference (their modules imported, the reference's
    numerical gradients for the hidden inputs computed and cached), the reference's MNIST
    run, verified (one BLAS thread, as a worker runs it: see mnist_check.reference_run),
    the source notebooks and nbformat's validator. A forked process that pays none of this
    grades a notebook ~0.3 s faster than the first grade of a fresh one."""
    import gc

    from autograder.in_process_code import InProcessCode

    mnist_data.training_set()
    mnist_data.held_out_images(mnist_check.DTYPE)
    worker_data_dir()
    for language in NAMES:
        submissions.source_cells(language)
    submissions.warm_validator()
    # One BLAS thread from now on, for this process and those forked from it (which
    # inherit the controller too): see one_blas_thread.
    _blas().limit(limits=1)
    run_checks(InProcessCode.from_module("solutions"), GRADIENT_PARTS)
    mnist_check.reference_run()
    # What is loaded now lives as long as the process: out of the garbage collector's
    # sight, a forked grading process neither scans it nor copies its pages by scanning.
    gc.collect()
    gc.freeze()
