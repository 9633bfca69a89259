"""Gradescope-format results: built from part results, written atomically."""

import json
import os
import stat

import pytest

from autograder.in_process_code import InProcessCode
from autograder.results import gradescope, part_payload, write_json, write_text
from autograder.runner import run_checks


@pytest.fixture(scope="module")
def reference_relu():
    (result,) = run_checks(InProcessCode.from_module("solutions"), ["relu_backward"])
    return result


def test_payload_and_gradescope_totals(reference_relu):
    """Do the part's checks become Gradescope tests with the right scores?"""
    results = gradescope([part_payload(reference_relu)], execution_time=1.5)
    assert results["score"] == 10.0
    assert [t["status"] for t in results["tests"]] == ["passed"] * 3  # the gate stays quiet
    assert results["tests"][0]["name"].startswith("Relu.backward: ")
    assert results["execution_time"] == 1.5
    json.dumps(results)  # plain JSON, nothing else


def test_write_json_is_atomic_and_idempotent(tmp_path):
    """Is results.json written whole, with no temporary file left, and rewritten the same?"""
    path = tmp_path / "feedback" / "results.json"
    write_json(path, {"score": 1})
    first = path.read_bytes()
    write_json(path, {"score": 1})
    assert path.read_bytes() == first
    assert [p.name for p in path.parent.iterdir()] == ["results.json"]


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002], ids=oct)
def test_a_written_file_gets_the_mode_open_gives(tmp_path, umask):
    """Does a results file get 0666 less the umask, as a file open() creates does (and the
    feedback HTML beside it), not the 0600 of a temporary file?"""
    before = os.umask(umask)
    try:
        write_json(tmp_path / "results.json", {"score": 1})
        write_text(tmp_path / "summary.csv", "student\n")
        (tmp_path / "opened").open("w").close()
    finally:
        os.umask(before)
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in tmp_path.iterdir()}
    assert modes == dict.fromkeys(["results.json", "summary.csv", "opened"], 0o666 & ~umask)
