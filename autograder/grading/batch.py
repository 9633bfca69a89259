"""Grade many submissions: local grading processes or a Dask cluster, resumable.

Each submission's results are written, atomically, as soon as it is graded, by the process
that graded it; a batch that is interrupted keeps them, and the next run skips every
submission whose results file already records the same notebook bytes (sha256) and grader
version. Locally every submission is graded in a process of its own
(:mod:`autograder.grading.supervisor`): one that is killed (out of memory, say) or runs past
its wall limit is graded once more in a fresh process, and if that one dies too, the
submission gets a results file saying so. One submission's failure never touches another's
results. The summary CSV is rebuilt from the rows at the end, or when the batch is
interrupted, from those it has.
"""

import contextlib
import csv
import dataclasses
import functools
import hashlib
import io
import os
import resource
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from autograder.course_settings import DEFAULT_BUDGET
from autograder.grading import grade as grading
from autograder.grading import submission as submissions
from autograder.grading import supervisor
from autograder.results import read_json, spreadsheet_cell, write_json, write_text
from autograder.rubric import RUBRIC, TOTAL_POINTS
from autograder.sandbox import warm_pool
from selfcheck.messages import say

SUMMARY_NAME = "summary.csv"
GRACE_SECONDS = 60.0  # how long a grading process may run past its submission's budget
KEY_BYTES = 150  # of a results file's name: room left for a hash and ".json" in 255


@dataclass
class Row:
    """One submission in the summary."""

    key: str  # file name of its results, without .json
    submission: str  # its path relative to the folder graded
    student: str
    score: float | None  # None: the grader failed on it (see error)
    parts: dict  # part id -> points
    seconds: float
    status: str  # "graded", "resumed", "grader error"
    reason: str = ""  # one line: why it got what it got (always given for a 0 or an error)
    peak_mb: float | None = None  # the grading process's peak resident memory


def result_keys(subs):
    """A results file name (without .json) for each of ``subs``, in order: the student id,
    or the relative path when ids repeat, made file-name safe. Names that would then clash
    (also as a case-insensitive file system compares them: "x y" and "x_y", "Ada" and "ada")
    get a short hash of the submission's relative path, so keys are unique and the same on
    every run of the same submissions (resume finds its files)."""
    students = Counter(sub.student for sub in subs)
    bases = [_safe(sub.student) if students[sub.student] == 1 else
             _safe("__".join(sub.path.with_suffix("").parts[-3:])) for sub in subs]
    keys = bases
    for length in (8, 64):  # the full hash, should a short one still clash
        clashing = _clashing(keys)
        keys = [f"{bases[i]}-{_digest(sub.relative)[:length]}" if i in clashing else keys[i]
                for i, sub in enumerate(subs)]
    return keys


def _safe(name):
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)
    return safe.encode("utf-8")[:KEY_BYTES].decode("utf-8", "ignore")


def _clashing(keys):
    """Indices of the keys that name the same file as another on some file system."""
    folded = [unicodedata.normalize("NFKD", key).casefold() for key in keys]
    counts = Counter(folded)
    return {i for i, key in enumerate(folded) if counts[key] > 1}


def _digest(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def grade_one(sub, out_path, isolation_level="auto", overlap=True, *,
              budget=DEFAULT_BUDGET):
    """Grade ``sub`` and write its results to ``out_path``; return its Row.

    Runs in a grading process (a local one of its own, or a Dask worker). Any grader
    exception is caught and reported in the Row and the results file: the batch goes on.
    budget: seconds its grading may take (see :func:`grade_batch`).
    """
    start = time.perf_counter()
    try:
        isolation = grading.isolation_for(isolation_level)
        graded = grading.grade_file(sub.path, student=sub.student, assignment=sub.assignment,
                                    isolation=isolation, overlap=overlap, budget=budget)
        graded.results["extra_data"]["grader_peak_mb"] = peak_mb()
        write_json(out_path, graded.results)
        return _row(out_path, sub, graded.results, "graded")
    except Exception as error:  # a grader bug on one file must not stop the class
        row = _failed(sub, out_path, f"an error in the grader ({type(error).__name__})",
                      f"{type(error).__name__}: {error}")
        return dataclasses.replace(row, seconds=time.perf_counter() - start)


def peak_mb():
    """This process's peak resident memory so far, in MB: its address space's high-water
    mark (VmHWM). Not getrusage's ru_maxrss, which a process keeps across fork and exec:
    a grading process forked from a batch (or started by a test runner) of 1.7 GB would
    report 1.7 GB whatever it used."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)  # in kB
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _row(out_path, sub, results, status):
    return Row(Path(out_path).stem, sub.relative, sub.student, float(results["score"]),
               _points_by_part(results), float(results.get("execution_time", 0.0)), status,
               _reason(results), peak_mb=results["extra_data"].get("grader_peak_mb"))


def _points_by_part(results):
    """{part id: points earned} of a results file, from each test's ``extra_data.part``.

    Not from a test's name: that titles the part in the notebook's language ("MNIST 학습:
    ..." in a Korean one). A results file without part ids raises KeyError (on resume:
    graded again, see :func:`already_graded`).
    """
    points = {}
    for test in results["tests"]:
        part = test["extra_data"]["part"]
        points[part] = points.get(part, 0.0) + float(test["score"])
    return points


def _reason(results):
    """One line for the summary: the cause that failed the whole notebook (not a notebook,
    another assignment's, a worker that could not run: the results' ``causes``), else
    "no check passed" for a 0 earned check by check, else nothing."""
    causes = results["extra_data"].get("causes", [])
    if causes:
        return " ".join(" ".join(causes).split())  # a student's error text may hold lines
    return "no check passed" if float(results["score"]) == 0 else ""


def _failed(sub, out_path, reason, error):
    """The Row of a submission the grader failed on, after writing its results file: every
    check 0 and a note saying why, so the student's file tells what happened (no sha256:
    the next run grades it again). reason: for the student; error: for the instructor (the
    Row's reason)."""
    note = say("grader_failed", reason=reason)
    graded = grading.ungraded(note, origin=sub.path, student=sub.student,
                              assignment=sub.assignment, isolation=None)
    write_json(out_path, graded.results)
    return Row(Path(out_path).stem, sub.relative, sub.student, None, {}, 0.0, "grader error",
               error)


def already_graded(sub, out_path):
    """The Row from an existing results file for the very same bytes, or None."""
    try:
        results = read_json(out_path)
        extra = results["extra_data"]
        digest = hashlib.sha256(submissions.read_bytes(sub.path)).hexdigest()
        if extra.get("sha256") == digest and extra.get("grader_version") == \
                grading.GRADER_VERSION:
            return _row(out_path, sub, results, "resumed")
    except (OSError, ValueError, KeyError, TypeError):  # NotANotebook is a ValueError
        pass
    return None


def grade_batch(subs, out_dir, *, workers=1, scheduler=None, resume=True,
                isolation_level="auto", show=True, budget=DEFAULT_BUDGET):
    """Grade ``subs`` into ``out_dir`` (one ``<key>.json`` each, plus summary.csv).

    workers: local grading processes. scheduler: a Dask scheduler address (then ``workers``
    is ignored: the cluster's workers grade). budget: seconds one submission's grading may
    take; a local grading process still running ``GRACE_SECONDS`` after that is killed.
    Returns the Rows, in ``subs`` order. summary.csv is written even when the batch is
    interrupted (an exception, Ctrl-C), with the submissions graded until then.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {id(sub): out_dir / f"{key}.json"
             for sub, key in zip(subs, result_keys(subs), strict=True)}
    rows, todo = {}, []
    for sub in subs:
        previous = already_graded(sub, paths[id(sub)]) if resume else None
        if previous is not None:
            rows[id(sub)] = previous
        else:
            todo.append(sub)
    bar = _progress(len(subs), len(subs) - len(todo), show)
    run = _run_dask if scheduler else _run_local
    graded = run([(sub, paths[id(sub)]) for sub in todo], workers, scheduler, isolation_level,
                 budget)
    try:
        for sub, row in graded:
            rows[id(sub)] = row
            bar.update(1)
            failures = sum(r.status == "grader error" for r in rows.values())
            bar.set_postfix_str(f"failures {failures}" if failures else "")
    finally:
        graded.close()
        bar.close()
        write_summary(out_dir / SUMMARY_NAME, [rows[id(sub)] for sub in subs if id(sub) in rows])
    return [rows[id(sub)] for sub in subs]


def grade_in_child(sub, out_path, isolation_level="auto", *, budget=DEFAULT_BUDGET):
    """:func:`grade_one` in a grading process of its own, as a batch grades: a process that
    dies or overruns costs a retry, then a results file saying so (status "grader error")."""
    ((_, row),) = _run_local([(sub, out_path)], 1, None, isolation_level, budget)
    return row


def _run_local(jobs, workers, _scheduler, isolation_level, budget):
    """Each submission in a forked process of its own, ``workers`` at a time."""
    if not jobs:
        return
    # Each submission may use a second core for its MNIST training, when there is one.
    overlap = workers < (os.cpu_count() or 1)
    grading.prepare()  # forked grading processes inherit MNIST and the workers' copy of it
    work = functools.partial(_grade_job, isolation_level=isolation_level,
                             overlap=overlap, budget=budget)
    ahead = functools.partial(_start_ahead, isolation_level=isolation_level, overlap=overlap)
    # Sandboxes started once and lent to one submission after another: one per grading
    # process that may hold one at a time (those running and those forked ahead).
    pool = warm_pool.WarmPool(grading.isolation_for(isolation_level), grading.worker_data_dir(),
                              size=2 * workers if len(jobs) > 1 else 0)
    ended = supervisor.run(jobs, work, workers=workers, limit=budget + GRACE_SECONDS,
                           ahead=ahead, before_fork=pool.refresh)
    with pool, contextlib.closing(ended):
        for (sub, out_path), result, deaths in ended:
            if result is None:
                what = _times(deaths)
                yield sub, _failed(sub, out_path, f"its process {what}",
                                   f"the grader's process {what}")
            else:
                yield sub, Row(**result)


def _start_ahead(job, *, isolation_level, overlap):
    """In the grading process forked for ``job`` before its turn: its sandbox, started."""
    sub, _ = job
    grading.start_ahead(sub.path, assignment=sub.assignment, overlap=overlap,
                        isolation=grading.isolation_for(isolation_level))


def _grade_job(job, *, isolation_level, overlap, budget):
    """grade_one's Row as JSON, in the grading process forked for this one submission."""
    sub, out_path = job
    return dataclasses.asdict(grade_one(sub, out_path, isolation_level, overlap,
                                        budget=budget))


def _times(deaths):
    """"was killed (SIGKILL) twice", or each way it ended, in order."""
    if len(deaths) == 2 and deaths[0] == deaths[1]:
        return f"{deaths[0]} twice"
    return ", then ".join(deaths)


def _run_dask(jobs, _workers, scheduler, isolation_level, budget):
    from dask.distributed import Client
    from dask.distributed import as_completed as dask_completed

    with Client(scheduler) as client:
        # Dask workers usually fill their machine's cores already: no overlap.
        futures = {client.submit(_grade_on_dask, sub, str(out_path), isolation_level,
                                 budget=budget, pure=False,
                                 key=f"grade-{out_path.stem}-{time.time_ns()}"): (sub, out_path)
                   for sub, out_path in jobs}
        for future in dask_completed(futures):
            sub, out_path = futures[future]
            try:
                row = future.result()
            except Exception as error:  # KilledWorker (its workers kept dying), lost, ...
                name = type(error).__name__
                row = _failed(sub, out_path, f"its Dask task failed ({name})",
                              f"the Dask task failed: {name}: {error}")
            yield sub, row


def _grade_on_dask(sub, out_path, isolation_level, *, budget):
    """grade_one in a Dask worker process, on a warm sandbox of the worker's own pool."""
    warm_pool.of_this_process(grading.isolation_for(isolation_level),
                              grading.worker_data_dir())
    return grade_one(sub, out_path, isolation_level, False, budget=budget)


def _progress(total, done, show):
    from tqdm import tqdm

    return tqdm(total=total, initial=done, desc="grading", unit="submission", disable=not show,
                bar_format="{desc}: {n_fmt}/{total_fmt} |{bar:20}| {elapsed}<{remaining}"
                           " {postfix}")


def write_summary(path, rows):
    """summary.csv: one line per submission (where it is, its results file, score, the
    points of each part, seconds, peak memory, status, and why it got 0 or was not graded),
    atomic. Text cells are defused against formula injection: a student names their
    folder."""
    # A part's column is named by its id, as in the class report's students.csv: the same
    # whatever the notebook's language, and what Row.parts is keyed by.
    part_ids = [part.id for part in RUBRIC]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["student", "submission", "results", "score", "max_score", *part_ids,
                     "seconds", "peak_mb", "status", "reason"])
    for row in rows:
        score = "" if row.score is None else f"{row.score:g}"
        writer.writerow([spreadsheet_cell(row.student), spreadsheet_cell(row.submission),
                         spreadsheet_cell(f"{row.key}.json"),
                         score, f"{TOTAL_POINTS:g}",
                         *(f"{row.parts.get(part_id, 0):g}" if row.score is not None else ""
                           for part_id in part_ids),
                         f"{row.seconds:.2f}", "" if row.peak_mb is None else f"{row.peak_mb:g}",
                         spreadsheet_cell(row.status), spreadsheet_cell(row.reason)])
    return write_text(path, buffer.getvalue())
