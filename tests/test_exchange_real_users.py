"""End to end through nbgrader's exchange, with real Unix users: one instructor, three students.

One module-scoped fixture runs a whole assignment once, every command as the user who would
run it (``runuser``), with the exchange a world-writable sticky folder and the course root
private to the instructor:

    instructor  generate_assignment, release_assignment
    students    fetch_assignment, (answer), submit
    instructor  (the due date passes)            student1 submits again, late
    instructor  collect, autograde, generate_feedback, release_feedback
    students    fetch_feedback

The tests then read the gradebook, nbgrader's output, the students' homes and what each
student can and cannot reach (every command's output is kept in artifacts/exchange/class.log).
Needs root (it creates the users ``bpx-instructor`` and ``bpx-student1..3``, and reuses
them) and MNIST; skips without root, fails under CI.
"""

import datetime
import os
import pwd
import shutil
import sys
import tempfile
from html import escape
from pathlib import Path

import nbformat
import pytest
import unix_accounts
from nbgrader.api import Gradebook
from test_nbgrader_pipeline import HIDDEN_SOURCE
from unix_accounts import run_as

from autograder.demo.sample_class import SAMPLE_CLASS, answers_of, submission

pytestmark = [pytest.mark.slow, pytest.mark.users]

REPO = Path(__file__).resolve().parents[1]
COURSE_ID = ASSIGNMENT = "backprop"
INSTRUCTOR = "bpx-instructor"
# Each student hands in one of the sample class's notebooks; the points it deserves are the
# rubric's (README's table): the reference 100, the inverted Relu mask 2/10 on Relu (92),
# the untouched release 0.
SAMPLE = {student.id: student for student in SAMPLE_CLASS}
STUDENTS = {"bpx-student1": SAMPLE["ada"], "bpx-student2": SAMPLE["cho"],
            "bpx-student3": SAMPLE["ben"]}
DESERVED = {"bpx-student1": 100, "bpx-student2": 92, "bpx-student3": 0}
LATE_STUDENT = "bpx-student1"  # submits again after the due date
# What the class leaves in a student's home; removed before and after the run.
CLASS_FILES = (ASSIGNMENT, ".local/share/jupyter/nbgrader_cache",
               ".jupyter/nbgrader_config.py")
AUTOGRADE_TIMEOUT = 900  # seconds, the whole class (a correct notebook takes a few)
LOG = REPO / "artifacts" / "exchange" / "class.log"  # every command's output (git-ignored)


def _in_ci():
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _unavailable(reason):
    """Fail under CI (this test must run there, as root); skip on a developer's machine."""
    if _in_ci():
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


def _require_root_and_tools():
    if os.geteuid() != 0:
        _unavailable("creating Unix users needs root (run as root, as CI does)")
    for tool in ("useradd", "runuser"):
        if shutil.which(tool) is None:
            _unavailable(f"`{tool}` is not on PATH (Debian: package passwd / util-linux)")


def _require_reachable(paths):
    """Fail, naming the folder and the fix, if the class's users cannot reach ``paths``."""
    for path in paths:
        folder = unix_accounts.untraversable(path)
        if folder is not None:
            pytest.fail(
                f"{path} is needed by the class's users, but {folder} (mode "
                f"{folder.stat().st_mode & 0o7777:o}) lets no other user enter it. Clone the "
                "repository (and put MNIST) where every user can enter, e.g. under /srv or "
                f"/opt, or `chmod o+x {folder}`.", pytrace=False)


def _python_wrapper():
    """How the class's users reach this venv's Python: directly, or through
    :func:`unix_accounts.exposing` when the Python it was made from is installed in a
    folder other users cannot enter (pyenv in /root, as on CI). A real class installs Python
    where everyone can run it; this exposes that one installation, for the test's commands."""
    base = Path(sys.base_prefix).resolve()
    hidden = unix_accounts.untraversable(base)
    if hidden is None:
        return ()
    if shutil.which("unshare") is None:
        pytest.fail(f"Python ({base}) is in {hidden}, which other users cannot enter, and "
                    "`unshare` (util-linux) is missing to expose it: install Python where "
                    "every user can run it and make the venv from that one.", pytrace=False)
    return tuple(unix_accounts.exposing(hidden, [base]))


def _require_python_for(user, run):
    """Fail with the reason if ``user`` cannot run this venv's Python with nbgrader."""
    status, output = run_as(user, [sys.executable, "-c", "import nbgrader, numpy, autograder"],
                            env=run.env, wrapper=run.wrapper, check=False)
    if status != 0:
        pytest.fail(f"{user} cannot run {sys.executable} with the kit: {output.strip()}\n"
                    "Every user of the class must be able to run the venv's Python (and the "
                    "Python it was made from) and read the repository.", pytrace=False)


def _command_env():
    """What every class member's nbgrader needs besides their own HOME and USER: this venv
    first on PATH (nbgrader runs `alembic` from it), this checkout's packages first (the
    course's nbgrader_config.py imports autograder). No MNIST variable: the course's
    nbgrader_config.py names the folder (c.BackpropCourse.mnist_dir)."""
    return {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "PYTHONPATH": str(REPO)}


def _require_bubblewrap_for(instructor, env):
    """The full sandbox needs bwrap working for an unprivileged user (user namespaces)."""
    if shutil.which("bwrap") is None:
        _unavailable("bubblewrap is not installed (make sandbox installs it)")
    status, output = run_as(instructor, ["bwrap", "--ro-bind", "/", "/", "--unshare-all",
                                         "true"], env=env, check=False)
    if status != 0:
        _unavailable(f"bwrap does not work for the unprivileged {instructor} (user "
                     f"namespaces disabled?): {output.strip()}")


class ClassRun:
    """The class's scratch folders and what each step printed, by step name."""

    def __init__(self, base):
        self.base = base
        self.exchange = unix_accounts.make_exchange(base)
        self.course = base / "course"
        self.env = _command_env()
        self.wrapper = _python_wrapper()
        self.output = {}
        self.due_date = None

    def nbgrader(self, user, *args, step=None, cwd=None, timeout=unix_accounts.COMMAND_TIMEOUT):
        """``nbgrader <args>`` as ``user`` (the instructor in the course root, a student at
        home); its output is kept as ``step`` (default: user and command)."""
        if user == INSTRUCTOR:
            cwd = cwd or self.course
        step = step or f"{user}: {' '.join(args)}"
        try:
            _, output = run_as(user, [sys.executable, "-m", "nbgrader", *args], cwd=cwd,
                               env=self.env, timeout=timeout, wrapper=self.wrapper)
        except unix_accounts.CommandFailed as failure:
            self.output[step] = str(failure)
            raise
        self.output[step] = output
        return output

    def write_log(self, path):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(f"$ {step}\n{output}\n" for step, output in self.output.items()),
                        encoding="utf-8")

    def home(self, user):
        return Path(pwd.getpwnam(user).pw_dir)

    def fetched(self, student):
        return self.home(student) / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"

    def gradebook_copy(self, folder):
        """A copy of the instructor's gradebook (reading it as root must not leave root's
        files in the instructor's course)."""
        copy = Path(folder) / "gradebook.db"
        shutil.copy(self.course / "gradebook.db", copy)
        return f"sqlite:///{copy}"


def _reset_homes(users):
    for user in users:
        unix_accounts.remove_from_home(user, *CLASS_FILES)


def _run_the_class(run):
    """The assignment's whole life, every command as the user who would run it."""
    run.nbgrader(INSTRUCTOR, "generate_assignment", ASSIGNMENT, step="generate_assignment")
    run.nbgrader(INSTRUCTOR, "release_assignment", ASSIGNMENT, step="release_assignment")
    for student, sample in STUDENTS.items():
        run.nbgrader(student, "fetch_assignment", ASSIGNMENT)
        answers = answers_of(sample)
        if answers is not None:  # the untouched release is handed in as fetched
            unix_accounts.write_as(student, run.fetched(student), nbformat.writes(
                submission(run.fetched(student), answers)))
        run.nbgrader(student, "submit", ASSIGNMENT, step=f"submit {student}")
    # The deadline passes (nbgrader's timestamps are UTC); one student submits once more.
    run.due_date = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None)
    run.nbgrader(INSTRUCTOR, "db", "assignment", "add", ASSIGNMENT,
                 f"--duedate={run.due_date.isoformat(sep=' ')} UTC", step="due date")
    run.nbgrader(LATE_STUDENT, "submit", ASSIGNMENT, step="late submit")
    run.nbgrader(INSTRUCTOR, "collect", ASSIGNMENT, step="collect")
    run.nbgrader(INSTRUCTOR, "autograde", ASSIGNMENT, step="autograde",
                 timeout=AUTOGRADE_TIMEOUT)
    run.nbgrader(INSTRUCTOR, "generate_feedback", ASSIGNMENT, step="generate_feedback")
    run.nbgrader(INSTRUCTOR, "release_feedback", ASSIGNMENT, step="release_feedback")
    for student in STUDENTS:
        run.nbgrader(student, "fetch_feedback", ASSIGNMENT, step=f"fetch_feedback {student}")


@pytest.fixture(scope="module")
def run(mnist_dir):
    """The class, run once: users made (or reused), the exchange and the course in a fresh
    folder of /tmp that every user can enter, the whole assignment; removed afterwards."""
    _require_root_and_tools()
    _require_reachable([Path(sys.prefix) / "pyvenv.cfg", REPO, mnist_dir])
    for user in [INSTRUCTOR, *STUDENTS]:
        unix_accounts.ensure_user(user)
    _reset_homes(STUDENTS)
    base = Path(tempfile.mkdtemp(prefix="bpx-class-", dir="/tmp"))
    try:
        base.chmod(0o755)  # mkdtemp makes it 0700: root's alone
        run = ClassRun(base)
        _require_python_for(INSTRUCTOR, run)
        _require_bubblewrap_for(INSTRUCTOR, run.env)
        unix_accounts.make_course(run.course, INSTRUCTOR, run.exchange, COURSE_ID)
        for student in STUDENTS:
            unix_accounts.write_student_config(student, run.exchange, COURSE_ID)
        try:
            _run_the_class(run)
        finally:
            run.write_log(LOG)
        yield run
    finally:
        shutil.rmtree(base, ignore_errors=True)
        _reset_homes(STUDENTS)


@pytest.fixture(scope="module")
def gradebook_url(run, tmp_path_factory):
    return run.gradebook_copy(tmp_path_factory.mktemp("gradebook"))


def _inbound(run):
    return run.exchange / COURSE_ID / "inbound"


def _feedback_html(run, student):
    """The feedback pages ``student`` fetched into their home (one per graded submission)."""
    return sorted((run.home(student) / ASSIGNMENT / "feedback").glob(f"*/{ASSIGNMENT}.html"))


# ------------------------------------------------------------------------------ grades


def test_students_get_the_grades_they_deserve(gradebook_url):
    """Does the gradebook hold 100 / 92 / 0 for the reference, the inverted Relu mask and
    the untouched release, collected from the exchange?"""
    with Gradebook(gradebook_url) as gradebook:
        scores = {student: gradebook.find_submission(ASSIGNMENT, student).score
                  for student in STUDENTS}
    assert scores == DESERVED


def test_inverted_relu_costs_only_relu(gradebook_url):
    """Does student2 lose points on Relu.backward (2 of 10 left) and nowhere else?"""
    with Gradebook(gradebook_url) as gradebook:
        notebook = gradebook.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, "bpx-student2")
        lost = {grade.name: (grade.score, grade.max_score) for grade in notebook.grades
                if grade.score != grade.max_score}
    assert lost == {"relu_backward": (2, 10)}


def test_collect_finds_each_submission_owned_by_its_student(run):
    """Does collect take one submission per student without nbgrader's owner warning (a
    submission owned by someone other than the student it names)?"""
    output = run.output["collect"]
    assert "Processing 3 submissions" in output
    assert "cheating attempt" not in output
    for student in STUDENTS:
        folder = run.course / "submitted" / student / ASSIGNMENT
        assert (folder / f"{ASSIGNMENT}.ipynb").is_file(), student


# ----------------------------------------------------------------------------- sandbox


def test_autograde_ran_as_the_instructor_in_bubblewrap(run):
    """Did the non-root instructor's autograde grade every notebook in the full
    (bubblewrap) sandbox, as the log line of each says?"""
    graded = [line for line in run.output["autograde"].splitlines()
              if "in the sandbox:" in line]
    assert len(graded) == len(STUDENTS), run.output["autograde"][-3000:]
    for line in graded:
        assert "(bubblewrap sandbox:" in line, line
    owner = (run.course / "autograded").stat().st_uid
    assert pwd.getpwuid(owner).pw_name == INSTRUCTOR != "root"


# ------------------------------------------------------------------ what students reach


def _denied(student, *argv):
    """Whether ``argv`` fails for ``student`` with a permission error."""
    status, output = run_as(student, list(argv), check=False)
    return status != 0 and "Permission denied" in output


def test_student_cannot_list_the_inbound_submissions(run):
    """Can student2 not list the exchange's inbound folder (nbgrader makes it 2733), so not
    find student1's submission there?"""
    inbound = _inbound(run)
    assert _denied("bpx-student2", "ls", str(inbound))
    # The shell's glob cannot read the folder either, so the pattern stays unexpanded.
    status, output = run_as("bpx-student2", ["sh", "-c", f'ls -d "{inbound}"/bpx-student1+*'],
                            check=False)
    assert status != 0 and "No such file or directory" in output, output
    # The name alone hides a submission: it ends in a random string the student cannot guess.
    names = [path.name for path in inbound.iterdir() if path.name.startswith("bpx-student1+")]
    assert names and all(len(name.split("+")) == 4 for name in names), names


def test_student_cannot_read_the_course(run):
    """Can student2 not list the instructor's course, nor read its source notebook, the
    gradebook, or student1's collected and autograded notebooks?"""
    course = run.course
    assert _denied("bpx-student2", "ls", str(course))
    for path in [course / "assignments" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                 course / "gradebook.db", course / "nbgrader_config.py",
                 course / "submitted" / "bpx-student1" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb",
                 course / "autograded" / "bpx-student1" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"]:
        assert path.is_file(), path
        assert _denied("bpx-student2", "cat", str(path)), path


def test_student_cannot_read_another_students_home(run):
    """Can student2 not read student1's notebook or feedback in student1's home?"""
    assert _denied("bpx-student2", "cat", str(run.fetched("bpx-student1")))
    assert _denied("bpx-student2", "ls", str(run.home("bpx-student1")))


def test_student_cannot_change_the_release(run):
    """Can a student not add to or replace the released assignment in the exchange?"""
    release = run.exchange / COURSE_ID / "outbound" / ASSIGNMENT
    assert _denied("bpx-student2", "touch", str(release / "extra.ipynb"))
    assert _denied("bpx-student2", "touch", str(release / f"{ASSIGNMENT}.ipynb"))


# ---------------------------------------------------------------------------- feedback


def test_every_student_fetched_feedback_into_their_home(run):
    """Does fetch_feedback leave each student a feedback page in their home, theirs?"""
    for student in STUDENTS:
        pages = _feedback_html(run, student)
        assert len(pages) == 1, (student, run.output[f"fetch_feedback {student}"])
        assert pwd.getpwuid(pages[0].stat().st_uid).pw_name == student


def test_feedback_has_no_hidden_source(run):
    """Is hidden-check source absent from every student's fetched feedback?"""
    for student in STUDENTS:
        html = _feedback_html(run, student)[0].read_text(encoding="utf-8")
        for text in HIDDEN_SOURCE:
            assert text not in html, f"{student}: {text}"


def test_feedback_names_student2s_mistake(run):
    """Does student2's feedback say that Relu.backward failed, and why (the mask)?"""
    from selfcheck.messages import say

    html = _feedback_html(run, "bpx-student2")[0].read_text(encoding="utf-8")
    assert "Relu.backward" in html
    message = say("relu_mask_inverted")
    assert escape(message) in html or message in html


# ------------------------------------------------------------------------ late submission


def test_late_submission_is_recorded_late(run, gradebook_url):
    """Is the submission made after the due date recorded late (seconds late > 0), and the
    on-time ones not, against the due date the instructor set?"""
    with Gradebook(gradebook_url) as gradebook:
        assert gradebook.find_assignment(ASSIGNMENT).duedate == run.due_date
        late = {student: gradebook.find_submission(ASSIGNMENT, student).total_seconds_late
                for student in STUDENTS}
    assert late[LATE_STUDENT] > 0
    assert all(seconds == 0 for student, seconds in late.items() if student != LATE_STUDENT)


def test_late_policy_is_nbgraders_default_no_penalty(run, gradebook_url):
    """Does the course's late policy (nbgrader's default LateSubmissionPlugin, 'none') leave
    the late submission its full score, with a penalty of 0?"""
    assert "Using late submission penalty method: none" in run.output["autograde"]
    with Gradebook(gradebook_url) as gradebook:
        late = gradebook.find_submission(ASSIGNMENT, LATE_STUDENT)
        assert late.late_submission_penalty == 0
        assert late.score == DESERVED[LATE_STUDENT]

