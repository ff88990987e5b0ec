"""Demo cities in several regions and languages, and an account of every role (the first seed of `flask demo`).

Idempotent: what exists already (a city by its slug, an account by its email) is left as it is.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from ..accounts.models import CityRoleName, NetworkRole, User
from ..accounts.passwords import hash_password
from ..admin import services
from ..cities.models import City, Region
from ..extensions import db
from ..guardians.models import ConsentStatus, GuardianConsent
from ..pages.terms import TERMS_VERSION
from ..timeutil import utcnow

#: The one password of every demo account (not in the common-password list). Never use demo data in production.
DEMO_PASSWORD = "youth-portal-demo"
DEMO_DOMAIN = "demo.youth-portal.org"


@dataclass(frozen=True)
class DemoCity:
    slug: str
    name: str
    country: str
    region: Region
    timezone: str
    languages: tuple[str, ...]  # the default language first


@dataclass(frozen=True)
class DemoAccount:
    email: str
    display_name: str
    #: What the account is for, in the table of demo logins.
    role: str
    city: str | None = None  # slug of the home city (and of the city role)
    city_role: CityRoleName | None = None
    network_role: NetworkRole | None = None
    language: str = "en"
    age: int = 35
    #: A pending guardian consent request, to this address (no email is sent).
    guardian_email: str | None = None


DEMO_CITIES = (
    DemoCity("murcia", "Murcia", "ES", Region.EUROPE, "Europe/Madrid", ("es", "en")),
    DemoCity("lyon", "Lyon", "FR", Region.EUROPE, "Europe/Paris", ("fr",)),
    DemoCity("montreal", "Montréal", "CA", Region.NORTH_AMERICA, "America/Toronto", ("fr", "en")),
    DemoCity("beirut", "Beirut", "LB", Region.MENA, "Asia/Beirut", ("ar", "fr", "en")),
    DemoCity("nairobi", "Nairobi", "KE", Region.EAST_SOUTHERN_AFRICA, "Africa/Nairobi", ("en",)),
    DemoCity("mombasa", "Mombasa", "KE", Region.EAST_SOUTHERN_AFRICA, "Africa/Nairobi", ("en",)),
    DemoCity("medellin", "Medellín", "CO", Region.LATIN_AMERICA_CARIBBEAN, "America/Bogota", ("es", "en")),
    DemoCity("dhaka", "Dhaka", "BD", Region.SOUTH_ASIA, "Asia/Dhaka", ("en",)),
)


def _email(local_part: str) -> str:
    return f"{local_part}@{DEMO_DOMAIN}"


#: Every demo login; the README's table is written from this list.
DEMO_ACCOUNTS = (
    DemoAccount(_email("admin"), "NetworkAdmin", "network admin", network_role=NetworkRole.NETWORK_ADMIN),
    DemoAccount(_email("network-staff"), "NetworkStaff", "network staff", network_role=NetworkRole.NETWORK_STAFF),
    DemoAccount(_email("murcia-admin"), "AdminMurcia", "city admin", "murcia", CityRoleName.CITY_ADMIN, language="es"),
    DemoAccount(_email("murcia-staff"), "StaffMurcia", "staff", "murcia", CityRoleName.STAFF, language="es"),
    DemoAccount(_email("murcia-moderator"), "ModMurcia", "moderator", "murcia", CityRoleName.MODERATOR, language="es"),
    DemoAccount(_email("beirut-admin"), "AdminBeirut", "city admin", "beirut", CityRoleName.CITY_ADMIN, language="ar"),
    DemoAccount(_email("beirut-staff"), "StaffBeirut", "staff", "beirut", CityRoleName.STAFF, language="fr"),
    DemoAccount(_email("beirut-moderator"), "ModBeirut", "moderator", "beirut", CityRoleName.MODERATOR, language="ar"),
    DemoAccount(_email("girasol"), "Girasol", "young resident", "murcia", language="es", age=17),
    DemoAccount(_email("qamar"), "قمر", "young resident", "beirut", language="ar", age=19),
    DemoAccount(_email("erable"), "Érable", "young resident", "montreal", language="fr", age=22),
    DemoAccount(_email("simba"), "Simba", "young resident", "nairobi", language="en", age=24),
    DemoAccount(_email("colibri"), "Colibri", "young resident", "lyon", language="fr", age=16),
    DemoAccount(_email("guacamaya"), "Guacamaya", "young resident", "medellin", language="es", age=27),
    DemoAccount(
        _email("estrella"),
        "Estrella",
        "young resident, 13, guardian consent pending",
        "murcia",
        language="es",
        age=13,
        guardian_email=_email("guardian-of-estrella"),
    ),
)


def _city_name(slug: str | None) -> str:
    return next((c.name for c in DEMO_CITIES if c.slug == slug), "(network)")


#: The demo logins as (email, role, city, password): printed by the command, and the source of the README's table.
DEMO_LOGINS = tuple((a.email, a.role, _city_name(a.city), DEMO_PASSWORD) for a in DEMO_ACCOUNTS)


def load_cities_and_accounts(password_hash: "HashOnce") -> tuple[int, int]:
    """Add the demo cities, accounts, roles and the pending guardian consent that are missing; returns how many
    cities and accounts were added. The caller commits."""
    admin_spec = DEMO_ACCOUNTS[0]
    admin, admin_added = _account(admin_spec, None, password_hash)
    cities = {}
    added_cities = 0
    for city_spec in DEMO_CITIES:
        cities[city_spec.slug], added = _city(city_spec, admin)
        added_cities += added
    added_accounts = int(admin_added)
    for spec in DEMO_ACCOUNTS[1:]:
        city = cities[spec.city] if spec.city else None
        user, added = _account(spec, city, password_hash)
        added_accounts += added
        if spec.city_role is not None:
            assert city is not None  # an account with a city role names its city
            if user.active_role_in(city) is None:
                services.grant_role(city, user, spec.city_role, by=admin)
        if spec.guardian_email and GuardianConsent.latest_for(user) is None:
            db.session.add(
                GuardianConsent(
                    user=user, guardian_email=spec.guardian_email, language=spec.language, status=ConsentStatus.PENDING
                )
            )
    db.session.flush()
    return added_cities, added_accounts


def demo_logins_table() -> str:
    """The demo logins as a plain-text table."""
    rows = [("Email", "Role", "City", "Password"), *DEMO_LOGINS]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(["", "Demo logins (demo data only, never in production):", *lines, ""])


class HashOnce:
    """The demo password's hash, computed the first time it is needed and then reused."""

    value: str | None = None

    def __call__(self) -> str:
        if self.value is None:
            self.value = hash_password(DEMO_PASSWORD)
        return self.value


def _city(spec: DemoCity, admin: User) -> tuple[City, bool]:
    city = db.session.scalar(sa.select(City).where(City.slug == spec.slug))
    if city is not None:
        return city, False
    city = services.create_city(
        admin,
        slug=spec.slug,
        name=spec.name,
        country=spec.country,
        region=spec.region,
        timezone=spec.timezone,
        default_language=spec.languages[0],
        languages=list(spec.languages),
    )
    return city, True


def _account(spec: DemoAccount, city: City | None, password_hash: HashOnce) -> tuple[User, bool]:
    user = db.session.scalar(sa.select(User).where(User.email == spec.email))
    if user is not None:
        return user, False
    today = utcnow().date()
    user = User(
        email=spec.email,
        password_hash=password_hash(),
        display_name=spec.display_name,
        home_city=city,
        # January: the age stays `spec.age` for the whole year the demo is loaded in.
        birth_year=today.year - spec.age,
        birth_month=1,
        language=spec.language,
        network_role=spec.network_role,
        email_verified_at=utcnow(),
        terms_version=TERMS_VERSION,
    )
    db.session.add(user)
    db.session.flush()
    return user, True
