"""Run jobs in child processes, one job per process, and survive their deaths.

``run(jobs, work, workers=N, limit=S)`` forks a child for each job (at most N at a time);
the child calls ``work(job)`` and sends the result back as JSON over a pipe. A child that
ends without a result (killed by a signal, as the kernel's OOM killer does; an exit) or
runs longer than ``limit`` seconds (then killed with SIGKILL) costs only its job: the job
runs once more in a fresh process, and if that one dies too, it is reported dead with how.

Children are forked, so they start with what the parent loaded. Each has a process group
of its own, so that Ctrl-C in the terminal reaches the parent alone; the parent kills every
child still running on its way out, whatever ends it.

With ``ahead(job)``, the next ``workers`` jobs' children are forked before their turn and
call it at once (a grading process starts its submission's sandbox), then wait for the
parent to say "go": what ``ahead`` starts overlaps the jobs before. Their limit counts from
their turn. ``before_fork()`` is called in the parent before each fork (a batch restarts
the warm sandboxes its grading processes lease, if one has ended).
"""

import functools
import json
import os
import select
import signal
import sys
import time
import traceback
from collections import deque
from dataclasses import dataclass, field

ATTEMPTS = 2  # a job whose process dies runs once more, in a fresh process


@dataclass
class _Child:
    job: object
    pid: int
    fd: int  # the read end of the pipe its result comes through
    go: int | None  # the write end of the pipe its turn is given through (forked ahead)
    deaths: list  # how the job's earlier processes ended
    deadline: float = float("inf")  # time.monotonic() past which it is killed (its turn on)
    data: bytearray = field(default_factory=bytearray)
    late: bool = False  # killed for running past the limit

    def start(self, limit):
        """Its turn: the limit starts counting; a child forked ahead is told to go (one
        that died meanwhile is seen dead as soon as its result pipe is read)."""
        self.deadline = time.monotonic() + limit
        if self.go is not None:
            try:
                os.write(self.go, b"g")
            except OSError:
                pass
            os.close(self.go)
            self.go = None


def run(jobs, work, *, workers, limit, ahead=None, before_fork=None):
    """Yield ``(job, result, deaths)`` for each job, in the order they end.

    result: what ``work(job)`` returned in the child (any JSON value), or None when every
    attempt died; deaths: how each dead attempt ended ("was killed (SIGKILL)", ...).
    ahead: called with the job in its child before its turn (see above); its errors are
    printed and ignored, as the work does without what it prepares.
    before_fork: called in the parent before each child is forked.
    """
    fork = functools.partial(_start, before_fork=before_fork or (lambda: None))
    waiting = deque((job, []) for job in jobs)
    early = deque()  # children forked ahead, waiting for their turn
    running = {}  # fd -> _Child
    try:
        while waiting or early or running:
            while (waiting or early) and len(running) < max(1, workers):
                child = early.popleft() if early else fork(*waiting.popleft(), work, None,
                                                               others=())
                child.start(limit)
                running[child.fd] = child
            while ahead is not None and waiting and len(early) < max(1, workers):
                early.append(fork(*waiting.popleft(), work, ahead,
                                  others=[child.go for child in early]))
            for child in _ended(running):
                del running[child.fd]
                result, death = _reap(child, limit)
                deaths = child.deaths + [death] if death else child.deaths
                if death and len(deaths) < ATTEMPTS:
                    waiting.appendleft((child.job, deaths))
                else:
                    yield child.job, result, deaths
    finally:
        for child in [*running.values(), *early]:
            _kill(child)
            _reap(child, limit)


def _start(job, deaths, work, ahead, others, before_fork):
    """Fork the child of ``job``; ``others``: the go pipes of the children forked ahead,
    which it closes (a parent that dies must leave them nothing to wait for)."""
    before_fork()
    sys.stdout.flush()  # what the parent buffered must not be written again by the child
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    go_read, go_write = os.pipe() if ahead else (None, None)
    pid = os.fork()
    if pid == 0:
        for fd in (read_end, go_write, *others):
            if fd is not None:
                os.close(fd)
        _child(work, job, write_end, ahead, go_read)
    os.close(write_end)
    if go_read is not None:
        os.close(go_read)
    return _Child(job, pid, read_end, go_write, deaths)


def _child(work, job, fd, ahead, go):
    """In the child: what ``ahead`` prepares and the wait for its turn (forked ahead), the
    work, its result down the pipe, exit (never returns)."""
    status = 1
    try:
        os.setpgid(0, 0)
        if ahead is not None:
            _prepare(ahead, job)
            if not os.read(go, 1):  # the parent ended before this job's turn
                os._exit(status)
            os.close(go)
        data = json.dumps(work(job)).encode()
        with open(fd, "wb") as pipe:
            pipe.write(data)
        status = 0
    except BaseException:  # the parent sees the exit status; the traceback is for the log
        traceback.print_exc()
        sys.stderr.flush()
    finally:
        os._exit(status)


def _prepare(ahead, job):
    try:
        ahead(job)
    except Exception:  # noqa: BLE001 (only a head start is lost: the work does it again)
        traceback.print_exc()
        sys.stderr.flush()


def _ended(running):
    """The children that closed their pipe (they have ended) or ran past their deadline
    (killed here), after waiting for at least one."""
    while True:
        now = time.monotonic()
        late = [child for child in running.values() if child.deadline <= now]
        for child in late:
            child.late = True
            _kill(child)
        if late:
            return late
        poller = select.poll()
        for fd in running:
            poller.register(fd, select.POLLIN)
        wait = min(child.deadline for child in running.values()) - now
        ready = [running[fd] for fd, _ in poller.poll(max(1, int(wait * 1000)))]
        ended = [child for child in ready if not _read(child)]
        if ended:
            return ended


def _read(child):
    """Read what the child sent; False once it has closed the pipe."""
    chunk = os.read(child.fd, 1 << 16)
    child.data += chunk
    return bool(chunk)


def _kill(child):
    try:
        os.kill(child.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _reap(child, limit):
    """(result, None) when the child delivered its result, else (None, how it ended)."""
    for fd in (child.fd, child.go):
        if fd is not None:
            os.close(fd)
    _, status = os.waitpid(child.pid, 0)
    if child.late:
        return None, f"ran past its wall limit of {limit:g} s and was killed (SIGKILL)"
    if os.WIFSIGNALED(status):
        return None, f"was killed ({_signal_name(os.WTERMSIG(status))})"
    if os.WEXITSTATUS(status) != 0:
        return None, f"exited with status {os.WEXITSTATUS(status)}"
    try:  # status 0 but no whole result: os._exit(0) in the work, or a pipe left unread
        return json.loads(child.data), None
    except ValueError:
        return None, "exited without a result"


def _signal_name(number):
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
