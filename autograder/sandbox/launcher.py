"""How a worker process is started: the sandbox, the resource limits, the environment.

Three levels, the strongest the machine allows (``isolation="auto"``):

- ``bubblewrap``: the worker sees a private, read-only file system holding only Python,
  numpy and the public ``selfcheck`` package, plus an empty scratch folder; the hidden
  checks, the solutions, the course folder and the gradebook are simply not there. No
  network, its own process tree, and (when the grader runs as root) an unprivileged user
  so the process-count limit holds.
- ``user``: no bubblewrap, but running as root: the worker runs as an unprivileged user.
  Files that are world-readable stay readable (only used where it can reach Python).
- ``process``: a separate process with resource limits only.

The limits apply at every level: CPU seconds, address space, file size, processes, open
files; wall time and output size are enforced by the session that reads from the worker.
So does the seccomp filter (:mod:`autograder.sandbox.seccomp`), which, among other
things, keeps user namespaces out of reach.
"""

import functools
import os
import resource
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy

from autograder.sandbox import seccomp

HERE = Path(__file__).resolve().parent
WORKER_FILES = ("worker.py", "wire.py", "network_driver.py")
INSIDE = Path("/opt/backprop-worker")  # where the worker's files appear in the sandbox
# -I: no PYTHON* variables, no user site; -S: no site-packages scan either (its .pth files,
# editable installs' finders among them, cost ~12 ms of each worker's start); -u: unbuffered.
PYTHON_FLAGS = ("-I", "-S", "-u")
DATA_INSIDE = Path("/opt/backprop-data")
SCRATCH = Path("/tmp/work")
FIRST_UID = 61000  # workers run as 61000 + (pid % 4000) when the grader is root
SPARE_UID_OFFSET = 10000  # and a worker forked beside one (see processes) 10000 higher
BWRAP_PROBE_S = 10  # trying bwrap once takes milliseconds; a hang means it cannot work

# Limits, generous for honest code: grading a correct notebook uses ~3 s of CPU, ~400 MB.
CPU_SECONDS = 240
ADDRESS_SPACE = 4 << 30
FILE_SIZE = 16 << 20
PROCESSES = 64
OPEN_FILES = 256


@dataclass(frozen=True)
class Isolation:
    level: str  # "bubblewrap", "user" or "process"
    uid: int | None = None
    processes: int = PROCESSES  # RLIMIT_NPROC: counts all of the uid's processes
    notes: tuple = field(default=())
    seccomp_denied: tuple = ()  # system calls the seccomp filter denies; () for no filter

    def describe(self):
        what = {
            "bubblewrap": "bubblewrap sandbox: private read-only file system (Python, numpy, "
                          "selfcheck only), no network, own process tree",
            "user": "separate process as an unprivileged user (no bubblewrap: world-readable "
                    "files stay readable)",
            "process": "separate process with resource limits only (no bubblewrap, no "
                       "unprivileged user: student code can read what the grader can read)",
        }[self.level]
        if self.uid is not None:
            what += f", uid {self.uid}"
        # The kernel does not hold root to a process limit.
        processes = "" if self.uid is None and os.geteuid() == 0 else \
            f"{self.processes} processes, "
        limits = (f"limits: {CPU_SECONDS} s CPU, {ADDRESS_SPACE >> 30} GiB memory, "
                  f"{processes}{FILE_SIZE >> 20} MB per file")
        filtered = ([seccomp.summary(self.seccomp_denied), "no user namespaces"]
                    if self.seccomp_denied else ["no seccomp filter"])
        return "; ".join([what, limits, *filtered, *self.notes])


def bubblewrap():
    """Path of a working ``bwrap``, or None."""
    return shutil.which("bwrap") if not bubblewrap_problem() else None


@functools.cache
def bubblewrap_problem():
    """Why bubblewrap cannot sandbox here ("" when it can): not installed, or installed but
    refused its namespaces by this kernel or container (tried once per process)."""
    path = shutil.which("bwrap")
    if path is None:
        return "`bwrap` is not installed (Debian/Ubuntu: apt-get install bubblewrap)"
    try:
        probe = subprocess.run([path, "--ro-bind", "/", "/", "--unshare-all",
                                "--die-with-parent", "true"],
                               capture_output=True, text=True, timeout=BWRAP_PROBE_S)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"`{path}` could not be run: {error}"
    if probe.returncode != 0:
        reason = (probe.stderr.strip().splitlines() or ["no message"])[0][:200]
        return (f"`{path}` cannot make a sandbox here ({reason}): allow unprivileged user "
                "namespaces (sysctl kernel.unprivileged_userns_clone=1) or run the grader "
                "as root")
    return ""


def choose(requested="auto"):
    """The Isolation to use: ``requested`` or, for "auto", the strongest available."""
    is_root = os.geteuid() == 0
    uid = FIRST_UID + os.getpid() % 4000 if is_root else None
    notes = ()
    if requested == "auto":
        requested = "bubblewrap" if bubblewrap() else ("user" if is_root else "process")
        if requested != "bubblewrap" and shutil.which("bwrap"):
            notes = (bubblewrap_problem(),)
        if requested == "user" and not _reachable_by_others():
            requested = "process"
            notes += (f"no unprivileged user: others cannot run {sys.executable} (install "
                      "bubblewrap, or Python outside a private home folder)",)
    if requested == "bubblewrap" and not bubblewrap():
        raise RuntimeError(f"isolation 'bubblewrap' asked for, but {bubblewrap_problem()}")
    if requested == "user" and not is_root:
        raise RuntimeError("isolation 'user' needs the grader to run as root")
    if requested == "user" and not _reachable_by_others():
        raise RuntimeError(f"isolation 'user': an unprivileged user cannot run "
                           f"{sys.executable} or read its packages (a folder on the way is "
                           "not world-readable); install bubblewrap instead")
    denied, seccomp_notes = _seccomp()
    notes += seccomp_notes
    if requested == "process" or not is_root:
        # Not root: the limit counts every process of the grader's own user as well.
        return Isolation(requested, None, _own_processes() + PROCESSES, notes,
                         seccomp_denied=denied)
    return Isolation(requested, uid, notes=notes, seccomp_denied=denied)


def _seccomp():
    """(system calls the filter denies here, notes on what it cannot do)."""
    reason = seccomp.unavailable()
    if reason:
        return (), (f"{reason} (Debian: apt-get install libseccomp2)",)
    denied = seccomp.known()
    missing = [name for name in seccomp.NAMES if name not in denied]
    return denied, ((f"this libseccomp does not know {', '.join(missing)}, so the filter "
                     "cannot deny them",) if missing else ())


def _reachable_by_others():
    """Whether a user with no rights of its own can run this Python and read its packages
    and the worker's files (all the 'user' level needs)."""
    needed = [Path(sys.executable).resolve(), Path(sys.prefix) / "pyvenv.cfg",
              Path(numpy.__file__), HERE / "worker.py"]
    return all(_world_readable(path) for path in needed if path.exists())


def _own_processes():
    count = 0
    for entry in os.scandir("/proc"):
        try:
            count += entry.name.isdigit() and entry.stat().st_uid == os.getuid()
        except OSError:
            continue
    return count


def worker_command(isolation, fds, data_dir, arguments=None):
    """(argv, fds to pass) that start the worker reading requests on fds[0] and replying on
    fds[1]; or, with ``arguments`` ("zygote", its channels), the zygote that forks workers
    on ``fds`` (see worker.py). The fds to pass are ``fds`` and, for bubblewrap, the seccomp
    filter's pipe: the caller passes them all to the child and closes its own copies once
    it has started."""
    folder = INSIDE if isolation.level == "bubblewrap" else HERE
    inner = [sys.executable, *PYTHON_FLAGS, str(folder / "worker.py"),
             *(arguments or map(str, fds)), *import_dirs()]
    if isolation.level != "bubblewrap":  # the filter: see limit_resources
        return inner, fds
    # root: become an unprivileged user inside the sandbox (a zygote stays root there, with
    # only CAP_SETUID and CAP_SETGID, and gives each worker a uid of its own: see worker.py)
    if isolation.uid is not None and not arguments:
        inner = ["setpriv", f"--reuid={isolation.uid}", f"--regid={isolation.uid}",
                 "--clear-groups", "--inh-caps=-all", *inner]
    options = _bwrap_options(isolation, data_dir)
    if arguments:  # the zygote is the sandbox's init: no process inside can signal it
        options.append("--as-pid-1")
    if isolation.seccomp_denied:
        program = seccomp.program_fd(isolation.seccomp_denied)
        options += ["--seccomp", str(program)]
        fds = (*fds, program)
    return [bubblewrap(), *options, "--", *inner], fds


def _bwrap_options(isolation, data_dir):
    # No user namespace when root: the worker then drops to a real unprivileged uid, which
    # a namespace would leave unmapped (and the process limit needs a real uid). So
    # bwrap's --disable-userns, which needs a user namespace of the sandbox's own, is for
    # an unprivileged grader only; as root, the seccomp filter alone keeps the worker
    # from making one (it denies unshare, setns, clone3 and clone with namespace flags).
    namespaces = ["--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
                  "--unshare-cgroup-try"] if isolation.uid is not None else ["--unshare-all"]
    if isolation.uid is None and _bwrap_knows("--disable-userns"):
        namespaces += ["--unshare-user", "--disable-userns"]
    # The scratch folder is sticky, as /tmp: the kernel lets a uid that may write to a
    # folder set an extended attribute (user.*) on it, unless the folder is sticky and not
    # the uid's; one set by a worker would outlive the files a warm sandbox removes.
    options = [*namespaces, "--die-with-parent", "--new-session",
               "--proc", "/proc", "--dev", "/dev",
               "--size", str(64 << 20), "--perms", "1777", "--tmpfs", "/tmp",
               "--perms", "1777", "--dir", str(SCRATCH), "--chdir", str(SCRATCH)]
    if isolation.uid is not None:
        options += ["--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    made = set()
    for source, target in _mounts(data_dir):
        options += _parents(target, made) + ["--ro-bind", str(source), str(target)]
    options += ["--symlink", "usr/lib", "/lib", "--symlink", "usr/bin", "/bin"]
    if Path("/lib64").exists():
        options += ["--symlink", "usr/lib64", "/lib64"]
    return options


@functools.cache
def _bwrap_knows(option):
    """Whether this bwrap has ``option`` (--disable-userns: bubblewrap 0.8, 2023)."""
    usage = subprocess.run([bubblewrap(), "--help"], capture_output=True, text=True)
    return option in usage.stdout


def import_dirs():
    """The folders the worker imports numpy (and matplotlib) and selfcheck from, in the
    grader's paths (the sandbox mounts them at the same paths): the worker's Python runs
    without ``site`` (see PYTHON_FLAGS) and adds them to sys.path itself."""
    numpy_dir, selfcheck_dir = _package_dirs()
    return [str(folder) for folder in dict.fromkeys([numpy_dir, selfcheck_dir.parent])]


def _package_dirs():
    """(the folder holding the numpy package, the selfcheck package's own folder)."""
    import selfcheck

    return (Path(numpy.__file__).resolve().parent.parent,
            Path(selfcheck.__file__).resolve().parent)


def _mounts(data_dir):
    """(source, target) read-only mounts: the system, Python, numpy, selfcheck, worker."""
    base, prefix = Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve()
    mounts = [(Path("/usr"), Path("/usr")), (base, base)]
    if prefix != base:
        mounts.append((prefix, prefix))
    numpy_dir, selfcheck_dir = _package_dirs()
    if not any(_under(numpy_dir, target) for _, target in mounts):
        mounts.append((numpy_dir, numpy_dir))
    if not any(_under(selfcheck_dir, target) for _, target in mounts):
        mounts.append((selfcheck_dir, selfcheck_dir))
    mounts += [(HERE / name, INSIDE / name) for name in WORKER_FILES]
    if data_dir is not None:
        mounts.append((Path(data_dir), DATA_INSIDE))
    return mounts


def _under(path, folder):
    return path == folder or folder in path.parents


def _parents(target, made):
    """bwrap options creating the parents of ``target`` traversable by anyone."""
    options = []
    for parent in reversed(target.parents):
        if str(parent) != "/" and parent not in made and not _under(parent, Path("/usr")):
            made.add(parent)
            options += ["--perms", "0755", "--dir", str(parent)]
    return options


def data_dir_inside(isolation, data_dir):
    """Where the worker finds the MNIST arrays prepared in ``data_dir``."""
    return str(DATA_INSIDE) if isolation.level == "bubblewrap" else str(data_dir)


def environment(language):
    """The worker's whole environment: nothing inherited from the grader. (Python itself
    runs with -I, which ignores PYTHON* variables, and -u for unbuffered output.)"""
    return {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "LANG": "C.UTF-8",
            "MPLBACKEND": "Agg", "MPLCONFIGDIR": "/tmp/matplotlib",
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
            "BACKPROP_LANG": language}


def limit_resources(isolation):
    """preexec_fn for the worker: resource limits, then (level "user") drop to its uid,
    then (levels without bubblewrap, which loads it itself) the seccomp filter, built here
    in the grader so that the child only loads it."""
    syscall_filter = seccomp.build(isolation.seccomp_denied) \
        if isolation.seccomp_denied and isolation.level != "bubblewrap" else None

    def apply():
        for limit, value in ((resource.RLIMIT_CPU, CPU_SECONDS),
                             (resource.RLIMIT_AS, ADDRESS_SPACE),
                             (resource.RLIMIT_FSIZE, FILE_SIZE),
                             (resource.RLIMIT_NPROC, isolation.processes),
                             (resource.RLIMIT_NOFILE, OPEN_FILES),
                             (resource.RLIMIT_CORE, 0)):
            resource.setrlimit(limit, (value, value))
        _first_for_the_oom_killer()
        if isolation.level == "user":
            os.setgroups([])
            os.setgid(isolation.uid)
            os.setuid(isolation.uid)
        if syscall_filter is not None:  # sets no_new_privs first
            syscall_filter.load()
    return apply


def _first_for_the_oom_killer():
    """Mark the sandbox (every process it will start inherits it) as what the kernel kills
    first when memory runs out: RLIMIT_AS bounds each process, not the 64 a student may
    fork, and the grader must outlive them. Set by a root grader before the worker drops
    its uid, it is also the lowest value the worker may set again."""
    try:
        with open("/proc/self/oom_score_adj", "w") as adj:
            adj.write("1000")
    except OSError:
        pass  # no /proc (or it is read-only): the limits above still hold


def _world_readable(path):
    try:
        for folder in reversed(path.parents):
            if not folder.stat().st_mode & 0o001:
                return False
        return bool(path.stat().st_mode & 0o004)
    except OSError:
        return False
