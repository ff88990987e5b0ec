"""The city (tenant) and the network's regions."""

import enum
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_babel import lazy_gettext as _l

from ..columns import enum_column
from ..extensions import Model
from ..timeutil import utcnow
from .consent_ages import consent_age_for


class Region(enum.StrEnum):
    """The network's regional hubs."""

    EUROPE = "europe"
    MENA = "mena"
    EAST_SOUTHERN_AFRICA = "east-southern-africa"
    WEST_CENTRAL_AFRICA = "west-central-africa"
    LATIN_AMERICA_CARIBBEAN = "latin-america-caribbean"
    NORTH_AMERICA = "north-america"
    SOUTH_ASIA = "south-asia"
    SOUTHEAST_ASIA_PACIFIC = "southeast-asia-pacific"

    @property
    def label(self) -> str:
        return str(REGION_LABELS[self])


REGION_LABELS = {
    Region.EUROPE: _l("Europe"),
    Region.MENA: _l("Middle East and North Africa"),
    Region.EAST_SOUTHERN_AFRICA: _l("East and Southern Africa"),
    Region.WEST_CENTRAL_AFRICA: _l("West and Central Africa"),
    Region.LATIN_AMERICA_CARIBBEAN: _l("Latin America and the Caribbean"),
    Region.NORTH_AMERICA: _l("North America"),
    Region.SOUTH_ASIA: _l("South Asia"),
    Region.SOUTHEAST_ASIA_PACIFIC: _l("Southeast Asia and Pacific"),
}


class City(Model):
    __tablename__ = "cities"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    #: Lower-case URL name, e.g. "murcia": city pages live under /cities/<slug>/.
    slug: so.Mapped[str] = so.mapped_column(sa.String(60), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120))
    #: ISO 3166-1 alpha-2 country code.
    country: so.Mapped[str] = so.mapped_column(sa.String(2))
    region: so.Mapped[Region] = so.mapped_column(enum_column(Region))
    #: IANA timezone name, e.g. "Europe/Madrid".
    timezone: so.Mapped[str] = so.mapped_column(sa.String(64))
    default_language: so.Mapped[str] = so.mapped_column(sa.String(8))
    #: Language codes the city publishes in, default language first.
    languages: so.Mapped[list[str]] = so.mapped_column(sa.JSON)
    min_age: so.Mapped[int] = so.mapped_column(default=13)
    max_age: so.Mapped[int] = so.mapped_column(default=30)
    #: Overrides the country's digital age of consent when set.
    consent_age_override: so.Mapped[int | None]
    #: Districts young people may say they live in (optional demographic question).
    districts: so.Mapped[list[str]] = so.mapped_column(sa.JSON, default=list)
    #: Smallest number of people a published breakdown cell may show ("fewer than k" below it).
    suppression_k: so.Mapped[int] = so.mapped_column(default=10)
    created_at: so.Mapped[datetime] = so.mapped_column(default=utcnow)

    @property
    def consent_age(self) -> int:
        """Below this age a guardian must consent before the person takes part."""
        return self.consent_age_override if self.consent_age_override is not None else consent_age_for(self.country)

    def __repr__(self) -> str:
        return f"<City {self.slug}>"

    @staticmethod
    def by_region_query(search: str = "") -> sa.Select:
        """Cities ordered by region and name, optionally filtered by a name or country search."""
        query = sa.select(City).order_by(City.region, City.name)
        if search:
            pattern = f"%{search.strip().lower()}%"
            query = query.where(
                sa.or_(sa.func.lower(City.name).like(pattern), sa.func.lower(City.country).like(pattern))
            )
        return query
