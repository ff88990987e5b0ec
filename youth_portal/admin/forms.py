"""Forms of the administration pages. Roles are offered only as fixed choices, never typed."""

import zoneinfo
from functools import cache

import sqlalchemy as sa
from babel import Locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..accounts.models import CityRoleName
from ..cities.models import City, Region
from ..extensions import db
from ..i18n import LANGUAGES

#: Codes babel knows that are not countries (or not ISO 3166-1 countries).
NOT_COUNTRIES = {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "IC", "QO", "TA", "UN", "XA", "XB", "ZZ"}
#: Roles a city admin may grant in their own city.
CITY_GRANTABLE_ROLES = (CityRoleName.STAFF, CityRoleName.MODERATOR)
AGE_BOUNDS = (13, 30)
CONSENT_AGE_BOUNDS = (13, 18)


@cache
def country_codes() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes, as known to babel's CLDR data."""
    codes = (c for c in Locale("en").territories if isinstance(c, str))
    return frozenset(c for c in codes if len(c) == 2 and c.isalpha() and c not in NOT_COUNTRIES)


def _upper(value):
    return value.strip().upper() if isinstance(value, str) else value


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class CheckboxesField(SelectMultipleField):
    """Several choices shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CityForm(FlaskForm):
    """A network admin creates a city."""

    slug = StringField(
        _l("Web address name"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter the name used in the web address.")),
            Length(max=60, message=_l("Use at most %(max)d characters.")),
            Regexp(
                r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
                message=_l("Use only lower-case letters a to z, digits and hyphens, e.g. santa-cruz."),
            ),
        ],
    )
    name = StringField(
        _l("Name"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter the city's name.")),
            Length(max=120, message=_l("Use at most %(max)d characters.")),
        ],
    )
    country = StringField(
        _l("Country code"),
        filters=[_upper],
        validators=[DataRequired(_l("Enter the country's two-letter code."))],
    )
    region = SelectField(_l("Region"), validators=[InputRequired(_l("Choose the region."))])
    timezone = StringField(
        _l("Time zone"),
        filters=[_strip],
        validators=[DataRequired(_l("Enter the city's time zone."))],
    )
    default_language = SelectField(_l("Default language"), validators=[InputRequired(_l("Choose a language."))])
    languages = CheckboxesField(_l("Languages offered"))
    min_age = IntegerField(
        _l("Youngest age"),
        default=13,
        validators=[
            InputRequired(_l("Enter an age.")),
            NumberRange(*AGE_BOUNDS, message=_l("Enter an age from %(min)s to %(max)s.")),
        ],
    )
    max_age = IntegerField(
        _l("Oldest age"),
        default=30,
        validators=[
            InputRequired(_l("Enter an age.")),
            NumberRange(*AGE_BOUNDS, message=_l("Enter an age from %(min)s to %(max)s.")),
        ],
    )
    consent_age_override = IntegerField(
        _l("Age of digital consent (optional)"),
        validators=[Optional(), NumberRange(*CONSENT_AGE_BOUNDS, message=_l("Enter an age from %(min)s to %(max)s."))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.region.choices = [("", _l("Choose…"))] + [(r.value, r.label) for r in Region]
        self.default_language.choices = list(LANGUAGES.items())
        self.languages.choices = list(LANGUAGES.items())

    def validate_slug(self, field) -> None:
        if db.session.scalar(sa.select(City.id).where(City.slug == field.data)) is not None:
            raise ValidationError(_l("Another city already uses this name in its web address."))

    def validate_country(self, field) -> None:
        if field.data not in country_codes():
            raise ValidationError(_l("Enter a two-letter ISO 3166 country code, e.g. ES or KE."))

    def validate_region(self, field) -> None:
        if field.data not in {r.value for r in Region}:
            raise ValidationError(_l("Choose the region."))

    def validate_timezone(self, field) -> None:
        if field.data not in zoneinfo.available_timezones():
            raise ValidationError(_l("Enter a time zone name such as Europe/Madrid or Africa/Nairobi."))

    def validate_languages(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Choose at least one language."))

    def validate_default_language(self, field) -> None:
        if field.data not in (self.languages.data or []):
            raise ValidationError(_l("The default language must be one of the languages offered."))

    def validate_max_age(self, field) -> None:
        if isinstance(self.min_age.data, int) and isinstance(field.data, int) and field.data <= self.min_age.data:
            raise ValidationError(_l("The oldest age must be above the youngest age."))

    def city_fields(self) -> dict:
        """The values to create the city with; the default language comes first among the languages."""
        offered = [self.default_language.data] + [
            c for c in LANGUAGES if c in self.languages.data and c != self.default_language.data
        ]
        return {
            "slug": self.slug.data,
            "name": self.name.data,
            "country": self.country.data,
            "region": Region(self.region.data),
            "timezone": self.timezone.data,
            "default_language": self.default_language.data,
            "languages": offered,
            "min_age": self.min_age.data,
            "max_age": self.max_age.data,
            "consent_age_override": self.consent_age_override.data,
        }


class AppointAdminForm(FlaskForm):
    """A network admin appoints a city admin by the email address of an existing account."""

    email = EmailField(
        _l("Email address of their account"),
        filters=[_strip],
        validators=[DataRequired(_l("Enter the email address of their account.")), Length(max=254)],
    )


class GrantRoleForm(FlaskForm):
    """A city admin invites a person to the role of staff or moderator in their city (invitations.py)."""

    email = EmailField(
        _l("Email address of their account"),
        filters=[_strip],
        validators=[DataRequired(_l("Enter the email address of their account.")), Length(max=254)],
    )
    role = SelectField(_l("Role"), validators=[InputRequired(_l("Choose a role."))])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = [(r.value, r.label) for r in CITY_GRANTABLE_ROLES]
