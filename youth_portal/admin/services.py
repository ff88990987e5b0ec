"""Creating cities and granting or revoking city roles; every change lands in the audit log. Helpers only flush."""

from collections import defaultdict
from datetime import date

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import gettext as _

from ..accounts.models import CityRole, CityRoleName, User, consent_age_on
from ..audit.models import AuditEvent
from ..audit.services import record
from ..cities.models import City
from ..extensions import db
from ..features import AuditTarget, audit_target_loaders
from ..guardians.models import ConsentStatus, GuardianConsent
from ..timeutil import utcnow


class RoleAlreadyHeld(ValueError):
    """The person already holds an active role in this city (one role per person and city)."""


#: Nobody younger holds a role in a city.
ADULT_AGE = 18


def is_adult(user: User, day: date) -> bool:
    """18 or over on `day` for certain: only the birth year and month are kept, so counted as the age of consent is,
    as if born on the last day of the month."""
    if user.birth_year is None or user.birth_month is None:
        return False
    return consent_age_on(day, user.birth_year, user.birth_month) >= ADULT_AGE


class CannotGrant(ValueError):
    """A role cannot be given to the account with this address; the reason is in plain words."""


def find_account(email: str) -> User | None:
    """The account (not deleted) with this email address, compared without regard to case."""
    address = email.strip().lower()
    if not address:
        return None
    return db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == address, User.deleted_at.is_(None)))


def create_city(by: User | None, **fields) -> City:
    """A network admin creates a city (a new tenant)."""
    city = City(**fields)
    db.session.add(city)
    db.session.flush()
    record("city.created", actor=by, city=city, slug=city.slug)
    return city


def grant_role(city: City, user: User, role: CityRoleName, by: User | None) -> CityRole:
    """Give a person a role in one city; refused if they already hold one there."""
    if user.active_role_in(city) is not None:
        raise RoleAlreadyHeld(user.id)
    row = CityRole(user_id=user.id, city_id=city.id, role=role, granted_by_id=by.id if by is not None else None)
    db.session.add(row)
    db.session.flush()
    record("role.granted", actor=by, city=city, subject=user, role=role.value)
    return row


def grant_role_by_email(city: City, email: str, role: CityRoleName, by: User | None) -> User:
    """A network admin gives `role` in `city` to the existing, confirmed account of an adult with this email address
    (network admins may know who has an account; city admins invite instead: invitations.py)."""
    user = find_account(email)
    if user is None:
        raise CannotGrant(_("There is no account with this email address. Ask the person to create one first."))
    if user.email_verified_at is None:
        raise CannotGrant(_("This person has not confirmed their email address yet. Ask them to do so first."))
    if not user.is_active:
        raise CannotGrant(_("This account is suspended, so it cannot be given a role."))
    if not is_adult(user, utcnow().date()):
        raise CannotGrant(_("Only adults (18 or over) can hold a role in a city."))
    try:
        grant_role(city, user, role, by)
    except RoleAlreadyHeld:
        raise CannotGrant(
            _("This person already holds a role in this city. Revoke it first to give them another one.")
        ) from None
    return user


def revoke_role(role_row: CityRole, by: User | None) -> None:
    """End a role; the row stays as history, seen only by the person and admins."""
    role_row.revoked_at = utcnow()
    role_row.revoked_by_id = by.id if by is not None else None
    db.session.flush()
    record("role.revoked", actor=by, city=role_row.city, subject=role_row.user, role=role_row.role.value)


def active_role_query(city: City, *roles: CityRoleName) -> sa.Select:
    """Active roles in a city (optionally of some kinds) with their holders, loaded in the same query."""
    query = (
        sa.select(CityRole)
        .join(CityRole.user)
        .options(so.contains_eager(CityRole.user))
        .where(CityRole.city_id == city.id, CityRole.revoked_at.is_(None))
        .order_by(CityRole.role, sa.func.lower(User.display_name), CityRole.id)
    )
    if roles:
        query = query.where(CityRole.role.in_(roles))
    return query


def cities_with_admin_counts() -> list[tuple[City, int]]:
    """Every city with the number of its active city admins, in one query."""
    admins = (
        sa.select(sa.func.count(CityRole.id))
        .where(
            CityRole.city_id == City.id,
            CityRole.role == CityRoleName.CITY_ADMIN,
            CityRole.revoked_at.is_(None),
        )
        .correlate(City)
        .scalar_subquery()
    )
    return [tuple(row) for row in db.session.execute(sa.select(City, admins).order_by(City.region, City.name))]


AuditRows = list[tuple[AuditEvent, User | None, User | None]]


def audit_page(city: City, page: int, per_page: int) -> tuple[AuditRows, bool]:
    """One page of a city's staff actions, newest first, with actor and subject; and whether older ones exist.

    Only what staff did: events whose actor (else, the person they are about) holds or held a role in the city, or a
    network role, and events about no person (a consultation closing by itself). Young people's own
    events (registering, a guardian asked, agreeing, refusing or withdrawing, which tell that someone is below the
    age of consent; pages refused to them) are not city staff's to see: the person finds them in their data download,
    and network admins in the network's log (`network_audit_page`)."""
    person_id = sa.func.coalesce(AuditEvent.actor_id, AuditEvent.subject_id)  # who acted, else whom it is about
    staff_of_city = sa.select(CityRole.id).where(CityRole.user_id == person_id, CityRole.city_id == city.id)
    network_staff = sa.select(User.id).where(User.id == person_id, User.network_role.is_not(None))
    staff_action = sa.or_(person_id.is_(None), staff_of_city.exists(), network_staff.exists())
    return _audit_rows(sa.and_(AuditEvent.city_id == city.id, staff_action), page, per_page)


def network_audit_page(page: int, per_page: int) -> tuple[AuditRows, bool]:
    """One page of every event of the network, newest first, for a network admin's security investigations."""
    return _audit_rows(sa.true(), page, per_page)


def _audit_rows(condition, page: int, per_page: int) -> tuple[AuditRows, bool]:
    actor = so.aliased(User, name="actor")
    subject = so.aliased(User, name="subject")
    rows = db.session.execute(
        sa.select(AuditEvent, actor, subject)
        .outerjoin(actor, AuditEvent.actor_id == actor.id)
        .outerjoin(subject, AuditEvent.subject_id == subject.id)
        .where(condition)
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())
        .limit(per_page + 1)
        .offset((page - 1) * per_page)
    ).all()
    return list(rows[:per_page]), len(rows) > per_page


def count_consented_after_refusal(city: City) -> int:
    """How many young people of the city take part with a guardian's consent given after an earlier request was
    declined or withdrawn: all city staff are shown of it (a number: no name, no date, no answer)."""
    granted, refused = so.aliased(GuardianConsent), so.aliased(GuardianConsent)
    earlier_refusal = sa.select(refused.id).where(
        refused.user_id == granted.user_id,
        refused.id < granted.id,
        refused.status.in_([ConsentStatus.DECLINED, ConsentStatus.WITHDRAWN]),
    )
    query = (
        sa.select(sa.func.count(sa.distinct(granted.user_id)))
        .join(User, User.id == granted.user_id)
        .where(User.home_city_id == city.id, granted.status == ConsentStatus.GRANTED, earlier_refusal.exists())
    )
    return db.session.scalar(query) or 0


def audit_targets(city: City, events: list[AuditEvent], language: str) -> dict[tuple[str, int], AuditTarget]:
    """(type, id) -> title and link of what these events are about, asked of the feature owning each type (one query
    per type); only things of this city are named."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for event in events:
        if event.target_type is not None and event.target_id is not None:
            wanted[event.target_type].add(event.target_id)
    loaders = audit_target_loaders()
    return {
        (kind, target_id): target
        for kind, ids in wanted.items()
        if kind in loaders
        for target_id, target in loaders[kind](city, ids, language).items()
    }
