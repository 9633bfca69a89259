"""Do two workers forked by one zygote (the checks' worker and the early MNIST run's) start
once and then live apart: each runs the cells, prints, hangs, dies and is killed on its
own, neither can signal the other or the zygote, and the sandbox ends with the last of
them? (Real workers, in bubblewrap: only a root grader with bubblewrap forks them.)"""

import time

import pytest

from autograder.sandbox import launcher, processes
from autograder.sandbox.session import Budget, Session, TimedOut, WorkerFailed

ISOLATION = launcher.choose("auto")
pytestmark = pytest.mark.skipif(
    ISOLATION.level != "bubblewrap" or ISOLATION.uid is None,
    reason="a zygote forks the workers only for a root grader with bubblewrap")
CELLS = [("code", """
import os, signal, time

pid = os.getpid()

class Probe:
    def pid(self):
        return os.getpid()

    def say(self, text):
        print(text)
        return text

    def nap(self, seconds):
        time.sleep(seconds)

    def exit(self, status):
        os._exit(status)

    def crash(self):
        os.kill(os.getpid(), signal.SIGSEGV)

    def uid(self):
        return os.getuid()

    def nice(self):
        return os.nice(0)

    def kill(self, pid):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError as error:
            return type(error).__name__

probe = Probe()
""")]


@pytest.fixture
def pair():
    """(the first session, its sibling on the spare worker), both with the cells run."""
    first = Session(CELLS, isolation=ISOLATION, budget=Budget(60),
                    spare=True)
    second = first.sibling()
    with first, second:
        first.run_cells()
        second.run_cells()
        yield first, second


def _probe(session):
    return session.request("lookup", label="probe", name="probe")["value"]


def test_the_sibling_runs_on_the_spare_worker_of_the_same_start(pair):
    first, second = pair
    assert isinstance(first._worker, processes.Forked)
    assert isinstance(second._worker, processes.Forked)
    assert first._worker._zygote is second._worker._zygote
    assert _probe(first).pid() != _probe(second).pid()
    assert not first.cell_errors and not second.cell_errors


def test_the_spare_worker_runs_at_a_lower_priority(pair):
    """The early MNIST run's worker (the spare) must leave the checks' turns alone: does it
    run at a lower priority (a higher nice, worker.SPARE_NICE), and the checks' worker at
    the grader's own?"""
    import os

    first, second = pair
    assert _probe(first).nice() == os.nice(0) < _probe(second).nice()


def test_a_sibling_without_a_spare_is_a_clone():
    with Session(CELLS, isolation=ISOLATION, budget=Budget(60)) as first:
        second = first.sibling()
        with second:
            second.run_cells()
            assert isinstance(second._worker, processes.Launched)
            assert not first._started  # nothing was started for it


def test_a_worker_killed_alone_leaves_its_sibling_working(pair):
    """A call that hangs gets its worker killed, and only that worker: the other answers
    on, in the same process; the killed one's next request runs on a fresh worker."""
    first, second = pair
    before = _probe(second).pid()
    with first.time_limit(1.0), pytest.raises(TimedOut):
        _probe(first).nap(30)
    assert _probe(second).pid() == before
    assert isinstance(_probe(first).pid(), int)  # restarted on a worker of its own
    assert first.restarts == 1 and isinstance(first._worker, processes.Launched)
    assert second.restarts == 0


@pytest.mark.parametrize(("method", "args", "how"), [
    ("exit", (3,), "exit status 3"),
    ("crash", (), "SIGSEGV: crashed"),
])
def test_how_a_forked_worker_ended_is_said(pair, method, args, how):
    first, second = pair
    with pytest.raises(WorkerFailed, match=how):
        getattr(_probe(second), method)(*args)
    assert isinstance(_probe(first).pid(), int)  # its sibling lives on


def test_each_forked_worker_keeps_what_it_printed(pair):
    first, second = pair
    _probe(first).say("from the first")
    _probe(second).say("from the second")
    deadline = time.monotonic() + 5  # each worker's output comes on a pipe of its own
    while ("second" not in second.output or "first" not in first.output) \
            and time.monotonic() < deadline:
        time.sleep(0.02)
    assert "from the first" in first.output and "second" not in first.output
    assert "from the second" in second.output and "first" not in second.output


def test_the_sandbox_ends_with_the_last_of_its_workers():
    first = Session(CELLS, isolation=ISOLATION, budget=Budget(60),
                    spare=True)
    second = first.sibling()
    sandbox = first._worker._zygote._sandbox.process
    with first:
        first.run_cells()
        second.close()  # never started: its spare worker is let go
        assert sandbox.poll() is None  # the first still works in it
        assert isinstance(_probe(first).pid(), int)
    assert sandbox.wait(timeout=5) is not None


def test_a_spare_nobody_took_ends_with_its_session():
    first = Session(CELLS, isolation=ISOLATION, budget=Budget(60),
                    spare=True)
    with first:
        first.run_cells()
        sandbox = first._worker._zygote._sandbox.process
    assert sandbox.wait(timeout=5) is not None


def test_no_worker_can_signal_its_sibling_or_the_zygote(pair):
    """Each worker has a uid of its own and the zygote is the sandbox's init: a worker that
    kills every process it can (kill -1), or the zygote (pid 1), kills nothing of them."""
    first, second = pair
    assert _probe(first).uid() != _probe(second).uid() and _probe(first).uid() != 0
    before = _probe(second).pid(), _probe(first).pid()
    _probe(first).kill(-1)
    _probe(first).kill(1)
    _probe(second).kill(-1)
    _probe(second).kill(1)
    assert (_probe(second).pid(), _probe(first).pid()) == before
    assert first.restarts == second.restarts == 0


def test_a_session_starts_on_the_sandbox_started_ahead():
    """Session.start_ahead, then a Session with the same settings: does it run its cells
    in that sandbox (its zygote, already started), both workers forked there?"""
    Session.start_ahead(isolation=ISOLATION, spare=True)
    ((_, (started, spare)),) = processes._ahead.items()
    first = Session(CELLS, isolation=ISOLATION, budget=Budget(60), spare=True)
    second = first.sibling()
    with first, second:
        first.run_cells()
        second.run_cells()
        assert first._worker is started and second._worker is spare
        assert not first.cell_errors and not second.cell_errors
        assert _probe(first).pid() != _probe(second).pid()
    assert not processes._ahead


def test_a_sandbox_started_ahead_for_other_settings_is_ended():
    """Started ahead in English, asked for in Korean: is the unused sandbox ended (not left
    running) and a fresh one started for the session? And discard_ahead ends one too."""
    Session.start_ahead(isolation=ISOLATION, language="en", spare=True)
    ((_, (unused, _)),) = processes._ahead.items()
    with Session(CELLS, isolation=ISOLATION, budget=Budget(60), spare=True,
                 language="ko") as session:
        session.run_cells()
        assert session._worker._zygote is not unused._zygote
        assert unused._zygote._sandbox.process.wait(timeout=5) is not None
    Session.start_ahead(isolation=ISOLATION, spare=True)
    ((_, (dropped, _)),) = processes._ahead.items()
    processes.discard_ahead()
    assert dropped._zygote._sandbox.process.wait(timeout=5) is not None
    assert not processes._ahead
