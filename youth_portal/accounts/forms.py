"""Forms for registering, signing in and choosing a new password."""

import re
import unicodedata

from babel.dates import get_month_names
from email_validator import EmailNotValidError, validate_email
from flask import url_for
from flask_babel import get_locale, gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from ..cities.models import City
from ..guardians.services import same_mailbox
from ..i18n import LANGUAGES
from ..timeutil import utcnow
from .models import age_on, consent_age_on
from .passwords import MAX_LENGTH as PASSWORD_MAX_LENGTH, password_problem

#: The oldest birth year offered is this many years ago (older people see the kind "over the age range" message).
OLDEST_BIRTH_YEAR_OFFERED = 90
#: The youngest birth year offered is this many years ago (younger people see the kind "too young" message).
YOUNGEST_BIRTH_YEAR_OFFERED = 5

INVALID_CHOICE = _l("Please choose one of the options in the list.")
TOO_LONG = _l("Use at most %(max)d characters.")


def normalised_email(address: str | None) -> str:
    """The address as stored: checked for its form (not its mail server) and lower-cased."""
    try:
        return validate_email((address or "").strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise ValidationError(_("Enter an email address like name@example.org.")) from None


def optional_int(value) -> int | None:
    """Coerce a select's value: the empty placeholder becomes None."""
    if value in ("", None):
        return None
    return int(value)


#: Characters that change the direction of text or are invisible (ZWJ and ZWNJ stay: emoji and scripts need them).
HIDDEN_CHARACTERS = set("\u061c\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff")
WEB_ADDRESS = re.compile(r"://|www\.|[^\s.]\.[a-z]{2,}\b", re.IGNORECASE)


class PlainDisplayName:
    """A nickname, not a message: names appear on staff pages and in the emails sent to guardians, so no hidden or
    direction-changing characters and no web address."""

    def __call__(self, form, field) -> None:
        name = field.data or ""
        if any(c in HIDDEN_CHARACTERS or unicodedata.category(c) == "Cc" for c in name):
            raise ValidationError(
                _("This name has hidden characters. Type it again with letters, numbers, spaces or emoji.")
            )
        if WEB_ADDRESS.search(name):
            raise ValidationError(_("A display name cannot contain a web address."))


def strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def check_password(_form, field) -> None:
    problem = password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


def language_choices() -> list[tuple[str, str]]:
    return list(LANGUAGES.items())


def current_language() -> str:
    return str(get_locale() or "en")


class RegistrationForm(FlaskForm):
    """A young person's account: no real name, birth year and month only. Roles are never a field."""

    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(message=_l("Please enter your email address.")), Length(max=254, message=TOO_LONG)],
        filters=[strip],
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(message=_l("Please choose a password.")), check_password],
        render_kw={"maxlength": PASSWORD_MAX_LENGTH},
    )
    display_name = StringField(
        _l("Display name"),
        validators=[
            DataRequired(message=_l("Please choose a display name.")),
            Length(min=2, max=40, message=_l("Use between 2 and 40 characters.")),
            PlainDisplayName(),
        ],
        filters=[strip],
    )
    home_city = SelectField(
        _l("Home city"),
        coerce=optional_int,
        validators=[DataRequired(message=_l("Please choose your city."))],
        invalid_choice_message=INVALID_CHOICE,
        invalid_value_message=INVALID_CHOICE,
    )
    birth_year = SelectField(
        _l("Year of birth"),
        coerce=optional_int,
        validators=[DataRequired(message=_l("Please choose the year you were born."))],
        invalid_choice_message=INVALID_CHOICE,
        invalid_value_message=INVALID_CHOICE,
    )
    birth_month = SelectField(
        _l("Month of birth"),
        coerce=optional_int,
        validators=[DataRequired(message=_l("Please choose the month you were born."))],
        invalid_choice_message=INVALID_CHOICE,
        invalid_value_message=INVALID_CHOICE,
    )
    language = SelectField(
        _l("Language"),
        default=current_language,
        invalid_choice_message=INVALID_CHOICE,
    )
    guardian_email = EmailField(
        _l("Your parent's or guardian's email address"),
        validators=[Length(max=254, message=TOO_LONG)],
        filters=[strip],
    )
    guardian_language = SelectField(
        _l("Language for your parent or guardian"),
        default=current_language,
        invalid_choice_message=INVALID_CHOICE,
    )
    accept_terms = BooleanField(
        _l("I accept the terms and the privacy notice"),
        validators=[DataRequired(message=_l("Please read and accept the terms and the privacy notice."))],
    )

    def __init__(self, cities: list[City], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.cities = {city.id: city for city in cities}
        self.home_city.choices = [("", _("Choose your city"))] + [(city.id, city.name) for city in cities]
        this_year = utcnow().year
        years = range(this_year - YOUNGEST_BIRTH_YEAR_OFFERED, this_year - OLDEST_BIRTH_YEAR_OFFERED - 1, -1)
        self.birth_year.choices = [("", _("Choose a year"))] + [(year, str(year)) for year in years]
        months = get_month_names("wide", context="stand-alone", locale=get_locale())
        self.birth_month.choices = [("", _("Choose a month"))] + [(number, months[number]) for number in range(1, 13)]
        self.language.choices = language_choices()
        self.guardian_language.choices = language_choices()
        self.accept_terms.label.text = terms_label()

    def chosen_city(self) -> City | None:
        return self.cities.get(self.home_city.data)

    def age(self) -> int | None:
        """The registrant's age today, when year and month were chosen."""
        if self.birth_year.data is None or self.birth_month.data not in range(1, 13):
            return None
        return age_on(utcnow().date(), self.birth_year.data, self.birth_month.data)

    def needs_guardian(self) -> bool:
        """True when the registrant is within the city's age range but below its digital age of consent (counted
        from the last day of the birth month, as for every consent decision: `consent_age_on`)."""
        city, age = self.chosen_city(), self.age()
        if city is None or age is None or age < city.min_age:
            return False
        return consent_age_on(utcnow().date(), self.birth_year.data, self.birth_month.data) < city.consent_age

    def validate_email(self, field) -> None:
        """Normalised; whether an account has it is never said here (registration tells its owner by email)."""
        field.data = normalised_email(field.data)

    def validate_birth_year(self, _field) -> None:
        city, age = self.chosen_city(), self.age()
        if city is None or age is None:
            return
        if age < city.min_age:
            raise ValidationError(
                _(
                    "Youth Portal in %(city)s is for people aged %(min)d to %(max)d. You are a bit too young to join "
                    "now, but we would love to hear from you when you turn %(min)d.",
                    city=city.name,
                    min=city.min_age,
                    max=city.max_age,
                )
            )
        if age > city.max_age:
            raise ValidationError(
                _(
                    "Youth Portal in %(city)s is for people aged %(min)d to %(max)d, so we cannot create an account "
                    "for you. Thank you for your interest: your city may have other ways for you to take part.",
                    city=city.name,
                    min=city.min_age,
                    max=city.max_age,
                )
            )

    def validate_guardian_email(self, field) -> None:
        if not field.data:
            if self.needs_guardian():
                city = self.chosen_city()
                assert city is not None  # a guardian is needed only in a chosen city
                raise ValidationError(
                    _(
                        "Because you are under %(age)d, a parent or guardian must agree before you can take part. "
                        "Please give their email address and we will ask them.",
                        age=city.consent_age,
                    )
                )
            return
        guardian_email = normalised_email(field.data)
        if same_mailbox(self.email.data, guardian_email):  # kid+mum@ reaches kid@: the child would consent
            raise ValidationError(_("This must be your parent's or guardian's own email address, not yours."))
        field.data = guardian_email


def terms_label() -> Markup:
    """'I accept the terms and the privacy notice', with both linked (they open in a new tab)."""
    link = Markup('<a href="{}" target="_blank" rel="noopener">{}</a>')
    return escape(_("I accept the %(terms)s and I have read the %(privacy)s (they open in a new tab).")) % {
        "terms": link.format(url_for("pages.terms"), _("terms of use")),
        "privacy": link.format(url_for("pages.privacy"), _("privacy notice")),
    }


class LoginForm(FlaskForm):
    email = EmailField(_l("Email address"), validators=[DataRequired(message=_l("Please enter your email address."))])
    password = PasswordField(_l("Password"), validators=[DataRequired(message=_l("Please enter your password."))])
    next = HiddenField()


class TwoStepCodeForm(FlaskForm):
    """The second step of signing in: the code the authenticator app shows, or a backup code."""

    code = StringField(
        _l("Code"), validators=[DataRequired(message=_l("Please enter the code.")), Length(max=20, message=TOO_LONG)]
    )


class ForgotPasswordForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        validators=[DataRequired(message=_l("Please enter your email address.")), Length(max=254, message=TOO_LONG)],
        filters=[strip],
    )

    def validate_email(self, field) -> None:
        field.data = normalised_email(field.data)


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        _l("New password"),
        validators=[DataRequired(message=_l("Please choose a password.")), check_password],
        render_kw={"maxlength": PASSWORD_MAX_LENGTH},
    )
