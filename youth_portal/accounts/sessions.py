"""Sign-in sessions: loaded by Flask-Login, ended on the server by a per-person version, idle timeout."""

import time

import sqlalchemy as sa
from flask import Flask, current_app, flash, g, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from ..extensions import db, login_manager
from .models import User


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(_end_idle_session)


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
    session.clear()
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)  # Flask-WTF's token of the old session
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
    if current_user.is_authenticated:
        end_all_sessions(current_user._get_current_object())
        db.session.commit()
    logout_user()
    session.clear()


def _end_idle_session() -> None:
    """Sign out a person idle longer than SESSION_IDLE_TIMEOUT."""
    if not current_user.is_authenticated:
        return
    now = int(time.time())
    idle_limit = current_app.config["SESSION_IDLE_TIMEOUT"].total_seconds()
    if now - session.get("seen_at", now) > idle_limit:
        logout_user()
        session.clear()
        flash(_l("You were signed out after a period of inactivity. Please sign in again."), "info")
        return
    session["seen_at"] = now
