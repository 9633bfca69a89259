"""Do the project's modules import each other in a cycle? (None may: a cycle makes what a
module sees at import time depend on which module was imported first.)

The graph is read from the source with ast: every ``import`` and ``from ... import`` of a
project module, at any depth of a module (a function's own import counts too), for the
packages below. ``from package import name`` counts as an import of ``package.name`` when
that is a module, else of ``package``.
"""

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("autograder", "selfcheck", "solutions", "course_data")


def module_files(root=REPO):
    """{dotted module name: path} of every module of PACKAGES under ``root``."""
    files = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            files[name] = path
    return files


def imports_of(name, path, modules):
    """The project modules that module ``name`` (at ``path``) imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the module's package, up level - 1 packages
                anchor = package.split(".")[:len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            found.update(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                         for alias in node.names)
    return {module for module in found if module in modules and module != name}


def import_graph(root=REPO):
    """{module: the project modules it imports}."""
    files = module_files(root)
    return {name: imports_of(name, path, files) for name, path in files.items()}


def find_cycle(graph):
    """One import cycle as a list of modules (first == last), or None."""
    done, on_path = set(), []

    def visit(module):
        if module in on_path:
            return [*on_path[on_path.index(module):], module]
        if module in done:
            return None
        on_path.append(module)
        for imported in sorted(graph[module]):
            cycle = visit(imported)
            if cycle:
                return cycle
        on_path.pop()
        done.add(module)
        return None

    for module in sorted(graph):
        cycle = visit(module)
        if cycle:
            return cycle
    return None


def test_no_import_cycles():
    """Does no project module import itself through others?"""
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


def test_the_graph_is_read():
    """Is the graph real: does it hold edges we know of (so an empty graph cannot pass)?"""
    graph = import_graph()
    assert "autograder.sandbox.proxies" in graph["autograder.sandbox.session"]
    assert "selfcheck.assignment" in graph["autograder.rubric"]
    assert "autograder.sandbox.sandboxed_code" not in graph["autograder.sandbox.session"]


def test_a_cycle_is_found(tmp_path):
    """Is a cycle found when one is there, a function's own import included (as session
    and remote had one)?"""
    package = tmp_path / "selfcheck"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from selfcheck import b\n")
    (package / "b.py").write_text("def f():\n    from selfcheck.a import x\n")
    (package / "c.py").write_text("from . import a\n")
    graph = import_graph(tmp_path)
    assert graph["selfcheck.c"] == {"selfcheck.a"}
    assert find_cycle(graph) == ["selfcheck.a", "selfcheck.b", "selfcheck.a"]
