"""Do correct submissions written unlike the reference get every point in the sandbox?

The cases (tests/unusual.py) go through one batch with two workers, as a class would: the
worker's values cross the wire (a 0-d array must stay 0-d) and the network runs on the
grader's stand-in layers (which must take what correct code gives them).
"""

import json

import hostile
import pytest
import unusual

from autograder.grading import batch
from autograder.grading.submission import find
from autograder.sandbox import launcher, warm_pool

pytestmark = pytest.mark.slow


def test_every_unusual_but_correct_submission_gets_every_point(mnist_dir, tmp_path,
                                                               monkeypatch):
    """... and, graded by root, do they all run on the batch's warm sandboxes, each lent
    again after each of them (none ended as if it could not be cleaned, and replaced)?"""
    if not launcher.bubblewrap():
        pytest.fail("bubblewrap is not installed (apt-get install bubblewrap)")
    folder = tmp_path / "class"
    folder.mkdir()
    for case in unusual.CASES:
        hostile.write(case, folder)
    out = tmp_path / "graded"
    pools = []
    make_pool = warm_pool.WarmPool
    monkeypatch.setattr(warm_pool, "WarmPool",
                        lambda *args, **kwargs: pools.append(make_pool(*args, **kwargs))
                        or pools[-1])
    rows = batch.grade_batch(find(folder), out, workers=2, isolation_level="bubblewrap",
                             show=False)
    lost = {row.student: _lost(out / f"{row.student}.json") for row in rows
            if row.score != 100}
    assert lost == {}
    assert len(rows) == len(unusual.CASES)
    if warm_pool.usable(launcher.choose("bubblewrap")):
        assert pools[0].started == 4, "warm sandboxes were ended and started again"


def _lost(path):
    """{test name: its message} of the checks that lost points."""
    results = json.loads(path.read_text(encoding="utf-8"))
    return {test["name"]: test.get("output", "")[:300] for test in results["tests"]
            if test.get("score", 0) < test.get("max_score", 0)}
