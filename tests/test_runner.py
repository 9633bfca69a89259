"""Does the runner score the checks' outcomes as the rubric says: a passed check's points,
none for a failed one, partial credit within a part, a failed gate zeroing its part, and
the MNIST part running after every other?"""

import pytest

from autograder import runner
from autograder.rubric import PARTS, RUBRIC
from autograder.runner import GraderError, _score, run_checks

RELU = PARTS["relu_backward"]


def _outcomes(part, failed=(), message="wrong", missing=()):
    """pytest results for ``part``: two passed cases per check, but one failed case for
    each check named in ``failed`` and none for those in ``missing``."""
    results = []
    for check in part.checks:
        if check.name in missing:
            continue
        for case in ("seed1", "seed2"):
            outcome = "failed" if check.name in failed and case == "seed2" else "passed"
            results.append({"part": part.id, "check": check.name, "case": case,
                            "outcome": outcome, "message": message if outcome == "failed"
                            else "", "details": {"case": case}})
    return results


def test_every_check_passed_is_full_marks():
    result = _score(RELU, _outcomes(RELU))
    assert result.score == result.max_score == RELU.points
    assert all(check.passed for check in result.checks)


def test_a_failed_case_costs_its_checks_points_only():
    """One failed case of one check: are that check's points lost, with the case's
    message, and every other check's kept (partial credit)?"""
    result = _score(RELU, _outcomes(RELU, failed={"test_backward_edge_inputs"},
                                    message="dx is wrong"))
    lost = next(c for c in result.checks if c.check.name == "test_backward_edge_inputs")
    assert not lost.passed and lost.score == 0 and lost.message == "dx is wrong"
    assert result.score == RELU.points - lost.check.points > 0


def test_a_special_case_counts_only_with_the_ordinary_check():
    """The ordinary check failed, a special case passed (a numerical gradient answering
    only the special cases' shapes once did): are the special case's points lost too,
    saying which check it waits for, and the shape check's kept?"""
    result = _score(RELU, _outcomes(RELU, failed={"test_backward_matches_numerical"},
                                    message="dx is wrong"))
    scores = {c.check.name: c.score for c in result.checks}
    edge = next(c for c in result.checks if c.check.name == "test_backward_edge_inputs")
    assert scores == {"test_backward_shape": 2, "test_backward_matches_numerical": 0,
                      "test_backward_edge_inputs": 0, "test_backward_is_backprop": 0}
    assert "Relu.backward" in edge.message and "numerical" in edge.message
    assert edge.diagnoses == ()  # the failed check names the mistake


def test_a_failed_gate_zeroes_its_part_with_its_message():
    """Numerical differentiation (the gate fails): does every check of the part score 0,
    each saying why, though they passed?"""
    result = _score(RELU, _outcomes(RELU, failed={"test_backward_is_backprop"},
                                    message="computed by finite differences"))
    assert result.score == 0
    assert {c.message for c in result.checks} == {"computed by finite differences"}


def test_a_check_that_did_not_run_scores_nothing():
    result = _score(RELU, _outcomes(RELU, missing={"test_backward_shape"}))
    shape = result.checks[0]
    assert not shape.passed and shape.message == "this check did not run"
    assert result.score == RELU.points - shape.check.points


def test_only_the_gates_that_fired_are_shown():
    """Does a student see a gate only when it failed?"""
    gate = "test_backward_is_backprop"
    assert gate not in {c.check.name for c in _score(RELU, _outcomes(RELU)).shown}
    fired = _score(RELU, _outcomes(RELU, failed={gate})).shown
    assert gate in {c.check.name for c in fired}


def test_details_of_the_cases_are_kept():
    """Are the details the checks record (the MNIST accuracy, say) on the check's result?"""
    assert _score(RELU, _outcomes(RELU)).checks[0].details == {"case": "seed2"}


def test_unknown_parts_are_a_grader_error():
    with pytest.raises(GraderError, match="unknown part"):
        run_checks(None, ["relu_backward", "no_such_part"])


@pytest.mark.parametrize(("asked", "modules"), [
    (["relu_backward"], ["test_relu.py"]),
    (["affine_backward", "mul_layer_backward"], ["test_mul_layer.py", "test_affine.py"]),
    (["mnist_training"], [part.module for part in RUBRIC]),
])
def test_the_modules_run_are_the_parts_asked_for(monkeypatch, asked, modules):
    """Are only the asked parts' modules run, in rubric order, but all of them when MNIST
    is asked for (it needs every other part's outcome), and only the asked parts scored?"""
    ran = []
    monkeypatch.setattr(runner, "_run_cases",
                        lambda code, mods, seeds: ran.extend(mods) or [])
    results = run_checks(None, asked)
    assert ran == modules
    assert [r.part.id for r in results] == [p.id for p in RUBRIC if p.id in asked]


def test_checks_that_cannot_run_are_a_grader_error():
    """When the checks cannot run at all (a module that is not there, one pytest cannot
    collect), is that the grader's error, not a zero for the student?"""
    with pytest.raises(GraderError, match="could not run"):
        runner._run_cases(None, ["test_no_such_module.py"], None)
    with pytest.raises(GraderError, match="could not run"):
        runner._collected.__wrapped__("no-such-seeds")


def test_a_real_run_gives_partial_credit(grade_gradient_parts):
    """Graded for real, does a Relu whose mask is inverted keep only its shape check's
    points?"""
    from catalog.bugs import ReluMaskInverted

    result = grade_gradient_parts(["relu_backward"], Relu=ReluMaskInverted)["relu_backward"]
    passed = {c.check.name for c in result.checks if c.passed}
    assert passed == {"test_backward_shape", "test_backward_is_backprop"}
    assert result.score == PARTS["relu_backward"].checks[0].points


def test_a_checks_cases_after_its_first_failure_are_not_run():
    """A Relu whose backward always raises: is each check's first case run (and failed,
    with its own message) and every later case of it skipped, while a check that passes
    runs every case?"""
    import solutions
    from autograder.checks.conftest import ALREADY_FAILED, HIDDEN_SEEDS
    from autograder.in_process_code import InProcessCode

    calls = []

    class ReluNotWritten(solutions.ReluForward):
        def backward(self, dout):
            calls.append(dout.shape)
            raise NotImplementedError("write Relu.backward")

    code = InProcessCode({"Relu": ReluNotWritten}, origin="a test")
    cases = runner._run_cases(code, [RELU.module], None)
    by_check = {}
    for case in cases:
        by_check.setdefault(case["check"], []).append(case)
    failed = {check for check, its_cases in by_check.items()
              if its_cases[0]["outcome"] == "failed"}
    # The gate passes: with no numerical check passed there is nothing for it to judge.
    assert set(by_check) - failed == {"test_backward_is_backprop"}
    for check, its_cases in by_check.items():
        outcomes = [case["outcome"] for case in its_cases]
        assert len(its_cases) >= len(HIDDEN_SEEDS), check
        if check not in failed:
            assert set(outcomes) == {"passed"}, check
            continue
        assert "Relu.backward" in its_cases[0]["message"], check
        assert all(case["message"] == ALREADY_FAILED for case in its_cases[1:]), check
        assert outcomes[1:] == ["skipped"] * (len(its_cases) - 1), check
    # Each case of these checks calls backward at least once: run, they would have made more.
    assert len(calls) < sum(len(by_check[check]) for check in failed)
    result = _score(RELU, cases)
    assert result.score == RELU.checks[-1].points  # the gate's, as before
    assert all("Relu.backward" in c.message for c in result.checks if not c.passed)

    passing = runner._run_cases(InProcessCode.from_module("solutions"), [RELU.module], None)
    assert [c["case"] for c in passing] == [c["case"] for c in cases]
    assert {c["outcome"] for c in passing} == {"passed"}


class _PytestRun:
    """Runs the checks the way pytest itself does (``pytest autograder/checks``, the
    conftest's fixtures and hooks), the student's code stashed as the runner once did."""

    def __init__(self, code):
        self.code, self.config = code, None

    def pytest_configure(self, config):
        from autograder.checks.stash import CODE

        config.stash[CODE] = self.code
        self.config = config


# Each runs the whole hidden suite twice (~1.2 s): slow, run in CI.
@pytest.mark.slow
@pytest.mark.parametrize("classes", [
    {},
    {"Relu": "ReluMaskInverted", "Affine": "AffineDbMean"},
    {"Sigmoid": "SigmoidForwardPrecedence", "MulLayer": "MulMissingReturn"},
], ids=["reference", "relu_and_affine", "sigmoid_and_mul"])
def test_the_runner_gives_pytests_own_results(classes):
    """Run case by case without pytest's per-test machinery, are the checks' results (each
    case's outcome, message and details, in order) exactly those of pytest running them?"""
    import contextlib
    import io

    from catalog import bugs

    import solutions
    from autograder.checks.stash import RESULTS
    from autograder.in_process_code import REQUIRED_CLASSES, InProcessCode
    from selfcheck.assignment import GRADIENT_PARTS

    reference = {name: getattr(solutions, name) for name in REQUIRED_CLASSES}
    code = InProcessCode({**reference, **{name: getattr(bugs, bug)
                                          for name, bug in classes.items()}}, origin="a test")
    modules = [PARTS[part].module for part in GRADIENT_PARTS]
    plugin = _PytestRun(code)
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        pytest.main([str(runner.CHECKS_DIR / module) for module in modules]
                    + ["-c", str(runner.CHECKS_DIR / "pytest.ini"),
                       "--rootdir", str(runner.CHECKS_DIR), "-p", "no:terminal"],
                    plugins=[plugin])
    by_pytest = list(plugin.config.stash[RESULTS].values())
    assert by_pytest and runner._run_cases(code, modules, None) == by_pytest
