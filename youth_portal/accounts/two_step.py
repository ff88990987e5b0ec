"""Two-step verification for staff and admins (ASVS V6.3.3): after the password, a 6-digit code from an
authenticator app (TOTP, RFC 6238, with pyotp), or one of ten backup codes for a lost phone.

A code is accepted within one 30-second step of the server's clock either way, and only once: the step of the last
accepted code is kept, and a code of that step or an earlier one is refused. Backup codes are random (50 bits), so
their SHA-256 is enough to keep them; each works once.
"""

import hashlib
import hmac
import secrets
from datetime import UTC

import click
import pyotp
import segno
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext
from markupsafe import Markup

from ..audit.services import record
from ..extensions import db
from ..timeutil import utcnow
from .models import CityRole, User

ISSUER = "Youth Portal"
BACKUP_CODE_COUNT = 10
#: Steps of 30 seconds either side of the server's clock in which a code is still accepted (phones drift).
CLOCK_DRIFT_STEPS = 1
_BACKUP_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off paper without doubt


def new_key() -> str:
    return pyotp.random_base32()


def key_for_typing(key: str) -> str:
    """The key in groups of four, for people who type it into their app instead of scanning."""
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def qr_code(user: User, key: str, title: str) -> Markup:
    """The QR code an authenticator app scans to add this account, as inline SVG named by `title`."""
    uri = pyotp.TOTP(key).provisioning_uri(name=user.email, issuer_name=ISSUER)
    svg = segno.make(uri, error="m").svg_inline(
        scale=4, border=4, title=title, dark="#000", light="#fff", svgclass="qr-code"
    )
    # segno writes the SVG from the URI alone (no HTML passes through), and the title is escaped by segno.
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S704


def matching_step(key: str, typed: str) -> int | None:
    """The time step whose code is `typed` (spaces ignored), within the allowed drift; None when none is."""
    code = "".join(typed.split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(key)
    current = totp.timecode(utcnow().replace(tzinfo=UTC))  # pyotp reads naive times as local
    for step in range(current - CLOCK_DRIFT_STEPS, current + CLOCK_DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def accept_code(user: User, typed: str) -> bool:
    """Whether `typed` is the person's current code, never used before; remembers it as used."""
    if user.two_step_key is None:
        return False
    step = matching_step(user.two_step_key, typed)
    if step is None or (user.two_step_last_step is not None and step <= user.two_step_last_step):
        return False
    user.two_step_last_step = step
    return True


def _backup_hash(code: str) -> str:
    normalised = "".join(character for character in code.lower() if character.isalnum())
    return hashlib.sha256(normalised.encode()).hexdigest()


def new_backup_codes(user: User) -> list[str]:
    """Ten new backup codes for the person (the old ones stop working), to be shown once and never again."""
    codes = []
    for _ in range(BACKUP_CODE_COUNT):
        code = "".join(secrets.choice(_BACKUP_ALPHABET) for _ in range(10))
        codes.append(f"{code[:5]}-{code[5:]}")
    user.backup_code_hashes = [_backup_hash(code) for code in codes]
    return codes


def use_backup_code(user: User, typed: str) -> bool:
    """Whether `typed` is one of the person's unused backup codes (hyphens, spaces and case ignored); it is used up."""
    hashes = list(user.backup_code_hashes or [])
    typed_hash = _backup_hash(typed)
    for kept in hashes:
        if hmac.compare_digest(kept, typed_hash):
            hashes.remove(kept)
            user.backup_code_hashes = hashes
            return True
    return False


def turn_on(user: User, key: str, typed: str) -> list[str] | None:
    """Keep the key once the person typed its current code (their app has it), and give them backup codes; None
    when the code is not the key's."""
    step = matching_step(key, typed)
    if step is None:
        return None
    user.two_step_key, user.two_step_last_step = key, step
    return new_backup_codes(user)


def turn_off(user: User) -> None:
    user.two_step_key = user.two_step_last_step = user.backup_code_hashes = None


def backup_codes_left(user: User) -> int:
    return len(user.backup_code_hashes or [])


def required_for(user: User) -> bool:
    """Whether this person must use two-step verification: staff and admins, where STAFF_TWO_STEP_REQUIRED (on in
    production) says so."""
    return current_app.config["STAFF_TWO_STEP_REQUIRED"] and is_staff(user)


def is_staff(user: User) -> bool:
    """Whether this person is on a city's staff or is a network admin."""
    return user.network_role is not None or bool(
        db.session.scalar(sa.select(sa.exists().where(CityRole.user_id == user.id, CityRole.revoked_at.is_(None))))
    )


@click.command("two-step-off")
@click.argument("email")
@with_appcontext
def two_step_off_command(email: str) -> None:
    """Turn off two-step verification for the account of EMAIL, who lost their phone and backup codes (check who
    they are first, outside Youth Portal). They can sign in with their password and turn it on again."""
    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None or user.two_step_key is None:
        raise click.ClickException(f"No account of {email} uses two-step verification.")
    turn_off(user)
    record("account.two_step_off", subject=user, by="operator")
    db.session.commit()
    click.echo(f"Two-step verification is off for {email}.")
