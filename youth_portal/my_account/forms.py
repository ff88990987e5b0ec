"""Forms of the person's own settings: profile, password, email address, deletion."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from ..accounts.forms import TOO_LONG, PlainDisplayName, normalised_email
from ..accounts.models import User
from ..accounts.passwords import password_problem, verify_password
from ..i18n import LANGUAGES


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


class CurrentPasswordMixin:
    """A "current password" field checked against the password of `user`, the person the form is for."""

    def __init__(self, user: User, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def validate_current_password(self, field) -> None:
        if not verify_password(self.user.password_hash, field.data or ""):
            raise ValidationError(_l("That is not your current password."))


class ProfileForm(FlaskForm):
    display_name = StringField(
        _l("Display name"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Please choose a display name.")),
            Length(min=2, max=40, message=_l("Use between %(min)d and %(max)d characters.")),
            PlainDisplayName(),
        ],
    )
    language = SelectField(
        _l("Language"),
        choices=[SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGES.items()],
        validators=[InputRequired(_l("Choose a language."))],
    )


class PasswordForm(CurrentPasswordMixin, FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[InputRequired(_l("Enter your current password."))]
    )
    new_password = PasswordField(_l("New password"), validators=[InputRequired(_l("Enter a new password."))])

    def validate_new_password(self, field) -> None:
        problem = password_problem(field.data or "")
        if problem:
            raise ValidationError(problem)


class EmailChangeForm(CurrentPasswordMixin, FlaskForm):
    new_email = EmailField(
        _l("New email address"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter your new email address.")),
            Length(max=254, message=_l("Use at most %(max)d characters.")),
        ],
    )
    current_password = PasswordField(
        _l("Current password"), validators=[InputRequired(_l("Enter your current password."))]
    )

    def validate_new_email(self, field) -> None:
        field.data = normalised_email(field.data)  # stored as registration stores it
        if self.user.email and field.data == self.user.email.lower():
            raise ValidationError(_l("This is already your email address."))


class ConfirmEmailChangeForm(FlaskForm):
    """Only the CSRF token: the button that switches the address."""


class DeleteAccountForm(CurrentPasswordMixin, FlaskForm):
    current_password = PasswordField(_l("Your password"), validators=[InputRequired(_l("Enter your password."))])
    confirm = BooleanField(
        _l("I understand that my account and my personal data will be erased, and that this cannot be undone."),
        validators=[DataRequired(_l("Tick this box to confirm that you want to delete your account."))],
    )


class TwoStepOnForm(CurrentPasswordMixin, FlaskForm):
    """Turn two-step verification on: the password, and a code of the new key (so the app surely has it)."""

    current_password = PasswordField(
        _l("Current password"), validators=[InputRequired(_l("Enter your current password."))]
    )
    code = StringField(
        _l("The 6-digit code your app shows"),
        filters=[_strip],
        validators=[InputRequired(_l("Please enter the code.")), Length(max=20, message=TOO_LONG)],
    )


class TwoStepChangeForm(CurrentPasswordMixin, FlaskForm):
    """New backup codes, or turning two-step verification off: the password again."""

    current_password = PasswordField(
        _l("Current password"), validators=[InputRequired(_l("Enter your current password."))]
    )
