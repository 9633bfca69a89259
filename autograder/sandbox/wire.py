"""The grader <-> worker wire format: length-framed JSON plus raw array bytes. No pickle.

A message is ``[8-byte header length][header JSON][buffer 0][buffer 1]...``; the header
lists the byte length of each buffer. Values are encoded as JSON with a few tagged forms:

- ``{"$nd": i, "dtype": "<f8", "shape": [2, 3]}``: a numeric array, its bytes in buffer i
  (bool, int, uint and float dtypes only; anything else is not sent as an array);
- ``{"$tuple": [...]}``, ``{"$dict": [[key, value], ...]}``, ``{"$float": "nan"}``;
- ``{"$obj": handle, "type": "Relu", "callable": true}``: any other object, left in the
  worker and named by a handle (worker -> grader only);
- ``{"$ref": handle}``: such an object passed back to the worker (grader -> worker).

Decoding is strict: unknown tags, other dtypes, sizes that do not add up and messages over
the reader's limit raise :class:`WireError`. The grader reads every reply with a limit that
fits its request (see :func:`receive`), so a worker cannot make it allocate more than that,
and writes with a deadline (see :func:`send`), so a worker that stops reading cannot block
it. This module runs inside the sandbox too, so it imports only the standard library and
numpy.
"""

import json
import math
import os
import struct
import sys

import numpy as np

# What the worker accepts from the grader. The grader's largest request is a network's
# parameters and a batch (~1 MB); replies are limited far more tightly, per request.
MAX_MESSAGE_BYTES = 64 << 20
MAX_DEPTH = 32
_ALLOWED_KINDS = "biuf"  # bool, signed and unsigned integers, floats


_JSON = json.JSONEncoder(allow_nan=False, separators=(",", ":"))  # made once: it is reused
# Type tuples made once: ``bool | str`` written in a call is built anew at each call (~0.5
# us), and encode and decode run for every value of every message.
_BOOL_OR_STR = (bool, str)
_SEQUENCES = (list, tuple)
# The exact types of JSON's scalars. Most values are of exactly these (and everything
# json.loads makes is): one set lookup of the type tells them, before the isinstance
# chains that subclasses need (5-15% of encoding and decoding a small message).
_PLAIN_JSON = frozenset((str, bool, type(None)))
_DECODED_SCALARS = frozenset((str, bool, int, float, type(None)))


class WireError(ValueError):
    """A message that breaks the format (corrupted, truncated, or too big)."""


class MessageTooLarge(WireError):
    """A message larger than its reader's limit (its bytes are left unread)."""

    def __init__(self, size, limit):
        super().__init__(f"a message of {size:,} bytes, where at most {limit:,} fit")
        self.size, self.limit = size, limit


class ChannelClosed(EOFError):
    """The other end closed the channel (the worker died, or the grader went away)."""


class Handle:
    """An object that stays in the worker, seen from the grader (see ``$obj``)."""

    def __init__(self, number, type_name, is_callable):
        self.number, self.type_name, self.is_callable = number, type_name, is_callable


def encode(value, to_handle=None):
    """(header-ready JSON value, list of buffers) for ``value``.

    to_handle(obj) -> dict: how objects that are not plain data are sent (the worker hands
    out handles); without it they raise WireError.
    """
    buffers = []
    return _encode(value, buffers, to_handle, 0), buffers


def _encode(value, buffers, to_handle, depth):
    if depth > MAX_DEPTH:
        raise WireError("value nested too deeply")
    if type(value) in _PLAIN_JSON:  # exact types first; subclasses below
        return value
    if isinstance(value, _BOOL_OR_STR):  # None is exactly NoneType: returned above
        return value
    if isinstance(value, int):
        return value if abs(value) < 2**63 else float(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else {"$float": repr(value)}
    if isinstance(value, np.generic) and value.dtype.kind in _ALLOWED_KINDS:
        return _encode(value.item(), buffers, to_handle, depth)
    # Subclasses travel as their base (an np.matrix as its array, an OrderedDict or a
    # defaultdict as a dict, a namedtuple as a tuple): correct code may return them. Not a
    # masked array: its values alone would not say what it means.
    if isinstance(value, np.ndarray) and not _masked(value) \
            and value.dtype.kind in _ALLOWED_KINDS:
        # Not np.ascontiguousarray: it makes a 0-d array (np.array(1.0), np.squeeze's
        # scalar) 1-d, and correct code returning one failed on a shape it never had.
        data = np.asarray(value, order="C")
        buffers.append(data)  # sent straight from its memory (see send)
        return {"$nd": len(buffers) - 1, "dtype": data.dtype.str, "shape": list(data.shape)}
    if isinstance(value, _SEQUENCES):
        items = [_encode(item, buffers, to_handle, depth + 1) for item in value]
        return items if isinstance(value, list) else {"$tuple": items}
    if isinstance(value, dict):
        return {"$dict": [[_encode(k, buffers, to_handle, depth + 1),
                           _encode(v, buffers, to_handle, depth + 1)]
                          for k, v in value.items()]}
    if isinstance(value, Handle):
        return {"$ref": value.number}
    if to_handle is None:
        raise WireError(f"cannot send a {type(value).__name__}")
    return to_handle(value)


def _masked(array):
    """Whether ``array`` is a masked array, without importing numpy.ma (~30 ms, on each
    worker's start): no array can be one unless numpy.ma was imported."""
    ma = sys.modules.get("numpy.ma")
    return ma is not None and isinstance(array, ma.MaskedArray)


def decode(node, buffers, from_handle=None, from_ref=None):
    """The value of an encoded ``node`` (see :func:`encode`); arrays are views of
    ``buffers`` (each a fresh bytearray of its own). At most MAX_VALUES lists, tuples,
    dicts and scalars: past them, WireError."""
    return _Decoder(buffers, from_handle, from_ref).decode(node, 0)


# Values (containers and scalars, not array elements) one message may hold. The largest
# honest one, a full-size dx of Affine returned as nested Python lists (dx.tolist()), holds
# ~78,500; a JSON header of nested empty lists within its 2 MB would hold a million, each a
# Python object the grader builds, counts and copies (~10 s of its CPU a reply).
MAX_VALUES = 200_000


class _Decoder:
    def __init__(self, buffers, from_handle, from_ref):
        self.buffers, self.from_handle, self.from_ref = buffers, from_handle, from_ref
        self.left = MAX_VALUES

    def decode(self, node, depth):
        self._count(1)
        return self._value(node, depth)

    def _count(self, values):
        self.left -= values
        if self.left < 0:
            raise WireError(f"a message of more than {MAX_VALUES:,} values")

    def _value(self, node, depth):
        """The value of ``node``, already counted."""
        if depth > MAX_DEPTH:
            raise WireError("value nested too deeply")
        kind = type(node)  # exactly one of JSON's types (json.loads made it)
        if kind in _DECODED_SCALARS:
            return node
        if kind is list:
            return self._items(node, depth + 1)
        if kind is not dict or len(node) == 0:
            raise WireError("malformed value")
        if "$nd" in node:
            return _array(node, self.buffers)
        if "$tuple" in node:
            return tuple(self._items(_list(node["$tuple"]), depth + 1))
        if "$dict" in node:
            pairs = _list(node["$dict"])
            self._count(2 * len(pairs))
            return {_key(self._value(k, depth + 1)): self._value(v, depth + 1)
                    for k, v in pairs}
        return self._tagged(node)

    def _items(self, items, depth):
        """The values of a list's ``items``, counted here; a scalar (most of them) without
        a call of its own."""
        self._count(len(items))
        if depth > MAX_DEPTH and items:
            raise WireError("value nested too deeply")
        scalars = _DECODED_SCALARS
        return [item if type(item) in scalars else self._value(item, depth) for item in items]

    def _tagged(self, node):
        from_handle, from_ref = self.from_handle, self.from_ref
        if "$float" in node and node["$float"] in ("nan", "inf", "-inf"):
            return float(node["$float"])
        if "$obj" in node and from_handle is not None:
            return from_handle(Handle(int(node["$obj"]), str(node.get("type", "object"))[:100],
                                      bool(node.get("callable"))))
        if "$ref" in node and from_ref is not None:
            return from_ref(int(node["$ref"]))
        raise WireError("malformed value")


def _list(node):
    if type(node) is not list:
        raise WireError("malformed value")
    return node


def _key(key):
    if isinstance(key, list):  # lists are unhashable; keys that were tuples stay tuples
        raise WireError("unhashable dict key")
    return key


_DTYPES = {}  # a dtype as sent ("<f8") -> the np.dtype, checked when first seen
_DTYPES_KEPT = 64  # (a worker may send any number of spellings: only so many are kept)


def _dtype(text):
    """The allowed np.dtype that ``text`` names, else WireError."""
    dtype = _DTYPES.get(text) if type(text) is str else None
    if dtype is not None:
        return dtype
    try:
        dtype = np.dtype(str(text))
    except (TypeError, ValueError) as error:
        raise WireError(f"malformed array: {error}") from None
    if dtype.kind not in _ALLOWED_KINDS or dtype.fields is not None or dtype.subdtype:
        raise WireError(f"array of dtype {dtype} refused")
    if type(text) is str and len(_DTYPES) < _DTYPES_KEPT:
        _DTYPES[text] = dtype
    return dtype


def _array(node, buffers):
    try:
        text, shape, index = node["dtype"], node["shape"], node["$nd"]
    except KeyError as error:
        raise WireError(f"malformed array: {error}") from None
    dtype = _dtype(text)
    try:
        shape = tuple([int(n) for n in _list(shape)])
        raw = buffers[int(index)]
    except (TypeError, ValueError, IndexError) as error:
        raise WireError(f"malformed array: {error}") from None
    if len(shape) > MAX_DEPTH or (shape and min(shape) < 0) \
            or math.prod(shape) * dtype.itemsize != len(raw):
        raise WireError("array size does not match its shape")
    # ``raw`` is a bytearray of its own (see receive): the array may keep it, writable.
    return np.frombuffer(raw, dtype=dtype).reshape(shape)


def send(fd, header, buffers=(), wait=None):
    """Write one message (``header``: a JSON-ready dict) and its buffers to ``fd``.

    wait(fd): called whenever a non-blocking ``fd`` is full; may raise (the grader's side
    passes its deadline). Returns the number of bytes written.
    """
    views = [_bytes_view(b) for b in buffers]
    header = dict(header, buffers=[view.nbytes for view in views])
    head = _JSON.encode(header).encode("utf-8")
    # One writev for the whole message: the reader wakes once, not once per piece.
    views = [memoryview(struct.pack("<Q", len(head)) + head), *views]
    _write_all(fd, views, wait)
    return sum(view.nbytes for view in views)


def _bytes_view(buffer):
    if isinstance(buffer, np.ndarray) and buffer.flags.c_contiguous and buffer.size:
        return memoryview(buffer).cast("B")  # the usual case, without numpy's calls
    if isinstance(buffer, np.ndarray):  # (a flat byte view also works for empty arrays)
        return memoryview(np.ascontiguousarray(buffer).reshape(-1).view(np.uint8))
    return memoryview(buffer).cast("B")


def receive(source, limit=MAX_MESSAGE_BYTES, header_limit=None):
    """Read one message: (header dict, list of bytearrays).

    source: a :class:`Reader` (what both ends use), or a file descriptor read without a
    buffer of its own.
    limit: the most bytes the whole message may have. It is checked against the declared
    sizes before the header is read and again before any buffer is, so nothing larger is
    ever allocated.
    header_limit: the most bytes its JSON part may have (default: ``limit``). Parsed, JSON
    grows up to ~25x (nested empty lists), where arrays, sent as buffers, do not grow: a
    reader that takes large arrays bounds the header apart.
    """
    read = source.exactly if isinstance(source, Reader) else lambda n: read_into(source, n)
    (length,) = struct.unpack("<Q", read(8))
    if length > min(limit, header_limit or limit):
        raise MessageTooLarge(length, min(limit, header_limit or limit))
    try:
        header = json.loads(read(length).decode("utf-8"))
        sizes = [int(n) for n in header.pop("buffers")]
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        raise WireError(f"malformed header: {type(error).__name__}") from None
    if not isinstance(header, dict) or any(n < 0 for n in sizes):
        raise WireError("malformed header")
    if sum(sizes) + length > limit:
        raise MessageTooLarge(sum(sizes) + length, limit)
    return header, [read(n) for n in sizes]


class Reader:
    """Messages from ``fd`` in as few system calls as the data allows.

    Each read takes what the channel holds, up to ``CHUNK`` bytes, and keeps what follows
    for the next piece: a message that has arrived whole (the usual case: it is written
    with one writev) costs one read instead of one per piece (length, header, each array).
    A piece of a chunk or more is read straight into its own memory. What is kept never
    exceeds a chunk, so the limits of :func:`receive` still bound the memory.

    wait: called when a non-blocking ``fd`` has nothing to read; may raise (the grader's
    side sets it, with the deadline of each request). Without it ``fd`` must block.
    """

    CHUNK = 1 << 16

    def __init__(self, fd, wait=None):
        self.fd, self.wait = fd, wait
        self._chunk = memoryview(bytearray(self.CHUNK))
        self._start = self._end = 0  # the bytes read but not yet taken: _chunk[_start:_end]

    def exactly(self, n):
        """The next ``n`` bytes, as a fresh bytearray."""
        start = self._start
        if n <= self._end - start:  # the usual case: read already, with what came along
            self._start = start + n
            return bytearray(self._chunk[start:start + n])
        buffer = bytearray(n)
        view = memoryview(buffer)
        got = self._take(view)
        while got < n:
            if n - got >= self.CHUNK:
                got += self._read(view[got:])
            else:
                self._start, self._end = 0, self._read(self._chunk)
                got += self._take(view[got:])
        return buffer

    def _take(self, view):
        count = min(len(view), self._end - self._start)
        view[:count] = self._chunk[self._start:self._start + count]
        self._start += count
        return count

    def _read(self, view):
        while True:
            try:
                count = os.readv(self.fd, [view])
            except BlockingIOError:  # only a non-blocking fd with nothing in it yet
                self.wait()
                continue
            if count == 0:
                raise ChannelClosed("channel closed")
            return count


def read_into(fd, n):
    """Exactly ``n`` bytes from a blocking ``fd`` as a fresh bytearray, read in place."""
    buffer = bytearray(n)
    view, got = memoryview(buffer), 0
    while got < n:
        count = os.readv(fd, [view[got:]])
        if count == 0:
            raise ChannelClosed("channel closed")
        got += count
    return buffer


def _write_all(fd, views, wait=None):
    views = [view for view in views if view.nbytes]
    while views:
        try:
            written = os.writev(fd, views[:1024])  # IOV_MAX is 1024 on Linux
        except BlockingIOError:  # only a non-blocking fd: wait until it drains
            wait(fd)
            continue
        while views and written >= views[0].nbytes:
            written -= views[0].nbytes
            views.pop(0)
        if written:
            views[0] = views[0][written:]
