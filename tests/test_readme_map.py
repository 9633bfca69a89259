"""Is README's module map ("What is where", the one place the layout is described) true:
does it name every module of the kit's packages, and nothing that is gone?"""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("autograder", "selfcheck", "course_data", "solutions", "scripts")


def _map():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## What is where", 1)[1]
    return section.split("\n## ", 1)[0]


def _modules():
    """Every module a reader may look for (packages' __init__ and the hidden checks' test
    modules, one per part, are named by their folder)."""
    for package in PACKAGES:
        for path in sorted((REPO / package).rglob("*.py")):
            if path.name == "__init__.py":
                continue
            if path.parent.name == "checks" and path.name.startswith("test_"):
                continue
            yield path


def _named(path, text):
    """Whether ``text`` names the module: ``layers.py``, ``stash.py``, or a ``messages*.py``
    pattern that matches it."""
    if re.search(rf"(?<![\w.]){re.escape(path.name)}\b", text):
        return True
    patterns = re.findall(r"[\w/]*\*[\w*]*\.(?:py|sh)", text)
    return any(Path(path.name).match(pattern.rsplit("/", 1)[-1]) for pattern in patterns)


def test_every_module_is_on_the_map():
    text = _map()
    missing = [str(path.relative_to(REPO)) for path in _modules() if not _named(path, text)]
    assert missing == [], f"README's 'What is where' does not name: {missing}"


def test_every_file_on_the_map_exists():
    text = _map()
    on_map = set(re.findall(r"(?<![\w.*])(\w+\.py)\b", text))
    present = {path.name for package in (*PACKAGES, "") for path in
               (REPO / package).glob("**/*.py" if package else "*.py")
               if ".venv" not in path.parts}
    assert sorted(on_map - present) == []
