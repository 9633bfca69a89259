"""The course's own settings, kept with nbgrader's in the course's ``nbgrader_config.py``.

nbgrader's apps read that file themselves (``c.CourseDirectory.course_id``,
``c.Exchange.root``, ...); the settings below live there too, as ``c.BackpropCourse.*``::

    c.BackpropCourse.mnist_dir = "/srv/data/mnist"   # the four MNIST .gz files
    c.BackpropCourse.budget = 300                    # seconds one notebook may take to grade
    c.BackpropCourse.isolation = "auto"              # the grader's sandbox level

``nbgrader autograde`` (through ``IsolatedAutograde``), ``backprop-kit grade`` and the demo
all read them with :func:`load`, so a command typed by hand in a plain shell grades the way
``make`` does, with no environment variable.
"""

import os
from pathlib import Path

from traitlets import Enum, Float, Unicode
from traitlets.config import Config, Configurable, PyFileConfigLoader

from autograder.sources import REPO

CONFIG_NAME = "nbgrader_config.py"
ISOLATION_LEVELS = ("auto", "bubblewrap", "user", "process")
# Wall time one submission may take, all its workers together. A correct notebook takes
# ~1-3 s; every call that runs out of its own time costs at most 10-20 s, so a few minutes
# bound even a notebook whose every method hangs, without cutting honest slow code.
DEFAULT_BUDGET = 300.0


class BackpropCourse(Configurable):
    """Where the grader finds its data, how long one notebook may take, which sandbox."""

    mnist_dir = Unicode(
        "", help="Folder holding the four MNIST .gz files (checked by sha256). Empty: "
                 "$BACKPROP_MNIST_DIR, then course_data/, then ~/.cache/backprop-mnist."
    ).tag(config=True)
    budget = Float(
        DEFAULT_BUDGET, help="Seconds of wall time one notebook may take to grade, all its "
                             "workers together; past it, the checks not yet graded get 0, "
                             "with a note."
    ).tag(config=True)
    isolation = Enum(
        ISOLATION_LEVELS, "auto", help="The grader's sandbox: auto (the strongest "
                                       "available), bubblewrap, user or process."
    ).tag(config=True)

    source = Unicode("", help="The file these settings came from (for messages).")

    def where(self, trait):
        """Where a setting is made, for a message that tells the reader what to edit."""
        return (f"c.BackpropCourse.{trait} in {self.source}" if self.source
                else f"c.BackpropCourse.{trait} (no {CONFIG_NAME} was read)")

    def apply(self):
        """Make these settings the grading process's: MNIST is found where they say (the
        location travels to forked grading processes through $BACKPROP_MNIST_DIR, the MNIST
        loader's documented override)."""
        if self.mnist_dir:
            os.environ["BACKPROP_MNIST_DIR"] = self.mnist_dir
        return self


def config_file(course_dir=None):
    """The ``nbgrader_config.py`` a command run in ``course_dir`` (default: the current
    folder) reads, or None: as nbgrader, the current folder's; else the kit's own course."""
    for folder in (Path(course_dir or os.getcwd()), REPO):
        if (folder / CONFIG_NAME).is_file():
            return (folder / CONFIG_NAME).resolve()
    return None


def load(course_dir=None):
    """The course's settings, from ``config_file(course_dir)`` (defaults if there is none).

    Raises:
        RuntimeError: the file cannot be read, with what to fix.
    """
    path = config_file(course_dir)
    config = Config()
    if path is not None:
        try:
            config = PyFileConfigLoader(path.name, path=str(path.parent)).load_config()
        except Exception as error:  # a course file with a mistake: say where, go no further
            raise RuntimeError(f"cannot read the course settings in {path}: "
                               f"{type(error).__name__}: {error}") from None
    return from_config(config, path)


def from_config(config, source=None):
    """The settings in a loaded traitlets ``config`` (e.g. an nbgrader app's)."""
    return BackpropCourse(config=config, source=str(source or ""))
