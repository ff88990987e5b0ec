"""Wrong passwords counted per account, from whatever address they come: after SIGN_IN_LOCKOUT_AFTER of them within
FAILURE_WINDOW, signing in to the account is paused, first for SIGN_IN_LOCKOUT_MINUTES, then twice as long at each
new pause (up to LONGEST_PAUSE); a day after the first pause, the doubling starts again from the first.

A stranger must not lock the owner out of a browser they already used (OWASP's "device cookies"): each sign-in
leaves a signed cookie naming the account in that browser; attempts that carry it for the account they try are
counted on their own, per browser, and are not paused with the account. The counts are kept where the rate limits
are (RATELIMIT_STORAGE_URI), under a hash of the typed address, whether or not an account uses it: a pause looks the
same for an address without an account, so it tells nobody which addresses have one. With rate limits off
(RATELIMIT_ENABLED false) nothing is counted or paused.
"""

import hashlib
import hmac
import secrets
import time
from datetime import timedelta

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

from ..extensions import limiter
from .models import User

#: Wrong passwords are counted within this window (from the first), for an account and for a known browser.
FAILURE_WINDOW = timedelta(minutes=15)
#: The longest pause; and how long the number of pauses is remembered from the first (each next one doubles).
LONGEST_PAUSE = timedelta(days=1)
#: How long a browser stays known after its last sign-in.
DEVICE_MAX_AGE = timedelta(days=365)


def _account_key(email: str) -> str:
    """The key of a typed address in the counts: keyed by the app's secret, so the counts never hold the address."""
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode() if isinstance(secret, str) else secret
    digest = hmac.new(secret, email.strip().lower().encode(), hashlib.sha256).hexdigest()
    return f"sign-in/{digest[:32]}"


def paused_for(email: str) -> int:
    """Seconds until signing in with this address may be tried again (0: it may now)."""
    paused = f"{_account_key(email)}/paused"
    if not limiter.enabled or not limiter.storage.get(paused):
        return 0
    return max(1, round(limiter.storage.get_expiry(paused) - time.time()))


def account_failed(email: str) -> bool:
    """Count a wrong password for this address (not tried from a known browser); True when it starts a pause."""
    if not limiter.enabled:
        return False
    key = _account_key(email)
    config = current_app.config
    if limiter.storage.incr(f"{key}/failures", int(FAILURE_WINDOW.total_seconds())) < config["SIGN_IN_LOCKOUT_AFTER"]:
        return False
    limiter.storage.clear(f"{key}/failures")
    longest = int(LONGEST_PAUSE.total_seconds())
    seconds = min(config["SIGN_IN_LOCKOUT_MINUTES"] * 60 * 2 ** limiter.storage.get(f"{key}/pauses"), longest)
    if limiter.storage.incr(f"{key}/paused", seconds) > 1:  # another failure at the same moment started it
        return False
    limiter.storage.incr(f"{key}/pauses", longest)
    return True


# Known browsers -------------------------------------------------------------------------------------------------


def _cookie_name() -> str:
    return "__Host-sign-in-device" if current_app.config["PRODUCTION"] else "sign-in-device"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="sign-in-device")


def remember_device(response: Response, user: User) -> Response:
    """Leave in this browser the signed cookie that makes it known for this account."""
    response.set_cookie(
        _cookie_name(),
        _serializer().dumps([user.id, secrets.token_urlsafe(16)]),
        max_age=int(DEVICE_MAX_AGE.total_seconds()),
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response


def known_device(user: User | None) -> str | None:
    """This browser's key when it signed in to `user` before and has not itself tried too many wrong passwords since;
    None otherwise (an unknown address has no known browser)."""
    try:
        user_id, device = _serializer().loads(
            request.cookies.get(_cookie_name(), ""), max_age=int(DEVICE_MAX_AGE.total_seconds())
        )
    except (BadSignature, ValueError, TypeError):
        return None
    if user is None or user_id != user.id:
        return None
    if not limiter.enabled:
        return device
    if limiter.storage.get(f"sign-in-device/{device}/failures") >= current_app.config["SIGN_IN_LOCKOUT_AFTER"]:
        return None
    return device


def device_failed(device: str) -> None:
    """Count a wrong password from a known browser: on its own, so that it never pauses the account for the others."""
    if not limiter.enabled:
        return
    limiter.storage.incr(f"sign-in-device/{device}/failures", int(FAILURE_WINDOW.total_seconds()))
