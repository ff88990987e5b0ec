"""Stub: replaced by the guardian consent work."""
from flask import Blueprint

bp = Blueprint("guardians", __name__)


@bp.post("/account/guardian/resend")
def resend():
    return "resend"
