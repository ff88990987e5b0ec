"""Guardian consent pages: the guardian's decision and withdrawal (by emailed link), and the young person's
own page to see where things stand and ask again."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..cities.models import City
from ..extensions import client_ip, db, limiter
from ..i18n import LANGUAGES
from . import services
from .forms import DecisionForm, GuardianRequestForm, WithdrawForm
from .models import CONSENT_TEXT_VERSION, ConsentStatus, GuardianConsent

bp = Blueprint("guardians", __name__)

#: What a young person may ask for in a row: enough to fix a typo, too few to flood someone's inbox.
RESEND_LIMIT = "3 per hour"
OUTCOMES = {"granted", "declined", "withdrawn"}


@bp.after_request
def _never_cache(response):
    """These pages name a young person (and the links are secrets): no cache keeps them, signed in or not."""
    response.headers["Cache-Control"] = "no-store"
    return response


# The guardian's side: reached from links in their emails, no account needed.


@bp.get("/guardian/consent/<token>")
def consent_page(token: str):
    """What a guardian reads before deciding: the platform, the data kept, their rights, two equal buttons."""
    consent = services.pending_consent_for_link(token)
    if consent is None:
        return _link_not_valid()
    if services.is_subjects_own_session(consent.user):
        return _not_from_their_own_session()
    g.page_language = consent.language
    return render_template(
        "guardians/consent.html",
        consent=consent,
        user=consent.user,
        form=DecisionForm(),
        text_version=CONSENT_TEXT_VERSION,
    )


@bp.post("/guardian/consent/<token>")
def decide(token: str):
    """Record the guardian's decision; the link then stops working."""
    form = DecisionForm()
    if not form.validate_on_submit() or form.agree.data == form.decline.data:
        abort(400)
    try:
        consent = services.decide(token, granted=form.agree.data)
    except services.SubjectsOwnSession:
        db.session.commit()  # the attempt, in the network's log
        return _not_from_their_own_session()
    if consent is None:
        db.session.rollback()
        return _link_not_valid()
    db.session.commit()
    outcome = "granted" if consent.status == ConsentStatus.GRANTED else "declined"
    return redirect(url_for(".done", outcome=outcome, lang=consent.language))


@bp.get("/guardian/withdraw/<token>")
def withdraw_page(token: str):
    """What withdrawing consent does, with the button to do it."""
    consent = services.granted_consent_for_link(token)
    if consent is None:
        return _link_not_valid(withdrawal=True)
    if services.is_subjects_own_session(consent.user):
        return _not_from_their_own_session()
    g.page_language = consent.language
    return render_template("guardians/withdraw.html", consent=consent, user=consent.user, form=WithdrawForm())


@bp.post("/guardian/withdraw/<token>")
def withdraw(token: str):
    """Withdraw the guardian's consent: the young person can no longer take part, and is told."""
    form = WithdrawForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        consent = services.withdraw(token)
    except services.SubjectsOwnSession:
        db.session.commit()  # the attempt, in the network's log
        return _not_from_their_own_session()
    if consent is None:
        db.session.rollback()
        return _link_not_valid(withdrawal=True)
    db.session.commit()
    return redirect(url_for(".done", outcome="withdrawn", lang=consent.language))


@bp.get("/guardian/done/<outcome>")
def done(outcome: str):
    """Thanks to the guardian, saying what their decision means (nothing personal: the link is used up)."""
    if outcome not in OUTCOMES:
        abort(404)
    if request.args.get("lang") in LANGUAGES:
        g.page_language = request.args["lang"]
    return render_template("guardians/done.html", outcome=outcome)


def _link_not_valid(withdrawal: bool = False):
    return render_template("guardians/link_not_valid.html", withdrawal=withdrawal), 404


def _not_from_their_own_session():
    """The young person is signed in on this browser: a guardian's link does not work here (nothing changed, the link
    still works elsewhere), said in the signed-in person's language to whoever reads it."""
    return render_template("guardians/not_from_their_own_session.html"), 403


# The young person's side.


def _resend_key() -> str:
    """Rate-limit key: the signed-in person (so nobody shares a limit with a neighbour), else the address."""
    return f"guardian-resend:{current_user.id}" if current_user.is_authenticated else client_ip()


def _request_form(user) -> tuple[GuardianRequestForm, GuardianConsent | None]:
    latest = GuardianConsent.latest_for(user)
    form = GuardianRequestForm(
        user,
        previous_email=latest.guardian_email if latest else None,
        guardian_language=latest.language if latest else user.language,  # when the form sent none
    )
    return form, latest


def _may_ask(user, latest: GuardianConsent | None) -> bool:
    """Below the age of consent at home, or of a city that may host a consultation for the whole network (its
    stricter age then applies), and no guardian agreed yet."""
    strictest = max(db.session.scalars(sa.select(City)), key=lambda city: city.consent_age, default=None)
    return user.needs_guardian_consent(host=strictest) and (latest is None or latest.status != ConsentStatus.GRANTED)


@bp.get("/account/guardian")
@login_required
def request_page():
    """Where the young person's guardian consent stands, and the form to ask (again or someone else)."""
    user = current_user._get_current_object()
    form, latest = _request_form(user)
    return render_template(
        "guardians/request.html",
        form=form,
        latest=latest,
        may_ask=_may_ask(user, latest),
        needs_consent=user.needs_guardian_consent(),
    )


@bp.post("/account/guardian/resend")
@login_required
@limiter.limit(RESEND_LIMIT, key_func=_resend_key, deduct_when=lambda response: response.status_code == 302)
def resend():
    """Send the consent request again, to the same or a new guardian email."""
    user = current_user._get_current_object()
    form, latest = _request_form(user)
    if not _may_ask(user, latest):
        flash(_("You do not need to ask a guardian for consent now."), "info")
        return redirect(url_for("my_account.overview"))
    if not form.validate_on_submit():
        return render_template(
            "guardians/request.html", form=form, latest=latest, may_ask=True, needs_consent=True
        ), 422
    services.request_consent(user, form.email_to_use(), form.guardian_language.data)
    db.session.commit()
    flash(
        _("We sent the request to your guardian. Ask them to check their email, including the spam folder."), "success"
    )
    return redirect(url_for("my_account.overview"))
