"""The results the real grader gives a generated class, without grading 200 notebooks.

Grading is part by part: each gradient part's checks use only that part's class (network
checks run the student's ``gradient`` on trusted layers), so a part's result depends on
that part's answer alone. The MNIST check depends on whether ``TwoLayerNet.gradient``
passed and on which network layers failed their own checks (those are replaced by the
reference). So the distinct answers are graded once, by the sandboxed grader, in a few
*probe* notebooks: probe k holds, for every gradient part, the k-th distinct answer the
class gives it, and one probe per set of failing network layers (with the reference
gradient) gives the MNIST result. Each student's results.json is then assembled from the
probes' part results, by the same functions that write every results file. Both
assumptions are checked on the probes' own results: an answer other than the reference
must lose points in its part, the reference must get full marks, and a probe may have no
note about the notebook as a whole.
"""

import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.utils import is_solution

from autograder import training_curve
from autograder.demo.large_class import MISTAKE, REFERENCE, STUB
from autograder.demo.sample_class import answers_of, release_notebook
from autograder.grading.grade import GRADER_VERSION, grade_notebook
from autograder.results import gradescope, part_payload, write_json
from selfcheck.assignment import GRADIENT_PARTS, NAMES, NETWORK_LAYER_PARTS, NETWORK_PART, PART

ASSIGNMENT = NAMES["en"]


class ProbeMismatch(RuntimeError):
    """A probe's results contradict what assembling the class relies on."""


@dataclass(frozen=True)
class Probe:
    """A notebook that grades some answers: part id -> REFERENCE, STUB or a mistake id."""

    name: str
    answers: dict

    def notebook(self, release):
        """The release notebook with this probe's answers typed in."""
        nb = nbformat.reads(release, as_version=4)
        edits = tuple(edit for choice in self.answers.values() if choice in MISTAKE
                      for edit in MISTAKE[choice].edits)
        answers = answers_of(_Typed(edits))
        stubs = {_cell(part) for part, choice in self.answers.items() if choice == STUB}
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if is_solution(cell) and grade_id not in stubs:
                cell.source = answers[grade_id]
        return nb


@dataclass(frozen=True)
class _Typed:
    """What sample_class.answers_of needs of a student: their edits."""

    edits: tuple
    id: str = "probe"


def _cell(part):
    return PART[part].cells.solution


def failing_layers(answers):
    """The network layers' parts that fail with these answers (anything but the reference)."""
    return frozenset(part for part in NETWORK_LAYER_PARTS.values()
                     if answers[part] != REFERENCE)


def probes_for(students):
    """The probes that grade every answer ``students`` give, and every MNIST case."""
    variants = {part: sorted({s.answers[part] for s in students} - {REFERENCE})
                for part in GRADIENT_PARTS}
    columns = max((len(v) for v in variants.values()), default=0)
    probes = [Probe(f"probe-{k:02d}", {part: (v[k] if k < len(v) else REFERENCE)
                                       for part, v in variants.items()})
              for k in range(columns)]
    cases = sorted({failing_layers(s.answers) for s in students
                    if s.answers[NETWORK_PART] == REFERENCE}, key=sorted)
    for k, failing in enumerate(cases):
        probes.append(Probe(f"mnist-{k:02d}", {
            part: (variants[part][0] if part in failing else REFERENCE)
            for part in GRADIENT_PARTS}))
    return probes


def grade_probes(probes, *, isolation=None, budget=300, echo=None):
    """{probe name: Graded}: each probe graded by the sandboxed grader, checked."""
    release = nbformat.writes(release_notebook())
    graded = {}
    for probe in probes:
        start = time.perf_counter()
        graded[probe.name] = result = grade_notebook(
            probe.notebook(release), student=probe.name, assignment=ASSIGNMENT,
            isolation=isolation, budget=budget)
        _check(probe, result)
        if echo is not None:
            echo(f"  {probe.name}: {result.score:g} points in "
                 f"{time.perf_counter() - start:.1f} s")
    return graded


def _check(probe, graded):
    if graded.results["extra_data"]["notes"]:
        raise ProbeMismatch(f"{probe.name} has notes: {graded.results['extra_data']['notes']}")
    for part in graded.parts:
        choice = probe.answers.get(part.part.id)
        if choice is None:
            continue
        full = part.score == part.max_score
        if full != (choice == REFERENCE):
            raise ProbeMismatch(f"{probe.name}: {part.part.id} answered {choice!r} scored "
                                f"{part.score:g} / {part.max_score:g}")


def assemble(student, probes, graded):
    """The results dict of ``student`` (a LargeStudent), from the probes' part results."""
    parts, used = [], set()
    for part in GRADIENT_PARTS:
        probe = next(p for p in probes if p.answers[part] == student.answers[part])
        parts.append(_part(graded[probe.name], part))
        used.add(probe.name)
    if student.answers[NETWORK_PART] == REFERENCE:
        failing = failing_layers(student.answers)
        mnist = next(p for p in probes if p.answers[NETWORK_PART] == REFERENCE
                     and failing_layers(p.answers) == failing)
    else:
        mnist = next(p for p in probes if p.answers[NETWORK_PART] != REFERENCE)
    source = graded[mnist.name]
    used.add(mnist.name)
    parts.append(next(p for p in source.parts if p.part.id not in GRADIENT_PARTS))
    results = gradescope([part_payload(p, training_curve.of_result(p)) for p in parts],
                         source.results["execution_time"])
    extra = source.results["extra_data"]
    results["extra_data"] = {
        "student": student.id, "assignment": ASSIGNMENT, "language": extra["language"],
        "submission": None, "sha256": None, "grader_version": GRADER_VERSION,
        "isolation": extra["isolation"], "notes": [], "causes": [], "worker_restarts": 0,
        "student_output": "", "assembled_from_probes": sorted(used),
    }
    return results


def _part(graded, part_id):
    return next(p for p in graded.parts if p.part.id == part_id)


def write_class_results(students, out_dir, *, isolation=None, budget=300, echo=None):
    """Grade the probes, then write ``<student>.json`` for each of ``students`` into
    ``out_dir``; return the number of probes graded."""
    probes = probes_for(students)
    graded = grade_probes(probes, isolation=isolation, budget=budget, echo=echo)
    out_dir = Path(out_dir)
    for student in students:
        write_json(out_dir / f"{student.id}.json", assemble(student, probes, graded))
    return len(probes)
