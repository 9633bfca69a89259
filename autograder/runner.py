"""Run the hidden checks on a student's code and score them against the rubric.

The checks are pytest tests (``autograder/checks``; ``pytest autograder/checks`` runs them
by hand), and pytest collects them: which functions, with which parameters and seeds, in
which order. Collected once per process, they are then run here, case by case, with the
conftest's fixtures and its way of recording outcomes and messages, without pytest's
per-test machinery (reports, hooks, capture, logging: ~5 ms a case, most of a grade's time
in the grading process). ``tests/test_runner.py`` holds both ways to the same results.
"""

import contextlib
import functools
import inspect
import io
import traceback
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

import solutions
from autograder.checks import conftest
from autograder.checks.stash import FAILED_PARTS
from autograder.rubric import PARTS, RUBRIC, Check, Part
from selfcheck.assignment import NETWORK_LAYER_PARTS, TRAINING_PART
from selfcheck.messages import say

CHECKS_DIR = Path(__file__).resolve().parent / "checks"
_PART_OF_FILE = {part.module: part.id for part in RUBRIC}
_LAYER_OF_PART = {part: kind for kind, part in NETWORK_LAYER_PARTS.items()}


class GraderError(RuntimeError):
    """The checks themselves could not run (not the student's fault)."""


@dataclass
class CheckResult:
    check: Check
    passed: bool
    message: str = ""  # why it failed, for the student
    details: dict = field(default_factory=dict)  # e.g. the MNIST accuracy reached
    # Stable ids of the mistakes the message names (selfcheck.diagnosis.Diagnosis keys).
    diagnoses: tuple = ()

    @property
    def score(self):
        return self.check.points if self.passed else 0.0


@dataclass
class PartResult:
    part: Part
    checks: list

    @property
    def shown(self):
        """The checks a student sees: all but the gates that did not fire (a gate that
        passed says nothing the other checks do not)."""
        return [c for c in self.checks if not (c.check.gate and c.passed)]

    @property
    def score(self):
        return sum(result.score for result in self.checks)

    @property
    def max_score(self):
        return self.part.points

    @property
    def details(self):
        """What the part's checks recorded (the MNIST accuracy and losses...), merged."""
        return {k: v for check in self.checks for k, v in check.details.items()}


def run_checks(code, parts=None, seeds=None):
    """Run the hidden checks of ``parts`` (ids; default all) on ``code``.

    code: a :class:`autograder.in_process_code.InProcessCode`.
    seeds: optional '0-24' or '1,2' to replace the hidden seeds (calibration only).
    Returns one PartResult per requested part, in rubric order. The MNIST part needs every
    other part's outcome, so asking for it runs them all. Nothing is printed: anything the
    checks or the student's code print is discarded.
    """
    wanted = [p for p in RUBRIC if parts is None or p.id in parts]
    unknown = set(parts or ()) - set(PARTS)
    if unknown:
        raise GraderError(f"unknown part(s): {', '.join(sorted(unknown))}")
    to_run = RUBRIC if any(p.id == TRAINING_PART for p in wanted) else wanted
    results = _run_cases(code, [p.module for p in to_run], seeds)
    return [_score(part, results) for part in wanted]


@dataclass(frozen=True)
class _Case:
    """One collected test case: a check function and its parameters."""

    nodeid: str
    module: str  # file name, test_<part>.py
    check: str  # the function's name
    function: object
    params: dict  # parametrized arguments (and the seed), by name
    case: str  # pytest's id of the parameters ("seed1013-(3, 4)")
    arguments: tuple  # the function's parameter names, in order


class _Collector:
    """Keeps the items pytest collected."""

    def __init__(self):
        self.items = []

    def pytest_collection_finish(self, session):
        self.items = list(session.items)


@functools.cache
def _collected(seeds):
    """Every part's check cases, as pytest collects them (rubric order), once per process
    and seeds. Raises GraderError when pytest cannot collect them."""
    collector = _Collector()
    args = [str(CHECKS_DIR / part.module) for part in RUBRIC]
    args += ["-c", str(CHECKS_DIR / "pytest.ini"), "--rootdir", str(CHECKS_DIR),
             "--collect-only", "-p", "no:terminal", "-p", "no:faulthandler"]
    if seeds:
        args += ["--seeds", seeds]
    output = io.StringIO()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        exit_code = pytest.main(args, plugins=[collector])
    if exit_code != pytest.ExitCode.OK:
        raise GraderError(f"the hidden checks could not run (pytest exit code {exit_code}):\n"
                          f"{output.getvalue()[-2000:]}")
    return tuple(_Case(item.nodeid, item.path.name, item.originalname, item.function,
                       dict(item.callspec.params) if hasattr(item, "callspec") else {},
                       item.callspec.id if hasattr(item, "callspec") else "",
                       tuple(inspect.signature(item.function).parameters))
                 for item in collector.items)


def _run_cases(code, modules, seeds):
    """Run the cases of ``modules`` (file names) on ``code``; their results, in order, as
    the conftest records them ({part, check, case, outcome, message, details})."""
    cases = [case for case in _collected(seeds) if case.module in modules]
    missing = set(modules) - {case.module for case in cases}
    if missing:
        raise GraderError(f"the hidden checks could not run: no checks in "
                          f"{', '.join(sorted(missing))}")
    results, failed_parts, failed_checks = {}, set(), set()
    output = io.StringIO()
    # What the checks and the code print is discarded, warnings too (as pytest's capture
    # and warning recording did).
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output), \
            warnings.catch_warnings(record=True):
        warnings.simplefilter("default")
        for case in cases:
            if (_PART_OF_FILE.get(case.module), case.check) in failed_checks:
                results[case.nodeid] = _skipped(case)
                continue
            results[case.nodeid] = result = _run_case(case, code, results, failed_parts, seeds)
            if result["outcome"] == "failed":
                failed_checks.add((result["part"], case.check))
    for result in results.values():
        if "grader_error" in result["details"]:
            raise GraderError(result["details"]["grader_error"])
    return list(results.values())


def _run_case(case, code, results, failed_parts, seeds):
    """One case, with the conftest's fixtures; its result as the conftest records it."""
    part = _PART_OF_FILE.get(case.module)
    properties = []
    arguments = _arguments(case, part, code, results, failed_parts, properties, seeds)
    diagnoses = ()
    try:
        case.function(**arguments)
    except pytest.skip.Exception as skip:
        outcome, message = "skipped", skip.msg or "skipped"
    except (Exception, pytest.fail.Exception) as error:
        outcome = "failed"
        message = conftest.message_of(error)
        diagnoses = tuple(getattr(error, "diagnoses", ()))
        traceback.clear_frames(error.__traceback__)  # the message is kept: free the arrays
        failed_parts.add(part)
        if part in _LAYER_OF_PART:  # the sandboxed code stops its early MNIST run
            code.layer_failed(_LAYER_OF_PART[part])
    else:
        outcome, message = "passed", ""
    return {"part": part, "check": case.check, "case": case.case, "outcome": outcome,
            "message": message, "diagnoses": diagnoses, "details": dict(properties)}


def _skipped(case):
    """A case of a check that has failed already, recorded as the conftest records it."""
    return {"part": _PART_OF_FILE.get(case.module), "check": case.check, "case": case.case,
            "outcome": "skipped", "message": conftest.ALREADY_FAILED, "diagnoses": (),
            "details": {}}


def _arguments(case, part, code, results, failed_parts, properties, seeds):
    """The function's arguments: its parameters, and the conftest's fixtures by name."""
    def passed(name):  # conftest.passed: every case of this check of the part passed
        cases = [r for r in results.values() if r["part"] == part and r["check"] == name]
        return bool(cases) and all(r["outcome"] == "passed" for r in cases)

    fixtures = {
        "code": lambda: code, "ref": lambda: solutions, "passed": lambda: passed,
        "rng": lambda: np.random.default_rng(case.params["seed"]),
        "first_seed": lambda: case.params["seed"] == conftest.seeds_of(seeds)[0],
        "request": lambda: SimpleNamespace(config=SimpleNamespace(
            stash={FAILED_PARTS: failed_parts})),
        "record_property": lambda: lambda name, value: properties.append((name, value)),
    }
    arguments = {}
    for name in case.arguments:
        if name in case.params:
            arguments[name] = case.params[name]
        elif name in fixtures:
            arguments[name] = fixtures[name]()
        else:
            raise GraderError(f"the hidden checks could not run: {case.nodeid} asks for a "
                              f"fixture the runner does not know ({name})")
    return arguments


def _score(part, results):
    checks = []
    for check in part.checks:
        cases = [r for r in results if r["part"] == part.id and r["check"] == check.name]
        failed = [r for r in cases if r["outcome"] != "passed"]
        details = {k: v for r in cases for k, v in r.get("details", {}).items()}
        if not cases:
            checks.append(CheckResult(check, False, "this check did not run"))
        elif failed:
            checks.append(CheckResult(check, False, failed[0]["message"], details,
                                      tuple(failed[0].get("diagnoses", ()))))
        else:
            checks.append(CheckResult(check, True, "", details))
    checks = _without_unmet_needs(part, checks)
    closed = next((c for c in checks if c.check.gate and not c.passed), None)
    if closed is not None:  # e.g. numerical differentiation: nothing of the part counts
        checks = [c if not c.passed else CheckResult(c.check, False, closed.message, c.details,
                                                     closed.diagnoses)
                  for c in checks]
    return PartResult(part, checks)


def _without_unmet_needs(part, checks):
    """``checks``, with each passed check whose needs (rubric.NEEDS) all failed made a
    failure that names the check on ordinary inputs it waits for (it names no mistake of
    its own: the failed check does)."""
    passed = {c.check.name for c in checks if c.passed}
    titles = {c.check.name: c.check.title_in() for c in checks}

    def unmet(c):
        needed = " / ".join(titles[name] for name in c.check.needs)
        return CheckResult(c.check, False, say("needs_ordinary_inputs", what=part.title_in(),
                                                title=needed),
                           c.details)

    return [unmet(c) if c.passed and c.check.needs and passed.isdisjoint(c.check.needs)
            else c for c in checks]
