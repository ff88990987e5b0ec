"""Staff: create, edit, preview and run consultations (being built)."""
from .blueprint import bp  # noqa: F401
