"""The processes behind a session: start a sandboxed worker, kill it, learn how it ended.

A worker is either the only process of a sandbox of its own (:class:`Launched`), or one of
two that a zygote forked in one sandbox before any cell ran (:class:`Forked`; see
``zygote`` in worker.py): the checks' worker and the early MNIST run's then share one
start (bubblewrap, Python, numpy's import: ~0.2 s of CPU). The zygote runs no student
code; it kills a worker when the grader asks and reports how each one ended, so one
worker can be stopped while the other goes on. It is the sandbox's init and each worker
has a uid of its own, so no worker can signal the zygote or the other worker (which is
why only a root grader with bubblewrap forks them: see Session's ``spare``).

Either way a handle gives the session the channel's file descriptors (``to_worker``,
``reader``) and the same four verbs: ``attach`` (start keeping its output), ``kill``,
``exit_code`` and ``close``.

A process that knows what it will launch next may start it ahead (:func:`start_ahead`):
a batch's grading process does, while it waits for its turn, so that the sandbox's start
is over when the turn comes. In a batch, the workers are forked in a warm sandbox of the
batch's pool when one is idle (:mod:`autograder.sandbox.warm_pool`: no sandbox start at
all), as Forked workers of a lease instead of a zygote of their own.
"""

import os
import shutil
import signal
import subprocess
import tempfile
import threading

from autograder.sandbox import launcher, warm_pool, wire
from autograder.sandbox.zygote_handle import ZygoteHandle

PIPE_BYTES = 1 << 20
STATUS_LIMIT = 4096  # bytes of the zygote's reports read (two short lines are expected)


# launch's arguments -> the handles of the sandbox started ahead for them (one at most)
_ahead = {}


def start_ahead(isolation, data_dir, language, workers=1):
    """Start now the sandbox that the next :func:`launch` with the same arguments returns.

    Nothing runs in it until then: its workers wait for requests, as any new worker does.
    One at a time (an earlier one not taken is ended). Raises OSError as launch does.
    """
    discard_ahead()
    arguments = (isolation, data_dir, language, workers)
    _ahead[arguments] = _launch(*arguments)


def discard_ahead():
    """End the sandbox started ahead, if launch has not taken it."""
    for handles in _ahead.values():
        for handle in handles:
            handle.close()
    _ahead.clear()


def launch(isolation, data_dir, language, workers=1):
    """Start a sandbox with ``workers`` workers (1, or 2 forked by a zygote); a list of
    handles. Raises OSError when the sandbox cannot be started. Returns the one started
    ahead for these arguments, if there is one (see :func:`start_ahead`)."""
    arguments = (isolation, data_dir, language, workers)
    handles = _ahead.pop(arguments, None)
    discard_ahead()  # one started for other arguments is of no use to this grade
    return handles or _launch(*arguments)


def _launch(isolation, data_dir, language, workers):
    leased = _lease(isolation, data_dir, language, workers)
    if leased is not None:
        return leased
    channels = [_Channel(forked=workers > 1) for _ in range(workers)]
    control_r, control_w = os.pipe() if workers > 1 else (None, None)
    scratch = tempfile.mkdtemp(prefix="backprop-worker-")
    if isolation.uid is not None and isolation.level == "user":
        os.chown(scratch, isolation.uid, isolation.uid)
    uids = (isolation.uid, isolation.uid + launcher.SPARE_UID_OFFSET) if workers > 1 else ()
    fds, arguments = _worker_fds(channels, control_r, uids)
    try:
        command, pass_fds = launcher.worker_command(isolation, fds, data_dir, arguments)
        process = subprocess.Popen(
            command, pass_fds=pass_fds, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, cwd=scratch, env=launcher.environment(language),
            start_new_session=True,
            preexec_fn=launcher.limit_resources(isolation))  # noqa: PLW1509
    except BaseException:
        for channel in channels:
            channel.close()
        for fd in (control_r, control_w):
            if fd is not None:
                _close(fd)
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    for fd in pass_fds:  # the workers' ends, and the seccomp filter's pipe
        os.close(fd)
    sandbox = _Sandbox(process, isolation, scratch)
    if workers == 1:
        return [Launched(sandbox, channels[0])]
    zygote = _Zygote(sandbox, control_w, workers)
    return [Forked(zygote, index, channel) for index, channel in enumerate(channels)]


def _lease(isolation, data_dir, language, workers):
    """Handles of ``workers`` workers forked in a warm sandbox of the batch's pool, or None
    (no idle one: the caller starts a sandbox of its own)."""
    if not warm_pool.usable(isolation):
        return None
    channels = [_Channel(forked=True) for _ in range(workers)]
    uids = (isolation.uid, isolation.uid + launcher.SPARE_UID_OFFSET)[:workers]
    lease = warm_pool.lease(isolation, data_dir, language,
                            [channel.forked_ends for channel in channels], uids)
    if lease is None:
        for channel in channels:
            channel.close()
        return None
    for channel in channels:  # the zygote has them now
        for fd in channel.forked_ends:
            os.close(fd)
    return [Forked(lease, index, channel) for index, channel in enumerate(channels)]


def _worker_fds(channels, control, uids):
    """(the fds the sandbox gets, the worker's two arguments or None): a worker's (in,
    out), or the zygote's control and each worker's (in, out, log, uid) (see worker.py)."""
    if control is None:
        return channels[0].worker_ends, None
    fds = (control, *(fd for channel in channels for fd in channel.forked_ends))
    return fds, ("zygote", ":".join([str(control)] + [
        ",".join(map(str, (*channel.forked_ends, uid)))
        for channel, uid in zip(channels, uids, strict=True)]))


class _Channel:
    """The pipes of one worker: requests in, replies out, and (forked) its printed output."""

    def __init__(self, forked):
        to_worker_r, self.to_worker = os.pipe()
        self.from_worker, from_worker_w = os.pipe()
        for fd in (self.to_worker, self.from_worker):
            _widen(fd)
        # Neither end blocks the grader: reads and writes wait with a deadline (session).
        os.set_blocking(self.to_worker, False)
        os.set_blocking(self.from_worker, False)
        self.reader = wire.Reader(self.from_worker)
        self.worker_ends = (to_worker_r, from_worker_w)
        self.output = None  # a forked worker's printed output (read end)
        self.forked_ends = ()  # (forked) the worker ends and its output's write end
        if forked:
            self.output, log_w = os.pipe()
            self.forked_ends = (*self.worker_ends, log_w)

    def close(self):
        for fd in (self.to_worker, self.from_worker, self.output, *self.worker_ends,
                   *self.forked_ends[2:]):
            if fd is not None:
                _close(fd)


class _Sandbox:
    """The sandbox's first process (bubblewrap, or the worker or zygote itself)."""

    def __init__(self, process, isolation, scratch):
        self.process, self.isolation, self.scratch = process, isolation, scratch

    def kill(self):
        """SIGKILL it and everything it started; safe from any thread."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if self.isolation.level == "user":
            _kill_all_of(self.isolation.uid)  # children that left the process group

    def end(self):
        self.kill()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        shutil.rmtree(self.scratch, ignore_errors=True)


class Launched:
    """A worker that is its sandbox (it ends with it); its output is the sandbox's."""

    def __init__(self, sandbox, channel):
        self._sandbox, self._channel = sandbox, channel
        self.to_worker, self.reader = channel.to_worker, channel.reader
        self._drain = None  # its output comes through the sandbox's stdout

    def attach(self, keep):
        """Give each chunk the worker prints to ``keep(chunk)``, from a thread."""
        self._drain = _drain(self._sandbox.process.stdout, keep)

    def kill(self):
        self._sandbox.kill()

    def exit_code(self, timeout):
        """The worker's exit code (negative: a signal), or None if it has not ended."""
        try:
            return self._sandbox.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def close(self):
        for fd in (self.to_worker, self._channel.from_worker):
            _close(fd)
        self._sandbox.end()
        _close_drained(self._drain, self._sandbox.process.stdout)


class _Zygote(ZygoteHandle):
    """The zygote of a sandbox: it kills its workers on request and reports their ends
    ("INDEX STATUS" lines on the sandbox's stdout, read up to STATUS_LIMIT). No worker can
    signal it or write to its stdout; a zygote that does not answer costs its own
    submission time (bounded by the budget), then the whole sandbox is killed.
    """

    def __init__(self, sandbox, control, workers):
        self._sandbox, self._control = sandbox, control
        os.set_blocking(control, False)  # a zygote that stops reading cannot block the grader
        super().__init__(workers)

    def kill(self, index):
        try:
            os.write(self._control, f"{index}\n".encode())
        except OSError:  # the zygote is gone (its sandbox with it) or stuck: end them all
            self._sandbox.kill()

    def kill_all(self):
        self._sandbox.kill()

    def _end(self):
        _close(self._control)
        self._sandbox.end()
        self._reports.join(timeout=5)
        self._sandbox.process.stdout.close()

    def _reported(self):
        stream, seen = self._sandbox.process.stdout, 0
        while seen < STATUS_LIMIT and (line := stream.readline(200)):
            seen += len(line)
            try:
                index, status = map(int, line.split())
            except ValueError:
                continue
            yield index, status
        while stream.read1(1 << 16):  # drained to the end, unread
            pass


class Forked:
    """A worker a zygote forked; its printed output comes through a pipe of its own."""

    def __init__(self, zygote, index, channel):
        self._zygote, self._index, self._channel = zygote, index, channel
        self.to_worker, self.reader = channel.to_worker, channel.reader
        self._drain = None
        self._stream = os.fdopen(channel.output, "rb")

    def attach(self, keep):
        self._drain = _drain(self._stream, keep)

    def kill(self):
        self._zygote.kill(self._index)

    def exit_code(self, timeout):
        return self._zygote.exit_code(self._index, timeout)

    def close(self):
        self.kill()
        for fd in (self.to_worker, self._channel.from_worker):
            _close(fd)
        if self.exit_code(timeout=5) is None:  # not reported: the zygote is stuck
            self._zygote.kill_all()
        self._zygote.release()
        _close_drained(self._drain, self._stream)


def _drain(stream, keep):
    def run():
        while chunk := stream.read1(1 << 16):
            keep(chunk)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread


def _close_drained(drain, stream):
    """Close ``stream`` once its ``drain`` thread has read it to the end. If a process the
    kill did not reach still holds the pipe, closing would wait on the reading thread:
    the stream is then left to close when that thread ends."""
    if drain is not None:
        drain.join(timeout=5)
        if drain.is_alive():
            return
    stream.close()


def _close(fd):
    try:
        os.close(fd)
    except OSError:
        pass


def _widen(fd):
    """A 1 MiB pipe buffer (Linux): arrays of a training step cross in a few system calls."""
    try:
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_BYTES)
    except OSError:
        pass  # the default 64 KiB works, a little slower


def _kill_all_of(uid):
    """SIGKILL every process of ``uid`` (a worker's private uid), from a forked child."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setuid(uid)
            os.kill(-1, signal.SIGKILL)
        finally:
            os._exit(0)
    os.waitpid(pid, 0)
