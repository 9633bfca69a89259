"""The grader's side of one sandboxed worker: start it, talk to it, survive it.

A :class:`Session` owns one submission's worker. It executes the submission's cells there,
then serves requests from the checks (through :mod:`autograder.sandbox.remote`). Whatever
the student's code does, a request ends in one of three ways:

- a value (plain data: numbers, arrays, lists; other objects as handles);
- the student's exception, re-raised here as :class:`StudentRaised` (never a real
  SystemExit or KeyboardInterrupt);
- :class:`WorkerFailed` (a CheckFailed with the student's message) when the worker ran past
  its wall time, died, or corrupted the channel. The worker is then killed and restarted
  lazily, replaying the cells that ran cleanly, so the next check runs on a fresh one; the
  method that hung is not called again.

Output the student's code prints is drained by a thread and kept up to ``OUTPUT_LIMIT``.
"""

import builtins
import os
import select
import shutil
import signal
import subprocess
import tempfile
import threading
import time

import numpy as np

from autograder.sandbox import launcher, wire
from selfcheck.expect import CheckFailed
from selfcheck.messages import say

PIPE_BYTES = 1 << 20
OUTPUT_LIMIT = 64 << 10  # bytes of the student's printed output kept (the rest is counted)
START_TIMEOUT = 30.0  # seconds for Python + numpy to start in the sandbox
CELL_TIMEOUT = 20.0
CALL_TIMEOUT = 10.0  # one call of student code on the checks' small inputs takes ~1 ms
MAX_RESTARTS = 8  # each costs ~0.5 s; a submission that needs more is failed outright


class WorkerFailed(CheckFailed):
    """The worker hung, died or broke the channel; ``str()`` is the student's message."""


class StudentRaised(Exception):
    """Base of the exceptions re-raised from the worker (see :func:`_exception`)."""

    type_name = "Exception"
    student_where = None  # {"function", "line", "code", "cell"} of the student's line
    student_stage = None  # in training: the stage that raised ("TwoLayerNet.predict", ...)


_EXCEPTION_CLASSES = {}


def _exception(description):
    """A StudentRaised of the same name and, for builtin Exceptions, the same base class,
    so ``isinstance(error, ValueError)`` and ``type(error).__name__`` behave as at home."""
    name = str(description.get("type", "Exception"))[:100]
    base = next((getattr(builtins, b) for b in description.get("bases", ())
                 if isinstance(getattr(builtins, b, None), type)
                 and issubclass(getattr(builtins, b), Exception)), Exception)
    key = (name, base)
    if key not in _EXCEPTION_CLASSES:
        bases = (StudentRaised,) if base is Exception else (base, StudentRaised)
        _EXCEPTION_CLASSES[key] = type(name, bases, {"type_name": name})
    error = _EXCEPTION_CLASSES[key](str(description.get("message", "")))
    error.student_where = description.get("where")
    error.student_stage = description.get("stage")
    return error


class Session:
    """One submission's worker. Use as a context manager; ``run_cells`` first.

    cells: [(cell id, source)] to execute in order.
    stand_ins: layer class names that, if the cells leave them undefined, get a trusted
    stand-in (invisible to ``lookup``), so one missing layer is charged once.
    trusted_layer(kind): a trusted layer object, for the worker's trusted stand-ins.
    data_dir: folder of the prepared MNIST arrays (mounted read-only), or None.
    """

    def __init__(self, cells, *, isolation, trusted_layer=None, data_dir=None,
                 language="en", stand_ins=()):
        self.cells = list(cells)
        self.stand_ins = list(stand_ins)  # layer classes to stand in for when missing
        self.isolation, self.trusted_layer = isolation, trusted_layer
        self.data_dir, self.language = data_dir, language
        self.cell_errors = {}  # cell id -> StudentRaised or WorkerFailed
        self.stopped = {}  # label of a call that hung or killed the worker -> reason
        self.generation = 0  # bumps at each restart; handles of old workers are void
        self.restarts = 0
        self.methods = set()  # (type name, attribute) seen to be methods
        self._process = None
        self._lock = threading.Lock()
        self._output, self._output_bytes = bytearray(), 0

    # -- lifetime --------------------------------------------------------------------------
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def run_cells(self):
        """Execute every cell once; a cell that raises or hangs is recorded and skipped.

        After a restart, the same runs again: the cells that ran cleanly, in order.
        """
        self._ensure_started()
        for cell, source in self.cells:
            if cell in self.cell_errors:
                continue
            try:
                self.request("exec", label=f"cell '{cell}'", timeout=CELL_TIMEOUT,
                             cell=cell, source=source)
            except (StudentRaised, WorkerFailed) as error:
                self.cell_errors[cell] = error
        if self.stand_ins:
            self.request("stand_in", label="the grader's stand-in layers",
                         names=self.stand_ins)

    def close(self):
        self._kill()

    def clone(self):
        """A new Session for the same cells and settings (its own worker, not started)."""
        return Session(self.cells, isolation=self.isolation, trusted_layer=self.trusted_layer,
                       data_dir=self.data_dir, language=self.language,
                       stand_ins=self.stand_ins)

    @property
    def output(self):
        """What the student's code printed (stdout and stderr), cut at OUTPUT_LIMIT."""
        text = bytes(self._output).decode("utf-8", "replace")
        if self._output_bytes > OUTPUT_LIMIT:
            text += f"\n[... {self._output_bytes - OUTPUT_LIMIT} more bytes not kept]"
        return text

    # -- requests ----------------------------------------------------------------------------
    def request(self, op, *, label, timeout=CALL_TIMEOUT, **fields):
        """Send one request; return its value, or raise StudentRaised / WorkerFailed.

        label: what runs, for messages ("Relu.backward"). A label that hung or killed the
        worker before is not run again.
        """
        if label in self.stopped:
            raise WorkerFailed(say("stopped_earlier", what=label, reason=self.stopped[label]))
        self._ensure_started()
        deadline = time.monotonic() + timeout
        try:
            node, buffers = wire.encode({"op": op, **fields})
            wire.send(self._to_worker, {"request": node}, buffers)
            while True:
                header, buffers = wire.receive(self._from_worker, self._reader(deadline))
                if "callback" in header:
                    self._serve_callback(header["callback"], buffers)
                    continue
                reply = wire.decode(header["reply"], buffers, from_handle=self._handle)
                break
        except _Timeout:
            self._fail(label, say("timed_out", what=label, seconds=timeout), "timed out")
        except (wire.ChannelClosed, BrokenPipeError, OSError):  # OSError: closed meanwhile
            how = self._death()
            self._fail(label, say("process_ended", what=label, how=how), how)
        except (wire.WireError, KeyError, TypeError, ValueError) as error:
            how = f"{type(error).__name__}: {error}"
            self._fail(label, say("channel_broken", what=label, how=how), "broken channel")
        if not isinstance(reply, dict) or ("value" not in reply and "error" not in reply):
            self._fail(label, say("channel_broken", what=label, how="bad reply"), "bad reply")
        if "error" in reply:
            raise _exception(reply["error"] if isinstance(reply["error"], dict) else {})
        return reply["value"]

    def _fail(self, label, message, reason):
        self.stopped[label] = reason
        self._kill()
        raise WorkerFailed(message)

    def _handle(self, handle):
        from autograder.sandbox.remote import RemoteObject

        return RemoteObject(self, handle, self.generation)

    def _serve_callback(self, node, buffers):
        """Compute a trusted layer's pass for the worker (see worker.TrustedLayer)."""
        call = wire.decode(node, buffers)
        layers = self._trusted_layers
        layer = layers.get(call["stub"])
        if layer is None:
            layer = layers[call["stub"]] = self.trusted_layer(str(call["kind"]))
        for name, value in call.get("state", {}).items():
            setattr(layer, name, value)
        try:
            method = {"forward": layer.forward, "backward": layer.backward}[call["method"]]
            answer = {"value": method(*call["args"]), "attrs": _plain_attributes(layer)}
        except Exception as error:  # the student fed a trusted layer bad input
            answer = {"error": f"{type(error).__name__}: {error}"}
        node, buffers = wire.encode(answer)
        wire.send(self._to_worker, {"callback_reply": node}, buffers)

    # -- the process -------------------------------------------------------------------------
    def _ensure_started(self):
        if self._process is not None:
            return
        if self.restarts >= MAX_RESTARTS:
            raise WorkerFailed(say("stopped_earlier", what="your code",
                                   reason=f"{MAX_RESTARTS} restarts"))
        restart = self.generation > 0
        self._start()
        if restart:  # bring back what the cells defined
            self.restarts += 1
            self.run_cells()

    def _start(self):
        self.generation += 1
        self._trusted_layers = {}
        to_worker_r, self._to_worker = os.pipe()
        self._from_worker, from_worker_w = os.pipe()
        for fd in (self._to_worker, self._from_worker):
            _widen(fd)
        fds = (to_worker_r, from_worker_w)
        self._scratch = tempfile.mkdtemp(prefix="backprop-worker-")
        if self.isolation.uid is not None and self.isolation.level == "user":
            os.chown(self._scratch, self.isolation.uid, self.isolation.uid)
        command, pass_fds = launcher.worker_command(self.isolation, fds, self.data_dir)
        self._process = subprocess.Popen(
            command, pass_fds=pass_fds, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, cwd=self._scratch,
            env=launcher.environment(self.language), start_new_session=True,
            preexec_fn=launcher.limit_resources(self.isolation))  # noqa: PLW1509
        for fd in pass_fds:  # the worker's ends, and the seccomp filter's pipe
            os.close(fd)
        self._drain = threading.Thread(target=self._keep_output, args=(self._process.stdout,),
                                       daemon=True)
        self._drain.start()

    def _keep_output(self, stream):
        while chunk := stream.read1(1 << 16):
            room = OUTPUT_LIMIT - len(self._output)
            if room > 0:
                self._output += chunk[:room]
            self._output_bytes += len(chunk)

    def _reader(self, deadline):
        def read(fd, n):
            def wait():
                left = deadline - time.monotonic()
                if left <= 0 or not select.select([fd], [], [], left)[0]:
                    raise _Timeout()
            return wire.read_into(fd, n, wait)
        return read

    def _death(self):
        """How the worker ended, in words, once its channel closed."""
        try:
            code = self._process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            return "it closed the grader's channel"
        if code < 0 or code > 128:
            number = -code if code < 0 else code - 128
            try:
                name = signal.Signals(number).name
            except ValueError:
                name = f"signal {number}"
            hint = {"SIGXCPU": ": CPU time limit", "SIGKILL": ": killed, out of memory?",
                    "SIGSEGV": ": crashed, too deep a recursion?",
                    "SIGXFSZ": ": file size limit"}.get(name, "")
            return f"{name}{hint}"
        return f"exit status {code}"

    def _kill(self):
        with self._lock:  # close() may come from another thread than a failing request
            process, self._process = self._process, None
        if process is None:
            return
        for fd in (self._to_worker, self._from_worker):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if self.isolation.level == "user":
            _kill_all_of(self.isolation.uid)  # children that left the process group
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        self._drain.join(timeout=5)
        process.stdout.close()
        shutil.rmtree(self._scratch, ignore_errors=True)


def _widen(fd):
    """A 1 MiB pipe buffer (Linux): arrays of a training step cross in a few system calls."""
    try:
        import fcntl

        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), PIPE_BYTES)
    except OSError:
        pass  # the default 64 KiB works, a little slower


class _Timeout(Exception):
    pass


def _plain_attributes(layer):
    """A trusted layer's state the student's code may read after a pass (dW, db, loss...).

    W and b stay the student's own arrays; x is the input the student already has.
    """
    return {name: value for name, value in vars(layer).items()
            if name not in ("W", "b", "x") and _plain(value)}


def _plain(value):
    if isinstance(value, np.ndarray):
        return value.dtype.kind in "biuf"
    if isinstance(value, tuple):
        return all(_plain(v) for v in value)
    return value is None or isinstance(value, bool | int | float | np.generic)


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
