"""Does grading on a Dask cluster give exactly the local results?"""

import json
import subprocess
import sys

import pytest

from autograder.demo.sample_class import SAMPLE_CLASS, write_class
from autograder.grading import batch
from autograder.grading.submission import find

pytestmark = pytest.mark.slow


def _comparable(path):
    """A results file without what may differ between two runs: timing, the grading
    process's memory and the worker's uid."""
    results = json.loads(path.read_text(encoding="utf-8"))
    results.pop("execution_time")
    results["extra_data"].pop("isolation")
    results["extra_data"].pop("grader_peak_mb")
    return results


def test_dask_and_local_runs_agree_on_the_sample_class(mnist_dir, tmp_path):
    """Graded by 2 local processes and by a 2-worker LocalCluster (through the command's
    --scheduler), is every results.json the same, score, checks and messages?"""
    from dask.distributed import LocalCluster

    write_class(tmp_path / "class")
    local = batch.grade_batch(find(tmp_path / "class"), tmp_path / "local", workers=2,
                              show=False)
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster:
        run = subprocess.run(
            [sys.executable, "-m", "autograder", "grade", str(tmp_path / "class"), "--json",
             str(tmp_path / "dask"), "--scheduler", cluster.scheduler_address, "-q"],
            capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert f"{len(SAMPLE_CLASS)} submissions (0 already graded, 0 grader errors)" in run.stdout
    assert {row.student for row in local} == {student.id for student in SAMPLE_CLASS}
    for student in SAMPLE_CLASS:
        assert _comparable(tmp_path / "dask" / f"{student.id}.json") == \
            _comparable(tmp_path / "local" / f"{student.id}.json"), student.id
    assert (tmp_path / "dask" / "summary.csv").read_text().splitlines()[0] == \
        (tmp_path / "local" / "summary.csv").read_text().splitlines()[0]
