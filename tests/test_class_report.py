"""The class report: is what it counts right, and does it show it?

Fast: the aggregation (counts, ranking, who needs help) on Submission records; reading
results files in each layout; the CSV files; the Korean page; every diagnosis explained;
the generated class of 200. Slow: the class of 200 from the real grader (its mistakes get
their catalog diagnoses; assembled results equal grading the notebook itself; the report
renders in seconds) and, with the browser, screenshots of the reports.
"""

import ast
import csv
import io
import json
import sys
import time
from html import escape
from pathlib import Path

import pytest

from autograder.class_report import write_report
from autograder.class_report.explanations import EXPLANATIONS, explain
from autograder.class_report.reading import NoResults, Submission, read_class
from autograder.class_report.summary import LOW_SHARE, summarize
from autograder.class_report.words import WORDS
from autograder.demo import large_class
from autograder.demo.large_class_results import probes_for
from autograder.results import gradescope, part_payload, write_json
from autograder.rubric import RUBRIC, TOTAL_POINTS
from selfcheck.assignment import GRADIENT_PARTS, LANGUAGES

if str(Path(__file__).resolve().parent) not in sys.path:  # tests/ is not a package
    sys.path.insert(0, str(Path(__file__).resolve().parent))

from catalog.bugs import BUGS  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
RELU, AFFINE, NET = "relu_backward", "affine_backward", "two_layer_net_gradient"
BUG = {bug.id: bug for bug in BUGS}


def submission(student, score=100.0, failed=None, accuracy=0.9):
    """A Submission as reading.py makes one: ``failed`` part -> tuple of ids per check."""
    failed = failed or {}
    parts = {part.id: (0.0 if part.id in failed else part.points) for part in RUBRIC}
    return Submission(student, score, parts, failed, accuracy, Path(f"{student}.json"))


# --------------------------------------------------------------------------- aggregation


def test_mistakes_are_counted_once_per_student_and_ranked():
    """Does a mistake named by several checks count once per student, are mistakes ranked
    by students (ties in notebook order), and is the same id in two parts two mistakes?"""
    summary = summarize([
        submission("a", 90, {RELU: (("relu_mask_inverted",), ("relu_mask_inverted",))}),
        submission("b", 80, {RELU: (("relu_mask_inverted",),), AFFINE: (("sign",),)}),
        submission("c", 85, {NET: (("sign",),), AFFINE: (("affine_db_mean",),)}),
        submission("d", 100),
    ])
    ranked = [(m.part, m.diagnosis, m.students) for m in summary.mistakes]
    assert ranked == [(RELU, "relu_mask_inverted", ("a", "b")),
                      (AFFINE, "affine_db_mean", ("c",)), (AFFINE, "sign", ("b",)),
                      (NET, "sign", ("c",))]


def test_untouched_parts_are_counted_apart_and_a_crash_gives_way_to_a_named_mistake():
    """Is a stub left as released counted as not written (not ranked), and does "it
    raised" drop out when the same check also names the mistake?"""
    summary = summarize([
        submission("a", 0, {part: (("not_written",),) for part in GRADIENT_PARTS},
                   accuracy=None),
        submission("b", 80, {NET: (("raised", "net_shape_error"), ("raised",))},
                   accuracy=None),
        submission("c", 95, {AFFINE: (("raised",),)}),
    ])
    assert [(m.part, m.diagnosis) for m in summary.mistakes] == [
        (AFFINE, "raised"), (NET, "net_shape_error")]
    assert summary.students[0].untouched == GRADIENT_PARTS
    by_part = {o.part.id: o for o in summary.parts}
    assert (by_part[RELU].full, by_part[RELU].not_written) == (2, 1)
    assert summary.mnist_not_run == 2 and summary.mnist_accuracies == [0.9]


def test_students_who_need_help():
    """Are the students with a low total or two fundamental mistakes picked, lowest total
    first, and not one with a single slip or only Python mistakes?"""
    low = LOW_SHARE * TOTAL_POINTS - 1
    summary = summarize([
        submission("fine", 95, {AFFINE: (("affine_db_mean",),)}),
        submission("slips", 80, {RELU: (("returned_none",),), AFFINE: (("shape_wrong_axis",),)}),
        submission("concepts", 75, {RELU: (("relu_mask_inverted",),),
                                    AFFINE: (("affine_db_mean",),)}),
        submission("low", low),
    ])
    helped = [(h.student.id, h.low_score, len(h.fundamental)) for h in summary.needs_help]
    assert helped == [("low", True, 0), ("concepts", False, 2)]


# --------------------------------------------------------------------------- reading


@pytest.fixture(scope="module")
def real_results(grade_gradient_parts):
    """Results dicts the real checks give: the reference, and Relu's mask inverted."""
    from catalog.bugs import ReluMaskInverted

    def results(student, **classes):
        parts = grade_gradient_parts(**classes)
        data = gradescope([part_payload(parts[pid]) for pid in GRADIENT_PARTS])
        data["extra_data"] = {"student": student}
        return data

    return {"ada": results("ada"), "cho": results("cho", Relu=ReluMaskInverted)}


def test_reads_a_course_root_and_a_folder_of_results(tmp_path, real_results):
    """Are nbgrader's autograded/<student>/<assignment>/results.json read (not the copies
    beside the feedback), and a folder the one command wrote, with the same outcome?"""
    for student, data in real_results.items():
        write_json(tmp_path / "course" / "autograded" / student / "backprop" / "results.json",
                   data)
        write_json(tmp_path / "course" / "feedback" / student / "backprop" / "results.json",
                   data)
        write_json(tmp_path / "graded" / f"{student}.json", data)
    (tmp_path / "graded" / "summary.csv").write_text("student\n")
    for source in (tmp_path / "course", tmp_path / "graded"):
        subs = read_class(source)
        assert [s.student for s in subs] == ["ada", "cho"]
        assert subs[1].failed[RELU] and subs[1].parts[RELU] < subs[0].parts[RELU]
        assert [(m.part, m.diagnosis, m.students) for m in summarize(subs).mistakes] == [
            (RELU, "relu_mask_inverted", ("cho",))]
    with pytest.raises(NoResults):
        read_class(tmp_path / "nowhere")


def test_results_without_ids_are_flagged(tmp_path, real_results):
    """Do results written before diagnosis ids still give scores, and a warning on the page?"""
    old = json.loads(json.dumps(real_results["cho"]))
    for test in old["tests"]:
        del test["extra_data"]
    write_json(tmp_path / "old" / "cho.json", old)
    (sub,) = read_class(tmp_path / "old")
    assert not sub.has_ids and sub.parts[RELU] == real_results["cho"]["score"] - sum(
        part.points for part in RUBRIC if part.id not in (RELU, "mnist_training"))
    written = write_report(tmp_path / "old", tmp_path / "report")
    assert "class='warn'" in written.page.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- output


def _csv(path):
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def test_csv_files(tmp_path, real_results):
    """Do the CSV files hold one row per student, part and mistake, with the counts, and
    defuse a student id a spreadsheet would run as a formula?"""
    for student, data in real_results.items():
        write_json(tmp_path / "graded" / f"{student}.json", data)
    evil = json.loads(json.dumps(real_results["cho"]))
    evil["extra_data"]["student"] = "=HYPERLINK(1)"
    write_json(tmp_path / "graded" / "evil.json", evil)
    written = write_report(tmp_path / "graded", tmp_path / "report")
    assert written.students == 3 and set(written.files) == {
        "students.csv", "parts.csv", "mistakes.csv", "needs_help.csv"}
    mistakes = _csv(tmp_path / "report" / "mistakes.csv")
    assert mistakes[0][:7] == ["rank", "part", "part_title", "diagnosis", "kind", "title",
                               "students"]
    assert mistakes[1][:7] == ["1", RELU, "Relu.backward", "relu_mask_inverted", "concept",
                               "ReLU: mask inverted", "2"]
    assert mistakes[1][-1] == "'=HYPERLINK(1) cho"
    students = _csv(tmp_path / "report" / "students.csv")
    assert [row[0] for row in students[1:]] == ["'=HYPERLINK(1)", "ada", "cho"]
    assert students[0][3:3 + len(RUBRIC)] == [part.id for part in RUBRIC]
    parts = _csv(tmp_path / "report" / "parts.csv")
    assert [row[0] for row in parts[1:]] == [part.id for part in RUBRIC]
    relu = next(row for row in parts if row[0] == RELU)
    assert relu[5:] == ["1", "2", "0", "0"]  # full, partial (its shape check), zero, none


def test_korean_report(tmp_path, real_results):
    """Is the Korean report in Korean: the page's headings, the mistakes' titles and
    explanations, the CSV titles, with the same counts as the English one?"""
    for student, data in real_results.items():
        write_json(tmp_path / "graded" / f"{student}.json", data)
    write_report(tmp_path / "graded", tmp_path / "ko", lang="ko")
    html = (tmp_path / "ko" / "index.html").read_text(encoding="utf-8")
    _, title, text = explain("relu_mask_inverted", "ko")
    assert "<html lang='ko'>" in html
    for fragment in (WORDS["mistakes"]["ko"], WORDS["help"]["ko"], title, escape(text)):
        assert fragment in html
    assert "Most common" not in html and "what it means" not in html
    mistakes = _csv(tmp_path / "ko" / "mistakes.csv")
    assert mistakes[1][5:7] == [title, "1"]


def test_every_diagnosis_the_grader_names_is_explained():
    """Has every id the checks can attach (named(...) anywhere, and the named mistakes of
    the diagnosis engine) an explanation, with a title and a paragraph in every language?"""
    named = set()
    for folder in ("autograder", "selfcheck"):
        for path in (REPO / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "named" \
                        and node.args and isinstance(node.args[0], ast.Constant):
                    named.add(node.args[0].value)
    from selfcheck import diagnosis

    tree = ast.parse(Path(diagnosis.__file__).read_text(encoding="utf-8"))
    named |= {node.elts[0].value for node in ast.walk(tree)
              if isinstance(node, ast.Tuple) and len(node.elts) == 2
              and isinstance(node.elts[0], ast.Constant) and isinstance(node.elts[0].value, str)}
    assert len(named) > 40
    assert sorted(named - set(EXPLANATIONS)) == []
    for key, entry in EXPLANATIONS.items():
        for lang in LANGUAGES:
            assert entry.title.get(lang) and entry.text.get(lang), (key, lang)


# --------------------------------------------------------------------------- the class of 200


@pytest.mark.slow  # ~2.7 s: draws the class of 200
def test_the_generated_class():
    """Is the class of 200 the same for the same seed, made of the catalog's bugs (each in
    its catalog part, each edit applying once), with perfect students, untouched releases,
    stubs and several mistakes per student, and every answer covered by a probe?"""
    from autograder.demo.sample_class import answers_of

    students = large_class.generate()
    assert students == large_class.generate() and len(students) == 200
    for mistake in large_class.MISTAKES:
        assert BUG[mistake.catalog].part == mistake.part, mistake.catalog
        answers_of(type("S", (), {"edits": mistake.edits, "id": mistake.catalog})())
    mistakes = [sum(a in large_class.MISTAKE for a in s.answers.values()) for s in students]
    profiles = {s.profile for s in students}
    assert {large_class.PERFECT, large_class.UNTOUCHED, large_class.OUT_OF_TIME} <= profiles
    assert max(mistakes) >= 3 and 1 < sum(mistakes) / len(students) < 3
    assert sum(large_class.STUB in s.answers.values() for s in students) >= 10
    probes = probes_for(students)
    for student in students:
        for part, answer in student.answers.items():
            assert any(p.answers[part] == answer for p in probes)


@pytest.fixture(scope="module")
def class_of_200(tmp_path_factory, mnist_dir):
    """The class of 200's results files, from the probes graded by the sandboxed grader."""
    from autograder.demo.large_class_results import write_class_results

    out = tmp_path_factory.mktemp("class-of-200")
    start = time.perf_counter()
    probes = write_class_results(large_class.generate(), out)
    print(f"\nclass of 200: {probes} probe notebooks graded in "
          f"{time.perf_counter() - start:.0f} s")
    return out


@pytest.mark.slow
def test_class_of_200_mistakes_get_their_catalog_diagnosis(class_of_200):
    """Does every mistake in the class of 200 lose points in its part and carry its catalog
    bug's diagnosis there, as the real grader gave it?"""
    students = {s.id: s for s in large_class.generate()}
    for sub in read_class(class_of_200):
        for part, answer in students[sub.student].answers.items():
            if answer in large_class.MISTAKE:
                found = {d for ids in sub.failed.get(part, ()) for d in ids}
                assert BUG[answer].expect in found, (sub.student, answer, found)


@pytest.mark.slow
def test_assembled_results_are_what_grading_the_notebook_gives(class_of_200):
    """For students with several mistakes (and one with stubs), are the assembled results
    exactly what grading their own notebook gives: every test's score, status and ids?"""
    import nbformat

    from autograder.demo.large_class_results import Probe
    from autograder.demo.sample_class import release_notebook
    from autograder.grading.grade import grade_notebook

    students = large_class.generate()
    several = [s for s in students if sum(a in large_class.MISTAKE
                                          for a in s.answers.values()) >= 3][:2]
    stubbed = [s for s in students if s.profile == large_class.OUT_OF_TIME][:1]
    release = nbformat.writes(release_notebook())
    for student in several + stubbed:
        nb = Probe(student.id, student.answers).notebook(release)
        graded = grade_notebook(nb, student=student.id).results
        assembled = json.loads((class_of_200 / f"{student.id}.json").read_text())

        def outcome(results):
            return [(t["name"], t["score"], t["status"], t["extra_data"]["diagnoses"])
                    for t in results["tests"]]

        assert outcome(assembled) == outcome(graded), student.id
        assert assembled["score"] == graded["score"]


@pytest.mark.slow
def test_report_of_200_renders_in_seconds(class_of_200, tmp_path):
    """Does the report of 200 students render in seconds, with every student counted?"""
    for lang in LANGUAGES:
        written = write_report(class_of_200, tmp_path / lang, lang=lang)
        print(f"\nreport of {written.students} students ({lang}): {written.seconds:.1f} s")
        assert written.students == 200
    summary = summarize(read_class(class_of_200))
    assert summary.mistakes[0].count >= 15 and summary.needs_help


# --------------------------------------------------------------------------- in the browser


def screenshot_report(browser, page_path, name):
    """Open a report in the browser, check that the ranked mistakes (with counts) and the
    distributions are visible, and save a full-page screenshot; return the page's text."""
    from test_browser import ARTIFACTS

    tab = browser.new_page()
    try:
        tab.goto(page_path.resolve().as_uri())
        rows = tab.locator("#mistakes-table tbody tr")
        assert rows.count() >= 1 and rows.first.is_visible()
        assert int(rows.first.locator("td.count").inner_text()) >= 1
        images = tab.locator("img")
        assert images.count() >= 3
        assert all(images.nth(k).evaluate("i => i.complete && i.naturalWidth > 0")
                   for k in range(images.count()))
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        tab.screenshot(path=str(ARTIFACTS / name), full_page=True)
        return tab.inner_text("body")
    finally:
        tab.close()


@pytest.fixture(scope="module")
def sample_class_results(tmp_path_factory, mnist_dir):
    """The sample class graded by the sandboxed grader (what `make demo` grades)."""
    from autograder.demo.sample_class import write_class
    from autograder.grading.grade import grade_file

    notebooks = tmp_path_factory.mktemp("sample-notebooks")
    out = tmp_path_factory.mktemp("sample-results")
    for path in write_class(notebooks):
        write_json(out / f"{path.stem}.json", grade_file(path).results)
    return out


@pytest.mark.slow
@pytest.mark.browser
def test_reports_in_the_browser(sample_class_results, class_of_200, tmp_path):
    """Do the reports of the sample class and of the class of 200 (and the Korean one) show
    the ranked mistakes with their counts and the distributions in Chromium?"""
    from test_browser import CHROMIUM, CHROMIUM_ARGS, VIEWPORT

    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.is_file():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    reports = {
        "report-sample.png": write_report(sample_class_results, tmp_path / "sample"),
        "report-200.png": write_report(class_of_200, tmp_path / "200"),
        "report-200-ko.png": write_report(class_of_200, tmp_path / "200-ko", lang="ko"),
    }
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=VIEWPORT)
        try:
            texts = {name: screenshot_report(context, written.page, name)
                     for name, written in reports.items()}
        finally:
            browser.close()
    assert "ReLU: mask inverted" in texts["report-sample.png"]
    assert "200 students graded" in texts["report-200.png"]
    assert WORDS["mistakes"]["ko"] in texts["report-200-ko.png"]
