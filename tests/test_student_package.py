"""The student distribution (``student/``): everything a student's kernel needs and nothing
of the reference or the grader.

The wheel is built from ``student/`` and read file by file: only ``selfcheck`` and
``course_data``, and no line of any solution region of the source notebook (the reference
answers) anywhere in it. Then it is installed into a fresh venv (from PyPI or pip's cache),
where ``solutions`` and ``autograder`` cannot be imported, and the release notebook, with
the reference answers typed into its solution cells, runs end to end in that venv's own
kernel (nbclient): every visible check and self-check passes, MNIST trains.
"""

import json
import re
import subprocess
import sys
import textwrap

import nbformat
import pytest
from nbgrader.utils import is_solution

from autograder import sources
from autograder.demo.sample_class import reference_answers, release_notebook
from tests.student_env import build_student_wheel, clean_env, make_student_env, wheel_files

pytestmark = pytest.mark.slow

STUDENT_PACKAGES = {"selfcheck", "course_data"}
# Lines of a solution region shorter than this ("return dx", "dout = 1") say nothing
# about the reference: they occur in any code.
MIN_REFERENCE_LINE = 16
RUN_TIMEOUT_S = 600  # the whole notebook: ~30 s of checks and a few minutes of training at most


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    return build_student_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="module")
def student_python(wheel, tmp_path_factory):
    """The python of a fresh venv with the student wheel, ipykernel and nbclient."""
    return make_student_env(tmp_path_factory.mktemp("student") / "venv", wheel,
                            packages=("ipykernel", "nbclient"))


def reference_lines():
    """The telling lines of every solution region of the source notebooks, stripped."""
    lines = set()
    cells = [cell for path in sources.SOURCE_NOTEBOOKS.values()
             for cell in nbformat.read(path, as_version=4).cells]
    for cell in cells:
        if cell.cell_type == "code" and is_solution(cell):
            inside = re.search(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", cell.source,
                               re.S)
            region = inside.group(1) if inside else cell.source
            lines |= {code for code in map(_code_of, region.split("\n"))
                      if len(code) >= MIN_REFERENCE_LINE}
    return lines


def _code_of(line):
    """A line without its comment and surrounding blanks."""
    return line.split("#", 1)[0].strip()


def test_wheel_holds_the_student_packages_only(wheel):
    """Only selfcheck/ and course_data/ (and the wheel's metadata): no solutions/, no
    autograder/, no MNIST data."""
    packages = {name.split("/")[0] for name in wheel_files(wheel)
                if not name.split("/")[0].endswith(".dist-info")}
    assert packages == STUDENT_PACKAGES
    assert not [name for name in wheel_files(wheel) if name.endswith((".gz", ".npz"))]
    print(f"\nstudent wheel {wheel.name}: {wheel.stat().st_size} bytes, "
          f"{len(wheel_files(wheel))} files")
    for name in wheel_files(wheel):
        print(f"  {name}")


def test_wheel_holds_no_reference_code(wheel, tmp_path):
    """No line of any reference answer (a solution region of the source notebook) occurs
    in any file of the wheel."""
    import zipfile

    lines = reference_lines()
    assert len(lines) >= 15, "found too few reference lines: is the source notebook there?"
    with zipfile.ZipFile(wheel) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode("utf-8", errors="replace")
            stripped = set(map(_code_of, text.split("\n")))
            assert not lines & stripped, f"{name} holds reference code: {lines & stripped}"


def test_reference_is_out_of_reach(student_python, tmp_path):
    """In the student's venv, run from a folder of its own: selfcheck and course_data
    import; solutions, autograder and the hidden checks do not."""
    probe = textwrap.dedent("""
        import importlib, json
        found = {}
        for name in ("selfcheck", "course_data", "solutions", "autograder",
                     "autograder.checks"):
            try:
                importlib.import_module(name)
                found[name] = True
            except ModuleNotFoundError:
                found[name] = False
        print(json.dumps(found))
    """)
    result = subprocess.run([str(student_python), "-c", probe], cwd=tmp_path,
                            env=clean_env(HOME=str(tmp_path)), capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"selfcheck": True, "course_data": True,
                                         "solutions": False, "autograder": False,
                                         "autograder.checks": False}


def _run_notebook(student_python, notebook, workdir, mnist_dir):
    """Execute ``notebook`` in place with nbclient, in the student venv's own kernel."""
    script = textwrap.dedent(f"""
        import nbclient, nbformat
        nb = nbformat.read({str(notebook)!r}, as_version=4)
        client = nbclient.NotebookClient(nb, timeout={RUN_TIMEOUT_S}, kernel_name="python3",
                                         resources={{"metadata": {{"path": {str(workdir)!r}}}}})
        try:
            client.execute()
        finally:
            nbformat.write(nb, {str(notebook)!r})
    """)
    home = workdir / "home"
    home.mkdir()
    env = clean_env(HOME=str(home), BACKPROP_MNIST_DIR=str(mnist_dir), MPLBACKEND="agg")
    env.pop("NBGRADER_EXECUTION", None)
    return subprocess.run([str(student_python), "-c", script], cwd=workdir, env=env,
                          capture_output=True, text=True, timeout=RUN_TIMEOUT_S + 60)


def _text(cell):
    return "".join(output.get("text", "") or "".join(output.get("data", {}).get("text/plain", ""))
                   for output in cell.get("outputs", []))


def test_release_runs_end_to_end_with_the_reference_answers(student_python, tmp_path,
                                                          mnist_dir):
    """The release notebook with the reference answers typed in runs in the student's
    venv: no cell fails, every visible check says ✓, the self-check passes every method,
    and MNIST trains to the book's accuracy."""
    notebook = tmp_path / "backprop.ipynb"
    nb = release_notebook()
    answers = reference_answers()
    for cell in nb.cells:
        if is_solution(cell):
            cell.source = answers[cell.metadata.nbgrader["grade_id"]]
    nbformat.write(nb, notebook)

    result = _run_notebook(student_python, notebook, tmp_path, mnist_dir)
    assert result.returncode == 0, result.stderr[-3000:]

    ran = nbformat.read(notebook, as_version=4)
    outputs = "\n".join(_text(cell) for cell in ran.cells)
    errors = [output for cell in ran.cells for output in cell.get("outputs", [])
              if output.output_type == "error"]
    assert not errors
    assert "✓" in outputs and "✗" not in outputs
    accuracy = re.findall(r"test acc(?:uracy)?\D{0,5}(0\.\d+)", outputs)
    assert accuracy and float(accuracy[-1]) >= 0.9, outputs[-2000:]
    print(f"\nstudent venv ({sys.version_info.major}.{sys.version_info.minor}): "
          f"the release with the reference answers ran; final test accuracy {accuracy[-1]}")
