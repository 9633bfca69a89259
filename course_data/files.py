"""Atomic file writes that give the file the mode ``open()`` would.

Every file the kit writes (results, summaries, downloaded and cached data) goes through
:func:`atomic_write`: a reader never sees half a file, and the file gets 0666 less the
process umask, like any file ``open()`` creates (the feedback HTML nbgrader writes beside
the results, say), not the 0600 of ``tempfile.mkstemp``.
"""

import os
import secrets
from pathlib import Path

ATTEMPTS = 100  # names tried for the temporary file; 32 random bits each rarely clash once


def atomic_write(dest, write):
    """Write ``dest`` atomically: ``write(binary file)`` fills a new temporary file beside
    it, which then replaces ``dest`` (``os.replace``). Returns ``dest`` as a Path."""
    dest = Path(dest)
    fd, tmp = _new_file_beside(dest)
    try:
        with os.fdopen(fd, "wb") as file:
            write(file)
        os.replace(tmp, dest)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return dest


def _new_file_beside(dest):
    """(fd, path) of a new empty file ``.<name>.<8 hex>.tmp`` in ``dest``'s folder.

    Created exclusively with mode 0666, so the kernel applies the umask exactly as for
    ``open()``: reading the umask to chmod a mkstemp file would mean setting it, for a
    moment, for every thread of the process."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC
    for _ in range(ATTEMPTS):
        tmp = dest.with_name(f".{dest.name}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {dest} after {ATTEMPTS} tries: "
                          f"remove the .{dest.name}.*.tmp files there")
