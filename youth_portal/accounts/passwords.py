"""Passwords: argon2id hashes, and the rules of ASVS V6.2 (length, no composition rules, not common)."""

from functools import cache
from importlib.resources import files

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l

MIN_LENGTH = 8
MAX_LENGTH = 128


def _hasher() -> PasswordHasher:
    """argon2id at the cost the app's configuration sets (PASSWORD_HASH_*: RFC 9106 low-memory unless changed)."""
    config = current_app.config
    return PasswordHasher(
        time_cost=config["PASSWORD_HASH_TIME_COST"],
        memory_cost=config["PASSWORD_HASH_MEMORY_COST"],
        parallelism=config["PASSWORD_HASH_PARALLELISM"],
    )


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of the 30,000 most common passwords, lower-cased."""
    text = files("youth_portal.accounts").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line and not line.startswith("#"))


def password_problem(password: str) -> str | None:
    """Why this password cannot be used, in the visitor's language, or None if it can."""
    if len(password) < MIN_LENGTH:
        return str(_l("Use at least %(min)d characters. A short sentence you can remember works well.", min=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        return str(_l("Use at most %(max)d characters.", max=MAX_LENGTH))
    if password.strip().lower() in common_passwords():
        return str(
            _l("This password is one of the most common ones, so it is easy to guess. Please choose another one.")
        )
    return None


def hash_password(password: str) -> str:
    """A new hash of the password, at the configured cost."""
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """True if the password matches; a missing hash (deleted account) never matches."""
    if not password_hash:
        _hasher().hash(password)  # same work either way, so timing does not reveal the account
        return False
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True if the hash was made at another cost than the configured one (it is then redone at sign-in)."""
    return _hasher().check_needs_rehash(password_hash)
