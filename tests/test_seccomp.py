"""Does the seccomp filter deny what it says, at every isolation level, and nothing more?

The attacks run in a real worker, as a student's cell would: each one in a child process
of the worker (so that one which worked could not disturb the next), its outcome printed
and returned. In the same worker, fork, threads, numpy and a subprocess must still work.
"""

import os
import platform
import struct

import hostile
import pytest

from autograder.grading.grade import grade_file
from autograder.sandbox import launcher, seccomp
from autograder.sandbox.session import Session

# What the brief of the filter names; the filter may deny more.
REQUIRED = {
    "ptrace", "process_vm_readv", "process_vm_writev", "mount", "umount2", "pivot_root",
    "move_mount", "open_tree", "fsopen", "fsconfig", "fsmount", "fspick", "mount_setattr",
    "unshare", "setns", "clone", "clone3", "keyctl", "add_key", "request_key", "bpf",
    "perf_event_open", "userfaultfd", "io_uring_setup", "io_uring_enter",
    "io_uring_register", "kexec_load", "kexec_file_load", "init_module", "finit_module",
    "delete_module", "reboot", "swapon", "swapoff", "acct", "quotactl",
    "open_by_handle_at", "name_to_handle_at", "iopl", "ioperm", "syslog", "chroot",
    "personality", "settimeofday", "clock_settime", "adjtimex", "kcmp", "pidfd_getfd",
    "ioctl", "memfd_create", "memfd_secret", "shmget", "msgget", "semget", "mq_open",
    "socket"}

ATTACKS = r"""
import ctypes, errno, os, platform, socket, subprocess, sys, threading, time
import numpy as np

libc = ctypes.CDLL(None, use_errno=True)
NR = {"x86_64": {"clone": 56, "keyctl": 250, "bpf": 321, "perf_event_open": 298},
      "aarch64": {"clone": 220, "keyctl": 219, "bpf": 280, "perf_event_open": 241},
      }[platform.machine()]
NR.update(clone3=435, io_uring_setup=425)  # the same on both
CLONE_NEWUSER, CLONE_NEWNS, SIGCHLD = 0x10000000, 0x00020000, 17
PTRACE_TRACEME, PTRACE_ATTACH = 0, 16
READ_IMPLIES_EXEC, TIOCSTI = 0x0400000, 0x5412
outcomes = {}

def attempt(name, call):
    child = os.fork()
    if child == 0:  # also a clone that worked, in its own child: 0 is success
        try:
            code = ctypes.get_errno() if call() == -1 else 0
        except OSError as error:
            code = error.errno
        os._exit(code)
    code = os.waitstatus_to_exitcode(os.waitpid(child, 0)[1])
    outcomes[name] = errno.errorcode.get(code, str(code)) if code else "succeeded"
    print(f"{name}: {outcomes[name]}")

sleeper = os.fork()
if sleeper == 0:
    time.sleep(60)
    os._exit(0)
attempt("unshare(CLONE_NEWUSER)", lambda: libc.unshare(CLONE_NEWUSER))
attempt("unshare(CLONE_NEWNS)", lambda: libc.unshare(CLONE_NEWNS))
if hasattr(os, "unshare"):  # Python >= 3.12
    attempt("os.unshare(CLONE_NEWUSER)", lambda: os.unshare(CLONE_NEWUSER))
attempt("clone(CLONE_NEWUSER)",
        lambda: libc.syscall(NR["clone"], CLONE_NEWUSER | SIGCHLD, 0, 0, 0, 0))
attempt("setns", lambda: libc.setns(-1, 0))
attempt("mount", lambda: libc.mount(b"none", b"/nonexistent", b"tmpfs", 0, None))
attempt("ptrace(PTRACE_TRACEME)", lambda: libc.ptrace(PTRACE_TRACEME, 0, 0, 0))
attempt("ptrace(PTRACE_ATTACH) to a sibling",
        lambda: libc.ptrace(PTRACE_ATTACH, sleeper, 0, 0))
attempt("keyctl", lambda: libc.syscall(NR["keyctl"], 0, -3, 0))  # the session keyring
attempt("bpf", lambda: libc.syscall(NR["bpf"], 0, None, 0))
attempt("perf_event_open", lambda: libc.syscall(NR["perf_event_open"], None, 0, -1, -1, 0))
attempt("io_uring_setup", lambda: libc.syscall(NR["io_uring_setup"], 1, None))
attempt("clone3", lambda: libc.syscall(NR["clone3"], None, 0))
attempt("personality(READ_IMPLIES_EXEC)", lambda: libc.personality(READ_IMPLIES_EXEC))
attempt("ioctl(TIOCSTI)", lambda: libc.ioctl(0, TIOCSTI, b"x"))
attempt("memfd_create", lambda: os.memfd_create("pinned"))  # pages nobody's size counts
attempt("shmget", lambda: libc.shmget(0, 1 << 20, 0o1600))  # IPC_PRIVATE | IPC_CREAT
# What outlives its processes in the sandbox's IPC namespace (a warm sandbox's next lease)
attempt("msgget", lambda: libc.msgget(0x5eed, 0o1666))  # IPC_CREAT
attempt("semget", lambda: libc.semget(0x5eed, 1, 0o1666))
attempt("mq_open", lambda: libc.mq_open(b"/answers", os.O_CREAT | os.O_RDWR, 0o666, None))
# and in its network namespace (TCP connections in TIME_WAIT, the loopback's counters)
attempt("socket(AF_INET)", lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM))
attempt("socket(AF_INET6)", lambda: socket.socket(socket.AF_INET6, socket.SOCK_DGRAM))
attempt("socket(AF_NETLINK)", lambda: socket.socket(socket.AF_NETLINK, socket.SOCK_RAW))
os.kill(sleeper, 9)
os.waitpid(sleeper, 0)

child = os.fork()
if child == 0:
    os._exit(7)
thread_ran = []
thread = threading.Thread(target=thread_ran.append, args=[1])
thread.start()
thread.join()
status = open("/proc/self/status").read()
with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as unix:
    unix_family = unix.family
ordinary = {
    "fork": os.waitstatus_to_exitcode(os.waitpid(child, 0)[1]) == 7,
    "thread": thread_ran == [1],
    "numpy": float(np.linalg.norm(np.ones((3, 3)) @ np.ones(3))) == float(np.sqrt(27)),
    "subprocess": subprocess.run([sys.executable, "-c", "pass"]).returncode == 0,
    "unix socket": unix_family == socket.AF_UNIX,
    "filtered": "Seccomp:\t2" in status and "NoNewPrivs:\t1" in status,
}
print(ordinary)
"""


def test_the_filter_builds_and_lists_what_it_denies():
    """Does libseccomp build the filter here, knowing every call on the list, and does the
    list hold each call it must deny, once?"""
    assert seccomp.unavailable() is None
    assert seccomp.known() == seccomp.NAMES
    assert REQUIRED <= set(seccomp.NAMES)
    assert len(set(seccomp.NAMES)) == len(seccomp.NAMES)
    assert set(seccomp.ERRNO) | set(seccomp.ONLY_WHEN) <= set(seccomp.NAMES)
    assert seccomp.summary(seccomp.NAMES).startswith(
        f"seccomp: {len(seccomp.NAMES)} system calls denied (ptrace, unshare, mount, ")


@pytest.mark.skipif(platform.machine() != "x86_64", reason="x32 is an x86_64 ABI")
def test_x32_system_calls_are_refused():
    """Does the program send every x32 system call (number with bit 30 set) to the
    other-architecture action, and is that action ENOSYS?"""
    fd = seccomp.program_fd(seccomp.NAMES)
    with open(fd, "rb") as pipe:
        program = pipe.read()
    instructions = [struct.unpack("HBBI", program[i:i + 8]) for i in range(0, len(program), 8)]
    jump_if_greater_or_equal, ret = 0x35, 0x06  # BPF_JMP|BPF_JGE|BPF_K, BPF_RET|BPF_K
    assert any(code == jump_if_greater_or_equal and k == 0x40000000
               for code, _, _, k in instructions)
    errno_enosys = 0x00050000 | 38
    assert (ret, 0, 0, errno_enosys) in instructions


def test_the_isolation_line_says_what_is_on():
    """Does `isolation:` name the filter and the absence of user namespaces?"""
    line = launcher.choose("process").describe()
    assert f"; seccomp: {len(seccomp.NAMES)} system calls denied (ptrace, " in line
    assert line.endswith("; no user namespaces")


def test_without_libseccomp_grading_still_runs_and_says_so(monkeypatch):
    """With no libseccomp, does the worker still run, and does `isolation:` say that there
    is no filter and why?"""
    monkeypatch.setattr(seccomp, "pyseccomp", None)
    monkeypatch.setattr(seccomp, "MISSING", "RuntimeError: Unable to find libseccomp",
                        raising=False)
    isolation = launcher.choose("process")
    assert isolation.seccomp_denied == ()
    assert "; no seccomp filter; libseccomp could not be loaded: RuntimeError: Unable to " \
           "find libseccomp" in isolation.describe()
    with Session([("cell", "x = 6 * 7")], isolation=isolation) as session:
        session.run_cells()
        assert session.request("lookup", label="x", name="x")["value"] == 42


@pytest.mark.parametrize("level", [pytest.param("bubblewrap", marks=pytest.mark.slow),
                                   "process"])
def test_attacks_fail_in_the_worker_and_ordinary_code_runs(level):
    """Does every namespace, mount, ptrace, kernel-interface, terminal, uncounted-memory,
    lasting-IPC and network-socket attack fail with EPERM (clone3: ENOSYS) in a real
    worker, while fork, threads, numpy, a subprocess and Unix sockets work in the same
    worker?"""
    if level == "bubblewrap" and not launcher.bubblewrap():
        pytest.fail("bubblewrap is not installed (apt-get install bubblewrap)")
    with Session([("attacks", ATTACKS)], isolation=launcher.choose(level)) as session:
        session.run_cells()
        assert session.cell_errors == {}
        outcomes, ordinary = (session.request("lookup", label=name, name=name)["value"]
                              for name in ("outcomes", "ordinary"))
    # Every attempt ran (os.unshare: in Python >= 3.12; the worker's Python is this one).
    attacks = ATTACKS.count('attempt("') - (not hasattr(os, "unshare"))
    assert len(outcomes) == attacks, session.output
    assert outcomes == {name: "ENOSYS" if name == "clone3" else "EPERM"
                        for name in outcomes}, session.output
    assert ordinary == dict.fromkeys(ordinary, True), session.output


@pytest.mark.slow
@pytest.mark.parametrize("level", ["bubblewrap", "process"])
def test_the_reference_still_gets_full_marks(level, mnist_dir, tmp_path):
    """With the filter on, does the honest reference submission still grade 100?"""
    case = next(case for case in hostile.CASES if case.id == "reference")
    results = grade_file(hostile.write(case, tmp_path),
                         isolation=launcher.choose(level)).results
    assert results["score"] == 100, results["extra_data"]["notes"]
    assert "no user namespaces" in results["extra_data"]["isolation"]
