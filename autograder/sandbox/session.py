"""The grader's side of one sandboxed worker: start it, talk to it, survive it.

A :class:`Session` owns one submission's worker. It executes the submission's cells there,
then serves requests from the checks (through :mod:`autograder.sandbox.sandboxed_code`). Once the
first cell has run, everything in the worker belongs to the student, the worker's own code
included, so the grader trusts nothing it sends:

- every reply is read with a size limit that fits its request, checked before anything is
  allocated (:func:`autograder.sandbox.wire.receive`), and every write to the worker has a
  deadline, so a worker that floods or stops reading costs a bounded time and memory;
- every text from the worker (exception names, messages, lines of code) is cut short here;
- the worker may ask the grader for a stand-in layer's reference pass (a *callback*) only
  while a request that opened a :class:`CallbackScope` runs, and only as that scope allows;
  any other callback is refused;
- all of a submission's sessions share one :class:`Budget` of wall time; when it runs out
  the workers are killed and every later request fails at once.

Whatever the student's code does, a request ends in one of three ways:

- a value (plain data: numbers, arrays, lists; other objects as handles);
- the student's exception, re-raised here as :class:`StudentRaised` (never a real
  SystemExit or KeyboardInterrupt);
- :class:`WorkerFailed` (a CheckFailed with the student's message) when the worker ran past
  its wall time, died, or broke the channel. The worker is then killed and restarted
  lazily, replaying the cells that ran cleanly, so the next check runs on a fresh one; the
  method that hung is not called again.

Output the student's code prints is drained by a thread and kept up to ``OUTPUT_LIMIT``.
"""

import builtins
import contextlib
import re
import select
import signal
import threading
import time

from autograder.sandbox import processes, wire
from autograder.sandbox.proxies import Outcome, RemoteObject
from selfcheck.expect import CheckFailed
from selfcheck.messages import say

OUTPUT_LIMIT = 64 << 10  # bytes of the student's printed output kept (the rest is counted)
CELL_TIMEOUT = 20.0
CALL_TIMEOUT = 10.0  # one call of student code on the checks' small inputs takes ~1 ms
MAX_RESTARTS = 8  # each costs ~0.5 s; a submission that needs more is failed outright
# A reply may hold this much plus four times its request: a backward returns arrays shaped
# like its inputs, a pair at most twice; the largest honest reply (a full-size Affine
# backward) is under 1 MB. A 250-million-element array is refused unread.
REPLY_BYTES = 2 << 20
# The JSON part of any message from a worker: what the student's code returns as Python
# lists and numbers travels there (arrays travel as raw bytes), and a list of nested empty
# lists grows ~25x when parsed. A full-size Affine dx returned as a list (dx.tolist()) is
# 1.5 MB of JSON; the MNIST run's states, as arrays, may take far more than this in all.
HEADER_BYTES = REPLY_BYTES
TEXT_LIMIT = 2000  # characters of a student's exception message kept
NAME_LIMIT = 100  # characters of a type, function or cell name kept
CODE_LIMIT = 200  # characters of a line of the student's code kept


class WorkerFailed(CheckFailed):
    """The worker hung, died or broke the channel; ``str()`` is the student's message."""


class TimedOut(WorkerFailed):
    """A request ran past its own time limit."""


class BudgetExhausted(WorkerFailed):
    """The submission's time budget ran out (see :class:`Budget`)."""


class StudentRaised(Exception):
    """Base of the exceptions re-raised from the worker (see :func:`_exception`)."""

    type_name = "Exception"
    student_where = None  # {"function", "line", "code", "cell"} of the student's line


class Refused(Exception):
    """A callback the grader will not answer; ``str()`` is what the student's code sees.

    cause: why, for the grader's own diagnosis (see
    :attr:`autograder.reference_layers.NETWORK_REFUSALS`), or None.
    """

    def __init__(self, message, cause=None):
        super().__init__(message)
        self.cause = cause


class CallbackScope:
    """What a request lets the worker ask of the grader (see ``Session.request``).

    ``answer(call)`` gets the decoded callback (a dict from the worker: untrusted) and
    returns ``{"value": ..., "attrs": {...}}`` or raises :class:`Refused`.
    """

    def answer(self, call):
        raise Refused(say("stand_in_refused"))


_EXCEPTION_CLASSES = {}


def _exception(description):
    """A StudentRaised of the same name and, for builtin Exceptions, the same base class,
    so ``isinstance(error, ValueError)`` and ``type(error).__name__`` behave as at home.
    Every field is the student's: each is type-checked and cut short."""
    if not isinstance(description, dict):
        description = {}
    name = _text(description.get("type"), NAME_LIMIT) or "Exception"
    bases = description.get("bases")
    bases = [b for b in bases if isinstance(b, str)][:20] if isinstance(bases, list) else []
    base = next((getattr(builtins, b) for b in bases
                 if isinstance(getattr(builtins, b, None), type)
                 and issubclass(getattr(builtins, b), Exception)), Exception)
    if len(_EXCEPTION_CLASSES) > 1000:  # names are the student's: keep the cache bounded
        _EXCEPTION_CLASSES.clear()
    key = (name, base)
    if key not in _EXCEPTION_CLASSES:
        bases = (StudentRaised,) if base is Exception else (base, StudentRaised)
        _EXCEPTION_CLASSES[key] = type(name, bases, {"type_name": name})
    error = _EXCEPTION_CLASSES[key](_text(description.get("message"), TEXT_LIMIT))
    error.student_where = _where(description.get("where"))
    return error


def _where(where):
    if not isinstance(where, dict):
        return None
    line = where.get("line")
    return {"function": _text(where.get("function"), NAME_LIMIT),
            "line": line if isinstance(line, int) and not isinstance(line, bool) else 0,
            "code": _text(where.get("code"), CODE_LIMIT),
            "cell": _text(where.get("cell"), NAME_LIMIT)}


def _text(value, limit):
    """``value`` if it is a string, cut to ``limit`` characters and with its control
    characters written out (see _CONTROL); else ''."""
    if not isinstance(value, str):
        return ""
    value = value if len(value) <= limit else value[:limit] + " [...]"
    return _CONTROL.sub(lambda match: match[0].encode("unicode_escape").decode(), value)


# Characters of a student's text that would act on the terminal or page showing it rather
# than appear: escape sequences (erase a line, move the cursor, hide text, retitle the
# window), carriage returns, bells, Unicode's line and paragraph separators, and the marks
# that reverse the order of what follows.
# Shown as \x1b, \r, \u202e... Line breaks and tabs stay (the reports indent them).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069]")


class Budget:
    """The wall time one submission may take, shared by all of its sessions.

    At the deadline a timer kills every worker it watches (a blocked read then ends at
    once), and from then on every request raises :class:`BudgetExhausted`. Checks graded
    before keep their results. ``seconds=None``: no budget.
    """

    def __init__(self, seconds=None):
        self.seconds = seconds
        self.deadline = None if seconds is None else time.monotonic() + seconds
        self.expired = False
        self._sessions = []
        self._lock = threading.Lock()
        self._timer = None
        if seconds is not None:
            self._timer = threading.Timer(seconds, self.expire)
            self._timer.daemon = True
            self._timer.start()

    def remaining(self):
        if self.deadline is None:
            return float("inf")
        return self.deadline - time.monotonic()

    def watch(self, session):
        with self._lock:
            self._sessions.append(session)
        if self.expired:
            session.kill_process()

    def expire(self):
        with self._lock:
            self.expired = True
            sessions = list(self._sessions)
        for session in sessions:
            session.kill_process()

    def cancel(self):
        """Stop the timer (grading is over)."""
        if self._timer is not None:
            self._timer.cancel()

    def exhausted(self):
        return BudgetExhausted(say("budget_exhausted", seconds=self.seconds))


class Session:
    """One submission's worker. Use as a context manager; ``run_cells`` first.

    cells: [(cell id, source)] to execute in order.
    data_dir: folder of the prepared MNIST arrays (mounted read-only), or None.
    budget: the submission's :class:`Budget`, shared with the sessions it clones.
    spare: start the first worker with a second one beside it, forked before any cell ran,
    for :meth:`sibling` (one sandbox start for both). Only in bubblewrap as root: the
    zygote that forks them is the sandbox's init, which no process inside can signal, and
    each worker gets a uid of its own, so neither can signal the other. Elsewhere (an
    unprivileged grader has one uid to give) a worker could kill its sibling.
    """

    def __init__(self, cells, *, isolation, data_dir=None, language="en", budget=None,
                 spare=False):
        self.cells = list(cells)
        self.isolation, self.data_dir, self.language = isolation, data_dir, language
        self.budget = budget or Budget(None)
        self.cell_errors = {}  # cell id -> StudentRaised or WorkerFailed
        self._failed_in_replay = set()  # cells a worker failed on once while replaying them
        self.stopped = {}  # label of a call that hung or killed the worker -> reason
        self.generation = 0  # bumps when a worker ends; handles of ended workers are void
        self.restarts = 0
        self.methods = set()  # (type name, attribute) seen to be methods
        self.call_timeout = CALL_TIMEOUT  # default time limit of a request
        self.label_suffix = ""  # added to every label (see time_limit)
        self.spare = _can_fork_spare(isolation, spare)
        self._worker = None  # the running worker's handle (see processes), or None
        self._spare = None  # the worker forked beside the first one, until sibling() takes it
        self._adopt = None  # a sibling's spare worker, to start on
        self._started = False
        self._cancelled = False
        self._lock = threading.Lock()
        self._output, self._output_bytes = bytearray(), 0
        self.budget.watch(self)

    @staticmethod
    def start_ahead(*, isolation, data_dir=None, language="en", spare=False):
        """Start the sandbox of a Session with these settings now, before it exists: its
        start (~0.2 s) is then over when the session runs its first cell. Raises OSError
        when the sandbox cannot be started."""
        workers = 2 if _can_fork_spare(isolation, spare) else 1
        processes.start_ahead(isolation, data_dir, language, workers)

    # -- lifetime --------------------------------------------------------------------------
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def run_cells(self):
        """Execute every cell once; a cell that raises or hangs is recorded and skipped.

        Never raises: a worker that cannot be (re)started is recorded against every cell
        still to run, and the checks then say what is missing.
        """
        for cell, source in self.cells:
            if cell in self.cell_errors:
                continue
            try:
                self._ensure_started()
                self._exec(cell, source)
            except (StudentRaised, WorkerFailed) as error:
                self.cell_errors[cell] = error

    def _replay(self):
        """On a fresh worker, the cells that ran cleanly before, in order. A cell that now
        raises is recorded. One the worker fails on (hangs, dies) is recorded the second
        time only, and the next restart replays it: it ran cleanly once, and a worker can
        fail for reasons not the cell's on a loaded machine (seen in a full test run: the
        setup cell's replay after a 10 s timeout); a setup cell dropped for good would
        fail every check after it."""
        for cell, source in self.cells:
            if cell in self.cell_errors:
                continue
            try:
                self._exec(cell, source)
            except StudentRaised as error:
                self.cell_errors[cell] = error
            except WorkerFailed as error:
                if cell in self._failed_in_replay:
                    self.cell_errors[cell] = error
                self._failed_in_replay.add(cell)
            if self._worker is None:
                return

    def _exec(self, cell, source):
        self._exchange("exec", label=f"cell '{cell}'", timeout=CELL_TIMEOUT, cell=cell,
                       source=source)

    def close(self):
        self._kill()
        for worker in (self._spare, self._adopt):  # never used
            if worker is not None:
                worker.close()
        self._spare = self._adopt = None

    def cancel(self):
        """End this session for good, from any thread: its worker is killed and every
        request, from now on, fails at once (the owner still closes it)."""
        self._cancelled = True
        self.kill_process()

    def clone(self):
        """A new Session for the same cells and settings (its own worker, not started),
        on the same budget."""
        return Session(self.cells, isolation=self.isolation, data_dir=self.data_dir,
                       language=self.language, budget=self.budget)

    def sibling(self):
        """As :meth:`clone`, but its first worker is this one's spare (see ``spare``): forked
        with this one's first worker, before any cell ran, so it starts at no cost. This
        session's worker starts now if it has not yet. Without a spare: a clone."""
        session = self.clone()
        if self.spare and not self._started:
            try:
                self._ensure_started()
            except Exception:  # noqa: BLE001 (the clone starts its own; the error recurs)
                return session
        session._adopt, self._spare = self._spare, None
        return session

    @property
    def output(self):
        """What the student's code printed (stdout and stderr), cut at OUTPUT_LIMIT."""
        text = bytes(self._output).decode("utf-8", "replace")
        if self._output_bytes > OUTPUT_LIMIT:
            text += f"\n[... {self._output_bytes - OUTPUT_LIMIT} more bytes not kept]"
        return text

    @contextlib.contextmanager
    def time_limit(self, seconds, label_suffix=""):
        """Requests in the block get ``seconds`` each (unless they set their own), and
        their labels the suffix (so a call stopped here is not barred elsewhere)."""
        before = self.call_timeout, self.label_suffix
        self.call_timeout, self.label_suffix = seconds, label_suffix
        try:
            yield
        finally:
            self.call_timeout, self.label_suffix = before

    # -- requests ----------------------------------------------------------------------------
    def request(self, op, *, label, timeout=None, reply_limit=None, scope=None, **fields):
        """Send one request; return its value, or raise StudentRaised / WorkerFailed.

        label: what runs, for messages ("Relu.backward"). A label that hung or killed the
        worker before is not run again.
        timeout: seconds for the whole request (default ``call_timeout``), never beyond
        the budget. reply_limit: bytes each message of the reply may have (default
        REPLY_BYTES plus four times the request). scope: the CallbackScope that answers
        the worker's callbacks while this request runs (default: none are answered).
        """
        label += self.label_suffix
        if label in self.stopped:
            raise WorkerFailed(say("stopped_earlier", what=label, reason=self.stopped[label]))
        self._ensure_started()
        return self._exchange(op, label=label, timeout=timeout, reply_limit=reply_limit,
                              scope=scope, **fields)

    def make_and_use(self, target, steps):
        """``target(*args)`` and then steps on what it made, in one request: the outcome of
        each step, as if each were a request of its own (a layer made, run forward and
        backward, its attributes read: one round trip instead of five).

        target: a class in the worker (its handle). steps: ``[(label, None, args)]`` first
        (the call of ``target``), then ``(label, name, args)`` for a method call or
        ``(label, name, None)`` for an attribute read of the object made.
        Returns one :class:`~autograder.sandbox.proxies.Outcome` per step. The first step
        that fails (the student's exception, or a WorkerFailed: hung, died, stopped
        earlier, with that step's own label) ends the request; the steps after it fail
        the same way.
        """
        labels = [label + self.label_suffix for label, _, _ in steps]
        # A step stopped earlier (it hung or killed a worker) does not run again.
        count = next((i for i, label in enumerate(labels) if label in self.stopped),
                     len(steps))
        outcomes = []

        def on_step(node, buffers):
            if len(outcomes) == count:
                raise wire.WireError("more steps than asked for")
            outcomes.append(self._outcome(wire.decode(node, buffers,
                                                      from_handle=self._handle)))
            return labels[min(len(outcomes), count - 1)]  # the step that runs now

        failure = None
        try:
            if count:
                self._ensure_started()
                self._exchange("make_and_use", label=labels[0], on_step=on_step,
                               target=target, steps=[[name, args] for _, name, args
                                                     in steps[:count]])
        except (StudentRaised, WorkerFailed) as error:  # the step that was running
            failure = error
        # The worker stops at a step's error: the steps after it fail the same way.
        failure = next((o.error for o in outcomes if o.error is not None), failure)
        while len(outcomes) < len(steps):
            if failure is None:  # stopped earlier, or a step the worker never answered
                label = labels[len(outcomes)]
                failure = WorkerFailed(say("stopped_earlier", what=label,
                                           reason=self.stopped.get(label, "no answer")))
            outcomes.append(Outcome(error=failure))
        return outcomes

    @staticmethod
    def _outcome(step):
        """A step's outcome from the worker's {"value": ...} or {"error": {...}}."""
        if isinstance(step, dict) and "error" in step:
            return Outcome(error=_exception(step["error"]))
        if isinstance(step, dict) and "value" in step:
            return Outcome(value=step["value"])
        raise wire.WireError("malformed step")

    def _exchange(self, op, *, label, timeout=None, reply_limit=None, scope=None,
                  on_step=None, **fields):
        """One request and its reply on the running worker (see ``request``).

        on_step(node, buffers): takes each ``step`` message of a make_and_use request and
        returns the label of the step that runs next (a time-out or death is its)."""
        if self.budget.expired:
            raise self.budget.exhausted()
        worker = self._worker
        if worker is None:
            raise WorkerFailed(say("stopped_earlier", what=label, reason=say("reason_no_worker")))
        timeout = self.call_timeout if timeout is None else timeout
        deadline = time.monotonic() + min(timeout, self.budget.remaining())
        scope = scope or CallbackScope()
        try:
            node, buffers = wire.encode({"op": op, **fields})
            sent = wire.send(worker.to_worker, {"request": node}, buffers,
                             self._writer(deadline))
            limit = reply_limit or REPLY_BYTES + 4 * sent
            worker.reader.wait = lambda: _wait(worker.reader.fd, deadline, "read")
            while True:
                if time.monotonic() >= deadline:  # a worker that sends without end
                    raise _Timeout()
                header, buffers = wire.receive(worker.reader, limit, HEADER_BYTES)
                if "callback" in header:
                    self._serve_callback(worker, scope, header["callback"], buffers, deadline)
                    continue
                if "step" in header and on_step is not None:
                    label = on_step(header["step"], buffers)
                    continue
                reply = wire.decode(header["reply"], buffers, from_handle=self._handle)
                break
        except _Timeout:
            self._timed_out(label, timeout)
        except (wire.ChannelClosed, BrokenPipeError, OSError):  # OSError: closed meanwhile
            if self.budget.expired:
                self._kill()
                raise self.budget.exhausted() from None
            how = self._death(worker)
            self._fail(label, say("process_ended", what=label, how=how), how)
        except wire.MessageTooLarge as error:
            self._fail(label, say("reply_too_large", what=label, size=error.size,
                                  limit=error.limit), "reply too large")
        except (wire.WireError, KeyError, TypeError, ValueError, RecursionError) as error:
            how = f"{type(error).__name__}: {_text(str(error), NAME_LIMIT)}"
            self._fail(label, say("channel_broken", what=label, how=how), "broken channel")
        if not isinstance(reply, dict) or ("value" not in reply and "error" not in reply):
            self._fail(label, say("channel_broken", what=label, how="bad reply"), "bad reply")
        if "error" in reply:
            raise _exception(reply["error"])
        return reply["value"]

    def _timed_out(self, label, timeout):
        if self.budget.expired or self.budget.remaining() <= 0:
            self._kill()
            raise self.budget.exhausted()
        self.stopped[label] = "timed out"
        self._kill()
        raise TimedOut(say("timed_out", what=label, seconds=timeout))

    def _fail(self, label, message, reason):
        self.stopped[label] = reason
        self._kill()
        raise WorkerFailed(message)

    def _handle(self, handle):
        return RemoteObject(self, handle, self.generation)

    def stale(self, label):
        """The error for a proxy of a worker that has ended (restarted or stopped)."""
        return WorkerFailed(say("stopped_earlier", what=label,
                                reason=self.stopped.get(label, "restarted")))

    def _serve_callback(self, worker, scope, node, buffers, deadline):
        """Answer one callback as ``scope`` allows; a refusal is the student's exception."""
        try:
            answer = scope.answer(wire.decode(node, buffers))
        except Refused as refusal:
            answer = {"error": str(refusal)}
        except Exception as error:  # noqa: BLE001 (malformed, or bad input to a layer)
            answer = {"error": f"{type(error).__name__}: {_text(str(error), TEXT_LIMIT)}"}
        node, buffers = wire.encode(answer)
        wire.send(worker.to_worker, {"callback_reply": node}, buffers, self._writer(deadline))

    # -- the process -------------------------------------------------------------------------
    def _ensure_started(self):
        """A running worker: started, or restarted with the cells that ran cleanly."""
        while self._worker is None:
            if self.budget.expired:
                raise self.budget.exhausted()
            if self._cancelled:
                raise WorkerFailed(say("stopped_earlier", what=say("what_your_code"),
                                       reason=say("reason_cancelled")))
            if self.restarts >= MAX_RESTARTS:
                raise WorkerFailed(say("too_many_restarts", restarts=MAX_RESTARTS))
            restart = self._started
            self._start()
            if restart:  # bring back what the cells defined
                self.restarts += 1
                self._replay()

    def _start(self):
        worker, self._adopt = self._adopt, None
        if worker is None:
            spare = self.spare and not self._started  # the first start only
            worker, *others = processes.launch(self.isolation, self.data_dir, self.language,
                                               workers=2 if spare else 1)
            self._spare = others[0] if others else None
        self._started = True
        worker.attach(self._keep_output)
        with self._lock:
            self._worker = worker
        if self.budget.expired:  # the budget ran out while this one started
            self.kill_process()

    def _keep_output(self, chunk):
        room = OUTPUT_LIMIT - len(self._output)
        if room > 0:
            self._output += chunk[:room]
        self._output_bytes += len(chunk)

    @staticmethod
    def _writer(deadline):
        return lambda fd: _wait(fd, deadline, "write")

    @staticmethod
    def _death(worker):
        """How ``worker`` ended, in words, once its channel closed."""
        code = worker.exit_code(timeout=2)
        if code is None:
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

    def kill_process(self):
        """SIGKILL the worker and everything it started; safe from any thread (the
        channel stays open until the owner's next read sees it closed)."""
        with self._lock:
            worker = self._worker
        if worker is not None:
            worker.kill()

    def _kill(self):
        self.kill_process()
        with self._lock:  # close() may come from another thread than a failing request
            worker, self._worker = self._worker, None
        if worker is None:
            return
        self.generation += 1
        worker.close()


def _can_fork_spare(isolation, spare):
    """Whether a session asked for a ``spare`` gets one (see Session)."""
    return spare and isolation.level == "bubblewrap" and isolation.uid is not None


def _wait(fd, deadline, direction):
    """Block until ``fd`` can be read or written, or raise _Timeout at ``deadline``."""
    left = deadline - time.monotonic()
    lists = ([fd], [], []) if direction == "read" else ([], [fd], [])
    if left <= 0 or not any(select.select(*lists, left)):
        raise _Timeout()


class _Timeout(Exception):
    pass
