"""JupyterHub for one backprop course: nbgrader's "one class, one grader" setup.

Local Unix users log in with their passwords (PAM); each one's JupyterLab runs as that
user. Students' servers run from the student venv (only `backprop-kit-student[lab]`:
selfcheck, course_data, JupyterLab, nbgrader's student tools), so their kernels cannot
import the reference (`solutions`) or the grader (`autograder`). The instructor's server
runs from the instructor's venv (this package) in the course folder, where nbgrader's
formgrader finds the course. Assignments and submissions pass through nbgrader's exchange.

Start it as root (PAM reads /etc/shadow; the hub starts each server as its user):

    jupyterhub -f jupyterhub_config.py

README.md, "A class on JupyterHub", says what to install first. Every setting below may
also come from an environment variable BACKPROP_HUB_<NAME> (tests/test_jupyterhub.py uses
them to run a scratch class); edit the defaults here for a real one.
"""

import json
import os
from pathlib import Path

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)


def setting(name, default):
    return os.environ.get(f"BACKPROP_HUB_{name}", default)


# --------------------------------------------------------------------------- settings

# nbgrader's course id: the exchange's folder for this course, and what students'
# Assignments tab lists.
COURSE_ID = setting("COURSE_ID", "backprop")
# Local Unix accounts. Only these may log in; the instructor is also the hub's admin
# (the admin page: start, stop or open a student's server).
INSTRUCTOR = setting("INSTRUCTOR", "instructor")
STUDENTS = setting("STUDENTS", "student1 student2").split()
# The course root: a clone of this repository (its nbgrader_config.py sets the root to
# its own folder), owned by the instructor, mode 0700: students must not read it (the
# source notebook holds the solutions; the gradebook everyone's grades).
COURSE_DIR = setting("COURSE_DIR", f"/home/{INSTRUCTOR}/{COURSE_ID}")
# nbgrader's exchange, shared by everyone: mode 1777 (nbgrader sets the modes inside).
EXCHANGE_ROOT = setting("EXCHANGE_ROOT", "/srv/nbgrader/exchange")
# The two environments (venvs made by a Python every user can run, not one in /root):
#   students:   pip install 'backprop-kit-student[lab]' jupyterhub
#   instructor: pip install ./student . jupyterhub   (from the course clone)
STUDENT_VENV = setting("STUDENT_VENV", "/opt/backprop/student-venv")
INSTRUCTOR_VENV = setting("INSTRUCTOR_VENV", "/opt/backprop/instructor-venv")
# The hub's own state (database, cookie secret, the proxy's pid) and the Jupyter
# configuration it writes for the users' servers (see below). Root's, mode 0755.
STATE_DIR = setting("STATE_DIR", "/srv/backprop-hub")
# Where the hub is reached (the proxy listens here), and the hub's and the proxy's own
# API ports (loopback only; change them if another hub runs on this machine).
BIND_URL = setting("BIND_URL", "http://127.0.0.1:8000")
HUB_API_URL = setting("HUB_API_URL", "http://127.0.0.1:8081")
PROXY_API_URL = setting("PROXY_API_URL", "http://127.0.0.1:8001")
# With a domain that has a wildcard DNS entry (and certificate), e.g.
# "https://hub.example.edu", each user's server gets a host of its own
# (instructor.hub.example.edu). Only then is the formgrader shown inside JupyterLab:
# JupyterHub (>= 4.1) forbids framing a server's pages on a shared host, and there the
# instructor opens /user/<instructor>/formgrader in a browser tab of its own instead.
SUBDOMAIN_HOST = setting("SUBDOMAIN_HOST", "")
# MNIST, readable by everyone (the notebook trains on it; the grader checks training):
# when the hub has BACKPROP_MNIST_DIR, every server gets it, and the instructor's grader
# reads it as c.BackpropCourse.mnist_dir (in place of the course file's).
MNIST_DIR = os.environ.get("BACKPROP_MNIST_DIR", "")

# --------------------------------------------------------------------------- the hub

c.JupyterHub.bind_url = BIND_URL
c.JupyterHub.hub_bind_url = HUB_API_URL
c.ConfigurableHTTPProxy.api_url = PROXY_API_URL
if SUBDOMAIN_HOST:
    c.JupyterHub.subdomain_host = SUBDOMAIN_HOST
STATE = Path(STATE_DIR)
STATE.mkdir(mode=0o755, parents=True, exist_ok=True)
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")

c.JupyterHub.authenticator_class = "pam"  # JupyterHub's default, said out loud
c.Authenticator.allowed_users = {INSTRUCTOR, *STUDENTS}
c.Authenticator.admin_users = {INSTRUCTOR}
# nbgrader's group names for a course (formgrade-<course>, nbgrader-<course>): they say
# who teaches and who takes it, and are what nbgrader's JupyterHubAuthPlugin would read.
c.JupyterHub.load_groups = {
    f"formgrade-{COURSE_ID}": {"users": [INSTRUCTOR]},
    f"nbgrader-{COURSE_ID}": {"users": STUDENTS},
}

# --------------------------------------------------------------------------- the servers

# Jupyter configuration the users' servers read (through JUPYTER_CONFIG_PATH), written
# here from the settings above so that they are said once.
JUPYTER_CONFIG = STATE / "jupyter"
COURSE_CONFIG = JUPYTER_CONFIG / "course"  # everyone: the course id and the exchange
STUDENT_CONFIG = JUPYTER_CONFIG / "students"  # students: no instructor tools
INSTRUCTOR_CONFIG = JUPYTER_CONFIG / "instructor"
NBGRADER_TOOLS = ("formgrader", "create-assignment", "course-list")


def write_config(path, text):
    path.parent.mkdir(mode=0o755, parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o644)


write_config(COURSE_CONFIG / "nbgrader_config.py", f"""\
# Written by jupyterhub_config.py: edit that file, not this one.
c = get_config()
c.CourseDirectory.course_id = {COURSE_ID!r}
c.Exchange.root = {EXCHANGE_ROOT!r}
# The Validate button runs the whole notebook (the MNIST training skipped, as under
# nbgrader). Each cell takes seconds alone, but a class validating at once on one machine
# can pass nbgrader's default limit of 30 s for a cell.
c.Execute.timeout = 300
""")
write_config(STUDENT_CONFIG / "labconfig" / "page_config.json", json.dumps({
    "disabledExtensions": {f"@jupyter/nbgrader:{tool}": True for tool in NBGRADER_TOOLS},
}, indent=1) + "\n")
write_config(STUDENT_CONFIG / "jupyter_server_config.json", json.dumps({
    "ServerApp": {"jpserver_extensions": {"nbgrader.server_extensions.formgrader": False,
                                          "nbgrader.server_extensions.course_list": False}},
}, indent=1) + "\n")
write_config(INSTRUCTOR_CONFIG / "nbgrader_config.py", f"""\
# Written by jupyterhub_config.py: edit that file, not this one.
c = get_config()
{f"c.BackpropCourse.mnist_dir = {MNIST_DIR!r}" if MNIST_DIR else "# (no MNIST_DIR)"}
""")
# The formgrader is a page of the instructor's own server shown in a frame: allowed only
# where each server has its own host (see SUBDOMAIN_HOST).
write_config(INSTRUCTOR_CONFIG / "jupyter_server_config.json", json.dumps({
    "ServerApp": {"tornado_settings": {"headers": {
        "Content-Security-Policy": "frame-ancestors 'self'" if SUBDOMAIN_HOST
        else "frame-ancestors 'none'"}}},
}, indent=1) + "\n")

c.JupyterHub.spawner_class = "localprocess"
# Nothing of the hub's own environment (its PATH, PYTHONPATH, VIRTUAL_ENV) reaches a
# user's server: each gets its own below.
c.Spawner.env_keep = ["LANG", "LC_ALL"]
c.Spawner.default_url = "/lab"
# A server with nbgrader's extensions takes a while to start on a busy machine.
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120


def pre_spawn_hook(spawner):
    """Each user's environment: the instructor's venv in the course folder, or the
    student venv in the student's home."""
    if spawner.user.name == INSTRUCTOR:
        venv = INSTRUCTOR_VENV
        # The hub's settings (exchange, course id, MNIST) first, so they win over the
        # course's nbgrader_config.py (whose default exchange, a folder in the course, no
        # student could reach); that file gives everything else (root, preprocessors).
        config_path = [INSTRUCTOR_CONFIG, COURSE_CONFIG, COURSE_DIR]
        spawner.notebook_dir = COURSE_DIR
    else:
        venv = STUDENT_VENV
        config_path = [STUDENT_CONFIG, COURSE_CONFIG]
    spawner.cmd = [f"{venv}/bin/jupyterhub-singleuser"]
    spawner.environment = {
        "PATH": f"{venv}/bin:/usr/local/bin:/usr/bin:/bin",
        "JUPYTER_CONFIG_PATH": os.pathsep.join(map(str, config_path)),
        **({"BACKPROP_MNIST_DIR": MNIST_DIR} if MNIST_DIR else {}),
    }


c.Spawner.pre_spawn_hook = pre_spawn_hook
