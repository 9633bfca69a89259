"""Before anything is graded or touched: can the grader run here, as the course is set up?

Every route (``backprop-kit grade``, ``nbgrader autograde`` through the course's exporter,
the demo) calls :func:`check_setup` first, so a missing MNIST or a sandbox that cannot
start stops the command within seconds with what to do, and never costs a student an
earlier grade (nbgrader removes a submission's autograded folder when grading it fails).
"""

from pathlib import Path

from autograder.grading import grade as grading


class SetupError(RuntimeError):
    """The grader cannot run as the course is set up; the message says what to change."""


def check_setup(settings):
    """Apply the course's ``settings`` (:class:`~autograder.course_settings.BackpropCourse`)
    to this process and check them; return the sandbox Isolation they give.

    Raises:
        SetupError: MNIST is not where the settings say (or anywhere, when they say
            nothing), or the sandbox asked for cannot run here.
    """
    settings.apply()
    _check_mnist(settings)
    try:
        return grading.isolation_for(settings.isolation)
    except RuntimeError as error:
        raise SetupError(f"the sandbox cannot start: {error}; or set "
                         f"{settings.where('isolation')} to another level") from None


def _check_mnist(settings):
    from autograder import mnist_data
    from course_data import MnistError, find_mnist

    try:
        # Never a download: the answer must come in seconds, and the grader has no business
        # fetching data behind the instructor's back.
        if settings.mnist_dir:
            find_mnist(settings.mnist_dir, download=False)
        else:
            find_mnist(download=False)
        mnist_data.training_set()
    except MnistError as error:
        raise SetupError(_mnist_message(settings, error)) from None


def _mnist_message(settings, error):
    if not settings.mnist_dir:
        return (f"the MNIST check cannot run, so nothing was graded: {error}\n"
                f"Or name the folder that holds the four files in "
                f"{settings.where('mnist_dir')}.")
    from course_data.mnist import MNIST_FILES

    folder = Path(settings.mnist_dir)
    names = [name for name, _ in MNIST_FILES.values()]
    missing = [name for name in names if not (folder / name).is_file()]
    problem = ("it does not exist" if not folder.is_dir()
               else f"{', '.join(missing)} missing" if missing else str(error))
    return (f"the MNIST check cannot run, so nothing was graded: "
            f"{settings.where('mnist_dir')} names {folder}: {problem}.\n"
            f"Fix: put the four MNIST files there ({', '.join(names)}), or set that line "
            f"to the folder that holds them. (MNIST: LeCun, Cortes and Burges, CC BY-SA 3.0)")
