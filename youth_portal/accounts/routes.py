"""Registration, email verification, sign-in (with the second step for staff who turned it on) and sign-out, and
password reset."""

import hashlib
import time
from datetime import timedelta

import sqlalchemy as sa
from flask import Blueprint, current_app, flash, make_response, redirect, render_template, request, session, url_for
from flask_babel import force_locale, format_timedelta, get_locale, gettext as _
from flask_login import current_user, login_required, logout_user
from sqlalchemy.exc import IntegrityError

from .. import mail, tokens
from ..audit.services import record
from ..cities.models import City
from ..extensions import client_ip, db, limiter
from ..navigation import safe_next
from ..tokens import TokenPurpose
from . import lockouts, private_session, services, sessions, two_step
from .forms import ForgotPasswordForm, LoginForm, NewPasswordForm, RegistrationForm, TwoStepCodeForm
from .models import Participation, User
from .participation import participation_of

bp = Blueprint("accounts", __name__)

#: A whole school class may register together in a workshop, behind one shared address.
REGISTRATIONS_PER_ADDRESS_PER_HOUR = 60
#: How long after the password the code of the second step is still taken.
TWO_STEP_SECONDS = 5 * 60
#: The longest page address kept to come back to after registering (it is kept with the confirmation link).
RETURN_TO_MAX_LENGTH = 254


def _failed(response) -> bool:
    return response.status_code >= 400


def _succeeded(response) -> bool:
    return response.status_code < 400


def _typed_email_and_ip() -> str:
    """Sign-in attempts for one address from one IP; the address is hashed so limits never store it."""
    typed = (request.form.get("email") or "").strip().lower()
    return f"{hashlib.sha256(typed.encode()).hexdigest()[:32]}@{client_ip()}"


def _signed_in_person_or_ip() -> str:
    """The person (not their session, which changes at each sign-in), or the IP for a visitor."""
    return f"user-{current_user.id}" if current_user.is_authenticated else client_ip()


def _cities() -> list[City]:
    return list(db.session.scalars(sa.select(City).order_by(City.name)))


def _page_to_return_to(target: str | None) -> str | None:
    """A page of this site to come back to after registering (a path that fits with its link on the server), or
    None: never another site (see safe_next)."""
    if not target or len(target) > RETURN_TO_MAX_LENGTH:
        return None
    return target if safe_next(target) == target else None


# Registration ---------------------------------------------------------------------------------------------------


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(
    f"{REGISTRATIONS_PER_ADDRESS_PER_HOUR}/hour", key_func=client_ip, methods=["POST"], deduct_when=_succeeded
)
def register():
    """A young person creates an account in their home city."""
    if current_user.is_authenticated:
        return redirect(url_for("cities.home"))
    preselected = db.session.scalar(sa.select(City.id).where(City.slug == request.args.get("city", "")))
    form = RegistrationForm(_cities(), home_city=preselected)
    return_to = _page_to_return_to(request.values.get("next"))
    if not form.validate_on_submit():
        return render_template(
            "accounts/register.html", form=form, return_to=return_to
        ), 422 if form.is_submitted() else 200
    private_session.keep("registration", _what_check_email_says(form))  # addresses: never in the cookie
    existing = db.session.scalar(sa.select(User).where(User.email == form.email.data))
    if existing is None:
        home_city = form.chosen_city()
        assert home_city is not None  # the form takes only a listed city
        try:
            services.register(
                email=form.email.data,
                password=form.password.data,
                display_name=form.display_name.data,
                home_city=home_city,
                birth_year=form.birth_year.data,
                birth_month=form.birth_month.data,
                language=form.language.data,
                guardian_email=form.guardian_email.data or None,
                guardian_language=form.guardian_language.data,
                return_to=return_to,
            )
            db.session.commit()
            return redirect(url_for("accounts.check_email"))
        except IntegrityError:  # the same address registered a moment ago
            db.session.rollback()
            existing = db.session.scalar(sa.select(User).where(User.email == form.email.data))
            if existing is None:  # another rule than the unique address failed
                raise
    services.tell_account_exists(existing, form.password.data)
    db.session.commit()
    return redirect(url_for("accounts.check_email"))


def _what_check_email_says(form: RegistrationForm) -> dict:
    """What the page after registering tells, from what was typed: the same whether the address was new or not."""
    guardian, city = form.needs_guardian(), form.chosen_city()
    return {
        "name": form.display_name.data,
        "email": form.email.data,
        "consent_age": city.consent_age if guardian and city else None,
        "guardian_email": form.guardian_email.data if guardian else None,
    }


@bp.post("/register/validate")
@limiter.limit("120/minute", key_func=client_ip)
def validate_registration():
    """htmx inline validation: the registration page, checked; the changed field is picked from it (nothing saved)."""
    form = RegistrationForm(_cities())
    form.validate()
    return render_template("accounts/register.html", form=form)


@bp.get("/register/check-email")
def check_email():
    """After registering: what happens next (confirm the email; for minors, a guardian was asked)."""
    return render_template(
        "accounts/check_email.html",
        registration=private_session.kept("registration"),
        valid_for=current_app.config["VERIFY_EMAIL_MAX_AGE"],
    )


# Email verification ---------------------------------------------------------------------------------------------


def _link_not_working(kind: str):
    """A clear page for a link that is invalid, used or expired, with the way to get a new one."""
    return render_template("accounts/link_not_working.html", kind=kind), 404


@bp.get("/verify/<token>")
def verify_email(token: str):
    """The page a confirmation link opens: a button to confirm (opening the link alone changes nothing)."""
    found = tokens.find(token, TokenPurpose.VERIFY_EMAIL)
    if found is None or not found.user.is_active:
        return _link_not_working("verify")
    return render_template("accounts/verify_email.html", token=token, user=found.user)


@bp.post("/verify/<token>")
def confirm_email(token: str):
    """Confirm the address: the link is used up, the account verified, and the person signed in on the page they
    registered from (the link's page, kept on the server), or where they are told why they cannot take part yet."""
    used = tokens.redeem(token, TokenPurpose.VERIFY_EMAIL)
    if used is None or not used.user.is_active:
        db.session.rollback()
        return _link_not_working("verify")
    user, return_to = used.user, _page_to_return_to(used.payload)
    services.mark_email_verified(user)
    db.session.commit()
    if not current_user.is_authenticated and user.two_step_key is None:
        # Signed in by the link (the new session drops the old one); never over someone else's session, and never
        # past a code the account asks for.
        if participation_of(user) != Participation.ALLOWED:  # a guardian has to agree first: where that is told
            return_to = url_for("my_account.overview")
        return _signed_in(user, return_to, method="email-link")
    flash(_("Thank you: your email address is confirmed."), "success")
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(return_to or url_for("cities.home"))
    flash(_("You can now sign in."), "info")
    return redirect(url_for("accounts.login", next=return_to))


@bp.get("/verify/new")
@login_required
def new_verification_link():
    """For a signed-in person whose address is not confirmed yet: a button to send a new link."""
    return render_template("accounts/new_verification_link.html", valid_for=current_app.config["VERIFY_EMAIL_MAX_AGE"])


@bp.post("/verify/resend")
@login_required
@limiter.limit("5/hour", key_func=_signed_in_person_or_ip)
def resend_verification():
    """Send a new confirmation link (the old ones stop working)."""
    if current_user.email_verified_at is not None:
        flash(_("Your email address is already confirmed."), "info")
        return redirect(url_for("cities.home"))
    services.send_verification(current_user._get_current_object())
    record("account.verification_resent")
    db.session.commit()
    flash(_("We sent a new link to your address. Open it to confirm your address."), "success")
    return redirect(url_for("accounts.new_verification_link"))


# Sign in and out ------------------------------------------------------------------------------------------------


def _why_not_taking_part(participation: Participation) -> str | None:
    """What a person who signs in cannot do yet, and why, in a sentence (None when they may take part)."""
    return {
        Participation.EMAIL_UNVERIFIED: _(
            "To take part, confirm your email address first: open the link we sent "
            "you. No email? Ask for a new link on My account."
        ),
        Participation.CONSENT_PENDING: _(
            "Your parent or guardian has not agreed yet. Until they do, you can read "
            "everything but not take part. My account shows where it stands."
        ),
        Participation.CONSENT_DECLINED: _(
            "Your parent or guardian said no, so you can read everything but not take part."
        ),
        Participation.CONSENT_WITHDRAWN: _(
            "Your parent or guardian took back their agreement, so you can read everything but not take part for now."
        ),
    }.get(participation)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("20/minute", key_func=client_ip, methods=["POST"], deduct_when=_failed)
@limiter.limit("5/minute", key_func=_typed_email_and_ip, methods=["POST"], deduct_when=_failed)
def login():
    """Sign in. Only failed attempts count towards the limits: per address, and per account whatever the address
    (lockouts.py), but never against a browser the person signed in from before, so nobody can lock them out of it."""
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(request.args.get("next")))
    form = LoginForm(next=request.args.get("next", ""))
    if not form.validate_on_submit():
        return render_template("accounts/login.html", form=form), 422 if form.is_submitted() else 200
    user = services.find_by_email(form.email.data)
    device = lockouts.known_device(user)
    if device is None and (wait := lockouts.paused_for(form.email.data)):
        return _sign_in_paused(form, wait)
    problem = services.login_problem(user, form.password.data)
    if problem:
        record("auth.login.failed", actor=user, reason=problem)
        db.session.commit()
        if device is not None:
            lockouts.device_failed(device)
        elif lockouts.account_failed(form.email.data) and user is not None and user.is_active:
            _tell_sign_in_paused(user, lockouts.paused_for(form.email.data))
        if problem == "suspended":
            message = _("This account is suspended, so it cannot be used to sign in.")
        else:
            message = _("That email address or password was not recognised. Please check them and try again.")
        return render_template("accounts/login.html", form=form, login_error=message), 422
    assert user is not None  # login_problem() says "unknown-account" otherwise
    if user.two_step_key is not None:  # the password is right; the session starts after the code
        session["two_step"] = {
            "user": user.id,
            "version": user.session_version,
            "next": form.next.data,
            "at": int(time.time()),
        }
        return redirect(url_for("accounts.login_code"))
    return _signed_in(user, form.next.data)


def _sign_in_paused(form: LoginForm, wait: int):
    """The answer to an attempt while the account is paused (the same for an address without an account)."""
    message = _(
        "Signing in to this account is paused for %(time)s, because of too many wrong passwords. If you signed in "
        "from this browser before, you can still sign in here. Otherwise, try again then, or choose a new password.",
        time=format_timedelta(timedelta(seconds=wait)),
    )
    response = make_response(render_template("accounts/login.html", form=form, login_error=message), 429)
    response.headers["Retry-After"] = str(wait)
    return response


def _tell_sign_in_paused(user: User, wait: int) -> None:
    """Email the owner that a pause started; the failed attempt is saved whether or not the email goes."""
    try:
        services.tell_sign_in_paused(user, wait)
        db.session.commit()
    except mail.MailServerDown:
        db.session.rollback()


def _signed_in(user: User, next_page: str | None, *, method: str = "password"):
    """Start the person's session and welcome them, in their language, on the page they were going to."""
    sessions.start_session(user)
    record("auth.login.succeeded", actor=user, method=method)
    db.session.commit()
    with force_locale(user.language):  # the page after is in their language, whatever this one was in
        if method == "email-link":
            flash(_("Thank you: your email address is confirmed."), "success")
        flash(_("Welcome, %(name)s. You are signed in.", name=user.display_name), "success")
        not_yet = _why_not_taking_part(participation_of(user))
        if not_yet:
            flash(not_yet, "info")
        if method == "backup-code":
            flash(
                _(
                    "You used a backup code. %(left)d are left: get new ones on My account, under two-step "
                    "verification.",
                    left=two_step.backup_codes_left(user),
                ),
                "info",
            )
    home = user.home_city
    landing = redirect(safe_next(next_page, default=url_for("cities.city", slug=home.slug) if home else None))
    return lockouts.remember_device(landing, user)


def _waiting_for_code(*, lock: bool) -> User | None:
    """The person who gave their password in this browser less than TWO_STEP_SECONDS ago, and whose account and
    sessions have not changed since; None otherwise. `lock` holds their row until commit, so that two requests
    with the same code (or backup code) cannot both use it."""
    pending = session.get("two_step")
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > TWO_STEP_SECONDS:
        return None
    user = db.session.get(User, pending.get("user"), with_for_update=lock, populate_existing=lock)
    if (
        user is None
        or not user.is_active
        or user.session_version != pending.get("version")
        or user.two_step_key is None
    ):
        return None
    return user


def _person_waiting_for_code_or_ip() -> str:
    pending = session.get("two_step")
    return f"two-step-{pending.get('user')}" if isinstance(pending, dict) else client_ip()


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit("20/minute", key_func=client_ip, methods=["POST"], deduct_when=_failed)
@limiter.limit("5/minute;20/hour", key_func=_person_waiting_for_code_or_ip, methods=["POST"], deduct_when=_failed)
def login_code():
    """The second step of signing in: the code from the person's authenticator app, or a backup code."""
    user = _waiting_for_code(lock=request.method == "POST")
    if user is None:
        session.pop("two_step", None)
        flash(_("Please sign in again: the code must follow the password within 5 minutes."), "info")
        return redirect(url_for("accounts.login"))
    form = TwoStepCodeForm()
    if not form.validate_on_submit():
        return render_template("accounts/login_code.html", form=form), 422 if form.is_submitted() else 200
    next_page = session["two_step"].get("next")
    if two_step.accept_code(user, form.code.data):
        return _signed_in(user, next_page, method="app-code")
    if two_step.use_backup_code(user, form.code.data):
        return _signed_in(user, next_page, method="backup-code")
    record("auth.login.failed", actor=user, reason="wrong-code")
    db.session.commit()
    form.code.errors.append(
        _(
            "That code is not right, or was already used. Type the newest code your app shows, "
            "or one of your backup codes."
        )
    )
    return render_template("accounts/login_code.html", form=form), 422


@bp.post("/logout")
def logout():
    """Sign out here and on every other device (the session ends on the server, not only in this browser)."""
    if current_user.is_authenticated:
        record("auth.logout", actor=current_user._get_current_object())
        sessions.end_session()
    flash(_("You are signed out."), "info")
    return redirect(url_for("cities.home"))


# Password reset -------------------------------------------------------------------------------------------------


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("5/minute;30/hour", key_func=client_ip, methods=["POST"])
def forgot_password():
    """Ask for a link to choose a new password; the answer is the same, and takes as long, whether or not the account
    exists: the same email work either way (services.send_password_reset), and at least PASSWORD_RESET_MIN_SECONDS."""
    form = ForgotPasswordForm()
    if not form.validate_on_submit():
        return render_template("accounts/forgot_password.html", form=form), 422 if form.is_submitted() else 200
    started = time.perf_counter()
    try:
        services.send_password_reset(form.email.data, str(get_locale()))
        db.session.commit()
    except mail.MailServerDown:  # the page must not differ from one for an address without an account
        db.session.rollback()
    # The link's token is the only extra work for an account (a few milliseconds): hidden under a floor.
    time.sleep(max(0.0, started + current_app.config["PASSWORD_RESET_MIN_SECONDS"] - time.perf_counter()))
    flash(
        _(
            "If an account uses that address, we have emailed it a link to choose a new password. "
            "Check your inbox (and your spam folder)."
        ),
        "info",
    )
    return redirect(url_for("accounts.login"))


@bp.get("/password/reset/<token>")
def reset_password(token: str):
    """The page a password-reset link opens: a form for the new password."""
    found = tokens.find(token, TokenPurpose.RESET_PASSWORD)
    if found is None or not found.user.is_active:
        return _link_not_working("reset")
    return render_template("accounts/reset_password.html", form=NewPasswordForm(), token=token)


@bp.post("/password/reset/<token>")
def choose_new_password(token: str):
    """Set the new password; the link is used up and every session of the person ends."""
    found = tokens.find(token, TokenPurpose.RESET_PASSWORD)
    if found is None or not found.user.is_active:
        return _link_not_working("reset")
    form = NewPasswordForm()
    if not form.validate_on_submit():
        return render_template("accounts/reset_password.html", form=form, token=token), 422
    used = tokens.redeem(token, TokenPurpose.RESET_PASSWORD)
    if used is None:
        db.session.rollback()
        return _link_not_working("reset")
    services.reset_password(used.user, form.password.data)
    db.session.commit()
    if current_user.is_authenticated and current_user.id == used.user_id:
        logout_user()
    flash(
        _("Your password is changed, and you are signed out everywhere. Please sign in with your new password."),
        "success",
    )
    return redirect(url_for("accounts.login"))
