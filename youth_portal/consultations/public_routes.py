"""Young people: lists of consultations, a consultation's page, answering (being built)."""
from .blueprint import bp  # noqa: F401
