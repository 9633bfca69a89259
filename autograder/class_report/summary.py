"""What the class report says, computed from the students' submissions (no drawing, no
words): each part's score distribution, the mistakes ranked by how many students made
them, the MNIST accuracies and the students who need help.

A *mistake* is a (part, diagnosis id) pair: the same id ("sign", "factor_inverse_n") in two
parts is two different things to teach. A student counts once per mistake, however many
checks named it. Parts come from the rubric, in notebook order (the spine).
"""

import statistics
from dataclasses import dataclass, field

from autograder.class_report.explanations import CRASH, FUNDAMENTAL, explain
from autograder.rubric import RUBRIC, TOTAL_POINTS
from selfcheck.assignment import TRAINING_PART

# The id of a stub handed in as released (its kind: NOT_WRITTEN): counted apart, not ranked.
NOT_WRITTEN_ID = "not_written"
# Who needs help: a total below this share of the points, or at least this many
# fundamental mistakes (misconceptions about backprop itself, not Python slips).
LOW_SHARE = 0.5
FUNDAMENTAL_MISTAKES = 2


@dataclass(frozen=True)
class Student:
    """One student as the report sees them.

    untouched: parts whose stub was handed in as released, in notebook order.
    mistakes: (part id, diagnosis id) pairs, in notebook order.
    """

    id: str
    score: float
    parts: dict
    untouched: tuple
    mistakes: tuple
    mnist_accuracy: float | None

    def fundamental_mistakes(self):
        """The mistakes that show a misconception about backprop itself."""
        return tuple(m for m in self.mistakes if explain(m[1], "en")[0] in FUNDAMENTAL)


@dataclass(frozen=True)
class PartOutcome:
    """How the class did on one part: students with full marks, some points, none though
    they wrote it, and none because they did not (or, for MNIST, because it was not run)."""

    part: object  # autograder.rubric.Part
    scores: tuple
    full: int
    partial: int
    zero: int
    not_written: int

    @property
    def mean(self):
        return statistics.fmean(self.scores) if self.scores else 0.0

    @property
    def median(self):
        return statistics.median(self.scores) if self.scores else 0.0


@dataclass(frozen=True)
class Mistake:
    """A mistake and the students who made it (sorted)."""

    part: str
    diagnosis: str
    students: tuple

    @property
    def count(self):
        return len(self.students)


@dataclass(frozen=True)
class NeedsHelp:
    """A student who needs help, and why: low total, fundamental mistakes, parts unwritten."""

    student: Student
    low_score: bool
    fundamental: tuple
    untouched: int


@dataclass
class ClassSummary:
    students: list
    parts: list = field(default_factory=list)
    mistakes: list = field(default_factory=list)
    needs_help: list = field(default_factory=list)
    mnist_accuracies: list = field(default_factory=list)
    mnist_not_run: int = 0
    without_ids: int = 0  # results files from before diagnosis ids

    @property
    def totals(self):
        return [student.score for student in self.students]


def student_of(submission):
    """A :class:`Student` from a :class:`autograder.class_report.reading.Submission`."""
    untouched, mistakes = [], []
    for part in RUBRIC:
        checks = submission.failed.get(part.id, ())
        if any(NOT_WRITTEN_ID in ids for ids in checks):
            untouched.append(part.id)
            continue
        for diagnosis in _specific(dict.fromkeys(d for ids in checks for d in ids)):
            mistakes.append((part.id, diagnosis))
    return Student(submission.student, submission.score, dict(submission.parts),
                   tuple(untouched), tuple(mistakes), submission.mnist_accuracy)


def _specific(ids):
    """A part's ids without the generic "it raised" when its checks name more than that
    (an error in one check is usually the named mistake seen from another input)."""
    named = [d for d in ids if explain(d, "en")[0] != CRASH]
    return named or list(ids)


def summarize(submissions):
    """The :class:`ClassSummary` of ``submissions`` (Submission records)."""
    submissions = list(submissions)
    students = sorted((student_of(s) for s in submissions), key=lambda s: s.id)
    summary = ClassSummary(students)
    summary.parts = [part_outcome(part, students) for part in RUBRIC]
    summary.mistakes = rank_mistakes(students)
    summary.needs_help = needing_help(students)
    summary.mnist_accuracies = sorted(s.mnist_accuracy for s in students
                                      if s.mnist_accuracy is not None)
    training = next(part for part in RUBRIC if part.id == TRAINING_PART)
    summary.mnist_not_run = sum(_not_run(training, s) for s in students)
    summary.without_ids = sum(not s.has_ids for s in submissions)
    return summary


def part_outcome(part, students):
    """The :class:`PartOutcome` of ``part`` (a rubric Part) over ``students``."""
    scores = tuple(s.parts.get(part.id, 0.0) for s in students)
    not_written = sum(part.id in s.untouched or _not_run(part, s) for s in students)
    full = sum(score >= part.points for score in scores)
    partial = sum(0 < score < part.points for score in scores)
    return PartOutcome(part, scores, full, partial,
                       len(scores) - full - partial - not_written, not_written)


def _not_run(part, student):
    """The MNIST check was not run for this student (their gradient failed first)."""
    return part.id == TRAINING_PART and student.mnist_accuracy is None \
        and not any(p == part.id for p, _ in student.mistakes)


def rank_mistakes(students):
    """Every mistake with its students, most students first (ties: notebook order, then
    the id), so the ranking is the same on every run."""
    order = {part.id: i for i, part in enumerate(RUBRIC)}
    who = {}
    for student in students:
        for mistake in student.mistakes:
            who.setdefault(mistake, []).append(student.id)
    ranked = [Mistake(part, diagnosis, tuple(sorted(ids)))
              for (part, diagnosis), ids in who.items()]
    return sorted(ranked, key=lambda m: (-m.count, order[m.part], m.diagnosis))


def needing_help(students):
    """The students with a total below LOW_SHARE of the points or at least
    FUNDAMENTAL_MISTAKES fundamental mistakes, lowest total first."""
    chosen = []
    for student in students:
        low = student.score < LOW_SHARE * TOTAL_POINTS
        fundamental = student.fundamental_mistakes()
        if low or len(fundamental) >= FUNDAMENTAL_MISTAKES:
            chosen.append(NeedsHelp(student, low, fundamental, len(student.untouched)))
    return sorted(chosen, key=lambda h: (h.student.score, h.student.id))
