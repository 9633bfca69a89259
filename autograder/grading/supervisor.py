"""Run jobs in child processes, one job per process, and survive their deaths.

``run(jobs, work, workers=N, limit=S)`` forks a child for each job (at most N at a time);
the child calls ``work(job)`` and sends the result back as JSON over a pipe. A child that
ends without a result (killed by a signal, as the kernel's OOM killer does; an exit) or
runs longer than ``limit`` seconds (then killed with SIGKILL) costs only its job: the job
runs once more in a fresh process, and if that one dies too, it is reported dead with how.

Children are forked, so they start with what the parent loaded. Each has a process group
of its own, so that Ctrl-C in the terminal reaches the parent alone; the parent kills every
child still running on its way out, whatever ends it.
"""

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
    deadline: float  # time.monotonic() past which it is killed
    deaths: list  # how the job's earlier processes ended
    data: bytearray = field(default_factory=bytearray)
    late: bool = False  # killed for running past the limit


def run(jobs, work, *, workers, limit):
    """Yield ``(job, result, deaths)`` for each job, in the order they end.

    result: what ``work(job)`` returned in the child (any JSON value), or None when every
    attempt died; deaths: how each dead attempt ended ("was killed (SIGKILL)", ...).
    """
    waiting = deque((job, []) for job in jobs)
    running = {}  # fd -> _Child
    try:
        while waiting or running:
            while waiting and len(running) < max(1, workers):
                child = _start(*waiting.popleft(), work, limit)
                running[child.fd] = child
            for child in _ended(running):
                del running[child.fd]
                result, death = _reap(child, limit)
                deaths = child.deaths + [death] if death else child.deaths
                if death and len(deaths) < ATTEMPTS:
                    waiting.appendleft((child.job, deaths))
                else:
                    yield child.job, result, deaths
    finally:
        for child in running.values():
            _kill(child)
            _reap(child, limit)


def _start(job, deaths, work, limit):
    sys.stdout.flush()  # what the parent buffered must not be written again by the child
    sys.stderr.flush()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _child(work, job, write_end)
    os.close(write_end)
    return _Child(job, pid, read_end, time.monotonic() + limit, deaths)


def _child(work, job, fd):
    """In the child: the work, its result down the pipe, exit (never returns)."""
    status = 1
    try:
        os.setpgid(0, 0)
        data = json.dumps(work(job)).encode()
        with open(fd, "wb") as pipe:
            pipe.write(data)
        status = 0
    except BaseException:  # the parent sees the exit status; the traceback is for the log
        traceback.print_exc()
        sys.stderr.flush()
    finally:
        os._exit(status)


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
    os.close(child.fd)
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
