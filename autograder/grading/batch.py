"""Grade many submissions: local worker processes or a Dask cluster, resumable.

Each submission's results are written, atomically, as soon as it is graded, by the process
that graded it; a batch that is interrupted keeps them, and the next run skips every
submission whose results file already records the same notebook bytes (sha256) and grader
version. One submission's failure never touches another's results. The summary CSV is
rebuilt from all results files at the end.
"""

import csv
import hashlib
import io
import os
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from autograder.grading import grade as grading
from autograder.results import write_json, write_text
from autograder.rubric import RUBRIC, TOTAL_POINTS

SUMMARY_NAME = "summary.csv"


@dataclass
class Row:
    """One submission in the summary."""

    key: str  # file name of its results, without .json
    student: str
    score: float | None  # None: the grader failed on it (see error)
    parts: dict  # part id -> points
    seconds: float
    status: str  # "graded", "resumed", "grader error"
    error: str = ""


def result_key(sub, all_subs):
    """A file-name-safe key: the student id, or the relative path when ids repeat."""
    students = [s.student for s in all_subs]
    if students.count(sub.student) == 1:
        return _safe(sub.student)
    return _safe("__".join(sub.path.with_suffix("").parts[-3:]))


def _safe(name):
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in name)[:150]


def grade_one(sub, out_path, isolation_level="auto", overlap=True):
    """Grade ``sub`` and write its results to ``out_path``; return its Row.

    Runs in a worker process (local pool or Dask). Any grader exception is caught and
    reported in the Row: the batch goes on.
    """
    start = time.perf_counter()
    try:
        isolation = grading.isolation_for(isolation_level)
        graded = grading.grade_file(sub.path, student=sub.student, assignment=sub.assignment,
                                    isolation=isolation, overlap=overlap)
        write_json(out_path, graded.results)
        return _row(Path(out_path).stem, sub.student, graded.results, "graded")
    except Exception as error:  # a grader bug on one file must not stop the class
        return Row(Path(out_path).stem, sub.student, None, {}, time.perf_counter() - start,
                   "grader error", f"{type(error).__name__}: {error}")


def _row(key, student, results, status):
    parts = {}
    for test in results["tests"]:
        title = test["name"].split(": ", 1)[0]
        parts[title] = parts.get(title, 0.0) + float(test["score"])
    return Row(key, student, float(results["score"]), parts,
               float(results.get("execution_time", 0.0)), status)


def already_graded(sub, out_path):
    """The Row from an existing results file for the very same bytes, or None."""
    try:
        import json

        results = json.loads(Path(out_path).read_text(encoding="utf-8"))
        extra = results["extra_data"]
        digest = hashlib.sha256(sub.path.read_bytes()).hexdigest()
        if extra.get("sha256") == digest and extra.get("grader_version") == \
                grading.GRADER_VERSION:
            return _row(Path(out_path).stem, sub.student, results, "resumed")
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return None


def grade_batch(subs, out_dir, *, workers=1, scheduler=None, resume=True,
                isolation_level="auto", show=True):
    """Grade ``subs`` into ``out_dir`` (one ``<key>.json`` each, plus summary.csv).

    workers: local grading processes. scheduler: a Dask scheduler address (then ``workers``
    is ignored: the cluster's workers grade). Returns the Rows, in ``subs`` order.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    keys = {id(sub): result_key(sub, subs) for sub in subs}
    rows, todo = {}, []
    for sub in subs:
        previous = already_graded(sub, out_dir / f"{keys[id(sub)]}.json") if resume else None
        if previous is not None:
            rows[id(sub)] = previous
        else:
            todo.append(sub)
    bar = _progress(len(subs), len(subs) - len(todo), show)
    jobs = [(sub, out_dir / f"{keys[id(sub)]}.json") for sub in todo]
    run = _run_dask if scheduler else _run_local
    for sub, row in run(jobs, workers, scheduler, isolation_level):
        rows[id(sub)] = row
        bar.update(1)
        failures = sum(r.status == "grader error" for r in rows.values())
        bar.set_postfix_str(f"failures {failures}" if failures else "")
    bar.close()
    ordered = [rows[id(sub)] for sub in subs]
    write_summary(out_dir / SUMMARY_NAME, ordered)
    return ordered


def _run_local(jobs, workers, _scheduler, isolation_level):
    # Each submission may use a second core for its MNIST training, when there is one.
    overlap = workers < (os.cpu_count() or 1)
    if workers <= 1:
        for sub, out_path in jobs:
            yield sub, grade_one(sub, out_path, isolation_level, overlap)
        return
    grading.prepare()  # forked grading processes inherit MNIST and the workers' copy of it
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(grade_one, sub, out_path, isolation_level, overlap): sub
                   for sub, out_path in jobs}
        for future in as_completed(futures):
            yield futures[future], future.result()


def _run_dask(jobs, _workers, scheduler, isolation_level):
    from dask.distributed import Client
    from dask.distributed import as_completed as dask_completed

    with Client(scheduler) as client:
        # Dask workers usually fill their machine's cores already: no overlap.
        futures = {client.submit(grade_one, sub, str(out_path), isolation_level, False,
                                 pure=False,
                                 key=f"grade-{out_path.stem}-{time.time_ns()}"): sub
                   for sub, out_path in jobs}
        for future in dask_completed(futures):
            yield futures[future], future.result()


def _progress(total, done, show):
    from tqdm import tqdm

    return tqdm(total=total, initial=done, desc="grading", unit="submission", disable=not show,
                bar_format="{desc}: {n_fmt}/{total_fmt} |{bar:20}| {elapsed}<{remaining}"
                           " {postfix}")


def write_summary(path, rows):
    """summary.csv: one line per submission (score, each part, seconds, status), atomic."""
    titles = [part.title for part in RUBRIC]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["student", "results", "score", "max_score", *titles, "seconds",
                     "status", "error"])
    for row in rows:
        score = "" if row.score is None else f"{row.score:g}"
        writer.writerow([row.student, f"{row.key}.json", score, f"{TOTAL_POINTS:g}",
                         *(f"{row.parts.get(t, 0):g}" if row.score is not None else ""
                           for t in titles),
                         f"{row.seconds:.2f}", row.status, row.error])
    return write_text(path, buffer.getvalue())
