"""Stub: replaced by the my-account work."""
from flask import Blueprint

bp = Blueprint("my_account", __name__)


@bp.get("/account")
def overview():
    return "account"
