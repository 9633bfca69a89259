"""Does the launcher choose the sandbox it says, describe it truly, and start the worker
with the limits and the environment it promises? (No bubblewrap needed: its probe and its
options are tested with stand-ins.)"""

import os
import resource
import subprocess
import sys
from pathlib import Path

import numpy
import pytest

from autograder.sandbox import launcher
from autograder.sandbox.launcher import Isolation

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def no_bubblewrap(monkeypatch):
    monkeypatch.setattr(launcher, "bubblewrap", lambda: None)
    monkeypatch.setattr(launcher.shutil, "which", lambda name: None)


def _not_root(monkeypatch):
    monkeypatch.setattr(launcher.os, "geteuid", lambda: 1000)


def test_auto_without_bubblewrap_or_root_is_a_bare_process(no_bubblewrap, monkeypatch):
    """Not root, no bwrap: is "auto" the bare process, with no uid of its own and a process
    limit above what the grader's user already runs?"""
    _not_root(monkeypatch)
    isolation = launcher.choose("auto")
    assert (isolation.level, isolation.uid) == ("process", None)
    assert isolation.processes > launcher.PROCESSES


def test_auto_as_root_falls_back_when_others_cannot_run_python(no_bubblewrap, monkeypatch):
    """Root, no bwrap, a Python in a private folder: is "auto" the bare process, with a
    note saying why there is no unprivileged user?"""
    monkeypatch.setattr(launcher.os, "geteuid", lambda: 0)
    monkeypatch.setattr(launcher, "_reachable_by_others", lambda: False)
    isolation = launcher.choose("auto")
    assert isolation.level == "process"
    assert any("no unprivileged user" in note for note in isolation.notes)


def test_auto_as_root_runs_the_worker_as_another_user(no_bubblewrap, monkeypatch):
    """Root, no bwrap, a Python anyone can run: is "auto" the user level, with a uid of
    its own in the workers' range?"""
    monkeypatch.setattr(launcher.os, "geteuid", lambda: 0)
    monkeypatch.setattr(launcher, "_reachable_by_others", lambda: True)
    isolation = launcher.choose("auto")
    assert isolation.level == "user"
    assert launcher.FIRST_UID <= isolation.uid < launcher.FIRST_UID + 4000


@pytest.mark.parametrize(("level", "root", "reachable", "says"), [
    ("bubblewrap", True, True, "isolation 'bubblewrap' asked for, but no bwrap here"),
    ("user", False, True, "needs the grader to run as root"),
    ("user", True, False, "install bubblewrap instead"),
])
def test_a_level_that_cannot_be_had_is_refused(monkeypatch, level, root, reachable, says):
    """Is a level asked for by name, which this machine cannot give, an error saying why
    (never a weaker sandbox than asked for)?"""
    monkeypatch.setattr(launcher, "bubblewrap", lambda: None)
    monkeypatch.setattr(launcher, "bubblewrap_problem", lambda: "no bwrap here")
    monkeypatch.setattr(launcher.os, "geteuid", lambda: 0 if root else 1000)
    monkeypatch.setattr(launcher, "_reachable_by_others", lambda: reachable)
    with pytest.raises(RuntimeError, match=says):
        launcher.choose(level)


def test_describe_names_the_level_the_limits_and_the_filter(monkeypatch):
    """Does describe() say what the worker can reach, every limit, the seccomp filter (or
    its absence) and the notes?"""
    _not_root(monkeypatch)
    text = Isolation("process", None, 99, ("a note",)).describe()
    assert "resource limits only" in text
    assert f"{launcher.CPU_SECONDS} s CPU" in text and "4 GiB memory" in text
    assert "99 processes" in text and "16 MB per file" in text
    assert "no seccomp filter" in text and text.endswith("a note")
    with_uid = Isolation("user", 61001, seccomp_denied=("ptrace",)).describe()
    assert "unprivileged user" in with_uid and "uid 61001" in with_uid
    assert "no user namespaces" in with_uid


def test_describe_leaves_out_a_process_limit_root_is_not_held_to(monkeypatch):
    """Run by root with no uid of its own, is no process limit claimed?"""
    monkeypatch.setattr(launcher.os, "geteuid", lambda: 0)
    assert "processes" not in Isolation("process", None, 64).describe()


def _fake_bwrap(tmp_path, monkeypatch, script):
    path = tmp_path / "bwrap"
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(0o755)
    monkeypatch.setattr(launcher.shutil, "which", lambda name: str(path))
    return path


def test_bubblewrap_problem_not_installed(monkeypatch):
    """No bwrap on PATH: is that the problem, with how to install it?"""
    monkeypatch.setattr(launcher.shutil, "which", lambda name: None)
    assert "apt-get install bubblewrap" in launcher.bubblewrap_problem.__wrapped__()


def test_bubblewrap_problem_refused_namespaces(tmp_path, monkeypatch):
    """A bwrap that fails its probe: is its first line of complaint quoted, with the fix?"""
    path = _fake_bwrap(tmp_path, monkeypatch,
                       "echo 'bwrap: No permissions to creating new namespace' >&2; exit 1")
    problem = launcher.bubblewrap_problem.__wrapped__()
    assert str(path) in problem and "No permissions to creating new namespace" in problem
    assert "unprivileged_userns_clone" in problem


def test_bubblewrap_problem_hanging_probe(tmp_path, monkeypatch):
    """A bwrap that hangs: does the probe give up at its timeout and say so?"""
    _fake_bwrap(tmp_path, monkeypatch, "exec sleep 30")
    monkeypatch.setattr(launcher, "BWRAP_PROBE_S", 0.5)
    assert "could not be run" in launcher.bubblewrap_problem.__wrapped__()


def test_bubblewrap_problem_none_when_it_works(tmp_path, monkeypatch):
    _fake_bwrap(tmp_path, monkeypatch, "exit 0")
    assert launcher.bubblewrap_problem.__wrapped__() == ""


def test_a_bare_worker_command_runs_the_worker_file_isolated():
    """Is the process-level command Python in isolated mode (-I: no PYTHON* variables, no
    user site; -S: no site-packages scan) running worker.py with the two channel fds and
    the folders of numpy and selfcheck, and nothing else passed?"""
    import selfcheck

    argv, fds = launcher.worker_command(Isolation("process"), (5, 6), None)
    assert argv[:6] == [sys.executable, "-I", "-S", "-u", str(launcher.HERE / "worker.py"),
                        "5"]
    assert argv[6] == "6"
    assert set(argv[7:]) == {str(Path(numpy.__file__).resolve().parents[1]),
                             str(Path(selfcheck.__file__).resolve().parents[1])}
    assert fds == (5, 6)


@pytest.mark.parametrize("uid", [None, 61001])
def test_the_bubblewrap_command_mounts_no_grader_code(monkeypatch, tmp_path, uid):
    """Does the sandbox see the worker's three files at their own place, read-only, the
    MNIST folder, and neither the hidden checks nor the solutions? As root, does the worker
    drop to its uid inside (setpriv) with only the capabilities that needs?"""
    monkeypatch.setattr(launcher, "bubblewrap", lambda: "/usr/bin/bwrap")
    monkeypatch.setattr(launcher, "_bwrap_knows", lambda option: False)
    argv, fds = launcher.worker_command(Isolation("bubblewrap", uid), (5, 6), tmp_path)
    binds = [(argv[i + 1], argv[i + 2]) for i, arg in enumerate(argv) if arg == "--ro-bind"]
    for name in launcher.WORKER_FILES:
        assert (str(launcher.HERE / name), str(launcher.INSIDE / name)) in binds
    assert (str(tmp_path), str(launcher.DATA_INSIDE)) in binds
    for source, _ in binds:
        assert not Path(source).is_relative_to(REPO / "solutions"), source
        assert not Path(source).is_relative_to(REPO / "autograder" / "checks"), source
    inner = argv[argv.index("--") + 1:]
    assert str(launcher.INSIDE / "worker.py") in inner and fds == (5, 6)
    assert ("setpriv" in inner) == (uid is not None)
    assert ("--cap-add" in argv) == (uid is not None)
    assert ("--unshare-all" in argv) == (uid is None)


def test_the_environment_inherits_nothing(monkeypatch):
    """Is the worker's environment exactly the launcher's, whatever the grader's holds?"""
    monkeypatch.setenv("GRADER_SECRET", "s3cret")
    env = launcher.environment("ko")
    assert "GRADER_SECRET" not in env and env["BACKPROP_LANG"] == "ko"
    assert env["PATH"] == "/usr/bin:/bin" and env["OMP_NUM_THREADS"] == "1"


def test_the_limits_are_set_in_the_child():
    """Does a child started with limit_resources run under every promised limit (and no
    core files), leaving the grader's own limits as they were?"""
    before = resource.getrlimit(resource.RLIMIT_CPU)
    isolation = Isolation("process", None, launcher.PROCESSES + 500)
    names = ["RLIMIT_CPU", "RLIMIT_AS", "RLIMIT_FSIZE", "RLIMIT_NPROC", "RLIMIT_NOFILE",
             "RLIMIT_CORE"]
    code = ("import resource; print(*[resource.getrlimit(getattr(resource, n))[0] "
            f"for n in {names!r}])")
    out = subprocess.run([sys.executable, "-I", "-c", code], capture_output=True, text=True,
                         preexec_fn=launcher.limit_resources(isolation),  # noqa: PLW1509
                         check=True, timeout=30).stdout
    assert [int(n) for n in out.split()] == [
        launcher.CPU_SECONDS, launcher.ADDRESS_SPACE, launcher.FILE_SIZE,
        launcher.PROCESSES + 500, launcher.OPEN_FILES, 0]
    assert resource.getrlimit(resource.RLIMIT_CPU) == before


def test_data_dir_inside():
    """Does the worker find MNIST at the mount point in bubblewrap, else where it is?"""
    assert launcher.data_dir_inside(Isolation("bubblewrap"), "/x") == str(launcher.DATA_INSIDE)
    assert launcher.data_dir_inside(Isolation("process"), "/x") == "/x"


def test_a_private_file_is_not_world_readable(tmp_path):
    """Is a file only its owner may read, or one in a folder others cannot enter, seen as
    out of reach of an unprivileged user?"""
    private = tmp_path / "private"
    private.write_text("x")
    private.chmod(0o600)
    assert not launcher._world_readable(private)
    os.chmod(tmp_path, 0o700)
    public = tmp_path / "public"
    public.write_text("x")
    public.chmod(0o644)
    assert not launcher._world_readable(public)
    assert not launcher._world_readable(tmp_path / "missing")
