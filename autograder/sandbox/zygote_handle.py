"""What the grader's handles on a zygote share (its own sandbox's, processes._Zygote, or a
warm sandbox's lease, warm_pool.Lease): the exit codes of its workers as it reports them,
and the sessions still using them. Nothing a zygote reports is worth a point: an exit code
only words a message."""

import os
import threading


class ZygoteHandle:
    """Subclasses give ``kill(index)``, ``kill_all()``, ``_reported()`` (yields (index,
    wait status) as the zygote reports each worker's end; returns when it can say no more)
    and ``_end()`` (the last session is done). Set their own attributes first: the thread
    reading the reports starts here."""

    def __init__(self, workers):
        self._workers = self._users = workers
        self._codes = {}
        self._ended = threading.Condition()
        self._users_lock = threading.Lock()
        self._reports = threading.Thread(target=self._read_reports, daemon=True)
        self._reports.start()

    def exit_code(self, index, timeout):
        """Worker ``index``'s exit code (negative: a signal), or None if not reported
        within ``timeout`` seconds (or never: its zygote ended first)."""
        with self._ended:
            self._ended.wait_for(lambda: index in self._codes, timeout)
            return self._codes.get(index)

    def release(self):
        """One worker's session is done with the zygote; the last one ends it."""
        with self._users_lock:
            self._users -= 1
            last = self._users == 0
        if last:
            self._end()

    def _read_reports(self):
        for index, status in self._reported():
            try:
                code = os.waitstatus_to_exitcode(status)
            except ValueError:
                continue
            with self._ended:
                self._codes.setdefault(index, code)
                self._ended.notify_all()
        with self._ended:  # the zygote can say no more: the others ended unreported
            self._codes = {index: self._codes.get(index) for index in range(self._workers)}
            self._ended.notify_all()
