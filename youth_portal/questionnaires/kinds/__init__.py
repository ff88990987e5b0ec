"""The question kinds, one module each; `kind_for` finds a question's. A kind registers itself when its module is
imported, and every module of this package is imported here: adding a kind is adding its module (and templates)."""

import importlib
import pkgutil
from typing import Any

from .base import KINDS, Kind

for _module in pkgutil.iter_modules(__path__):
    importlib.import_module(f"{__name__}.{_module.name}")


def kind_for(question: Any) -> Kind:
    """The kind of a question (anything with a `kind`), or of a kind's stored value."""
    return KINDS[str(getattr(question, "kind", question))]


__all__ = ["KINDS", "Kind", "kind_for"]
