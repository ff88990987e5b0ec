"""The statistics package stands alone: features import it, it imports no feature (nor anything else of the app)."""

import ast
from pathlib import Path

import youth_portal.statistics

PACKAGE = Path(youth_portal.statistics.__file__).parent


def imported_modules(path: Path) -> set[str]:
    """Every module a file imports, relative imports written with their dots."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            found.add("." * node.level + (node.module or ""))
    return found


def test_statistics_imports_nothing_of_the_app_but_itself():
    modules = sorted(PACKAGE.glob("*.py"))
    assert {path.name for path in modules} >= {"suppression.py", "demographics.py"}
    for path in modules:
        for module in imported_modules(path):
            assert not module.startswith(("youth_portal", "..")), (path.name, module)
