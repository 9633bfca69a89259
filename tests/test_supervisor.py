"""Does the supervisor run each job in a child process of its own, bring its result back,
and contain every death to its job: a child killed by a signal or past its limit runs once
more, then is reported dead with how; the children still running are killed whatever ends
the parent's loop? (Tiny ``work`` functions: each test takes well under a second.)"""

import os
import signal
import time

import pytest

from autograder.grading import supervisor


def _ended(pid):
    """Whether process ``pid`` is gone (reaped, not a zombie)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _wait_for(paths, seconds=2.0):
    """Until every file of ``paths`` has been written (a pid, in one write: a file that
    exists but is still empty has been created and not yet written)."""
    deadline = time.monotonic() + seconds
    while not all(path.exists() and path.stat().st_size for path in paths):
        assert time.monotonic() < deadline, f"never written: {paths}"
        time.sleep(0.01)


def test_results_come_back_from_the_children():
    """Does every job's result come back, as the JSON value ``work`` returned in a process
    that is not the parent's, with no deaths?"""
    parent = os.getpid()

    def work(job):
        return {"square": job * job, "pid": os.getpid(), "list": [job, None, "x"]}

    ended = list(supervisor.run([1, 2, 3], work, workers=2, limit=5))
    assert sorted(job for job, _, _ in ended) == [1, 2, 3]
    for job, result, deaths in ended:
        assert (result["square"], result["list"], deaths) == (job * job, [job, None, "x"], [])
        assert result["pid"] != parent
    assert len({result["pid"] for _, result, _ in ended}) == 3  # one process per job


def test_children_lead_process_groups_of_their_own():
    """Is each child the leader of its own process group, so that Ctrl-C in the terminal
    (sent to the foreground group) reaches the parent alone?"""
    (ended,) = supervisor.run(["job"], lambda job: os.getpgid(0) == os.getpid(),
                              workers=1, limit=5)
    assert ended == ("job", True, [])


def test_no_more_than_workers_children_at_a_time(tmp_path):
    """With workers=1, does each job run alone (no other job's marker present while it
    runs)?"""
    def work(job):
        marker = tmp_path / str(job)
        marker.touch()
        time.sleep(0.02)
        seen = len(list(tmp_path.iterdir()))
        marker.unlink()
        return seen

    ended = list(supervisor.run(range(4), work, workers=1, limit=5))
    assert [result for _, result, _ in ended] == [1, 1, 1, 1]
    assert [job for job, _, _ in ended] == [0, 1, 2, 3]  # one at a time: in order


def test_a_child_killed_by_a_signal_is_retried_once_then_reported_dead():
    """A job whose process is killed every time (as the OOM killer does): does it run
    exactly twice, then come back with no result and both deaths named by signal, while
    the other jobs are unaffected?"""
    def work(job):
        if job == "doomed":
            os.kill(os.getpid(), signal.SIGKILL)
        return job

    ended = {job: (result, deaths) for job, result, deaths in
             supervisor.run(["fine", "doomed", "also fine"], work, workers=2, limit=5)}
    assert ended["doomed"] == (None, ["was killed (SIGKILL)"] * supervisor.ATTEMPTS)
    assert ended["fine"] == ("fine", [])
    assert ended["also fine"] == ("also fine", [])


def test_a_job_whose_first_process_dies_gets_its_result_from_the_second(tmp_path):
    """Killed once (SIGTERM), then fine: is the second attempt's result reported, with the
    first death said?"""
    def work(job):
        first = tmp_path / "tried"
        if not first.exists():
            first.touch()
            os.kill(os.getpid(), signal.SIGTERM)
        return "second time"

    assert list(supervisor.run(["job"], work, workers=1, limit=5)) == [
        ("job", "second time", ["was killed (SIGTERM)"])]


@pytest.mark.parametrize(("how", "said"), [
    (lambda: os._exit(3), "exited with status 3"),
    (lambda: 1 / 0, "exited with status 1"),  # an exception: its traceback goes to stderr
    (lambda: object(), "exited with status 1"),  # a result that is not JSON
    (lambda: os._exit(0), "exited without a result"),
])
def test_a_child_that_ends_without_a_result_says_how(how, said, capfd):
    """Does a child that exits, raises or returns what JSON cannot carry count as dead,
    with its exit status?"""
    (ended,) = supervisor.run(["job"], lambda job: how(), workers=1, limit=5)
    assert ended == ("job", None, [said] * supervisor.ATTEMPTS)


def test_a_child_past_its_limit_is_killed(tmp_path):
    """A job that would sleep for 10 s, limit 0.1 s: are both its processes killed
    (not left running) and the job reported dead with the limit, in well under a second?"""
    def work(job):
        (tmp_path / str(os.getpid())).touch()
        time.sleep(10)

    start = time.monotonic()
    (ended,) = supervisor.run(["slow"], work, workers=1, limit=0.1)
    assert time.monotonic() - start < 1.5
    assert ended == ("slow", None, ["ran past its wall limit of 0.1 s and was killed "
                                    "(SIGKILL)"] * supervisor.ATTEMPTS)
    pids = [int(path.name) for path in tmp_path.iterdir()]
    assert len(pids) == supervisor.ATTEMPTS and all(_ended(pid) for pid in pids)


def _slow_pair(tmp_path, last_words):
    """Jobs "slow 1", "slow 2" (each writes its pid, then sleeps 10 s) and "fast", which
    waits until both slow ones run and the parent waits for them, then calls
    ``last_words()``."""
    def work(job):
        if job == "fast":
            _wait_for([tmp_path / "slow 1", tmp_path / "slow 2"])
            # The parent forked "fast" last; a SIGINT it got while still in os.fork()'s
            # hooks would be lost there (CPython ignores exceptions in at-fork callbacks).
            time.sleep(0.05)
            return last_words()
        (tmp_path / job).write_text(str(os.getpid()))
        time.sleep(10)

    return ["slow 1", "slow 2", "fast"], work


def _slow_pids(tmp_path):
    return [int((tmp_path / name).read_text()) for name in ("slow 1", "slow 2")]


def test_leaving_the_loop_early_kills_the_children_still_running(tmp_path):
    """The caller stops after the first result (an error of its own, say): are the
    children still running killed and reaped?"""
    jobs, work = _slow_pair(tmp_path, lambda: "done")
    results = supervisor.run(jobs, work, workers=3, limit=30)
    assert next(results) == ("fast", "done", [])
    pids = _slow_pids(tmp_path)
    assert not any(_ended(pid) for pid in pids)
    results.close()
    assert all(_ended(pid) for pid in pids)


def test_leaving_the_loop_early_discards_a_result_not_yet_read(tmp_path):
    """The caller stops after the first result while another child has already sent its
    own and exited (its pipe not read yet): does the loop end quietly, that child reaped?"""
    def work(job):
        if job == "second":
            _wait_for([tmp_path / "first"])
            time.sleep(0.05)  # the parent has yielded "first" by now
        (tmp_path / job).write_text(str(os.getpid()))
        return job

    results = supervisor.run(["first", "second"], work, workers=2, limit=30)
    assert next(results) == ("first", "first", [])
    _wait_for([tmp_path / "second"])
    time.sleep(0.1)  # "second" has written its result and exited
    results.close()
    assert _ended(int((tmp_path / "second").read_text()))


def test_ctrl_c_kills_the_children(tmp_path, ctrl_c):
    """Ctrl-C reaches the parent while it waits for its children: does KeyboardInterrupt
    come through, with every child killed on the way out?"""
    jobs, work = _slow_pair(tmp_path, lambda: os.kill(os.getppid(), signal.SIGINT))
    with pytest.raises(KeyboardInterrupt):
        for _ in supervisor.run(jobs, work, workers=3, limit=30):
            pass
    assert all(_ended(pid) for pid in _slow_pids(tmp_path))


def test_ahead_runs_in_each_jobs_process_before_its_turn(tmp_path):
    """With ahead and one worker: is the next job's process forked and its ahead called
    while the job before works, in that job's own process, before its work starts? (The
    first job starts at once: nothing to be ahead of.)"""
    def ahead(job):
        (tmp_path / f"ahead {job}").write_text(str(os.getpid()))

    def work(job):
        started = time.monotonic()
        if job < 2:  # the next job's ahead runs while this one works (or this one dies)
            _wait_for([tmp_path / f"ahead {job + 1}"])
        if job == 0:
            return {"started": started}
        pid = (tmp_path / f"ahead {job}").read_text()
        return {"started": started, "same process": int(pid) == os.getpid()}

    ended = list(supervisor.run(range(3), work, workers=1, limit=5, ahead=ahead))
    assert [(job, deaths) for job, _, deaths in ended] == [(0, []), (1, []), (2, [])]
    results = [result for _, result, _ in ended]
    assert not (tmp_path / "ahead 0").exists()
    for before, after in zip(results, results[1:], strict=False):
        assert after["same process"] and after["started"] > before["started"]


def test_an_ahead_that_fails_costs_nothing_but_its_head_start(capfd):
    """An ahead that raises: is the job still done (the traceback printed), with no death?
    (The first job starts at once: only the second is forked ahead.)"""
    def ahead(job):
        raise RuntimeError(f"no head start for {job}")

    assert list(supervisor.run(["first", "second"], lambda job: job, workers=1, limit=5,
                               ahead=ahead)) == [("first", "first", []),
                                                 ("second", "second", [])]
    assert "no head start for second" in capfd.readouterr().err


def test_a_child_forked_ahead_that_dies_before_its_turn_is_retried(tmp_path):
    """The process forked ahead for a job is killed while it waits (as the OOM killer may):
    does its job run once more, with the death said, and the limit not spent waiting?"""
    def ahead(job):
        if job == "second" and not (tmp_path / "killed").exists():
            (tmp_path / "killed").touch()
            os.kill(os.getpid(), signal.SIGKILL)

    def work(job):
        time.sleep(0.05)
        return job

    ended = dict((job, (result, deaths)) for job, result, deaths in
                 supervisor.run(["first", "second"], work, workers=1, limit=5, ahead=ahead))
    assert ended == {"first": ("first", []), "second": ("second", ["was killed (SIGKILL)"])}


def test_leaving_the_loop_early_kills_the_children_forked_ahead(tmp_path):
    """The caller stops after the first result: are the children waiting for their turn
    killed and reaped too?"""
    def ahead(job):
        (tmp_path / job).write_text(str(os.getpid()))

    results = supervisor.run(["first", "second", "third"], lambda job: job, workers=1,
                             limit=30, ahead=ahead)
    assert next(results) == ("first", "first", [])
    _wait_for([tmp_path / "second"])
    results.close()
    assert _ended(int((tmp_path / "second").read_text()))


def test_before_fork_runs_in_the_parent_before_each_child():
    """Is ``before_fork`` called in the parent once per child forked, retries and children
    forked ahead included, and does each child see what it set up (a batch restarts its
    warm sandboxes there)?"""
    calls = []

    def before_fork():
        calls.append(os.getpid())

    def work(job):
        if job == "dies" and len(calls) == 1:
            os._exit(3)  # its retry is forked after the second call
        return len(calls)

    ended = {job: result for job, result, _ in supervisor.run(
        ["dies", "a", "b"], work, workers=1, limit=5, ahead=lambda job: None,
        before_fork=before_fork)}
    assert calls == [os.getpid()] * 4  # three jobs, one retry
    assert sorted(ended.values()) == [2, 3, 4]
