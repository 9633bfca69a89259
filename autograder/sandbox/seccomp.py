"""The seccomp filter of every worker: system calls student code has no use for, denied.

Why: the sandbox holds only as long as the kernel does, and most kernel bugs reachable
without privileges go through a few interfaces (user namespaces, which hand their creator
every capability inside them, bpf, io_uring, userfaultfd, keyrings, perf); a few more
calls would reach out of the box (ptrace of a sibling, the terminal's input, mounts).
Python, numpy and an honest submission use none of them. It is a deny list (everything
else is allowed) because the worker runs whatever Python and numpy need, which an allow
list would have to track release by release.

How: libseccomp, through pyseccomp (a ctypes binding), compiles :data:`DENIED` into a BPF
program for this machine's architecture (x86_64 or aarch64: it knows each one's system
call numbers); system calls of another ABI of the same CPU (x32, i386 on x86_64) fail with
ENOSYS, as on a kernel built without them. The library rather than hand-written BPF:
system call numbers differ between architectures, and x32 hides in a bit of the number;
libseccomp gets both right and is what bubblewrap and flatpak use. The bubblewrap level
hands the program to ``bwrap --seccomp FD``; the other levels load the same filter in the
worker just before exec (:mod:`autograder.sandbox.launcher`).
"""

import errno
import os
import socket
import termios

try:
    import pyseccomp
except (ImportError, OSError, RuntimeError) as error:  # RuntimeError: no libseccomp.so
    pyseccomp, MISSING = None, f"{type(error).__name__}: {error}"

# The deny list, by group (the isolation line names the first of each). Each
# call fails with EPERM, unless ERRNO says otherwise; those in ONLY_WHEN only with the
# arguments given there.
DENIED = (
    # Reading or steering another process: a sibling worker's memory, registers or open
    # files, or, at the "process" level, the grader's own (it runs as the same user).
    ("ptrace", "process_vm_readv", "process_vm_writev", "process_madvise", "kcmp",
     "pidfd_getfd"),
    # New or other namespaces: a user namespace gives its creator every capability inside
    # it, the way into most privilege-escalation bugs; joining a namespace leaves the
    # sandbox's. clone only with a namespace flag (fork and threads stay), clone3 always.
    ("unshare", "setns", "clone", "clone3"),
    # The file system the worker sees is made of mounts; changing them needs privileges
    # the worker must not use, and these calls keep turning up in kernel exploits.
    ("mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "fsopen",
     "fsconfig", "fsmount", "fspick", "mount_setattr"),
    # Kernel keyrings: shared by every process of a uid, a frequent source of kernel bugs.
    ("keyctl", "add_key", "request_key"),
    # Programs and counters run by the kernel itself: large attack surface, and a way to
    # read what other processes do.
    ("bpf", "perf_event_open"),
    # userfaultfd pauses the kernel mid-copy, which makes kernel races easy to win.
    ("userfaultfd",),
    # io_uring performs file and network operations that this filter never sees, and has
    # had more exploitable bugs than any other recent interface.
    ("io_uring_setup", "io_uring_enter", "io_uring_register"),
    # The machine itself (the "process" level as root runs student code as root): kernel
    # and modules, reboot, swap, accounting, quotas, I/O ports, the kernel log (kernel
    # addresses), the clocks.
    ("kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module",
     "reboot", "swapon", "swapoff", "acct", "quotactl", "quotactl_fd", "iopl", "ioperm",
     "syslog", "settimeofday", "clock_settime", "clock_adjtime", "adjtimex"),
    # Memory charged to no process: a memfd's or a System V segment's pages are counted
    # neither by RLIMIT_AS nor in any process's size, so when memory ran out the kernel's
    # OOM killer, which kills the largest process, would kill another student's worker
    # instead of the submission that filled it (the sandbox's /tmp is a 64 MB tmpfs).
    ("memfd_create", "memfd_secret", "shmget"),
    # Message queues and semaphores outlive the processes that made them, in the sandbox's
    # IPC namespace: a warm sandbox lent to one submission after another (warm_pool)
    # would let one leave its answers there for a later one. The sandbox's /tmp is wiped
    # between them; these cannot be, so they are denied (numpy and multiprocessing's
    # POSIX semaphores use neither).
    ("msgget", "msgsnd", "msgrcv", "msgctl", "semget", "semop", "semtimedop", "semctl",
     "mq_open", "mq_unlink", "mq_timedsend", "mq_timedreceive", "mq_notify",
     "mq_getsetattr"),
    # Sockets but Unix ones: the sandbox's network is a loopback of its own, which no
    # submission needs, and it keeps what a warm sandbox's lease did for the next one
    # (warm_pool): a closed TCP connection waits a minute in TIME_WAIT, its ports (32
    # bits, as many connections as the student likes) listed in /proc/net/tcp, and the
    # loopback counts what was sent. Unix sockets (socketpair, the zygote's leases,
    # multiprocessing) die with their processes.
    ("socket",),
    # Opening a file by its handle skips every folder's permissions (the "shocker" escape).
    ("open_by_handle_at", "name_to_handle_at"),
    # Execution domains other than Linux's: READ_IMPLIES_EXEC makes every readable page
    # executable, ADDR_NO_RANDOMIZE turns off address randomization of what the worker runs.
    ("personality",),
    # Typing into the terminal the worker can open (the instructor's shell, where the
    # grader runs as root at the weaker levels): TIOCSTI and TIOCLINUX (CVE-2017-5226).
    ("ioctl",),
)
NAMES = tuple(name for group in DENIED for name in group)

# clone3 passes its flags in memory a filter cannot read: ENOSYS, "not on this kernel",
# makes glibc fall back to clone, whose flags it can.
ERRNO = {"clone3": errno.ENOSYS}

CLONE_NEW = {"CLONE_NEWNS": 0x00020000, "CLONE_NEWCGROUP": 0x02000000,
             "CLONE_NEWUTS": 0x04000000, "CLONE_NEWIPC": 0x08000000,
             "CLONE_NEWUSER": 0x10000000, "CLONE_NEWPID": 0x20000000,
             "CLONE_NEWNET": 0x40000000, "CLONE_NEWTIME": 0x00000080}
PER_LINUX = 0
TIOCLINUX = getattr(termios, "TIOCLINUX", 0x541C)

# system call -> the argument tests that deny it, each one alone: (argument index,
# libseccomp comparison, datum a, datum b); MASKED_EQ is (argument & a) == b.
ONLY_WHEN = {
    # A filter tests a value, not "any of these bits": one test a flag. (CLONE_NEWTIME
    # shares its bit with clone's exit signal, which no valid signal sets.)
    "clone": [(0, "MASKED_EQ", flag, flag) for flag in CLONE_NEW.values()],
    # Anything but the default persona (even the 0xffffffff query: a rule can compare an
    # argument only once, and nothing the worker runs asks).
    "personality": [(0, "NE", PER_LINUX, 0)],
    # The kernel reads the request as 32 bits: the upper ones must not hide it.
    "ioctl": [(1, "MASKED_EQ", 0xFFFFFFFF, request) for request in (termios.TIOCSTI,
                                                                     TIOCLINUX)],
    # Any family but AF_UNIX (upper bits the kernel ignores make a family "not AF_UNIX"
    # here: denied, never allowed by mistake).
    "socket": [(0, "NE", socket.AF_UNIX, 0)],
}


def unavailable():
    """Why no filter can be built on this machine (a sentence), or None."""
    if pyseccomp is None:
        return f"libseccomp could not be loaded: {MISSING}"
    try:
        build(known())
    except OSError as error:
        return f"libseccomp could not build the filter: {error}"
    return None


def known():
    """The names of NAMES this libseccomp knows; an older one may miss the newest calls,
    which the filter then cannot deny (the caller says so)."""
    # -1 is libseccomp's "no such name"; calls absent from this architecture (iopl on
    # aarch64) get other negative numbers and cost nothing to deny.
    return tuple(name for name in NAMES
                 if pyseccomp.resolve_syscall(pyseccomp.Arch.NATIVE, name) != -1)


def build(names):
    """A new libseccomp filter (pyseccomp.SyscallFilter) denying ``names`` as DENIED says.

    A new one each time: a filter is not safe to share between threads.
    """
    syscall_filter = pyseccomp.SyscallFilter(pyseccomp.ALLOW)
    # x32 and i386 system calls on x86_64: ENOSYS, as on a kernel built without them.
    syscall_filter.set_attr(pyseccomp.Attr.ACT_BADARCH, pyseccomp.ERRNO(errno.ENOSYS))
    for name in names:
        action = pyseccomp.ERRNO(ERRNO.get(name, errno.EPERM))
        if name not in ONLY_WHEN:
            syscall_filter.add_rule(action, name)
        for argument, comparison, a, b in ONLY_WHEN.get(name, ()):
            test = pyseccomp.Arg(argument, getattr(pyseccomp, comparison), a, b)
            syscall_filter.add_rule(action, name, test)
    return syscall_filter


def program_fd(names):
    """The read end of a pipe holding the BPF program denying ``names``, for
    ``bwrap --seccomp FD``: the child reads it, the parent closes it once the child runs."""
    read, write = os.pipe()
    # The program (under 1 KiB) fits in the pipe's buffer (64 KiB): writing cannot block.
    with open(write, "wb") as pipe:
        build(names).export_bpf(pipe)
    return read


def summary(names):
    """What the filter denies, in a phrase for the ``isolation:`` line."""
    shown = [group[0] for group in DENIED if group[0] in names]
    return f"seccomp: {len(names)} system calls denied ({', '.join(shown[:6])}, ...)"
