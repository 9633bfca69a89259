"""Sandboxes started once per batch and lent to one submission after another.

A sandbox's start (bubblewrap, Python, numpy's import) costs ~0.24 s of CPU, about a fifth
of a correct notebook's grading. A batch therefore starts a few sandboxes whose init is a
*warm* zygote (``worker.py warm``: numpy imported, no student code ever run), before it
forks its grading processes. A grading process leases an idle one (:func:`lease`): the
zygote forks the submission's workers, as uids of the grading process's own, and when
the lease ends it kills every process of those uids and removes their files, or, if it
cannot make sure of both within seconds, ends the sandbox (see ``warm`` in worker.py).
The workers see what a fresh sandbox's would: the same read-only file system, /tmp as it
began, no process of an earlier submission.

Parent (the batch):

    with WarmPool(isolation, data_dir, size=4) as pool:
        ... fork grading processes, calling pool.refresh() before each fork ...

A process that grades in itself (a Dask worker) keeps a pool of its own
(:func:`of_this_process`). Child (a grading process): ``lease(...)`` returns a lease on an
idle sandbox of the pool it was forked with (or its own), or None (no pool, none idle, or
the one tried did not answer): the caller then starts a sandbox of its own, as without a
pool.

A sandbox is idle when no grading process holds its lock (``flock`` on a file of its own:
released by the kernel when the holder ends, however it ends). A lease is a SOCK_SEQPACKET
socket handed to the zygote over the sandbox's master socket; the grading process's end
closing (on release, or its death) ends the lease.
"""

import fcntl
import os
import shutil
import signal
import socket
import subprocess
import tempfile
from dataclasses import dataclass

from autograder.sandbox import launcher
from autograder.sandbox.zygote_handle import ZygoteHandle

READY_SECONDS = 15.0  # for the zygote's "ready": it may first clean a lease (5 s at most)
STATUS_LIMIT = 64  # reports read on a lease (one per worker is expected)


@dataclass(frozen=True)
class _Warm:
    """What a grading process needs to lease a sandbox of its parent's pool."""

    key: tuple  # the settings it was started with (see _key)
    master: int  # the parent's end of its master socket
    lock: str  # the path of its lock file
    pid: int  # its bubblewrap process (the grader's child)
    # A pidfd of that process, to kill it if its zygote is stuck: a grading process forked
    # earlier may ask when the pid has been reaped and reused (pid_max may be 32768).
    pidfd: int | None


_pool = []  # the _Warm sandboxes of this process's pool, or of its parent's (inherited)


def _key(isolation, data_dir):
    """Leases only go to grading processes whose sandbox would be started the same way
    (their workers' uid apart, which the lease gives)."""
    return (isolation.level, isolation.processes, isolation.seccomp_denied, str(data_dir))


def usable(isolation):
    """Whether a warm sandbox can serve workers of ``isolation``: bubblewrap run by root
    (the zygote must give each lease's workers uids of their own)."""
    return isolation.level == "bubblewrap" and isolation.uid is not None


class WarmPool:
    """``size`` warm sandboxes for the grading processes this process forks (size 0, or an
    isolation that cannot use them: none, and every grading process starts its own)."""

    def __init__(self, isolation, data_dir, size):
        self._isolation, self._data_dir = isolation, data_dir
        self._size = size if usable(isolation) else 0
        self._folder = tempfile.mkdtemp(prefix="backprop-warm-")
        self.started = 0  # sandboxes started so far (a restart counts again)
        self._sandboxes = {}  # index -> (Popen, _Warm)

    def __enter__(self):
        self.refresh()
        return self

    def __exit__(self, *exc):
        self.close()

    def refresh(self):
        """Start the sandboxes that are not running (the first time, or after one ended:
        a zygote that could not clean a lease ends its sandbox). Call it before forking a
        grading process, which sees the pool as it is then."""
        for index in range(self._size):
            process, warm = self._sandboxes.get(index, (None, None))
            if process is not None and process.poll() is None:
                continue
            if warm is not None:
                self._end(process, warm)
            try:
                self._sandboxes[index] = self._start()
            except OSError:
                self._sandboxes.pop(index, None)  # grading processes start their own
        _pool[:] = [warm for _, warm in self._sandboxes.values()]

    def _start(self):
        mine, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            command, pass_fds = launcher.worker_command(
                self._isolation, (theirs.fileno(),), self._data_dir,
                ("warm", str(theirs.fileno())))
            process = subprocess.Popen(
                command, pass_fds=pass_fds, stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=self._folder,
                env=launcher.environment("en"), start_new_session=True,
                preexec_fn=launcher.limit_resources(self._isolation))  # noqa: PLW1509
        except BaseException:
            mine.close()
            raise
        finally:
            theirs.close()
        for fd in pass_fds[1:]:  # the seccomp filter's pipe
            os.close(fd)
        self.started += 1
        lock = os.path.join(self._folder, f"sandbox-{self.started}.lock")
        open(lock, "w").close()
        try:
            pidfd = os.pidfd_open(process.pid)
        except (AttributeError, OSError):  # Linux < 5.3: only this process may kill it
            pidfd = None
        return process, _Warm(_key(self._isolation, self._data_dir), mine.detach(), lock,
                              process.pid, pidfd)

    def _end(self, process, warm):
        process.kill()  # unreaped, its pid is still its own
        _close(warm.master)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        if warm.pidfd is not None:
            _close(warm.pidfd)
        try:  # grading processes forked before this end cannot lease it any more
            os.unlink(warm.lock)
        except OSError:
            pass

    def close(self):
        """End every sandbox of the pool."""
        for process, warm in self._sandboxes.values():
            self._end(process, warm)
        self._sandboxes.clear()
        _pool.clear()
        shutil.rmtree(self._folder, ignore_errors=True)


_own = None  # this process's own pool (see of_this_process)


def of_this_process(isolation, data_dir, size=1):
    """The pool of a process that grades in itself, one submission after another (a Dask
    worker), started on first use and refreshed at each call; it ends with the process
    (bubblewrap dies with its parent, and at exit the pool is closed)."""
    global _own
    if _own is None:
        import atexit

        _own = WarmPool(isolation, data_dir, size)
        atexit.register(_own.close)
    _own.refresh()
    return _own


def close_own():
    """End this process's own pool now (a Dask worker run inside a test's process)."""
    global _own
    if _own is not None:
        _own.close()
        _own = None


def lease(isolation, data_dir, language, worker_ends, uids):
    """A :class:`Lease` of an idle sandbox of the pool, whose workers (one per
    ``worker_ends``: each one's IN, OUT and LOG descriptors; the caller closes its copies)
    run as ``uids``; None when there is none to be had."""
    if not usable(isolation):
        return None
    key = _key(isolation, data_dir)
    for warm in list(_pool):
        if warm.key != key:
            continue
        lock = _try_lock(warm.lock)
        if lock is None:
            continue
        ours = _ask(warm, language, worker_ends, uids)
        if ours is not None:
            return Lease(ours, lock, warm, len(uids))
        os.close(lock)
    return None


def _try_lock(path):
    try:
        fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # another grading process holds it
        os.close(fd)
        return None
    return fd


def _ask(warm, language, worker_ends, uids):
    """Our end of a new lease of ``warm`` whose workers the zygote has forked; None if it
    did not: it has ended (the pool starts another before the next grading process is
    forked), or it did not answer in time, stuck (its sandbox is ended, and the same)."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        with socket.socket(fileno=os.dup(warm.master)) as master:
            socket.send_fds(master, [b"lease"], [theirs.fileno()])
        theirs.close()
        request = f"fork {language} {','.join(map(str, uids))}".encode()
        socket.send_fds(ours, [request], [fd for ends in worker_ends for fd in ends])
        ours.settimeout(READY_SECONDS)
        if ours.recv(64) == b"ready":
            ours.settimeout(None)
            return ours
    except TimeoutError:
        _kill_sandbox(warm)
    except OSError:  # the sandbox has ended
        pass
    theirs.close()
    ours.close()
    return None


class Lease(ZygoteHandle):
    """A grading process's hold on a warm sandbox, for the Forked workers it asked for:
    the verbs of a zygote of its own (see processes). Its workers' ends come as "ended
    INDEX STATUS" messages; the last session's release ends the lease (the zygote then
    kills what is left of its workers and cleans up for the next one)."""

    def __init__(self, sock, lock, warm, workers):
        self._sock, self._lock_fd, self._warm = sock, lock, warm
        super().__init__(workers)

    def kill(self, index):
        try:
            self._sock.send(f"kill {index}".encode())
        except OSError:
            self.kill_all()

    def kill_all(self):
        """The zygote does not answer: end its sandbox (the pool starts another)."""
        _kill_sandbox(self._warm)

    def _end(self):
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._reports.join(timeout=5)
        self._sock.close()
        _close(self._lock_fd)

    def _reported(self):
        for _ in range(STATUS_LIMIT):
            try:
                words = self._sock.recv(64).split()
            except OSError:
                return
            if not words:
                return
            if len(words) == 3 and words[0] == b"ended" and words[1].isdigit() \
                    and words[2].isdigit():
                yield int(words[1]), int(words[2])


def _kill_sandbox(warm):
    """SIGKILL a warm sandbox's bubblewrap, by its pidfd (the zygote inside dies with
    bubblewrap, and every process of the sandbox with the zygote, its pid namespace's
    init). Without a pidfd, nothing: the pool ends it at the batch's end."""
    if warm.pidfd is None:
        return
    try:
        signal.pidfd_send_signal(warm.pidfd, signal.SIGKILL)
    except OSError:  # ended already
        pass


def _close(fd):
    try:
        os.close(fd)
    except OSError:
        pass
