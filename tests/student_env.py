"""A student's Python environment, as a course would install it: a fresh venv holding the
student wheel (``student/``: selfcheck and course_data) and nothing of this repository.

Used by the tests that show what a student's kernel can and cannot reach
(tests/test_student_package.py, tests/test_jupyterhub.py).
"""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
STUDENT_PROJECT = REPO / "student"
# pip may have to fetch build requirements and dependencies (from its cache when warm).
PIP_TIMEOUT_S = 900


def clean_env(**extra):
    """os.environ without what would let a student's Python see this repository."""
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "JUPYTER_PATH",
                          "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR")}
    return {**env, **extra}


def _run(command, cwd):
    result = subprocess.run(command, cwd=cwd, env=clean_env(), capture_output=True, text=True,
                            timeout=PIP_TIMEOUT_S)
    if result.returncode != 0:
        raise RuntimeError(f"`{' '.join(map(str, command))}` failed ({result.returncode}):\n"
                           f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return result.stdout


def build_student_wheel(out_dir):
    """Build the student wheel into ``out_dir``; return its path."""
    out_dir = Path(out_dir)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out_dir),
          str(STUDENT_PROJECT)], cwd=out_dir)
    wheels = sorted(out_dir.glob("backprop_kit_student-*.whl"))
    if len(wheels) != 1:
        raise RuntimeError(f"expected one student wheel in {out_dir}, found {wheels}")
    return wheels[0]


def wheel_files(wheel):
    """The names of the files inside ``wheel``."""
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def make_student_env(venv_dir, wheel, extras=(), packages=(), base_python=sys.executable):
    """A fresh venv at ``venv_dir`` with the student ``wheel`` (and its ``extras``, e.g.
    "lab") and ``packages``; return its python. Nothing of this repository is on its path.
    base_python: the Python the venv is made from (other users' venvs need one they can
    run).
    """
    venv_dir = Path(venv_dir)
    _run([str(base_python), "-m", "venv", str(venv_dir)], cwd=venv_dir.parent)
    python = venv_dir / "bin" / "python"
    requirement = f"{wheel}[{','.join(extras)}]" if extras else str(wheel)
    _run([str(python), "-m", "pip", "install", "--quiet", requirement, *packages],
         cwd=venv_dir.parent)
    return python
