"""Does the grader's side of a worker hold whatever the worker does?

Real workers (the bare "process" level, so these run anywhere, fast): a reply larger than
its question allows, a callback outside the grader's own requests, a worker that never
reads, a budget that runs out. The stand-ins' scope is tested without a worker.
"""

import time

import numpy as np
import pytest

from autograder.reference_layers import NetworkStandIns
from autograder.sandbox import launcher
from autograder.sandbox.session import (
    OUTPUT_LIMIT,
    Budget,
    BudgetExhausted,
    CallbackScope,
    Refused,
    Session,
    StudentRaised,
    TimedOut,
    WorkerFailed,
    _exception,
)

CELLS = [("code", """
import sys, time
import numpy as np

class Probe:
    def big(self, n):
        return np.zeros(n, dtype=bool)

    def echo(self, value):
        return value

    def nap(self, seconds):
        time.sleep(seconds)
        return seconds

    def call_back_and_stop_reading(self):
        worker = sys.modules["__main__"]
        worker.wire.send(1, {"callback": {"stub": 1}})  # fd 1: the channel to the grader
        time.sleep(60)

    def ask_the_grader(self):
        worker = sys.modules["__main__"]
        frame = sys._getframe()
        while type(frame.f_locals.get("self")).__name__ != "Worker":
            frame = frame.f_back
        stand_in = worker.StandIn(frame.f_locals["self"], "Relu", 1, self)
        return stand_in.forward(np.ones((2, 3)))

probe = Probe()


class Layer:  # a layer whose backward does what its argument says
    def __init__(self, scale=2.0):
        self.scale = scale

    def forward(self, x):
        self.x = x
        return self.scale * x

    def backward(self, how):
        if how == "raise":
            raise ValueError("operands could not be broadcast")
        if how == "hang":
            time.sleep(60)
        self.grad = self.scale
        return self.scale


def flood_steps(self, target, steps):  # a worker that answers more steps than asked
    for _ in range(len(steps) + 3):
        self._send("step", {"value": 1})


def answer_no_step(self, target, steps):  # a worker that answers none
    return None
""")]


@pytest.fixture
def session():
    isolation = launcher.Isolation("process")
    with Session(CELLS, isolation=isolation, budget=Budget(60)) as session:
        session.run_cells()
        yield session


def _probe(session):
    return session.request("lookup", label="probe", name="probe")["value"]


def test_a_reply_larger_than_its_question_allows_is_refused_and_the_worker_restarted(
        session):
    """Is a 250-million-element reply refused from its declared size, and does the next
    request run on a fresh worker with the cells replayed?"""
    with pytest.raises(WorkerFailed, match="where at most"):
        _probe(session).big(250_000_000)
    assert _probe(session).echo(np.arange(3)).tolist() == [0, 1, 2]
    assert session.restarts == 1


def test_a_callback_outside_the_graders_requests_is_refused(session):
    """Does a stand-in built by the student's own code get a refusal (an exception in the
    student's code), not a reference pass?"""
    with pytest.raises(StudentRaised, match="only in the network the checks built"):
        _probe(session).ask_the_grader()


def test_a_request_has_a_deadline(session):
    """Does a call that sleeps past its limit end at the limit, and is it not run again?"""
    probe = _probe(session)
    start = time.monotonic()
    with session.time_limit(1.0), pytest.raises(TimedOut):
        probe.nap(30)
    assert time.monotonic() - start < 5
    with session.time_limit(1.0), pytest.raises(WorkerFailed, match="not run again"):
        _probe(session).nap(0)


def test_a_worker_that_never_reads_cannot_block_the_grader(session):
    """When the grader's answer to a callback is larger than the pipe and the worker
    never reads it, does the grader's write give up at the request's deadline?"""
    class Generous(CallbackScope):
        def answer(self, call):
            return {"value": np.zeros(1 << 21), "attrs": {}}  # 16 MB

    start = time.monotonic()
    with pytest.raises(TimedOut):
        session.request("call_method", label="flood", timeout=1.0, scope=Generous(),
                        target=_probe(session)._ref(), name="call_back_and_stop_reading",
                        args=(), kwargs={})
    assert time.monotonic() - start < 5


@pytest.mark.slow  # ~2 s: waits for a budget to run out
def test_the_budget_ends_every_request():
    """When the budget runs out during a call, does the call end at once, and every
    later request fail without running?"""
    with Session(CELLS, isolation=launcher.Isolation("process"), budget=Budget(2)) as session:
        session.run_cells()
        start = time.monotonic()
        with pytest.raises(BudgetExhausted):
            _probe(session).nap(30)
        assert time.monotonic() - start < 5
        with pytest.raises(BudgetExhausted):
            _probe(session)


def _scope(batch=3):
    stand_ins = NetworkStandIns((4, 5, 2), [[1, "Relu", 11], [0, "Affine", 10],
                                            [2, "Relu", 12], [3, "Relu", 99]], [10, 11, 12])
    return stand_ins.scope(batch)


def test_the_scope_answers_only_placed_stand_ins_with_the_implied_shapes():
    """Does a scope answer a placed stand-in at its place in the network, with inputs of
    the request's batch, and refuse a stub it did not place, a layer of the wrong kind at
    a place, other shapes, other dtypes and other methods?"""
    scope = _scope()
    out = scope.answer({"stub": 11, "method": "forward", "args": (np.ones((3, 5)),)})
    assert out["value"].shape == (3, 5)
    assert scope.answer({"stub": 11, "method": "forward",  # some of the batch's samples
                         "args": (np.ones((1, 5)),)})["value"].shape == (1, 5)
    for call in [{"stub": 99, "method": "forward", "args": (np.ones((3, 2)),)},
                 {"stub": 12, "method": "forward", "args": (np.ones((3, 5)),)},
                 {"stub": 11, "method": "forward", "args": (np.ones((4, 5)),)},
                 {"stub": 11, "method": "forward", "args": (np.ones((0, 5)),)},
                 {"stub": 11, "method": "forward", "args": (np.ones(5),)},
                 {"stub": 11, "method": "forward", "args": (np.ones((3, 5), dtype=int),)},
                 {"stub": 11, "method": "__init__", "args": ()},
                 {"stub": 10, "method": "forward", "args": (np.ones((3, 4)),)},  # no W, b
                 "not a call"]:
        with pytest.raises(Refused):
            scope.answer(call)


def test_the_scope_allows_a_few_passes_per_request():
    """Is a stand-in answered for a handful of passes over the batch in one request (a
    gradient needs one forward and one backward), counted in samples (a gradient may take
    them one at a time), and refused after that, whatever the inputs?"""
    scope = _scope()
    call = {"stub": 11, "method": "forward", "args": (np.ones((3, 5)),)}
    one_sample = {"stub": 11, "method": "forward", "args": (np.ones((1, 5)),)}
    for _ in range(3):
        scope.answer(call)
    for _ in range(3):  # the fourth pass, a sample at a time
        scope.answer(one_sample)
    with pytest.raises(Refused, match="more than 4 passes over the batch"):
        scope.answer(one_sample)
    _scope().answer(call)  # the next request starts afresh


# --------------------------------------------------------------------------- the pieces


def test_a_students_exception_keeps_its_name_and_builtin_base():
    """Is a worker's error description re-raised as a StudentRaised of the same name and,
    for a builtin base, an instance of it (so ``except ValueError`` works at home)?"""
    error = _exception({"type": "ShapeError", "bases": ["ValueError", "Exception"],
                        "message": "bad shape", "where": {"function": "backward", "line": 3,
                                                         "code": "dx = x", "cell": "relu"}})
    assert isinstance(error, ValueError) and isinstance(error, StudentRaised)
    assert type(error).__name__ == error.type_name == "ShapeError" and str(error) == "bad shape"
    assert error.student_where == {"function": "backward", "line": 3, "code": "dx = x",
                                   "cell": "relu"}


@pytest.mark.parametrize("description", [
    None, [], {"type": 3, "bases": "ValueError", "message": ["x"], "where": "here"},
    {"type": "X", "bases": ["SystemExit", "BaseException", "NotABuiltin"]},
])
def test_a_forged_description_is_a_plain_student_error(description):
    """Is a description of the wrong form, or naming a base that is no Exception, still
    just a StudentRaised (never a SystemExit, never an error of the grader's)?"""
    error = _exception(description)
    assert isinstance(error, StudentRaised) and not isinstance(error, SystemExit)
    assert error.student_where is None or error.student_where["line"] == 0


def test_every_text_from_the_worker_is_cut_short():
    error = _exception({"type": "E" * 500, "message": "m" * 10_000,
                        "where": {"code": "c" * 1000, "line": True}})
    assert len(error.type_name) < 120 and len(str(error)) < 2100
    assert len(error.student_where["code"]) < 220 and error.student_where["line"] == 0


def test_a_text_from_the_worker_cannot_steer_the_terminal():
    """Are escape sequences, carriage returns, bells and bidi overrides in a student's
    exception written out (\\x1b...), while line breaks and tabs stay?"""
    error = _exception({"type": "ValueError\x1b[2K", "message":
                        "ok\n\x1b[1A\x1b[2K\r \u2713 forged [10/10]\x1b]0;title\x07\u202e\tend"})
    assert str(error) == ("ok\n\\x1b[1A\\x1b[2K\\r \u2713 forged [10/10]\\x1b]0;title"
                          "\\x07\\u202e\tend")
    assert error.type_name == "ValueError\\x1b[2K"


def test_a_budget_without_seconds_never_runs_out():
    budget = Budget(None)
    assert budget.remaining() == float("inf") and not budget.expired
    budget.cancel()


def test_an_expired_budget_kills_every_session_it_watches():
    """Does expire() kill the sessions watched so far, and one watched afterwards at once?"""
    class Watched:
        killed = 0

        def kill_process(self):
            self.killed += 1

    budget, early, late = Budget(3600), Watched(), Watched()
    budget.watch(early)
    budget.expire()  # as its timer would
    budget.cancel()
    budget.watch(late)
    assert budget.expired and early.killed == late.killed == 1
    assert isinstance(budget.exhausted(), BudgetExhausted)
    assert "3600" in str(budget.exhausted())


def test_printed_output_is_kept_up_to_its_limit():
    """Is what the student's code prints kept up to OUTPUT_LIMIT, and the rest counted?"""
    flood = [("code", f"print('x' * {OUTPUT_LIMIT + 5000}, end='')")]
    with Session(flood, isolation=launcher.Isolation("process"), budget=Budget(60)) as session:
        session.run_cells()
        session.request("lookup", label="lookup", name="x")  # the output has been drained
        deadline = time.monotonic() + 5
        while session._output_bytes < OUTPUT_LIMIT + 5000 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert session.output.startswith("x" * OUTPUT_LIMIT)
        assert session.output.endswith("[... 5000 more bytes not kept]")


def _layer_steps(how, keep=("grad",)):
    return [("Layer(...)", None, (3.0,)), ("Layer.forward", "forward", (np.ones(2),)),
            ("Layer.backward", "backward", (how,)),
            *((f"Layer.{name}", name, None) for name in keep)]


def _layer(session):
    return session.request("lookup", label="Layer", name="Layer")["value"]._ref()


def test_make_and_use_gives_each_steps_outcome_in_one_request(session, monkeypatch):
    """A layer made, run forward and backward and an attribute read: one request, and
    each step's value as if called alone (an object stays a handle)?"""
    sent, layer = [], _layer(session)
    exchange = Session._exchange
    monkeypatch.setattr(Session, "_exchange",
                        lambda self, op, **kw: sent.append(op) or exchange(self, op, **kw))
    made, forward, backward, grad = session.make_and_use(layer, _layer_steps("ok"))
    assert sent == ["make_and_use"]
    assert type(made.get()).__name__ == "RemoteObject"
    assert forward.get().tolist() == [3.0, 3.0]
    assert backward.get() == 3.0 and grad.get() == 3.0


def test_a_step_that_raises_ends_the_steps_with_the_students_error(session):
    """Backward raises: forward keeps its value; backward and the steps after it raise
    the student's ValueError (its name, its base, its message)?"""
    made, forward, backward, grad = session.make_and_use(_layer(session),
                                                         _layer_steps("raise"))
    assert forward.get().tolist() == [3.0, 3.0]
    for outcome in (backward, grad):
        with pytest.raises(ValueError, match="could not be broadcast") as raised:
            outcome.get()
        assert isinstance(raised.value, StudentRaised)


def test_a_step_that_hangs_times_out_under_its_own_label_and_is_not_run_again(session):
    """Backward hangs: forward's value is kept, backward times out as Layer.backward, and
    the next time the steps stop there at once (the steps before it still run)?"""
    start = time.monotonic()
    with session.time_limit(1.0):
        _, forward, backward, _ = session.make_and_use(_layer(session), _layer_steps("hang"))
    assert time.monotonic() - start < 5
    assert forward.get().tolist() == [3.0, 3.0]
    with pytest.raises(TimedOut, match="Layer.backward"):
        backward.get()
    with session.time_limit(1.0):
        _, forward, backward, grad = session.make_and_use(_layer(session),
                                                          _layer_steps("ok"))
    assert forward.get().tolist() == [3.0, 3.0]
    for outcome in (backward, grad):
        with pytest.raises(WorkerFailed, match="not run again"):
            outcome.get()


def test_a_worker_that_answers_no_step_fails_every_step(session):
    """A worker patched by the student to answer none of the steps: does every step fail
    as the student's (WorkerFailed), and the grader go on?"""
    _patch(session, "answer_no_step")
    for outcome in session.make_and_use(_layer(session), _layer_steps("ok")):
        with pytest.raises(WorkerFailed, match="no answer"):
            outcome.get()
    assert _probe(session).echo(np.arange(3)).tolist() == [0, 1, 2]


def test_a_worker_that_answers_more_steps_than_asked_is_restarted(session):
    """More step messages than steps: the answers asked for are kept (plain values, for
    the checks to judge), the extra one breaks the channel, and the next request runs on
    a fresh worker?"""
    _patch(session, "flood_steps")
    outcomes = session.make_and_use(_layer(session), _layer_steps("ok"))
    assert [outcome.get() for outcome in outcomes] == [1, 1, 1, 1]
    assert _probe(session).echo(np.arange(3)).tolist() == [0, 1, 2]
    assert session.restarts == 1


def _patch(session, replacement):
    session.request("exec", label="patch", cell="patch", source=(
        "import sys; worker = sys.modules['__main__']; "
        f"worker.Worker.op_make_and_use = {replacement}"))



def _cells_failing_on_replays(runs, failing):
    """A setup cell that ends its worker on the given runs of it (1: the first), and a cell
    that needs what it imports."""
    setup = f"""
import os, pathlib
runs = pathlib.Path({str(runs)!r})
runs.write_text(runs.read_text() + "x" if runs.exists() else "x")
if len(runs.read_text()) in {set(failing)!r}:
    os._exit(3)
import numpy as np
"""
    probe = "class Probe:\n    def echo(self, value):\n        return np.asarray(value)\n\n" \
            "probe = Probe()\n"
    return [("setup", setup), ("code", probe)]


def _fail_the_worker(session):
    session.kill_process()  # as a check that hung would
    with pytest.raises(WorkerFailed):
        session.request("lookup", label="a check", name="probe")


def test_a_cell_the_worker_fails_on_once_in_a_replay_is_replayed_again(tmp_path):
    """A worker that dies while replaying a cell that ran cleanly (here the cell ends it on
    its first replay only, as a loaded machine might) does not cost the cell: the next
    restart replays it, and what it defined is there."""
    runs = tmp_path / "runs"
    cells = _cells_failing_on_replays(runs, failing=[2])
    with Session(cells, isolation=launcher.Isolation("process"), budget=Budget(60)) as session:
        session.run_cells()
        _fail_the_worker(session)
        assert _probe(session).echo([1, 2]).tolist() == [1, 2]
        assert len(runs.read_text()) == 3 and session.restarts == 2
        assert session.cell_errors == {}


def test_a_cell_the_worker_fails_on_twice_in_replays_is_recorded(tmp_path):
    """The second failure is the cell's: it is recorded and not replayed again."""
    runs = tmp_path / "runs"
    cells = _cells_failing_on_replays(runs, failing=[2, 3])
    with Session(cells, isolation=launcher.Isolation("process"), budget=Budget(60)) as session:
        session.run_cells()
        _fail_the_worker(session)
        with pytest.raises(StudentRaised, match="'np' is not defined"):
            _probe(session).echo([1, 2])
        assert len(runs.read_text()) == 3 and list(session.cell_errors) == ["setup"]
