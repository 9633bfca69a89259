"""Proxies for objects that live in the sandboxed worker, as a session hands them out.

A :class:`RemoteObject` stands for one object of the worker (a class, a layer, a
network): attribute reads and calls on it are requests of its session, and what comes back
is plain data or another proxy. The session makes them (it imports this module; this module
imports nothing of the sandbox, so the two never import each other).
"""


class RemoteObject:
    """An object that lives in the worker. Attribute reads and calls are requests."""

    __slots__ = ("_session", "_handle", "_generation", "_label")

    def __init__(self, session, handle, generation, label=None):
        self._session, self._handle, self._generation = session, handle, generation
        self._label = label or handle.type_name

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        label = f"{self._label}.{name}"
        methods = self._session.methods
        if (self._handle.type_name, name) in methods:
            return RemoteMethod(self, name, label)  # saves a round trip per call
        value = self._session.request("getattr", label=label, target=self._ref(), name=name)
        if isinstance(value, RemoteObject):
            value._label = label
            if value._handle.type_name == "method":
                methods.add((self._handle.type_name, name))
        return value

    def __call__(self, *args, **kwargs):
        return self._session.request("call", label=self._label, target=self._ref(),
                                     args=args, kwargs=kwargs)

    @property
    def type_name(self):
        """The name of the type of the object this stands for (for messages)."""
        return self._handle.type_name

    def _ref(self):
        if self._generation != self._session.generation:
            raise self._session.stale(self._label)
        return self._handle

    def __repr__(self):
        return f"<{self._handle.type_name} in the sandbox>"


class RemoteMethod:
    """``obj.name`` for a method seen before on objects of the same type: calling it asks
    the worker for ``getattr(obj, name)(*args)`` in one request."""

    __slots__ = ("_owner", "_name", "_label")

    def __init__(self, owner, name, label):
        self._owner, self._name, self._label = owner, name, label

    def __call__(self, *args, **kwargs):
        session = self._owner._session
        return session.request("call_method", label=self._label, target=self._owner._ref(),
                               name=self._name, args=args, kwargs=kwargs)

    def __repr__(self):
        return f"<method {self._label} in the sandbox>"


class Outcome:
    """How one step of a request ended: its value, or the exception it raised (see
    ``Session.make_and_use``). ``get()`` returns the one or raises the other, so
    ``call_student(label, outcome.get)`` reads as the call itself would."""

    __slots__ = ("value", "error")

    def __init__(self, value=None, error=None):
        self.value, self.error = value, error

    def get(self):
        if self.error is not None:
            raise self.error
        return self.value
