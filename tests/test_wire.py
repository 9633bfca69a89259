"""Does the grader <-> worker format carry plain data exactly, and refuse everything else?"""

import os

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from strategies import PROPERTY_SETTINGS

from autograder.sandbox import wire


def _roundtrip(value, **kwargs):
    read_fd, write_fd = os.pipe()
    try:
        node, buffers = wire.encode(value, **kwargs)
        wire.send(write_fd, {"v": node}, buffers)
        header, buffers = wire.receive(read_fd)
        return wire.decode(header["v"], buffers)
    finally:
        os.close(read_fd)
        os.close(write_fd)


def test_plain_values_come_back_equal():
    """Do arrays (any numeric dtype, any shape), tuples, dicts and non-finite floats survive?"""
    value = {"x": np.arange(12.0).reshape(3, 4), "mask": np.array([True, False]),
             "t": (np.int64(3), 2.5, None, "text"), "nan": float("nan"), "i8": np.int8(-3),
             "empty": np.zeros((0, 3), dtype=np.float32), 7: [1, 2]}
    back = _roundtrip(value)
    np.testing.assert_array_equal(back["x"], value["x"])
    assert back["x"].dtype == np.float64 and back["mask"].dtype == bool
    assert back["t"] == (3, 2.5, None, "text") and np.isnan(back["nan"])
    assert back["empty"].shape == (0, 3) and back[7] == [1, 2] and back["i8"] == -3


def test_arrays_keep_their_shape_even_without_axes():
    """Does a 0-d array (np.array(2.5), what np.squeeze of one value gives) arrive 0-d,
    and a strided view arrive with its own values?"""
    back = _roundtrip((np.array(2.5), np.array(7), np.arange(12.0).reshape(3, 4)[:, ::2]))
    assert back[0].shape == () and back[0] == 2.5 and back[1].shape == () and back[1] == 7
    np.testing.assert_array_equal(back[2], [[0.0, 2.0], [4.0, 6.0], [8.0, 10.0]])


# Every dtype the wire carries, in either byte order; any shape from 0-d to 3-d, empty ones
# included; views with steps and reversed axes among them.
_DTYPES = hnp.boolean_dtypes() | hnp.integer_dtypes() | hnp.unsigned_integer_dtypes() \
    | hnp.floating_dtypes()
_ARRAYS = hnp.arrays(_DTYPES, hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))


@PROPERTY_SETTINGS
@given(array=_ARRAYS, step=st.sampled_from([1, 2, -1]))
def test_any_array_comes_back_as_it_went(array, step):
    """Does every numeric array, 0-d, empty, strided or reversed, arrive with its shape,
    its dtype and its values (NaN where NaN was)?"""
    view = array[::step] if array.ndim else array  # (indexing a 0-d array gives a scalar)
    back = _roundtrip({"a": view})["a"]
    assert back.shape == view.shape and back.dtype == view.dtype
    np.testing.assert_array_equal(back, view)


def test_arrays_arriving_are_writable_copies():
    """Can the receiver change an array it got (it owns its memory)?"""
    back = _roundtrip(np.ones(3))
    back[0] = 5.0
    assert back.tolist() == [5.0, 1.0, 1.0]


@pytest.mark.parametrize("value", [np.array([object()]), object(), np.array(["a"]),
                                   np.ma.masked_array([1.0])],
                         ids=["object-array", "object", "string-array", "array-subclass"])
def test_anything_else_is_refused_without_a_handle_maker(value):
    """Is an object, or an array that is not plain numbers, refused (never pickled)?"""
    with pytest.raises(wire.WireError):
        wire.encode(value)


def test_objects_become_handles_when_the_worker_allows():
    """With a handle maker (the worker's), does an object become a tagged handle?"""
    node, _ = wire.encode([object()], to_handle=lambda obj: {"$obj": 1, "type": "object"})
    assert node == [{"$obj": 1, "type": "object"}]


@pytest.mark.parametrize("node", [
    {"$nd": 0, "dtype": "|O", "shape": [1]},
    {"$nd": 0, "dtype": "<f8", "shape": [3]},  # 3 floats claimed, 8 bytes given
    {"$nd": 5, "dtype": "<f8", "shape": [1]},
    {"$nd": 0, "dtype": "<f8", "shape": "1"},  # a string for the shape list
    {"$nd": 0, "dtype": ["<f8"], "shape": [1]},
    {"$nd": 0, "dtype": "<f8", "shape": [-1]},
    {"$unknown": 1},
    {"$dict": [[[1], 2]]},
    {"$dict": "ab"},  # pairs of characters, were a string iterated
    {"$tuple": {"a": 1}},  # its keys, were a dict iterated
    [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],  # 1 at depth 33
], ids=["object-dtype", "size-mismatch", "missing-buffer", "string-shape", "list-dtype",
        "negative-shape", "unknown-tag", "list-key", "string-pairs", "dict-items",
        "too-deep"])
def test_malformed_messages_are_refused(node):
    """Does decoding refuse forged or broken values with WireError?"""
    with pytest.raises(wire.WireError):
        wire.decode(node, [bytearray(8)])


def test_a_closed_channel_is_reported():
    """Does reading from a channel whose writer is gone raise ChannelClosed?"""
    read_fd, write_fd = os.pipe()
    os.close(write_fd)
    with pytest.raises(wire.ChannelClosed):
        wire.receive(read_fd)
    os.close(read_fd)


@pytest.mark.filterwarnings("ignore:the matrix subclass:PendingDeprecationWarning")
def test_subclasses_travel_as_their_base():
    """Do an OrderedDict, a namedtuple and an np.matrix (correct code may return them)
    arrive as a dict, a tuple and a plain array?"""
    from collections import OrderedDict, namedtuple

    pair = namedtuple("Pair", "dx dy")
    back = _roundtrip(OrderedDict(W1=np.matrix([[1.0, 2.0]]), pair=pair(1, 2)))
    assert type(back) is dict and type(back["pair"]) is tuple
    assert type(back["W1"]) is np.ndarray and back["W1"].shape == (1, 2)


def test_a_message_over_the_limit_is_refused_unread():
    """Is a message larger than the reader's limit refused from its declared size, before
    its header or any buffer is read?"""
    read_fd, write_fd = os.pipe()
    try:
        node, buffers = wire.encode(np.zeros(50_000))  # 400 kB: more than the pipe holds
        os.set_blocking(write_fd, False)
        try:
            wire.send(write_fd, {"v": node}, buffers, wait=_give_up)
        except _GiveUp:
            pass
        with pytest.raises(wire.MessageTooLarge):
            wire.receive(read_fd, limit=1000)
    finally:
        os.close(read_fd)
        os.close(write_fd)


def test_a_header_over_its_own_limit_is_refused_unread():
    """Arrays may be large, their JSON header may not: is a message whose header (a list of
    nested lists, ~25x its size once parsed) exceeds header_limit refused from its declared
    length, while the same data as an array passes?"""
    read_fd, write_fd = os.pipe()
    try:
        wire.send(write_fd, {"v": wire.encode([[[]]] * 5000)[0]})  # ~30 kB of JSON
        with pytest.raises(wire.MessageTooLarge, match="at most 10,000"):
            wire.receive(read_fd, limit=1 << 20, header_limit=10_000)
    finally:
        os.close(read_fd)
        os.close(write_fd)
    read_fd, write_fd = os.pipe()
    try:
        node, buffers = wire.encode(np.zeros(5000))  # 40 kB, as a buffer
        wire.send(write_fd, {"v": node}, buffers)
        header, buffers = wire.receive(read_fd, limit=1 << 20, header_limit=10_000)
        assert wire.decode(header["v"], buffers).shape == (5000,)
    finally:
        os.close(read_fd)
        os.close(write_fd)


def test_a_message_of_too_many_values_is_refused_while_read():
    """A full-size dx sent as nested Python lists (dx.tolist(): ~78,500 values) comes back;
    a million nested empty lists (~2 MB of JSON, each a Python object to build) is refused
    once MAX_VALUES are read?"""
    dx = np.arange(100 * 784, dtype=float).reshape(100, 784).tolist()
    node, _ = wire.encode(dx)  # (no pipe: a pipe holds 64 kB, and nobody reads it here)
    assert wire.decode(node, []) == dx
    node, _ = wire.encode([[[[[]]]]] * 250_000)
    with pytest.raises(wire.WireError, match="more than 200,000 values"):
        wire.decode(node, [])


class _GiveUp(Exception):
    pass


def _give_up(fd):
    raise _GiveUp


def test_a_writer_waits_on_a_full_channel_and_may_give_up():
    """With a non-blocking channel nobody reads, does send call ``wait`` (where the grader
    enforces its deadline) instead of blocking forever?"""
    read_fd, write_fd = os.pipe()
    os.set_blocking(write_fd, False)
    try:
        with pytest.raises(_GiveUp):
            wire.send(write_fd, {"v": 1}, [np.zeros(1 << 20)], wait=_give_up)
    finally:
        os.close(read_fd)
        os.close(write_fd)
