"""Stub: replaced by the administration work."""
from flask import Blueprint

bp = Blueprint("admin", __name__)


@bp.get("/admin/cities")
def cities():
    return "cities"
