"""The privacy notice, the terms, and the language switcher present on every page."""

from flask import Blueprint, redirect, render_template, request, session
from flask_login import current_user

from ..extensions import csrf, db
from ..i18n import LANGUAGES
from ..navigation import safe_next
from .terms import TERMS_VERSION

bp = Blueprint("pages", __name__)


@bp.get("/privacy")
def privacy():
    """The privacy notice, written for a 13-year-old reader."""
    return render_template("pages/privacy.html", version=TERMS_VERSION)


@bp.get("/terms")
def terms():
    """The terms of use and community standards, written for a 13-year-old reader."""
    return render_template("pages/terms.html", version=TERMS_VERSION)


@bp.post("/language")
@csrf.exempt
def switch_language():
    """Remember the chosen language (and save it for a signed-in person), then go back.

    A visitor's switcher has no CSRF token, so visitors' pages are the same for all and can be kept rendered:
    for a visitor it only sets the language of their own session. A signed-in person's setting is saved to
    their account, so that needs the token.
    """
    if current_user.is_authenticated:
        csrf.protect()
    language = request.form.get("language", "")
    if language in LANGUAGES:
        session["language"] = language
        if current_user.is_authenticated:
            current_user.language = language
            db.session.commit()
    return redirect(safe_next(request.form.get("next")))
