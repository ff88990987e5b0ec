"""The engine serves every questionnaire, so it imports none of the features that use it."""

import ast
from pathlib import Path

import youth_portal

ENGINE = Path(youth_portal.__file__).parent / "questionnaires"
#: The only modules of the app it may import: its own.
OWN = "youth_portal.questionnaires"


def imported_modules(path: Path) -> set[str]:
    package = ".".join(("youth_portal", *path.relative_to(ENGINE.parent).parent.parts))
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            modules.add(".".join(part for part in (base, node.module or "") if part))
    return modules


def test_the_engine_imports_no_feature():
    modules = {module for path in ENGINE.rglob("*.py") for module in imported_modules(path)}
    assert "youth_portal.questionnaires.kinds.base" in modules  # the walk sees the package's own imports
    assert [m for m in modules if m.startswith("youth_portal") and not m.startswith(OWN)] == []
