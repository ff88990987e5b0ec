"""My account: the signed-in person's own details, settings, data download and deletion.

Nobody but the person sees these pages: every view works on `current_user` only, never on an id from the URL.
"""

import json
from datetime import date

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import force_locale, format_date, gettext as _
from flask_login import current_user, login_required, logout_user

from .. import tokens
from ..accounts import private_session, sessions, two_step
from ..accounts.models import Participation
from ..accounts.participation import participation_of
from ..audit.services import record
from ..extensions import client_ip, db, limiter
from ..guardians.models import GuardianConsent
from ..i18n import LANGUAGES
from ..timeutil import utcnow
from ..tokens import TokenPurpose
from . import services
from .forms import (
    ConfirmEmailChangeForm,
    DeleteAccountForm,
    EmailChangeForm,
    PasswordForm,
    ProfileForm,
    TwoStepChangeForm,
    TwoStepOnForm,
)

bp = Blueprint("my_account", __name__, url_prefix="/account")

#: Participation states in which a guardian still has to agree.
CONSENT_MISSING = {Participation.CONSENT_PENDING, Participation.CONSENT_DECLINED, Participation.CONSENT_WITHDRAWN}


def _password_check_key() -> str:
    return f"my-account-password:{current_user.id}" if current_user.is_authenticated else client_ip()


#: Pages that ask for the current password share one limit of wrong guesses per person, so someone who
#: finds a signed-in device cannot try passwords at leisure. Only wrong passwords count.
password_guesses_limited = limiter.shared_limit(
    "10/hour",
    scope="my-account-password",
    key_func=_password_check_key,
    methods=["POST"],
    deduct_when=lambda _response: g.get("wrong_current_password", False),
)


def _invalid(template: str, form, **context):
    """Show the form again: 422 after a submission (noting a wrong current password), 200 on first view."""
    if not form.is_submitted():
        return render_template(template, form=form, **context)
    current_password = getattr(form, "current_password", None)
    g.wrong_current_password = bool(current_password is not None and current_password.data and current_password.errors)
    return render_template(template, form=form, **context), 422


def _me():
    """The signed-in person as a model object (not the proxy)."""
    return current_user._get_current_object()


@bp.get("")
@login_required
def overview():
    """The person's own details, where their participation stands, their city roles, and links to settings."""
    user = _me()
    participation = participation_of(user)
    consent = GuardianConsent.latest_for(user) if participation in CONSENT_MISSING else None
    return render_template(
        "my_account/overview.html",
        user=user,
        age=user.age_on(utcnow().date()),
        born=format_date(date(user.birth_year, user.birth_month, 1), "LLLL y")
        if user.birth_year and user.birth_month
        else None,
        language_name=LANGUAGES.get(user.language, user.language),
        new_email=services.new_email_waiting(user),
        participation=participation,
        Participation=Participation,
        consent_missing=participation in CONSENT_MISSING,
        consent=consent,
        roles=services.roles_of(user),
    )


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    """Change the display name and language."""
    user = _me()
    form = ProfileForm(obj=user)
    if not form.validate_on_submit():
        return _invalid("my_account/profile.html", form)
    services.update_profile(user, form.display_name.data, form.language.data)
    db.session.commit()
    with force_locale(user.language):
        flash(_("Your profile was saved."), "success")
    return redirect(url_for("my_account.overview"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
@password_guesses_limited
def password():
    """Change the password; every other device is signed out, this one stays signed in."""
    user = _me()
    form = PasswordForm(user)
    if not form.validate_on_submit():
        return _invalid("my_account/password.html", form)
    services.change_password(user, form.new_password.data)
    sessions.start_session(user)  # after the flush above, so the session carries the new version
    db.session.commit()
    flash(_("Your password was changed. You were signed out on every other device."), "success")
    return redirect(url_for("my_account.overview"))


@bp.route("/email", methods=["GET", "POST"])
@login_required
@password_guesses_limited
def email():
    """Ask to change the email address: a link goes to the new address, which counts only once confirmed."""
    user = _me()
    form = EmailChangeForm(user)
    if not form.validate_on_submit():
        return _invalid("my_account/email.html", form)
    new_email = form.new_email.data
    token = services.request_email_change(user, new_email)
    services.send_email_change_link(user, new_email, token)
    db.session.commit()
    flash(
        _(
            "We sent a link to your new address. Open it to confirm the change. Until then, you keep using your "
            "current address."
        ),
        "success",
    )
    return redirect(url_for("my_account.overview"))


def _email_change_link(token: str):
    """The unused change-email link of the signed-in person, or None (expired, used, or someone else's)."""
    link = tokens.find(token, TokenPurpose.CHANGE_EMAIL)
    return link if link is not None and link.user_id == current_user.id else None


@bp.get("/email/confirm/<token>")
@login_required
def confirm_email(token: str):
    """The page a change-email link opens: a button to confirm (opening the link changes nothing)."""
    link = _email_change_link(token)
    if link is None:
        return render_template("my_account/email_link_invalid.html"), 404
    return render_template("my_account/email_confirm.html", form=ConfirmEmailChangeForm(), new_email=link.payload)


@bp.post("/email/confirm/<token>")
@login_required
def confirm_email_post(token: str):
    """Switch the account to the new address, and tell the old address."""
    user = _me()
    form = ConfirmEmailChangeForm()
    link = _email_change_link(token)
    if link is None or not form.validate_on_submit():
        return render_template("my_account/email_link_invalid.html"), 404
    try:
        old_email = services.confirm_email_change(user, link, token)
    except services.EmailAddressTaken:
        db.session.rollback()
        return render_template("my_account/email_taken.html", new_email=link.payload), 409
    except LookupError:
        db.session.rollback()
        return render_template("my_account/email_link_invalid.html"), 404
    if old_email:
        services.send_email_changed_notice(user, old_email, utcnow())
    db.session.commit()
    flash(_("Your email address is changed: it is the one shown below."), "success")
    return redirect(url_for("my_account.overview"))


@bp.get("/data")
@login_required
def data():
    """Explain what the download contains."""
    return render_template("my_account/data.html")


@bp.get("/data.json")
@login_required
def data_download():
    """One JSON file of everything held about the person."""
    user = _me()
    document = services.data_of(user)
    record("account.data_downloaded", actor=user)
    db.session.commit()
    return Response(
        json.dumps(document, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="youth-portal-my-data.json"'},
    )


@bp.route("/two-step", methods=["GET", "POST"])
@login_required
@password_guesses_limited
def two_step_verification():
    """Turn on two-step verification (scan, type a code), or, once on, see where it stands; with ?new-phone=yes,
    move it to a new phone (the old phone's codes stop working once a code of the new key is typed).

    The new key is kept with the session, on the server (never in the cookie), until a code of it is typed, so
    reloading the page shows the same QR code.
    """
    user = _me()
    new_phone = user.two_step_key is not None
    if new_phone and request.args.get("new-phone") != "yes":
        return _two_step_page(user)
    key = private_session.kept("two_step_key")
    if key is None:
        key = two_step.new_key()
        private_session.keep("two_step_key", key)
        db.session.commit()
    form = TwoStepOnForm(user)
    codes = None
    if form.validate_on_submit():
        codes = two_step.turn_on(user, key, form.code.data)
        if codes is None:
            form.code.errors.append(
                _(
                    "That is not the code your app shows now. Check that you added the new key, "
                    "and type the newest code."
                )
            )
    if codes is None:
        return _invalid(
            "my_account/two_step_on.html",
            form,
            key=two_step.key_for_typing(key),
            qr_code=two_step.qr_code(user, key, _("QR code to add Youth Portal to your app")),
            new_phone=new_phone,
        )
    record("account.two_step_moved" if new_phone else "account.two_step_on", actor=user)
    sessions.end_all_sessions(user)  # devices signed in with the password alone (or the old phone) are signed out
    db.session.flush()
    sessions.start_session(user)  # this one stays, with the new session version (the pending key goes too)
    db.session.commit()
    flash(_("You were signed out on every other device."), "info")
    return _backup_codes_page(codes, _("Two-step verification is on"))


def _backup_codes_page(codes: list[str], heading: str):
    """Backup codes, shown once: never kept by the browser or a proxy."""
    response = make_response(render_template("my_account/backup_codes.html", codes=codes, heading=heading))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/two-step/backup-codes")
@login_required
@password_guesses_limited
def new_backup_codes():
    """Ten new backup codes; the old ones stop working."""
    user = _me()
    if user.two_step_key is None:
        return redirect(url_for("my_account.two_step_verification"))
    form = TwoStepChangeForm(user, prefix="codes")
    if not form.validate_on_submit():
        return _two_step_page(user, codes_form=form)
    codes = two_step.new_backup_codes(user)
    record("account.backup_codes_renewed", actor=user)
    db.session.commit()
    return _backup_codes_page(codes, _("Your new backup codes"))


@bp.post("/two-step/off")
@login_required
@password_guesses_limited
def two_step_off():
    """Turn two-step verification off, unless the person's role needs it."""
    user = _me()
    if user.two_step_key is None:
        return redirect(url_for("my_account.two_step_verification"))
    if two_step.required_for(user):
        abort(403)
    form = TwoStepChangeForm(user, prefix="off")
    if not form.validate_on_submit():
        return _two_step_page(user, off_form=form)
    two_step.turn_off(user)
    record("account.two_step_off", actor=user)
    db.session.commit()
    flash(_("Two-step verification is off. Signing in now asks for your password only."), "success")
    return redirect(url_for("my_account.overview"))


def _two_step_page(user, *, codes_form=None, off_form=None):
    """Where two-step verification stands, with its two forms; 422 with the one sent back with errors."""
    sent_back = codes_form or off_form
    context = {
        "user": user,
        "backup_codes_left": two_step.backup_codes_left(user),
        "required": two_step.required_for(user),
        "codes_form": codes_form or TwoStepChangeForm(user, prefix="codes", formdata=None),
        "off_form": off_form or TwoStepChangeForm(user, prefix="off", formdata=None),
    }
    if sent_back is None:
        return render_template("my_account/two_step.html", **context)
    return _invalid("my_account/two_step.html", sent_back, **context)


@bp.route("/delete", methods=["GET", "POST"])
@login_required
@password_guesses_limited
def delete():
    """Explain deletion in plain words; on confirmation, erase the account and sign out."""
    user = _me()
    form = DeleteAccountForm(user)
    if not form.validate_on_submit():
        return _invalid("my_account/delete.html", form)
    language = user.language
    services.delete_account(user)
    db.session.commit()
    logout_user()
    session.clear()
    session["language"] = language
    flash(_("Your account was deleted. Thank you for taking part."), "success")
    return redirect(url_for("cities.home"))
