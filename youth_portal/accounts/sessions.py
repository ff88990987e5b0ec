"""Sign-in sessions: loaded by Flask-Login, ended on the server by a per-person version, an idle timeout and an
absolute lifetime (shorter for staff and admins)."""

import time

import sqlalchemy as sa
from flask import Flask, current_app, flash, g, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from ..extensions import db, login_manager
from . import private_session, two_step
from .models import User


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    app.before_request(_end_old_or_idle_session)


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The person behind a session, only while the session's version is current and the account active."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.scalar(sa.select(User).where(User.id == int(user_id), User.session_version == int(version)))
    return user if user is not None and user.is_active else None


def start_session(user: User) -> None:
    """A fresh session for this person (the old one, and anything in it, is dropped)."""
    language = session.get("language")
    private_session.forget_all()
    session.clear()
    g.pop(current_app.config["WTF_CSRF_FIELD_NAME"], None)  # Flask-WTF's token of the old session
    if language:
        session["language"] = language
    session.permanent = True
    login_user(user)
    session["started_at"] = session["seen_at"] = int(time.time())


def end_all_sessions(user: User) -> None:
    """End every session of this person on the server, on every device."""
    user.session_version = User.session_version + 1


def end_session() -> None:
    """Sign out here and everywhere: the session version changes, so old cookies stop working."""
    private_session.forget_all()
    if current_user.is_authenticated:
        end_all_sessions(current_user._get_current_object())
    db.session.commit()
    logout_user()
    session.clear()


def _end_old_or_idle_session() -> None:
    """Sign out a person whose session is older than its lifetime (SESSION_MAX_AGE; STAFF_SESSION_MAX_AGE for staff
    and admins), or idle longer than SESSION_IDLE_TIMEOUT, and tell them why."""
    if not current_user.is_authenticated:
        return
    now = int(time.time())
    if _too_old(now - session.get("started_at", 0), current_user._get_current_object()):
        _sign_out(
            _l("You have been signed in for many hours, so for your safety you were signed out. Please sign in again.")
        )
        return
    idle_limit = current_app.config["SESSION_IDLE_TIMEOUT"].total_seconds()
    if now - session.get("seen_at", now) > idle_limit:
        _sign_out(_l("You were signed out after a period of inactivity. Please sign in again."))
        return
    session["seen_at"] = now


def _too_old(age: float, user: User) -> bool:
    """Whether a session of this age has outlived its lifetime: everyone's, or the shorter one of staff and admins
    (asked of the database only once a session is older than that)."""
    config = current_app.config
    if age > config["SESSION_MAX_AGE"].total_seconds():
        return True
    if age <= config["STAFF_SESSION_MAX_AGE"].total_seconds():
        return False
    return two_step.is_staff(user)


def _sign_out(reason) -> None:
    logout_user()
    session.clear()
    flash(reason, "info")
