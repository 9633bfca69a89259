"""Fixtures and hooks shared by the hidden checks.

- ``code``: the classes under test. The runner stashes a student's code; run by hand,
  ``pytest autograder/checks --impl MODULE`` checks a module (default: the reference).
- ``seed``: every test taking it runs once per seed: the hidden seeds, or ``--seeds``.
- ``first_seed``: whether this case's seed is the first of them (the gates' full-size
  probes run on it alone).
- ``ref``: the trusted reference package.
- Results: each test's outcome, student-facing message and the ids of the mistakes it
  names (``CheckFailed.diagnoses``) are kept in
  ``config.stash[RESULTS]`` for the runner, and the parts that failed in
  ``config.stash[FAILED_PARTS]`` for the MNIST check, which runs last.
- A check fails on its first failed case: the cases of that check after it are skipped
  (see :data:`ALREADY_FAILED`).
"""

import traceback

import numpy as np
import pytest

import solutions
from autograder.checks.stash import CODE, FAILED_CHECKS, FAILED_PARTS, RESULTS
from autograder.expectations import CheckFailed
from autograder.in_process_code import InProcessCode
from autograder.rubric import RUBRIC
from selfcheck.messages import say

# Fixed so that grading is reproducible; different from the seeds of the visible checks.
HIDDEN_SEEDS = (1013, 2027, 4049)
_PART_OF_MODULE = {part.module: part.id for part in RUBRIC}
_ORDER = {part.module: i for i, part in enumerate(RUBRIC)}


def pytest_addoption(parser):
    group = parser.getgroup("backprop", "backprop course checks")
    group.addoption("--impl", default="solutions",
                    help="module whose classes are checked (default: the reference)")
    group.addoption("--seeds", default=None,
                    help="seeds for the seeded checks: '0-24' or '1,2,3' (default: hidden)")


# A check failed by one case has failed, with that case's message: its cases after it
# could change nothing but the time they take, which on a broken submission is most of its
# grading (every case of every check, each seed, to the same NotImplementedError).
ALREADY_FAILED = "not run: an earlier case of this check failed"


def pytest_configure(config):
    config.stash[RESULTS] = {}
    config.stash[FAILED_PARTS] = set()
    config.stash[FAILED_CHECKS] = set()


def pytest_runtest_setup(item):
    check = (_PART_OF_MODULE.get(item.path.name), item.originalname)
    if check in item.config.stash[FAILED_CHECKS]:
        pytest.skip(ALREADY_FAILED)


def _seeds(config):
    return seeds_of(config.getoption("--seeds"))


def seeds_of(spec):
    """The seeds a ``--seeds`` spec names (None: the hidden seeds)."""
    if not spec:
        return HIDDEN_SEEDS
    if "-" in spec:
        low, high = (int(s) for s in spec.split("-"))
        return tuple(range(low, high + 1))
    return tuple(int(s) for s in spec.split(","))


def pytest_generate_tests(metafunc):
    if "seed" in metafunc.fixturenames:
        metafunc.parametrize("seed", _seeds(metafunc.config), ids=lambda s: f"seed{s}")


def pytest_collection_modifyitems(items):
    # Rubric order, so the MNIST check (last part) sees every other part's outcome.
    items.sort(key=lambda item: _ORDER.get(item.path.name, len(_ORDER)))
    for item in items:
        # Nobody reads pytest's failure reports (the student's message is the check's own,
        # recorded below), and formatting them costs ~4 ms per failed case.
        item.repr_failure = _short_repr


def _short_repr(excinfo):
    return f"{excinfo.typename}: {excinfo.value}"


@pytest.fixture(scope="session")
def code(request):
    stashed = request.config.stash.get(CODE, None)
    if stashed is not None:
        return stashed
    return InProcessCode.from_module(request.config.getoption("--impl"))


@pytest.fixture(scope="session")
def ref():
    return solutions


@pytest.fixture
def passed(request):
    """``passed(check)``: whether every case of this check of the module's part passed
    (the checks of a module run in order, so the gate, last, sees the others)."""
    part = _PART_OF_MODULE.get(request.node.path.name)

    def all_cases_passed(name):
        cases = [r for r in request.config.stash[RESULTS].values()
                 if r["part"] == part and r["check"] == name]
        return bool(cases) and all(r["outcome"] == "passed" for r in cases)

    return all_cases_passed


@pytest.fixture
def rng(seed):
    return np.random.default_rng(seed)


@pytest.fixture
def first_seed(request, seed):
    return seed == _seeds(request.config)[0]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" or report.outcome != "passed":
        _record(item, call, report)
    if call.excinfo is not None:  # the message is kept: free the failed check's arrays now
        traceback.clear_frames(call.excinfo.tb)
    return report


def _record(item, call, report):
    part = _PART_OF_MODULE.get(item.path.name)
    diagnoses = ()
    if report.skipped:
        message = report.longrepr[2] if isinstance(report.longrepr, tuple) else "skipped"
        message = message.removeprefix("Skipped: ")
    elif report.failed:
        message = "failed" if call.excinfo is None else message_of(call.excinfo.value)
        diagnoses = getattr(call.excinfo and call.excinfo.value, "diagnoses", ())
        item.config.stash[FAILED_PARTS].add(part)
        item.config.stash[FAILED_CHECKS].add((part, item.originalname))
    else:
        message = ""
    case = item.callspec.id if hasattr(item, "callspec") else ""
    item.config.stash[RESULTS][item.nodeid] = {
        "part": part, "check": item.originalname, "case": case,
        "outcome": report.outcome, "message": message, "diagnoses": tuple(diagnoses),
        "details": dict(item.user_properties),
    }


def message_of(error):
    """The student's message for a failed check (also autograder.runner's)."""
    if isinstance(error, CheckFailed):
        return str(error)
    # Not a check's own verdict: student code broke the check itself (an object of the
    # wrong kind, say). Name the error; never show the check's source.
    return say("check_could_not_run", error_type=type(error).__name__, error=error)
