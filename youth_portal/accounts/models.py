"""People and their roles."""

import calendar
import enum
from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin

from ..cities.models import City
from ..columns import enum_column
from ..extensions import Model, db
from ..timeutil import utcnow


class NetworkRole(enum.StrEnum):
    """Network-wide roles. Network staff see aggregates only, never a person."""

    NETWORK_STAFF = "network-staff"
    NETWORK_ADMIN = "network-admin"


class CityRoleName(enum.StrEnum):
    """Roles held in one city only."""

    STAFF = "staff"
    MODERATOR = "moderator"
    CITY_ADMIN = "city-admin"

    @property
    def label(self) -> str:
        return str(CITY_ROLE_LABELS[self])


CITY_ROLE_LABELS = {
    CityRoleName.STAFF: _l("Staff"),
    CityRoleName.MODERATOR: _l("Moderator"),
    CityRoleName.CITY_ADMIN: _l("City admin"),
}


class Participation(enum.StrEnum):
    """Whether a person may take part (answer, sign up, apply), and if not, why not."""

    ALLOWED = "allowed"
    EMAIL_UNVERIFIED = "email-unverified"
    CONSENT_PENDING = "consent-pending"
    CONSENT_DECLINED = "consent-declined"
    CONSENT_WITHDRAWN = "consent-withdrawn"
    SUSPENDED = "suspended"


def age_on(day: date, birth_year: int, birth_month: int) -> int:
    """Age in whole years on `day`, counting the birthday as the first of the birth month (only year and month are
    kept): the one rule for everyone's age, except the age of consent (`consent_age_on`)."""
    return day.year - birth_year - (1 if day.month < birth_month else 0)


def consent_age_on(day: date, birth_year: int, birth_month: int) -> int:
    """Age in whole years on `day` for the digital age of consent, counting the birthday as the last day of the birth
    month: nobody is taken to be old enough to consent before they may be (a birthday on 29 February counts from
    1 March in other years)."""
    last_day = calendar.monthrange(birth_year, birth_month)[1]
    return day.year - birth_year - (1 if (day.month, day.day) < (birth_month, last_day) else 0)


class User(UserMixin, Model):
    __tablename__ = "users"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: None once the account is deleted.
    email: so.Mapped[str | None] = so.mapped_column(sa.String(254), unique=True)
    password_hash: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    #: Pseudonymous; never a real name. None once the account is deleted.
    display_name: so.Mapped[str | None] = so.mapped_column(sa.String(40))
    home_city_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("cities.id"), index=True)
    #: Birth year and month only: data minimisation (no full date of birth).
    birth_year: so.Mapped[int | None]
    birth_month: so.Mapped[int | None]
    language: so.Mapped[str] = so.mapped_column(sa.String(8), default="en")
    network_role: so.Mapped[NetworkRole | None] = so.mapped_column(enum_column(NetworkRole))
    email_verified_at: so.Mapped[datetime | None]
    #: Which version of the terms and privacy notice the person accepted.
    terms_version: so.Mapped[str | None] = so.mapped_column(sa.String(20))
    #: Bumped to end every session of this person on the server (logout, suspension, password change).
    session_version: so.Mapped[int] = so.mapped_column(default=1)
    suspended_at: so.Mapped[datetime | None]
    deleted_at: so.Mapped[datetime | None]
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    #: Two-step verification (accounts/two_step.py): the authenticator app's key, the last time step whose code was
    #: accepted (a code works once), and the SHA-256 of each unused backup code.
    two_step_key: so.Mapped[str | None] = so.mapped_column(sa.String(32))
    two_step_last_step: so.Mapped[int | None]
    backup_code_hashes: so.Mapped[list[str] | None] = so.mapped_column(sa.JSON)

    home_city: so.Mapped[City | None] = so.relationship()
    city_roles: so.WriteOnlyMapped["CityRole"] = so.relationship(
        back_populates="user", foreign_keys="CityRole.user_id", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<User {self.id}>"

    # Flask-Login: the session carries the version, so bumping it ends every session on the server.
    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.deleted_at is None and self.suspended_at is None

    @property
    def public_name(self) -> str:
        """What others see: the display name, or "deleted account"."""
        return self.display_name if self.deleted_at is None and self.display_name else str(_l("deleted account"))

    def age_on(self, day: date) -> int | None:
        """Age in whole years, counting the birthday as the first of the birth month."""
        if self.birth_year is None or self.birth_month is None:
            return None
        return age_on(day, self.birth_year, self.birth_month)

    def needs_guardian_consent(self, day: date | None = None, host: City | None = None) -> bool:
        """True while the person is below their home city's digital age of consent, or below that of `host` (the city
        of a consultation open to the whole network) when it is higher: the stricter age applies."""
        if self.birth_year is None or self.birth_month is None or self.home_city is None:
            return False
        consent_age = max(self.home_city.consent_age, host.consent_age if host is not None else 0)
        return consent_age_on(day or utcnow().date(), self.birth_year, self.birth_month) < consent_age

    def active_role_in(self, city: City) -> "CityRoleName | None":
        """The role this person holds in that city now, if any."""
        return db.session.scalar(
            sa.select(CityRole.role).where(
                CityRole.user_id == self.id, CityRole.city_id == city.id, CityRole.revoked_at.is_(None)
            )
        )


class CityRole(Model):
    """A role in one city; revoked roles stay as history (seen only by the person and admins)."""

    __tablename__ = "city_roles"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"), index=True)
    city_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("cities.id"), index=True)
    role: so.Mapped[CityRoleName] = so.mapped_column(enum_column(CityRoleName))
    granted_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    granted_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)
    revoked_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    revoked_at: so.Mapped[datetime | None]

    user: so.Mapped[User] = so.relationship(back_populates="city_roles", foreign_keys=[user_id])
    city: so.Mapped[City] = so.relationship()

    __table_args__ = (
        # One active role per person and city; history rows (revoked) are not limited.
        sa.Index(
            "uq_city_roles_active",
            "user_id",
            "city_id",
            unique=True,
            sqlite_where=sa.text("revoked_at IS NULL"),
            postgresql_where=sa.text("revoked_at IS NULL"),
        ),
    )
