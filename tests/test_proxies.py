"""Does a RemoteObject (an object of the sandboxed worker, as the grader holds it) turn
attribute reads and calls into its session's requests, remember which attributes are
methods, refuse what it must answer itself (special names, new attributes) and refuse to
reach a worker that has ended? (A stand-in session records the requests.)"""

import numpy as np
import pytest

from autograder.expectations import CheckFailed, expect_array, type_name
from autograder.sandbox.proxies import RemoteMethod, RemoteObject
from autograder.sandbox.wire import Handle


class Stale(Exception):
    pass


class FakeSession:
    """Records requests; answers each with the next of ``answers`` (or a plain value)."""

    def __init__(self, *answers):
        self.methods, self.generation = set(), 0
        self.requests, self.answers = [], list(answers)

    def request(self, op, **fields):
        self.requests.append((op, fields))
        return self.answers.pop(0) if self.answers else "value"

    def stale(self, label):
        return Stale(label)

    def proxy(self, type_name, number=1, label=None):
        return RemoteObject(self, Handle(number, type_name, True), self.generation, label)


def test_an_attribute_read_is_a_request():
    """Does reading an attribute ask the worker for it, naming the object and the
    attribute, and give back what the worker sent?"""
    session = FakeSession([1.0, 2.0])
    relu = session.proxy("Relu")
    assert relu.mask == [1.0, 2.0]
    assert session.requests == [("getattr", {"label": "Relu.mask", "target": relu._handle,
                                             "name": "mask"})]


def test_a_call_is_a_request_with_its_arguments():
    """Does calling the proxy (a class, say) send its arguments to the worker?"""
    session = FakeSession()
    cls = session.proxy("type", label="Affine")
    assert cls(1, 2, dtype="float32") == "value"
    assert session.requests == [("call", {"label": "Affine", "target": cls._handle,
                                          "args": (1, 2), "kwargs": {"dtype": "float32"}})]


def test_a_method_seen_once_is_called_in_one_request():
    """The first ``layer.forward`` is read (a proxy of a method, labelled with its path);
    on any object of that type afterwards, is it a RemoteMethod whose call is a single
    call_method request, with no attribute read?"""
    session = FakeSession()
    first, second = session.proxy("Relu", 1), session.proxy("Relu", 2)
    session.answers.append(session.proxy("method", 10))
    forward = first.forward
    assert isinstance(forward, RemoteObject) and forward._label == "Relu.forward"
    assert session.methods == {("Relu", "forward")}
    session.requests.clear()
    method = second.forward
    assert isinstance(method, RemoteMethod) and session.requests == []
    assert repr(method) == "<method Relu.forward in the sandbox>"
    method([1.0], scale=2)
    assert session.requests == [("call_method", {
        "label": "Relu.forward", "target": second._handle, "name": "forward",
        "args": ([1.0],), "kwargs": {"scale": 2}})]


def test_other_objects_are_not_taken_for_methods():
    """An attribute that is another object (a layer of a network): is it labelled with its
    path, but still read each time (not remembered as a method)?"""
    session = FakeSession()
    net = session.proxy("TwoLayerNet")
    session.answers.append(session.proxy("Affine", 2))
    layer = net.lastLayer
    assert layer._label == "TwoLayerNet.lastLayer" and session.methods == set()
    assert net.lastLayer == "value"  # read again, from the worker
    assert [op for op, _ in session.requests] == ["getattr", "getattr"]


@pytest.mark.parametrize("name", ["__array__", "__array_interface__", "__len__", "__deepcopy__"])
def test_special_names_are_refused_without_a_request(name):
    """Do the special names numpy, copy and pickle probe for raise AttributeError here,
    never asking the worker (which could answer them with anything)?"""
    session = FakeSession()
    proxy = session.proxy("Relu")
    assert not hasattr(proxy, name)
    assert session.requests == []


def test_new_attributes_are_refused():
    """Is setting an attribute refused (it would change a local copy, not the worker's
    object)?"""
    proxy = FakeSession().proxy("Relu")
    with pytest.raises(AttributeError):
        proxy.mask = None


def test_repr_asks_nothing():
    """Does repr say what the object is from what the grader already knows?"""
    session = FakeSession()
    assert repr(session.proxy("Sigmoid")) == "<Sigmoid in the sandbox>"
    assert session.requests == []


def test_a_message_names_the_type_it_stands_for_without_asking():
    """Does a message about a returned object name the worker's type (an array's dtype
    too), not the proxy's, without a request?"""
    session = FakeSession()
    complex_array = session.proxy("ndarray(dtype=complex128)")
    assert type_name(complex_array) == "ndarray(dtype=complex128)"
    assert "ndarray(dtype=complex128)" in str(_failure(complex_array))
    assert session.requests == []


def _failure(value):
    with pytest.raises(CheckFailed) as failure:
        expect_array("Relu.backward's dx", value, (2, 3))
    return failure.value


def test_a_complex_array_is_not_taken_for_its_real_part():
    """Is a complex gradient refused by name, not converted with its imaginary part
    dropped (as np.asarray(..., float64) would, with only a warning)?"""
    assert "ndarray(dtype=complex128)" in str(_failure(np.ones((2, 3), dtype=complex)))


def test_a_proxy_of_an_ended_worker_is_refused():
    """After its worker ended (the session's generation moved on): do reads, calls and
    known methods raise the session's stale error, naming the object, with no request
    sent?"""
    session = FakeSession()
    session.methods.add(("Relu", "forward"))
    relu = session.proxy("Relu")
    method = relu.forward
    session.generation += 1
    for attempt in (lambda: relu.mask, relu, method):
        with pytest.raises(Stale, match="^Relu$"):
            attempt()
    assert session.requests == []
