"""The sandboxed worker: runs one submission's code and answers the grader's requests.

Started by :mod:`autograder.sandbox.session` as ``python -I worker.py IN_FD OUT_FD`` inside
the sandbox, with only this folder's standalone modules (this file, ``wire.py``,
``student_side.py``), Python, numpy and the public ``selfcheck`` package in view. It never
judges anything: it executes notebook cells, calls the student's objects and returns plain
values. Objects that are not plain data stay here and are named by handles.

Requests (``op``): exec, stand_in, lookup, getattr, call, call_method, prepare_network,
parameter_state, train.
Replies: ``{"value": ...}`` or ``{"error": {...}}``; while a request runs, the worker may
send ``{"callback": ...}`` to have a trusted layer (which lives in the grader) compute a
forward or backward pass, and waits for ``{"callback_value": ..., "attrs": {...}}``.
"""

import builtins
import linecache
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import numpy as np  # noqa: E402
import student_side  # noqa: E402
import wire  # noqa: E402

MAX_MESSAGE_CHARS = 2000  # of an exception's text sent back (the rest is cut)


class Worker:
    def __init__(self, fd_in, fd_out):
        self.fd_in, self.fd_out = fd_in, fd_out
        # `plt` as the notebook's plotting cell would define it, imported on first use: the
        # grader does not run that cell, and an answer cell may still plot.
        self.namespace = {"__name__": "__main__", "__builtins__": builtins,
                          "plt": LazyModule("matplotlib.pyplot")}
        self.objects = {}  # handle -> object the grader may refer to
        self.mnist = None

    # -- the loop ------------------------------------------------------------------------
    def serve(self):
        while True:
            try:
                header, buffers = wire.receive(self.fd_in)
            except wire.ChannelClosed:
                return
            request = wire.decode(header["request"], buffers, from_ref=self.objects.__getitem__)
            self._reply(self._answer(request))

    def _answer(self, request):
        op = request.pop("op")
        try:
            return {"value": getattr(self, "op_" + op)(**request)}
        except BaseException as error:  # SystemExit, KeyboardInterrupt: still just a reply
            return {"error": describe_error(error)}

    def _reply(self, reply):
        try:
            node, buffers = wire.encode(reply, self._handle_of)
        except Exception as error:  # e.g. an array of object dtype inside a dict: say so
            node, buffers = wire.encode({"error": describe_error(error)})
        wire.send(self.fd_out, {"reply": node}, buffers)

    def _handle_of(self, obj):
        number = len(self.objects) + 1
        self.objects[number] = obj
        return {"$obj": number, "type": _type_name(obj), "callable": callable(obj)}

    # -- requests ------------------------------------------------------------------------
    def op_exec(self, cell, source):
        filename = f"<cell {cell}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        exec(compile(source, filename, "exec"), self.namespace)  # noqa: S102 (the point)
        return None

    def op_lookup(self, name):
        if name not in self.namespace or getattr(self.namespace[name], "grader_stand_in", 0):
            return {"found": False}
        value = self.namespace[name]
        return {"found": True, "is_class": isinstance(value, type),
                "type": _type_name(value), "value": value}

    def op_stand_in(self, names):
        """Define a trusted stand-in for each layer class in ``names`` the cells did not
        define, so that a missing Relu fails the Relu checks but not TwoLayerNet's."""
        made = []
        for name in names:
            if name not in self.namespace:
                self.namespace[name] = _stand_in_class(self, name)
                made.append(name)
        return made

    def op_getattr(self, target, name):
        return getattr(target, name)

    def op_call(self, target, args=(), kwargs=None):
        return target(*args, **(kwargs or {}))

    def op_call_method(self, target, name, args=(), kwargs=None):
        return getattr(target, name)(*args, **(kwargs or {}))

    def op_prepare_network(self, net, params, kinds):
        return student_side.prepare_network(net, params, self._trusted_layer, kinds)

    def op_parameter_state(self, net):
        return student_side.parameter_state(net)

    def op_train(self, data_dir, sgd_source, kinds, **settings):
        steps = {"np": np}
        exec(compile(sgd_source, "<given sgd_step>", "exec"), steps)  # noqa: S102
        if self.mnist is None:
            x_train, t_train, x_test = (
                np.load(os.path.join(data_dir, f"{name}.npy"), mmap_mode="r")
                for name in ("x_train", "t_train", "x_test"))
            self.mnist = (x_train, t_train, x_test / 255.0)
        make_net = self.namespace.get("TwoLayerNet")
        if make_net is None:
            raise NameError("name 'TwoLayerNet' is not defined")
        return student_side.train_network(
            lambda dtype: make_net(784, 50, 10, dtype=dtype), steps["sgd_step"], self.mnist,
            make_layer=self._trusted_layer, kinds=tuple(kinds), call=_tag_stage, **settings)

    # -- trusted layers --------------------------------------------------------------------
    def _trusted_layer(self, kind, old_layer):
        return TrustedLayer(self, kind, old_layer)

    def callback(self, layer, method, args):
        # W and b go with the forward pass (they change between steps, in place); the
        # grader keeps them for the backward pass that follows.
        state = {"W": layer.W, "b": layer.b} \
            if layer.kind == "Affine" and method == "forward" else {}
        node, buffers = wire.encode({"stub": layer.stub_id, "kind": layer.kind,
                                     "method": method, "args": args, "state": state})
        wire.send(self.fd_out, {"callback": node}, buffers)
        header, buffers = wire.receive(self.fd_in)
        answer = wire.decode(header["callback_reply"], buffers)
        if "error" in answer:
            raise ValueError(answer["error"])  # bad input to a trusted layer, e.g. a shape
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


class TrustedLayer:
    """A stand-in for one of the student's layers whose passes the grader computes.

    An Affine one keeps the student's W and b arrays themselves (updates in place still
    reach it) and sends their current values with every call.
    """

    _count = 0

    def __init__(self, worker, kind, old_layer):
        TrustedLayer._count += 1
        self.stub_id, self.kind, self._worker = TrustedLayer._count, kind, worker
        if kind == "Affine":
            self.W, self.b = old_layer.W, old_layer.b

    def forward(self, *args):
        return self._worker.callback(self, "forward", args)

    def backward(self, *args):
        return self._worker.callback(self, "backward", args)


def _stand_in_class(worker, kind):
    def __init__(self, W=None, b=None):
        TrustedLayer.__init__(self, worker, kind, _Parameters(W, b))

    return type(kind, (TrustedLayer,), {"__init__": __init__, "grader_stand_in": True})


class _Parameters:
    def __init__(self, W, b):
        self.W, self.b = W, b


def _tag_stage(what, fn, *args):
    """Call student code; if it raises, remember which stage of training it was."""
    try:
        return fn(*args)
    except BaseException as error:
        try:
            error._grader_stage = what
        except Exception:  # noqa: S110 (an exception type without a __dict__: no stage)
            pass
        raise


def _type_name(obj):
    try:
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
            "where": _student_frame(error), "stage": getattr(error, "_grader_stage", None)}


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


if __name__ == "__main__":
    Worker(int(sys.argv[1]), int(sys.argv[2])).serve()
