"""Run the hidden checks on a student's code and score them against the rubric."""

import contextlib
import io
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from autograder.checks.stash import CODE, RESULTS
from autograder.rubric import PARTS, RUBRIC, Check, Part
from selfcheck.assignment import NETWORK_LAYER_PARTS, TRAINING_PART

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


def run_checks(code, parts=None, seeds=None):
    """Run the hidden checks of ``parts`` (ids; default all) on ``code``.

    code: a :class:`autograder.in_process_code.InProcessCode`.
    seeds: optional '0-24' or '1,2' to replace the hidden seeds (calibration only).
    Returns one PartResult per requested part, in rubric order. The MNIST part needs every
    other part's outcome, so asking for it runs them all. Nothing is printed: pytest's own
    output and anything the student's code prints are captured and discarded.
    """
    wanted = [p for p in RUBRIC if parts is None or p.id in parts]
    unknown = set(parts or ()) - set(PARTS)
    if unknown:
        raise GraderError(f"unknown part(s): {', '.join(sorted(unknown))}")
    to_run = RUBRIC if any(p.id == TRAINING_PART for p in wanted) else wanted
    results = _run_pytest(code, [p.module for p in to_run], seeds)
    return [_score(part, results) for part in wanted]


class _Plugin:
    """Hands the student's code to the checks and keeps pytest's config for the results."""

    def __init__(self, code):
        self.code = code
        self.config = None

    def pytest_runtest_logreport(self, report):
        # Tell the code which layers of the network failed as soon as they do (the
        # sandboxed code starts the MNIST training early, with stand-ins for those).
        part = _PART_OF_FILE.get(report.nodeid.split("::")[0].split("/")[-1])
        if report.failed and part in _LAYER_OF_PART:
            self.code.layer_failed(_LAYER_OF_PART[part])

    def pytest_configure(self, config):
        config.stash[CODE] = self.code
        # Nobody reads pytest's tracebacks (messages come from CheckFailed): keep them short.
        config.option.tbstyle = "line"
        self.config = config


def _run_pytest(code, modules, seeds):
    plugin = _Plugin(code)
    args = [str(CHECKS_DIR / module) for module in modules]
    args += ["-c", str(CHECKS_DIR / "pytest.ini"), "--rootdir", str(CHECKS_DIR),
             "--capture=sys", "-p", "no:faulthandler", "-p", "no:terminal",
             # These two run gc.collect() at the end of every session: 0.25 s per submission.
             "-p", "no:unraisableexception", "-p", "no:threadexception"]
    if seeds:
        args += ["--seeds", seeds]
    output = io.StringIO()
    with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
        exit_code = pytest.main(args, plugins=[plugin])
    if exit_code not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        raise GraderError(f"the hidden checks could not run (pytest exit code {exit_code}):\n"
                          f"{output.getvalue()[-2000:]}")
    results = list(plugin.config.stash[RESULTS].values())
    for result in results:
        if "grader_error" in result["details"]:
            raise GraderError(result["details"]["grader_error"])
    return results


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
    closed = next((c for c in checks if c.check.gate and not c.passed), None)
    if closed is not None:  # e.g. numerical differentiation: nothing of the part counts
        checks = [c if not c.passed else CheckResult(c.check, False, closed.message, c.details,
                                                     closed.diagnoses)
                  for c in checks]
    return PartResult(part, checks)
