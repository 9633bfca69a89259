"""A class of real Unix users sharing an nbgrader exchange, for end-to-end tests (needs root).

nbgrader's exchange is a folder every member of the class writes into; its permission
checks mean something only when the instructor and each student are different Unix users.
These helpers set such a class up on the machine and run commands as its members:

- :func:`ensure_user`: a user with a private home under /home, created once and reused
- :func:`run_as` / :func:`write_as`: a command, or a file write, as that user, with a clean
  environment and a time limit (files written are the user's own)
- :func:`make_exchange`: nbgrader's exchange root, a world-writable folder with the sticky bit
- :func:`make_course`: a course root owned by the instructor, private to them, whose
  nbgrader_config.py names the exchange; :func:`write_student_config` does the same for a
  student (``~/.jupyter/nbgrader_config.py``)
- :func:`untraversable`: the folder that keeps other users from reaching a path, if any;
  :func:`exposing` makes chosen paths inside such a folder reachable for one command

Used by tests/test_exchange_real_users.py.
"""

import os
import pwd
import shlex
import shutil
import signal
import subprocess
from pathlib import Path

from autograder.demo.pipeline import prepare_course

HOME_ROOT = Path("/home")
# Debian's useradd leaves a home 0755 (login.defs has no HOME_MODE): every student could
# read every other's notebooks. A class gives each member a private home.
PRIVATE_HOME = 0o700
EXCHANGE_MODE = 0o1777  # nbgrader's docs: writable by everyone; sticky, as /tmp
PRIVATE_COURSE = 0o700  # the course root (solutions, gradebook, submissions): instructor only
COMMAND_TIMEOUT = 300  # seconds; a stuck command fails the test instead of hanging it


class CommandFailed(RuntimeError):
    """A command run as a class member exited non-zero or ran out of time."""


def ensure_user(name):
    """The pwd entry of ``name``, created (home /home/<name>, shell /bin/bash) if missing.

    Reused as it is when it exists, except that its home is made private."""
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        _run(["useradd", "--create-home", "--home-dir", str(HOME_ROOT / name),
              "--shell", "/bin/bash", "--user-group", name])
        entry = pwd.getpwnam(name)
    home = Path(entry.pw_dir)
    if not home.is_dir():  # an account kept after its home was removed
        home.mkdir(parents=True)
        os.chown(home, entry.pw_uid, entry.pw_gid)
    home.chmod(PRIVATE_HOME)
    return entry


def user_environment(user, **extra):
    """The whole environment of a command run as ``user``: nothing inherited from root
    (root's USER, HOME, PYTHONPATH or JUPYTER_* would make it act as someone else)."""
    home = pwd.getpwnam(user).pw_dir
    return {"HOME": home, "USER": user, "LOGNAME": user, "PATH": "/usr/bin:/bin",
            "LANG": "C.UTF-8", **extra}


def run_as(user, argv, *, cwd=None, env=None, input=None, timeout=COMMAND_TIMEOUT,
           check=True, wrapper=()):
    """Run ``argv`` as ``user`` (runuser) in ``cwd`` (default: the user's home) with the
    environment :func:`user_environment` plus ``env``; return (exit status, output).

    stdout and stderr come back together. Past ``timeout`` seconds the command and
    everything it started are killed. check: raise CommandFailed on a non-zero exit.
    wrapper: a root command that runs the rest (:func:`exposing`)."""
    environment = user_environment(user, **(env or {}))
    command = [*wrapper, "runuser", "-u", user, "--", "env", "-i",
               *(f"{key}={value}" for key, value in environment.items()), *argv]
    # A process group of its own, so that a timeout kills what the command started too.
    with subprocess.Popen(command, cwd=cwd or environment["HOME"], text=True,
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, start_new_session=True) as process:
        try:
            output, _ = process.communicate(input, timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
            raise CommandFailed(f"{user}: `{' '.join(argv)}` still ran after {timeout} s "
                                f"(killed); its output ends:\n{output[-3000:]}") from None
    if check and process.returncode != 0:
        raise CommandFailed(f"{user}: `{' '.join(argv)}` exited {process.returncode}; its "
                            f"output ends:\n{output[-3000:]}")
    return process.returncode, output


def write_as(user, path, text):
    """Write ``text`` to ``path`` as ``user`` (so the file is theirs, made with their umask)."""
    run_as(user, ["sh", "-c", 'cat > "$1"', "sh", str(path)], input=text)


def make_exchange(parent):
    """nbgrader's exchange root in ``parent``: made by root, writable by everyone, sticky
    (a user may remove only their own entries); nbgrader makes the course folders in it."""
    exchange = Path(parent) / "exchange"
    exchange.mkdir()
    exchange.chmod(EXCHANGE_MODE)  # after mkdir: the umask would drop the bits
    return exchange


def exchange_config(exchange, course_id):
    """The configuration lines every member of the class shares."""
    return ("\n# The class's shared exchange (every member's configuration says the same).\n"
            f"c.Exchange.root = {str(exchange)!r}\n"
            f"c.CourseDirectory.course_id = {course_id!r}\n")


def make_course(course_dir, instructor, exchange, course_id):
    """This repository's course (nbgrader_config.py, assignments/) in ``course_dir``, its
    configuration naming the exchange, owned by ``instructor`` and private to them."""
    course_dir = prepare_course(course_dir)
    with open(course_dir / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write(exchange_config(exchange, course_id))
    entry = pwd.getpwnam(instructor)
    for folder, _, files in os.walk(course_dir):
        for path in [folder, *(os.path.join(folder, name) for name in files)]:
            os.chown(path, entry.pw_uid, entry.pw_gid)
    course_dir.chmod(PRIVATE_COURSE)
    return course_dir


def write_student_config(student, exchange, course_id):
    """``~/.jupyter/nbgrader_config.py`` of ``student``: the exchange and the course id, read
    by nbgrader wherever the student runs it."""
    home = Path(pwd.getpwnam(student).pw_dir)
    run_as(student, ["mkdir", "-p", str(home / ".jupyter")])
    write_as(student, home / ".jupyter" / "nbgrader_config.py",
             "c = get_config()  # noqa: F821\n" + exchange_config(exchange, course_id))


def remove_from_home(user, *relative_paths):
    """Delete ``relative_paths`` (files or folders) from ``user``'s home, if there."""
    home = Path(pwd.getpwnam(user).pw_dir)
    for relative in relative_paths:
        path = home / relative
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()


def untraversable(path):
    """The first folder on the way to ``path`` (itself included, if a folder) that users
    other than its owner and group cannot enter, or None if every one can be entered."""
    path = Path(path).absolute()
    for folder in [*reversed(path.parents), path]:
        if folder.is_dir() and not folder.stat().st_mode & 0o001:
            return folder
    return None


def exposing(hidden, paths):
    """A wrapper for :func:`run_as`: the command runs in a private mount namespace where
    ``hidden`` (a folder other users cannot enter, such as /root) is an empty folder anyone
    can enter, holding only ``paths`` (the real ones, bound in place as they are). Nothing
    changes outside that command's namespace. Needs root's right to make mount namespaces."""
    lines = ["set -e"]
    for k, path in enumerate(paths):  # bound aside first: the tmpfs will cover them
        lines += [f'stage{k}="$(mktemp -d)"', f'mount --bind {shlex.quote(str(path))} '
                                              f'"$stage{k}"']
    lines.append(f"mount -t tmpfs -o mode=0755,size=1m tmpfs {shlex.quote(str(hidden))}")
    for k, path in enumerate(paths):
        quoted = shlex.quote(str(path))
        lines += [f"mkdir -p {quoted}", f'mount --move "$stage{k}" {quoted}',
                  f'rmdir "$stage{k}"']
    lines.append('exec "$@"')
    return ["unshare", "--mount", "--propagation", "private", "--",
            "sh", "-c", "\n".join(lines), "sh"]


def _run(argv):
    """Run a root command of the setup (useradd), with its error in the exception."""
    result = subprocess.run(argv, capture_output=True, text=True, timeout=COMMAND_TIMEOUT)
    if result.returncode != 0:
        raise CommandFailed(f"`{' '.join(argv)}` exited {result.returncode}: "
                            f"{result.stderr.strip()}")
