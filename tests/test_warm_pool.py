"""Is a warm sandbox lent to one submission after another as good as a fresh one?

Real sandboxes (bubblewrap, root: the only setting where a batch keeps them warm). Each
test leases a sandbox of a pool in this process, as a batch's grading process does, runs a
"student's" cells that try to leave something behind for the next lease, and checks what
the next lease's worker finds: no file, no process, no queue, no attribute or time set on
a folder, no connection of the one before; a lease
that cannot be cleaned ends its sandbox, and the pool starts another.
"""

import dataclasses
import os
import signal
import time
from pathlib import Path

import hostile
import pytest
from test_processes import CELLS, _probe  # a worker's probe: its pid, uid, naps, kills

from autograder.grading.grade import worker_data_dir
from autograder.sandbox import launcher, warm_pool, worker
from autograder.sandbox.session import Budget, Session, TimedOut

ISOLATION = launcher.choose("auto")
pytestmark = pytest.mark.skipif(
    not warm_pool.usable(ISOLATION),
    reason="a batch keeps sandboxes warm only for a root grader with bubblewrap")

# A student who leaves files everywhere the sandbox lets them write (a folder closed to
# everyone, a FIFO, a symlink, a file without permissions), and processes that try to
# outlive the submission: a daemon in a session of its own that ignores SIGTERM, and a
# chain that keeps forking a new child and leaving it.
LEAVES_EVERYTHING = r"""
import os, signal, time
for folder in ("/tmp", "/tmp/work"):
    with open(f"{folder}/answers.txt", "w") as f:
        f.write("dx = ...")
os.makedirs("/tmp/closed/inner", exist_ok=True)
open("/tmp/closed/inner/secret", "w").write("x")
os.chmod("/tmp/closed/inner", 0)
os.chmod("/tmp/closed", 0)
os.mkfifo("/tmp/work/pipe")
os.symlink("/etc/passwd", "/tmp/work/link")
open("/tmp/work/locked", "w").close()
os.chmod("/tmp/work/locked", 0)

def daemon():
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            while True:
                time.sleep(0.05)
        os._exit(0)

def hydra():
    if os.fork() == 0:
        while True:
            if os.fork():
                os._exit(0)  # the parent leaves, the child goes on forking
            time.sleep(0.01)

daemon()
hydra()
time.sleep(0.2)
"""

# What a later submission's worker looks for.
LOOKS_AROUND = r"""
import os
found = {
    "tmp": sorted(os.listdir("/tmp")),
    "work": sorted(os.listdir("/tmp/work")),
    "cwd": os.getcwd(),
    "others": sorted(
        (int(pid), open(f"/proc/{pid}/status").read().split("Uid:")[1].split()[0])
        for pid in os.listdir("/proc") if pid.isdigit() and int(pid) != os.getpid()),
}
"""


@pytest.fixture
def pool():
    with warm_pool.WarmPool(ISOLATION, worker_data_dir(), size=1) as pool:
        yield pool


def _session(cells, uid_offset, spare=False):
    """A session as the grading process with ISOLATION's uid + ``uid_offset`` has it."""
    isolation = dataclasses.replace(ISOLATION, uid=ISOLATION.uid + uid_offset)
    return Session(cells, isolation=isolation, data_dir=worker_data_dir(),
                   budget=Budget(60), spare=spare)


def _run(cells, uid_offset):
    """Run ``cells`` in a leased sandbox; (the lease's sandbox pid, the session's output,
    what it found)."""
    with _session(cells, uid_offset) as session:
        session.run_cells()
        assert session.cell_errors == {}, session.output
        lease = getattr(session._worker, "_zygote", None)
        assert isinstance(lease, warm_pool.Lease), "the worker did not come from the pool"
        found = session.request("lookup", label="found", name="found")
        return lease._warm.pid, found["value"] if found["found"] else None


def test_a_lease_finds_nothing_of_the_one_before(pool):
    """After a submission that left files, a closed folder, a daemon and a forking chain
    behind, does the next one in the same warm sandbox find an empty /tmp and no process
    but its own and the zygote's?"""
    first, before = _run([("look", LOOKS_AROUND), ("leave", LEAVES_EVERYTHING)], 1)
    second, found = _run([("look", LOOKS_AROUND)], 2)
    assert second == first  # the same sandbox, lent again
    # /tmp as the first found it: the scratch folder (and, with the kit installed under
    # /tmp, the parents of its mounts), the scratch folder empty
    assert "work" in found["tmp"] and found["tmp"] == before["tmp"]
    assert found["work"] == [] and found["cwd"] == "/tmp/work"
    assert found["others"] == [(1, "0")]  # the zygote alone


# A student who leaves answers on what removing files does not reach: the folders that
# outlive every lease (the scratch folder, /tmp) themselves, in an extended attribute (any
# uid that may write to a folder that is not sticky may set a user.* one: 64 KiB of
# answers for the next lease to read) and in their times (set to now at a moment chosen to
# say something).
LEAVES_ON_THE_FOLDERS = r"""
import os
tried = {}
for folder in ("/tmp/work", "/tmp"):
    try:
        os.setxattr(folder, "user.answers", b"dx = ...")
        tried[folder] = "set"
    except OSError as error:
        tried[folder] = os.strerror(error.errno)
    os.utime(folder)  # now: anyone who may write to a folder may
    open(f"{folder}/answers.txt", "w").close()
found["tried"] = tried
"""

LOOKS_AT_THE_FOLDERS = r"""
import os

def attributes(folder):
    info = os.stat(folder)
    return {"xattrs": {name: os.getxattr(folder, name).decode()
                       for name in os.listxattr(folder)},
            "mode": oct(info.st_mode), "owner": info.st_uid, "inode": info.st_ino,
            "times": [info.st_atime_ns, info.st_mtime_ns]}

found = {folder: attributes(folder) for folder in ("/tmp/work", "/tmp")}
"""


def test_a_lease_finds_nothing_on_the_folders_the_one_before_wrote_to(pool):
    """After a submission that tried to set an extended attribute on the scratch folder and
    on /tmp and touched both, does the next one in the same warm sandbox find a scratch
    folder made anew (another inode, root's and sticky, no attribute) and /tmp as the first
    found it (no attribute, the same times)?"""
    first, before = _run([("look", LOOKS_AT_THE_FOLDERS), ("leave", LEAVES_ON_THE_FOLDERS)],
                         1)
    second, found = _run([("look", LOOKS_AT_THE_FOLDERS)], 2)
    assert second == first  # the same sandbox, lent again
    scratch, tmp = found["/tmp/work"], found["/tmp"]
    assert scratch["xattrs"] == {} and tmp["xattrs"] == {}
    assert tmp == before["/tmp"]
    assert scratch["inode"] != before["/tmp/work"]["inode"]
    assert (scratch["mode"], scratch["owner"]) == (oct(0o41777), 0)
    # Not even set: the kernel refuses a user.* attribute on a sticky folder of another's.
    assert before["tried"] == dict.fromkeys(("/tmp/work", "/tmp"), "Operation not permitted")


# A student who leaves answers in the sandbox's network: the ports of TCP connections it
# closed, which wait a minute in TIME_WAIT listed in /proc/net/tcp (32 bits each, as many
# as it likes), and the loopback's counters of what it sent.
LEAVES_CONNECTIONS = r"""
import socket
try:
    with socket.create_server(("127.0.0.1", 4242)) as server:
        for port in (5001, 5002, 5003):
            with socket.socket() as client:
                client.bind(("127.0.0.1", port))
                client.connect(("127.0.0.1", 4242))
                server.accept()[0].close()
    tried = "connected"
except OSError as error:
    tried = error.strerror
found = {"tried": tried}
"""

LOOKS_AT_THE_NETWORK = r"""
found = {"tcp": open("/proc/net/tcp").read().splitlines()[1:],
         "loopback": open("/proc/net/dev").read().split("lo:")[1].split()[:2]}
"""


def test_a_lease_finds_no_connection_of_the_one_before(pool):
    """The network namespace outlives a lease: after a submission that opened and closed
    TCP connections on the loopback, does the next one find no connection listed and
    nothing counted as sent (the seccomp filter allows Unix sockets only)?"""
    first, left = _run([("leave", LEAVES_CONNECTIONS)], 1)
    second, found = _run([("look", LOOKS_AT_THE_NETWORK)], 2)
    assert second == first  # the same sandbox, lent again
    assert found == {"tcp": [], "loopback": ["0", "0"]}
    assert left == {"tried": "Operation not permitted"}  # the first socket() was denied


# A student who rewrites what the zygote imported before any student code (worker.PRELOADED:
# the setup cell's modules), in the hope that the next lease's worker inherits it.
POISONS_PRELOADED = hostile.POISONS_PRELOADED + "selfcheck.POISONED = True\n"

LOOKS_AT_PRELOADED = r"""
import selfcheck, selfcheck.messages, selfcheck.numerics
found = {"poisoned": getattr(selfcheck, "POISONED", False),
         "tol": selfcheck.numerics.GRADIENT_TOL,
         "error": selfcheck.numerics.relative_error([1.0], [0.0]),
         "say": selfcheck.messages.say.__name__}
"""


def test_a_lease_finds_the_preloaded_modules_as_the_zygote_loaded_them(pool):
    """The zygote imports the setup cell's modules before any student code, and every
    worker of every lease is forked from it: does a worker that rewrites them leave the
    next lease's worker the zygote's own, untouched?"""
    first, _ = _run([("poison", POISONS_PRELOADED)], 1)
    second, found = _run([("look", LOOKS_AT_PRELOADED)], 2)
    assert second == first  # the same sandbox, lent again
    assert found == {"poisoned": False, "tol": 1e-6, "error": 1.0, "say": "say"}


def test_a_lease_that_cannot_be_cleaned_ends_its_sandbox(pool):
    """A folder nested deeper than a path may name cannot be removed by path: does the
    zygote end its sandbox rather than lend it dirty, the next submission get a sandbox of
    its own, and the pool start a fresh one before the next grading process?"""
    deep = ("import os\nfor _ in range(40):\n    os.mkdir('d' * 200)\n    os.chdir('d' * 200)\n"
            "os.chdir('/tmp/work')\n")
    first, before = _run([("look", LOOKS_AROUND), ("deep", deep)], 1)
    deadline = time.monotonic() + 10
    while (os.path.exists(f"/proc/{first}") and "zombie" not in _state(first)
           and time.monotonic() < deadline):
        time.sleep(0.05)
    with _session([("look", LOOKS_AROUND)], 2) as session:
        session.run_cells()  # on a sandbox of its own
        assert not isinstance(getattr(session._worker, "_zygote", None), warm_pool.Lease)
    pool.refresh()
    again, found = _run([("look", LOOKS_AROUND)], 3)
    assert again != first and found["tmp"] == before["tmp"] and found["work"] == []


def test_a_kit_installed_under_tmp_keeps_its_sandbox_warm(monkeypatch):
    """With the kit's Python under /tmp (a clone in /tmp/x), the sandbox's /tmp holds the
    parents of its mounts from the start: is the sandbox still lent again (it was ended
    after every lease, as if it could not be cleaned), the next lease seeing /tmp as the
    first one did?"""
    mounts = launcher._mounts
    monkeypatch.setattr(launcher, "_mounts", lambda data_dir: [
        *mounts(data_dir), (Path(launcher.HERE), Path("/tmp/kit/autograder/sandbox"))])
    with warm_pool.WarmPool(ISOLATION, worker_data_dir(), size=1):
        first, before = _run([("look", LOOKS_AROUND), ("leave", LEAVES_EVERYTHING)], 1)
        second, found = _run([("look", LOOKS_AROUND)], 2)
    assert "kit" in before["tmp"] and found["tmp"] == before["tmp"]
    assert second == first and found["work"] == []


def test_a_grading_process_forked_before_a_replacement_leaves_both_alone(pool):
    """A grading process forked before its batch replaced an ended sandbox still knows the
    old one: does it start a sandbox of its own, neither leasing the old one (gone) nor
    killing by its pid (which the machine may have given to another process since)?"""
    stale = list(warm_pool._pool)
    os.kill(stale[0].pid, 9)
    deadline = time.monotonic() + 10
    while "zombie" not in _state(stale[0].pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    pool.refresh()
    fresh = list(warm_pool._pool)
    assert fresh[0].pid != stale[0].pid
    # As that grading process sees the pool, the old pid given to the new sandbox: the
    # worst case of reuse.
    warm_pool._pool[:] = [dataclasses.replace(stale[0], pid=fresh[0].pid)]
    try:
        with _session([("look", LOOKS_AROUND)], 1) as session:
            session.run_cells()
            assert not isinstance(getattr(session._worker, "_zygote", None), warm_pool.Lease)
    finally:
        warm_pool._pool[:] = fresh
    assert os.path.exists(f"/proc/{fresh[0].pid}") and "zombie" not in _state(fresh[0].pid)
    again, found = _run([("look", LOOKS_AROUND)], 2)
    assert again == fresh[0].pid and found["work"] == []


def _state(pid):
    try:
        with open(f"/proc/{pid}/status") as status:
            return next(line for line in status if line.startswith("State:")).lower()
    except OSError:
        return "gone"


def test_leased_workers_live_apart(pool):
    """The checks' worker and the early MNIST run's, forked in one lease: can neither
    signal the other or the zygote, does a hung one get killed while the other goes on,
    and does the early run's take a lower priority (worker.SPARE_NICE)?"""
    first = _session(CELLS, 1, spare=True)
    second = first.sibling()
    with first, second:
        first.run_cells()
        second.run_cells()
        assert isinstance(first._worker._zygote, warm_pool.Lease)
        assert first._worker._zygote is second._worker._zygote
        assert _probe(first).uid() != _probe(second).uid() and _probe(second).uid() != 0
        assert _probe(first).nice() == os.nice(0) < _probe(second).nice()
        before = _probe(second).pid()
        _probe(first).kill(-1)
        _probe(first).kill(1)
        assert _probe(second).pid() == before and first.restarts == 0
        with first.time_limit(0.5), pytest.raises(TimedOut):
            _probe(first).nap(30)
        assert _probe(second).pid() == before and second.restarts == 0
        assert isinstance(_probe(first).pid(), int)  # restarted


def test_no_descriptor_of_the_zygote_reaches_a_worker(pool):
    """A worker holding the zygote's master socket or a lease could ask for workers of any
    uid: does a leased worker hold nothing but its own pipes (and /dev/null)?"""
    cell = ("import os\nheld = []\nfor fd in os.listdir('/proc/self/fd'):\n"
            "    try:\n        held.append(os.readlink(f'/proc/self/fd/{fd}'))\n"
            "    except OSError:\n        pass\n"
            "found = sorted(set(kind.split(':')[0] for kind in held))\n")
    _, found = _run([("fds", cell)], 1)
    assert found == ["/dev/null", "pipe"]


def test_closing_the_pool_ends_its_sandboxes():
    """Does a batch's end leave no warm sandbox running (bubblewrap, and the zygote it
    started, which dies with it)?"""
    with warm_pool.WarmPool(ISOLATION, worker_data_dir(), size=2):
        pids = [warm.pid for warm in warm_pool._pool]
        assert len(pids) == 2 and all(os.path.exists(f"/proc/{pid}") for pid in pids)
        zygotes = _waited_for(lambda: _warm_zygotes(of=pids), lambda found: len(found) == 2)
        assert len(zygotes) == 2
    assert warm_pool._pool == []
    assert not any(os.path.exists(f"/proc/{pid}") for pid in pids)
    # The zygote's end follows bubblewrap's (a signal on its parent's death): waited for.
    left = _waited_for(lambda: [pid for pid in zygotes if os.path.exists(f"/proc/{pid}")],
                       lambda found: not found)
    assert not left, "a warm zygote outlived its bubblewrap"


def _waited_for(look, done, seconds=5.0):
    """``look()`` once ``done`` says so of it, or after ``seconds``."""
    deadline = time.monotonic() + seconds
    found = look()
    while not done(found) and time.monotonic() < deadline:
        time.sleep(0.02)
        found = look()
    return found


def _warm_zygotes(of):
    """The pids of the processes running ``worker.py warm`` whose parent is one of the
    bubblewrap processes ``of`` (other graders' pools on this machine apart)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                words = cmdline.read().split(b"\0")
            with open(f"/proc/{pid}/status") as status:
                parent = int(next(line for line in status if line.startswith("PPid:")).split()[1])
        except (OSError, StopIteration, ValueError):
            continue
        if parent in of and b"warm" in words and any(word.endswith(b"worker.py")
                                                     for word in words):
            found.append(int(pid))
    return found


# No grader's uid (launcher.FIRST_UID and up): a test's processes may run as it.
LONE_UID = 59_999


def test_a_lease_is_clean_only_once_its_killers_have_run(tmp_path, monkeypatch):
    """The zygote's ``_kill`` forks a killer that takes the lease's uid and kills all of it,
    and does not wait for it; until it has taken the uid, /proc shows no process of it. Does
    cleaning wait for it, so that it cannot kill the next lease's workers, which run as the
    same uid when one process grades submission after submission (a Dask worker)?"""
    monkeypatch.setattr(worker, "TMP", str(tmp_path))
    monkeypatch.setattr(worker, "SCRATCH", str(tmp_path / "work"))
    (tmp_path / "work").mkdir()
    report_r, report_w = os.pipe()
    zygote = os.fork()
    if zygote == 0:  # a process of its own: cleaning reaps every child it has
        try:
            if os.fork() == 0:  # the killer, slow to start (a busy machine)
                time.sleep(0.3)
                worker._as(LONE_UID, worker._kill_own, time.monotonic() + 5)
                os._exit(0)
            cleaned = worker._clean([LONE_UID], worker.Begun())
            following = os.fork()
            if following == 0:  # the next lease's worker
                os.setresuid(LONE_UID, LONE_UID, LONE_UID)
                time.sleep(5)
                os._exit(0)
            time.sleep(0.6)
            alive = os.waitpid(following, os.WNOHANG) == (0, 0)
            os.kill(following, signal.SIGKILL)
            os.write(report_w, f"{cleaned} {alive}".encode())
        finally:
            os._exit(0)
    os.close(report_w)
    report = os.read(report_r, 64).decode()
    os.waitpid(zygote, 0)
    assert report == "True True", f"cleaned, next worker alive: {report}"


def test_an_attribute_left_on_a_folder_that_stays_fails_the_cleaning(tmp_path, monkeypatch):
    """No worker can set an extended attribute on /tmp or the scratch folder (root's,
    sticky) or the parents of mounts (root's, read-only to others); should one be found all
    the same, on a folder that outlives the lease, does cleaning fail (the sandbox ends)
    where one on the scratch folder goes with the folder, made anew?"""
    monkeypatch.setattr(worker, "TMP", str(tmp_path))
    monkeypatch.setattr(worker, "SCRATCH", str(tmp_path / "work"))
    monkeypatch.chdir(tmp_path)  # _put_back moves into the new scratch folder
    (tmp_path / "work").mkdir(mode=0o1777)
    (tmp_path / "kit" / "inner").mkdir(parents=True)
    begun = worker.Begun()
    assert set(begun.folders) == {str(tmp_path / name) for name in ("", "kit", "kit/inner",
                                                                    "work")}
    os.setxattr(tmp_path / "work", "user.answers", b"dx = ...")
    assert worker._put_back(begun)
    assert os.listxattr(tmp_path / "work") == []
    os.setxattr(tmp_path / "kit" / "inner", "user.answers", b"dx = ...")
    assert not worker._put_back(begun)
