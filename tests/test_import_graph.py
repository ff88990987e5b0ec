"""The import graph of youth_portal, read from the source with `ast`: no module imports a route module of another
package, no modules import each other in a loop, and no packages do.

Packages are the top-level folders of youth_portal (accounts, guardians, cities, admin, consultations...), the
sub-packages of consultations (consultations.staff, consultations.results...), and each top-level module on its own
(access, mail...). Two kinds of import are wiring rather than use and are left out: the app factory
(youth_portal/__init__.py) registering every blueprint, a package's routes module nesting the blueprints of its
sub-packages (consultations/routes.py), and a package's feature.py declaring what its sub-packages bring to the shared
pieces (consultations/feature.py: a worker job, the personal data). Imports under `if TYPE_CHECKING:` never run and are
left out too.
"""

import ast
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent.parent / "youth_portal"
ROOT = "youth_portal"
#: Packages whose sub-packages count as packages of their own.
SPLIT_PACKAGES = {"youth_portal.consultations"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE_ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in PACKAGE_ROOT.rglob("*.py")}
PACKAGES = {module_name(path) for path in PACKAGE_ROOT.rglob("__init__.py")}


def _type_checking_only(node: ast.AST, parents: dict) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def imports_of(name: str) -> set[str]:
    """The youth_portal modules `name` imports (a package's __init__ when a name is not a module of its own)."""
    tree = ast.parse(MODULES[name].read_text())
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    here = name if name in PACKAGES else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if _type_checking_only(node, parents):
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = here.split(".")[: len(here.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        else:
            continue
        found |= {target for target in targets if target in MODULES and target != name}
    return found


GRAPH = {name: imports_of(name) for name in MODULES}


def is_route_module(name: str) -> bool:
    """A module that is, or defines, a blueprint: *routes* by name, or calling Blueprint(...)."""
    return "routes" in name.rpartition(".")[2] or "Blueprint(" in MODULES[name].read_text()


def is_wiring(importer: str, imported: str) -> bool:
    """The app factory registering blueprints, a package's routes nesting its sub-packages' blueprints, or a package's
    feature.py declaring its sub-packages' pieces."""
    if importer == ROOT:
        return True
    package = importer.rpartition(".")[0]
    sub_package = imported.rpartition(".")[0].rpartition(".")[0] == package
    if importer.endswith(".feature"):
        return sub_package
    return importer.endswith(".routes") and imported.endswith(".routes") and sub_package


def package_of(name: str) -> str:
    """The package a module counts in, without the youth_portal prefix (see the module docstring)."""
    parts = name.split(".")
    for split in SPLIT_PACKAGES:
        depth = len(split.split("."))
        if name.startswith(split + ".") and ".".join(parts[: depth + 1]) in PACKAGES:
            return ".".join(parts[1 : depth + 1])
    return parts[1] if len(parts) > 1 else ROOT


def loops(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """The strongly connected components of more than one node (Tarjan), each a loop of imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: set[frozenset[str]] = set()

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.add(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def module_graph() -> dict[str, set[str]]:
    return {name: {t for t in targets if not is_wiring(name, t)} for name, targets in GRAPH.items()}


def package_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for name, targets in module_graph().items():
        for target in targets:
            if package_of(name) != package_of(target):
                graph.setdefault(package_of(name), set()).add(package_of(target))
    return graph


def test_the_graph_is_read():
    """The reader finds the imports it must (a test that cannot fail would hide every loop)."""
    assert "youth_portal.consultations.models" in GRAPH["youth_portal.consultations.staff.services"]
    assert "youth_portal.access" in GRAPH["youth_portal.consultations.staff.routes"]  # from ... import access
    assert "youth_portal.consultations.staff.routes" in GRAPH["youth_portal.consultations.routes"]
    assert package_of("youth_portal.consultations.staff.forms") == "consultations.staff"
    assert package_of("youth_portal.consultations.models") == "consultations"
    assert "youth_portal.accounts.models" not in GRAPH["youth_portal.guardians.models"]  # under TYPE_CHECKING only
    assert loops({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == {frozenset({"a", "b", "c"})}


def test_no_module_imports_a_route_module_of_another_package():
    found = {
        (name, target)
        for name, targets in module_graph().items()
        for target in targets
        if is_route_module(target) and target.rpartition(".")[0] != name.rpartition(".")[0]
    }
    assert found == set()


def test_no_modules_import_each_other_in_a_loop():
    assert loops(module_graph()) == set()


def test_no_packages_import_each_other_in_a_loop():
    assert loops(package_graph()) == set()
