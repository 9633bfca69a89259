"""The sandboxed worker: runs one submission's code and answers the grader's requests.

Started by :mod:`autograder.sandbox.processes` as
``python -I -S -u worker.py IN_FD OUT_FD IMPORT_DIR...`` inside the sandbox (or as
``worker.py zygote CHANNELS IMPORT_DIR...``: see :func:`zygote`, or ``worker.py warm
MASTER IMPORT_DIR...``: see :func:`warm`), with only this
folder's standalone modules (this file, ``wire.py``, ``network_driver.py``), Python, numpy
and the public ``selfcheck`` package in view. It never judges anything: it executes
notebook cells, calls the student's objects and returns plain values. Objects that are not
plain data stay here and are named by handles. Once a cell has run, all of this belongs to
the student, who may change any of it: the grader checks every answer itself and believes
nothing else this process says.

Requests (``op``): exec, lookup, getattr, call, call_method, make_and_use, build_network,
parameter_state, mnist_train, mnist_states.
Replies: ``{"value": ...}`` or ``{"error": {...}}``; ``make_and_use`` first sends one
``{"step": {"value": ...} or {"error": ...}}`` per step, as each ends. While a network
request runs, a stand-in layer may send ``{"callback": ...}`` to have the grader compute
its pass, and waits for ``{"callback_reply": ...}``: the value and attributes, or an error
when the grader refuses.
"""

import builtins
import contextlib
import importlib
import linecache
import os
import signal
import socket
import stat
import sys
import threading
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# Started without `site` (python -S, for a faster start): the folders of numpy and selfcheck
# come as arguments, and the builtins `site` adds (exit, quit, help...) are added here.
sys.path += sys.argv[3:]
import site  # noqa: E402 (under -S, importing it adds nothing by itself)

site.setquit()
site.setcopyright()
site.sethelper()

import network_driver  # noqa: E402
import numpy as np  # noqa: E402
import wire  # noqa: E402

from selfcheck.assignment import LAYER_KEEPS  # noqa: E402

# What the notebook's setup cell imports besides numpy (tests/test_worker.py holds the two
# together): imported here, in the zygote that forks the workers and before any student
# code runs, as numpy is, so that a worker's first cell does not spend ~25 ms on them.
PRELOADED = ("selfcheck", "selfcheck.messages", "selfcheck.numerics")
for _module in PRELOADED:
    importlib.import_module(_module)

MAX_MESSAGE_CHARS = 2000  # of an exception's text sent back (the rest is cut)
_NUMPY_ERRORS = np.geterr()  # numpy's defaults, before any cell ran


class Worker:
    def __init__(self, fd_in, fd_out):
        self.fd_in, self.fd_out = fd_in, fd_out
        self.reader = wire.Reader(fd_in)
        # `plt` as the notebook's plotting cell would define it, imported on first use: the
        # grader does not run that cell, and an answer cell may still plot.
        self.namespace = {"__name__": "__main__", "__builtins__": builtins,
                          "plt": LazyModule("matplotlib.pyplot")}
        self.objects = {}  # handle -> object the grader may refer to
        self.mnist = None  # (x_train, t_train), memory-mapped on first use
        self.states = []  # the parameters at each step of the last MNIST run

    # -- the loop ------------------------------------------------------------------------
    def serve(self):
        while True:
            try:
                header, buffers = wire.receive(self.reader)
            except wire.ChannelClosed:
                return
            try:
                request = wire.decode(header["request"], buffers,
                                      from_ref=self.objects.__getitem__)
            except Exception as error:  # e.g. a handle of an earlier worker
                self._reply({"error": describe_error(error)})
                continue
            self._reply(self._answer(request))

    def _answer(self, request):
        op = request.pop("op")
        try:
            return {"value": getattr(self, "op_" + op)(**request)}
        except BaseException as error:  # SystemExit, KeyboardInterrupt: still just a reply
            return {"error": describe_error(error)}

    def _reply(self, reply):
        self._send("reply", reply)

    def _send(self, kind, message):
        """Send ``{kind: message}``; False if it could not be encoded (an error saying why
        went instead)."""
        try:
            node, buffers = wire.encode(message, self._handle_of)
        except Exception as error:  # e.g. an array of object dtype inside a dict: say so
            node, buffers = wire.encode({"error": describe_error(error)})
            wire.send(self.fd_out, {kind: node}, buffers)
            return False
        wire.send(self.fd_out, {kind: node}, buffers)
        return True

    def _handle_of(self, obj):
        number = len(self.objects) + 1
        self.objects[number] = obj
        return {"$obj": number, "type": _type_name(obj), "callable": callable(obj)}

    # -- requests ------------------------------------------------------------------------
    def op_exec(self, cell, source):
        filename = f"<cell {cell}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        try:
            exec(compile(source, filename, "exec"), self.namespace)  # noqa: S102 (the point)
        finally:
            # A np.seterr(all="raise") left in a cell from debugging made the given forward
            # passes raise on the checks' large inputs (an overflow the student's own runs
            # never met): the methods run with numpy's default error handling.
            np.seterr(**_NUMPY_ERRORS)
        return None

    def op_lookup(self, name):
        if name not in self.namespace:
            return {"found": False}
        value = self.namespace[name]
        return {"found": True, "is_class": isinstance(value, type),
                "type": _type_name(value), "value": value}

    def op_getattr(self, target, name):
        return getattr(target, name)

    def op_call(self, target, args=(), kwargs=None):
        return target(*args, **(kwargs or {}))

    def op_call_method(self, target, name, args=(), kwargs=None):
        return getattr(target, name)(*args, **(kwargs or {}))

    def op_make_and_use(self, target, steps):
        """``made = target(*args)`` for the first step ``[None, args]``, then each later step
        on ``made``: a method call ``[name, args]`` or an attribute read ``[name, None]``
        (a layer made, run forward and backward in one request). Each step's outcome is
        sent as it ends; the first error ends the request."""
        # BaseException, as in _answer: SystemExit is the student's, just an answer.
        for value, error in network_driver.run_steps(target, steps, BaseException):
            if error is not None:
                self._send("step", {"error": describe_error(error)})
                return None
            if not self._send("step", {"value": value}):
                return None
        return None

    def op_build_network(self, sizes, params, dtype, kinds, stubs):
        """The student's TwoLayerNet on ``params``, with a stand-in for each layer of
        ``kinds``: those classes are replaced while the network is built, so a layer class
        that is missing or whose constructor raises costs only its own checks."""
        make_net = self.namespace.get("TwoLayerNet")
        if make_net is None:
            raise NameError("name 'TwoLayerNet' is not defined")
        stubs = iter(stubs)
        classes = {kind: self.namespace.get(kind) for kind in kinds}
        served = {}  # id of a stand-in layer -> its StandIn

        def stand_in(kind, old_layer):
            passes = _stand_in(self, kind, next(stubs), classes[kind], old_layer)
            served[id(passes.layer)] = passes
            return passes.layer

        with _replaced(self.namespace, {kind: _placeholder(kind) for kind in kinds}):
            net, report = network_driver.build_network(make_net, sizes, params, dtype,
                                                     stand_in, kinds)
        placed = report["placed"]
        report["placed"] = [[index, kind, served[id(layer)].stub]
                            for index, kind, layer in placed]
        # For the feedback only: a gradient that picks layers by exact class misses these.
        report["subclassed"] = sorted({kind for _, kind, layer in placed
                                       if isinstance(classes[kind], type)
                                       and type(layer) is not classes[kind]})
        return {"net": net, **report}

    def op_parameter_state(self, net):
        return network_driver.parameter_state(net)

    def op_set_parameters(self, net, params):
        network_driver.set_parameters(net, params)

    def op_mnist_train(self, net, params, batches, lr, dtype, data_dir):
        """The grader's SGD run on MNIST (see network_driver.train_committed): returns the
        commitments, keeps the states for ``mnist_states``."""
        if self.mnist is None:
            self.mnist = tuple(np.load(os.path.join(data_dir, f"{name}.npy"), mmap_mode="r")
                               for name in ("x_train", "t_train"))
        commitments, self.states = network_driver.train_committed(net, params, batches, lr,
                                                                self.mnist, dtype)
        return commitments

    def op_mnist_states(self, steps):
        """The parameters after each of ``steps`` (0: before the first step)."""
        return {step: self.states[step] for step in steps}

    # -- stand-in layers ---------------------------------------------------------------
    def callback(self, stand_in, method, args):
        # W and b go with the forward pass (they change between steps, in place); the
        # grader keeps them for the backward pass that follows.
        layer = stand_in.layer
        state = {"W": layer.W, "b": layer.b} \
            if stand_in.kind == "Affine" and method == "forward" else {}
        node, buffers = wire.encode({"stub": stand_in.stub, "method": method, "args": args,
                                     "state": state})
        wire.send(self.fd_out, {"callback": node}, buffers)
        header, buffers = wire.receive(self.reader)
        answer = wire.decode(header["callback_reply"], buffers)
        if "error" in answer:
            raise RuntimeError(answer["error"])  # refused, or bad input to the layer
        for name, value in answer["attrs"].items():
            setattr(layer, name, value)
        return answer["value"]


class LazyModule:
    """A module imported on first attribute access."""

    def __init__(self, name):
        self._name = name

    def __getattr__(self, attr):
        import importlib

        return getattr(importlib.import_module(self._name), attr)


class StandIn:
    """The passes of a layer the grader placed in a network it builds, for a layer kind
    whose own checks failed (or every kind, when a check is about TwoLayerNet.gradient
    alone): the grader computes them. It holds no reference code; outside the grader's own
    network requests the grader refuses to answer it.

    ``layer`` is what the network holds: a layer whose ``forward`` and ``backward`` are
    this object's (see :func:`_stand_in`). On it the stand-in keeps what the given forward
    passes keep about their inputs (x, t), and the rest (dW, db, mask, loss, y) from the
    grader's answers, so code that walks the layers may read them. An Affine one's layer
    holds the network's W and b arrays themselves (updates in place still reach it), and
    their current values go with every forward pass.
    """

    def __init__(self, worker, kind, stub, layer):
        self.kind, self.stub, self.layer, self._worker = kind, stub, layer, worker

    def forward(self, *args, **kwargs):
        args = _positional(args, kwargs, ("x", "t"))
        if self.kind == "Affine" and args and hasattr(args[0], "shape"):
            self.layer.original_x_shape = args[0].shape
            self.layer.x = args[0].reshape(args[0].shape[0], -1)
        if self.kind == "SoftmaxWithLoss" and len(args) > 1:
            self.layer.t = args[1]
        return self._worker.callback(self, "forward", args)

    def backward(self, *args, **kwargs):
        return self._worker.callback(self, "backward", _positional(args, kwargs, ("dout",)))


# What each layer of the book sets to None in its __init__: what it keeps of its inputs,
# and what its passes keep (LAYER_KEEPS). Code that reads one of them before a pass (an
# ``if self.lastLayer.y is None`` test) finds None, not an AttributeError.
_BOOK_ATTRIBUTES = {kind: (*inputs, *LAYER_KEEPS[kind]) for kind, inputs in
                    {"Affine": ("x", "original_x_shape"), "Relu": (),
                     "SoftmaxWithLoss": ("t",)}.items()}


def _positional(args, kwargs, names):
    """``args`` with the keyword arguments of ``names`` appended in order (backward(dout=1)
    is as good as backward(1))."""
    kwargs = dict(kwargs)
    extra = [kwargs.pop(name) for name in names[len(args):] if name in kwargs]
    if kwargs:
        raise TypeError(f"unexpected keyword argument {next(iter(kwargs))!r}")
    return (*args, *extra)


def _stand_in(worker, kind, stub, student_class, old_layer):
    """A StandIn of ``kind`` and its layer, which starts with the book's attributes (None;
    an Affine one with ``old_layer``'s W and b)."""
    passes = _bare_stand_in(worker, kind, stub, student_class)
    for name in _BOOK_ATTRIBUTES.get(kind, ()):
        setattr(passes.layer, name, None)
    if kind == "Affine":
        passes.layer.W, passes.layer.b = old_layer.W, old_layer.b
    return passes


def _bare_stand_in(worker, kind, stub, student_class):
    """A StandIn and its layer, made without any __init__ (the student's may be what
    failed), of the first class of :func:`_layer_classes` whose instance takes the
    stand-in's passes as its own."""
    for make_class in _layer_classes(kind, student_class):
        try:
            layer = object.__new__(make_class())
            passes = StandIn(worker, kind, stub, layer)
            if _takes_passes(layer, passes):
                return passes
        except Exception:  # noqa: BLE001 (a class that refuses them: the next one)
            continue
    raise TypeError(f"no class could hold the stand-in {kind}")  # (a plain one can)


def _layer_classes(kind, student_class):
    """Makers of the classes a stand-in layer may be of, best first: the student's class
    itself, so that code that picks layers by ``type(layer) is Affine`` finds them as at
    home; a subclass of it, for a class whose instances cannot have their own forward and
    backward (__slots__ without __dict__, a property of that name: ``isinstance`` still
    holds); a plain class (no class, or one that cannot be subclassed)."""
    if isinstance(student_class, type):
        yield lambda: student_class
        yield lambda: type(kind, (_Served, student_class), {})
    yield lambda: type(kind, (), {})


class _Served:
    """The first base of a stand-in layer's subclass: plain attributes named as the passes,
    found before the student's (a property) in the lookup, so the instance's own win."""

    forward = backward = None


def _takes_passes(layer, passes):
    """Give ``layer`` the passes of ``passes`` as attributes of its own; whether reading
    them back gives exactly those."""
    for name in ("forward", "backward"):
        method = getattr(passes, name)
        object.__setattr__(layer, name, method)  # the student's __setattr__ is no judge
        if getattr(layer, name) is not method:
            return False
    return True


def _placeholder(kind):
    """A class that only remembers what the network's constructor gives it."""
    def __init__(self, W=None, b=None, *args, **kwargs):
        self.W, self.b = W, b

    return type(kind, (), {"__init__": __init__})


_MISSING = object()


@contextlib.contextmanager
def _replaced(namespace, values):
    """Names of ``namespace`` bound to other values inside a ``with`` block."""
    before = {name: namespace.get(name, _MISSING) for name in values}
    namespace.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is _MISSING:
                namespace.pop(name, None)
            else:
                namespace[name] = value


def _type_name(obj):
    """The name of ``obj``'s type, with its dtype if it is an array the wire does not carry
    (complex, object, structured): the student's message says which."""
    try:
        if isinstance(obj, np.ndarray):
            return f"ndarray(dtype={obj.dtype})"
        return type(obj).__name__
    except Exception:
        return "object"


def describe_error(error):
    """A plain description of an exception: type, its bases, text, the student's line."""
    try:
        text = str(error)
    except Exception:
        text = "(its message could not be printed)"
    bases = [cls.__name__ for cls in type(error).__mro__
             if cls.__module__ == "builtins"]
    return {"type": _type_name(error), "bases": bases, "message": text[:MAX_MESSAGE_CHARS],
            "where": _student_frame(error)}


def _student_frame(error):
    """{"function", "line", "code"} of the innermost frame in a notebook cell, or None."""
    tb, found = error.__traceback__, None
    if isinstance(error, SyntaxError) and str(error.filename).startswith("<cell "):
        return {"function": "<module>", "line": error.lineno or 0,
                "code": (error.text or "").strip()[:200], "cell": error.filename[6:-1]}
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith("<cell "):
            line = linecache.getline(filename, tb.tb_lineno).strip()
            found = {"function": tb.tb_frame.f_code.co_name, "line": tb.tb_lineno,
                     "code": line[:200], "cell": filename[6:-1]}
        tb = tb.tb_next
    return found


def zygote(channels):
    """Fork one worker per channel of ``channels`` ("CONTROL:IN,OUT,LOG,UID:...": file
    descriptors, and the uid the worker runs as) before any cell runs, so that they share
    this start (numpy imported once), then only obey the grader: "INDEX" on CONTROL kills
    that worker and every process of its uid, the end of CONTROL kills them all, and each
    worker's end is reported on stdout as "INDEX STATUS". This process runs no student
    code and is the sandbox's init (bwrap --as-pid-1: no process
    inside can signal it), so the sandbox lives on when one worker is killed or dies; it
    also reaps the orphans the workers leave, as an init does. It is root in the sandbox,
    with CAP_SETUID and CAP_SETGID only, so that each worker runs as a uid of its own and
    neither can signal the other."""
    control, *specs = channels.split(":")
    control, specs = int(control), [tuple(map(int, spec.split(","))) for spec in specs]
    others = {control, *(fd for spec in specs for fd in spec[:3])}
    pids = [_fork_worker(spec, others, index) for index, spec in enumerate(specs)]
    for spec in specs:
        for fd in spec[:3]:
            os.close(fd)
    uids = [spec[3] for spec in specs]
    threading.Thread(target=_obey, args=(control, pids, uids), daemon=True).start()
    left = set(pids)
    while left:
        pid, status = os.waitpid(-1, 0)
        if pid in left:
            left.discard(pid)
            os.write(1, f"{pids.index(pid)} {status}\n".encode())
    os._exit(0)


# The second worker of a zygote or a lease is the spare: the early MNIST run, which only
# has to end before the checks do. Run at a lower priority, it takes what the grader and
# the checks' worker, taking turns, leave of the cores, instead of slowing their turns:
# ~5% of a correct notebook's time on two cores (nice 19: ~9%). Not lower: beside busy
# processes, a run starved past TRAINING_SECONDS would fail the MNIST check (at nice 10 it
# still gets a tenth of a core beside each).
SPARE_NICE = 10


def _fork_worker(spec, others, index):
    """A child serving the channel ``spec`` as its uid (its output to the LOG pipe), having
    closed ``others`` (the zygote's own descriptors) but its channel; its pid. Worker
    ``index`` 1, the spare, runs at SPARE_NICE."""
    pid = os.fork()
    if pid:
        return pid
    fd_in, fd_out, fd_log, uid = spec
    code = 1
    try:
        os.dup2(fd_log, 1)
        os.dup2(fd_log, 2)
        for fd in set(others) - {fd_in, fd_out}:
            os.close(fd)
        if index:
            os.nice(SPARE_NICE)
        os.setgroups([])  # as setpriv --clear-groups --regid --reuid; the capabilities go
        os.setresgid(uid, uid, uid)  # with the change from uid 0
        os.setresuid(uid, uid, uid)
        if os.getuid() == 0 or os.geteuid() == 0:  # never serve as root
            raise PermissionError("still root")
        Worker(fd_in, fd_out).serve()
        code = 0
    except BaseException:  # noqa: BLE001 (said on its output, as a worker of its own would)
        traceback.print_exc()
    os._exit(code)


def _obey(control, pids, uids):
    """Kill the workers the grader names on ``control``; all of them when it closes."""
    while data := os.read(control, 256):
        for word in data.split():
            if word.isdigit() and int(word) < len(pids):
                _kill(pids[int(word)], uids[int(word)])
    for pid, uid in zip(pids, uids, strict=True):
        _kill(pid, uid)
    os._exit(0)


def _kill(pid, uid):
    """SIGKILL the worker ``pid`` and every process of its ``uid``: what it forked too,
    even in a session of its own (that would hold its pipes open and take a core). The
    grader's ``processes._kill_all_of`` does the same outside a sandbox; this file imports
    nothing of the grader, so the few lines are here too."""
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:  # ended (and reaped) already
        pass
    _as(uid, _kill_own)  # not waited for: reaped by the zygote's loop, as every orphan is


def _kill_own():
    os.kill(-1, signal.SIGKILL)  # as a worker's uid: only its own processes


# -- the warm zygote --------------------------------------------------------------------
CLEAN_SECONDS = 5.0  # to clear a lease's processes and files; past it the sandbox ends
# The only folders of the sandbox a worker may write to: /tmp, and /tmp/work (the cwd),
# both root's and sticky (the launcher makes them so). The device nodes of /dev are
# writable too, but hold nothing (their times aside: see the README).
TMP, SCRATCH = "/tmp", "/tmp/work"


def warm(master):
    """Lend this sandbox to one submission after another: each lease comes on ``master``
    (a SOCK_SEQPACKET socket) as a socket of its own, which asks for the workers (see
    :func:`_serve`); when the grader closes it, the lease's processes are killed and its
    files removed before the next lease is served (:func:`_clean`). Numpy is imported once
    for all of them. Nothing of one lease may reach the next: every process of its uids
    is gone, and none of this zygote's about to take them, /tmp is as it began, its files
    and the folders that stay (the rest of the file system is read-only; System V IPC,
    POSIX message queues, keyrings and sockets other than Unix ones are denied by the
    seccomp filter), so the next lease's workers may have the same uids (they do when one
    process grades submission after submission: a Dask worker's, whose uid comes from its
    pid) or others. (Counters and times a lease can move remain, tens of bits each: see
    the README.) When that cannot be made sure within
    CLEAN_SECONDS, this process exits, and the sandbox with it (the grader starts another).
    It ends when ``master`` closes."""
    master = socket.socket(fileno=master)
    begun = Begun()
    while True:
        try:
            _, fds, _, _ = socket.recv_fds(master, 64, 1)
        except OSError:
            fds = []
        if not fds:  # the grader closed the pool
            os._exit(0)
        uids = _serve(socket.socket(fileno=fds[0]), master)
        if not _clean(uids, begun):
            os._exit(1)


def _serve(lease, master):
    """Serve one lease: its first message ("fork LANGUAGE UID,UID" with each worker's
    IN, OUT and LOG descriptors) forks the workers, answered "ready"; then "kill INDEX"
    kills one, each worker's end is reported ("ended INDEX STATUS"), and the lease's end
    kills them all. Returns the lease's uids, once every worker has ended."""
    try:
        message, fds, _, _ = socket.recv_fds(lease, 256, 6)
        words = message.decode().split()
        uids = [int(uid) for uid in words[2].split(",")]
        if words[0] != "fork" or len(fds) != 3 * len(uids) or min(uids) <= 0:
            raise ValueError(message)
    except (OSError, ValueError, IndexError):
        lease.close()
        return ()
    os.environ["BACKPROP_LANG"] = words[1]
    specs = [(*fds[3 * i:3 * i + 3], uid) for i, uid in enumerate(uids)]
    pids = [_fork_worker(spec, {master.fileno(), lease.fileno(), *fds}, index)
            for index, spec in enumerate(specs)]
    for fd in fds:
        os.close(fd)
    ended = threading.Event()
    threading.Thread(target=_obey_lease, args=(lease, pids, uids, ended), daemon=True).start()
    _send(lease, b"ready")
    left = set(pids)
    while left:
        pid, status = os.waitpid(-1, 0)
        if pid in left:
            left.discard(pid)
            _send(lease, f"ended {pids.index(pid)} {status}".encode())
    ended.wait()
    lease.close()
    return uids


def _obey_lease(lease, pids, uids, ended):
    """Kill the workers the lease names; all of them when it ends."""
    while True:
        try:
            words = lease.recv(64).split()
        except OSError:
            words = []
        if not words:
            break
        if len(words) == 2 and words[0] == b"kill" and words[1].isdigit() \
                and int(words[1]) < len(pids):
            _kill(pids[int(words[1])], uids[int(words[1])])
    for pid, uid in zip(pids, uids, strict=True):
        _kill(pid, uid)
    ended.set()


def _send(lease, message):
    try:
        lease.send(message)
    except OSError:  # the grader is gone: the lease ends when its socket is seen closed
        pass


def _clean(uids, begun):
    """Whether every process of ``uids`` is gone and /tmp is as the sandbox began
    (``begun``), within CLEAN_SECONDS: processes killed (as each uid, until /proc shows
    none and this zygote has no child left), then each uid's files removed by a child
    running as that uid (what a uid made, only it may remove: /tmp is sticky, and a folder
    it closed to others only it can open again), then the folders that stay put back as
    they began (:func:`_put_back`).

    No child left: a killer that ``_kill`` forked (not waited for) may not have taken its
    uid yet, so /proc does not show it as one of ``uids``; run later, it would kill the
    next lease's workers, whose uids are these when one process grades submission after
    submission (a Dask worker)."""
    deadline = time.monotonic() + CLEAN_SECONDS
    # reaped first: a killed process shows in /proc until it is
    while not _reaped_all() or _processes_of(uids):
        if time.monotonic() > deadline:
            return False
        for uid in uids:
            _as(uid, _kill_own, deadline)
    for _ in range(3):  # a folder of one uid may hold the other's files: rounds
        if _is_wiped(begun.entries):
            break
        for uid in uids:
            _as(uid, lambda: _remove_own(TMP), deadline)
    return _put_back(begun) and time.monotonic() <= deadline


def _processes_of(uids):
    """The pids of this sandbox's processes that run as one of ``uids`` (zombies too)."""
    found = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/status") as status:
                for line in status:
                    if line.startswith("Uid:"):
                        if int(line.split()[1]) in uids:
                            found.append(int(entry))
                        break
        except (OSError, ValueError):
            continue
    return found


def _as(uid, action, deadline=None):
    """Run ``action`` in a child as ``uid``; wait for it until ``deadline`` (then kill it),
    or (None) not at all."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setresgid(uid, uid, uid)
            os.setresuid(uid, uid, uid)
            action()
        finally:
            os._exit(0)
    while deadline is not None and os.waitpid(pid, os.WNOHANG) == (0, 0):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return
        time.sleep(0.001)


def _reaped_all():
    """Reap every ended child (the workers' orphans are this init's); whether none is
    left."""
    while True:
        try:
            if os.waitpid(-1, os.WNOHANG)[0] == 0:
                return False  # one still runs
        except ChildProcessError:
            return True


def _remove_own(folder):
    """Remove everything under ``folder`` this uid may remove, its own folders opened
    first (a folder chmod 000 by its owner can be opened again by its owner only)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISDIR(info.st_mode):
                if info.st_uid == os.getuid():
                    os.chmod(entry.path, 0o700)
                _remove_own(entry.path)
                os.rmdir(entry.path)
            else:
                os.unlink(entry.path)
        except (OSError, RecursionError):
            continue


def _is_wiped(entries):
    """Whether /tmp holds ``entries`` only and the scratch folder nothing."""
    try:
        return sorted(os.listdir(TMP)) == entries and os.listdir(SCRATCH) == []
    except OSError:
        return False


class Begun:
    """/tmp as the sandbox began, before any lease: its entries (the scratch folder, and
    the parents of mounts that lie under /tmp: a kit installed in /tmp/x has its Python
    there), its times, the scratch folder's mode, and the mode, owner and extended
    attributes of each folder on /tmp's file system, the folders that outlive a lease."""

    def __init__(self):
        self.entries = sorted(os.listdir(TMP))
        info = os.stat(TMP)  # after the listing, which may update its access time
        self.times = (info.st_atime_ns, info.st_mtime_ns)
        self.scratch_mode = stat.S_IMODE(os.stat(SCRATCH).st_mode)
        self.folders = _folders_of(TMP, info.st_dev)
        self.attributes = _attributes(self.folders)


def _folders_of(folder, device):
    """``folder`` and every folder under it on the file system ``device`` (the mounts
    under it apart, read-only)."""
    found = [folder]
    for entry in os.scandir(folder):
        if entry.is_dir(follow_symlinks=False) \
                and entry.stat(follow_symlinks=False).st_dev == device:
            found += _folders_of(entry.path, device)
    return found


def _attributes(paths):
    """Each path's mode, owner and extended attributes (name -> value)."""
    found = {}
    for path in paths:
        info = os.stat(path, follow_symlinks=False)
        found[path] = (info.st_mode, info.st_uid, info.st_gid,
                       {name: os.getxattr(path, name, follow_symlinks=False)
                        for name in os.listxattr(path, follow_symlinks=False)})
    return found


def _put_back(begun):
    """Whether /tmp, its files removed, could be put back as it began (``begun``).
    Removing files leaves the folders that stay, and a worker may write on those too: the
    scratch folder is made anew (a new inode: no extended attribute, time or mode of a
    worker's; a worker cannot set an attribute on a sticky folder of root's, but may set
    its times to a moment of its choosing), /tmp gets its times back (its attributes a
    worker cannot set), and every folder that stays must then have the mode, owner and
    extended attributes it began with. All of it takes ~0.015 ms."""
    if not _is_wiped(begun.entries):
        return False
    try:
        os.rmdir(SCRATCH)
        os.mkdir(SCRATCH)
        os.chmod(SCRATCH, begun.scratch_mode)  # mkdir's mode is cut by the umask
        os.chdir(SCRATCH)  # the next workers' cwd, which they take from this process
        os.utime(TMP, ns=begun.times)  # after the last change to /tmp, which sets them
        return _attributes(begun.folders) == begun.attributes
    except OSError:
        return False


if __name__ == "__main__":
    if sys.argv[1] == "zygote":
        zygote(sys.argv[2])
    elif sys.argv[1] == "warm":
        warm(int(sys.argv[2]))
    else:
        Worker(int(sys.argv[1]), int(sys.argv[2])).serve()
