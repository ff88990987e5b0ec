"""Forms for guardian consent: the guardian's decision, and the young person's new request."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Email, Length, Optional, ValidationError

from ..i18n import LANGUAGES
from .services import same_person_email


class DecisionForm(FlaskForm):
    """Two buttons of equal weight: the guardian agrees or does not agree."""

    agree = SubmitField(_l("I agree"))
    decline = SubmitField(_l("I do not agree"))


class WithdrawForm(FlaskForm):
    """The guardian confirms the withdrawal of their consent."""

    withdraw = SubmitField(_l("Withdraw my consent"))


class GuardianRequestForm(FlaskForm):
    """The young person asks their guardian again, or asks a different guardian."""

    guardian_email = EmailField(
        _l("Your parent's or guardian's email"),
        validators=[Optional(), Length(max=254), Email(message=_l("Enter an email address like name@example.org."))],
        filters=[lambda value: value.strip() if value else value],
    )
    guardian_language = SelectField(
        _l("Language of the email to your guardian"),
        choices=[SelectChoice(code, name, render_kw={"lang": code}) for code, name in LANGUAGES.items()],
    )
    submit = SubmitField(_l("Send the request"))

    def __init__(self, user, previous_email: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        self.previous_email = previous_email

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and not self.guardian_email.data and not self.previous_email:
            # Optional() stops the field's own checks on an empty value, so the "required once" rule lives here.
            self.guardian_email.errors.append(_l("Enter your parent's or guardian's email."))
            return False
        return valid

    def validate_guardian_email(self, field) -> None:
        if same_person_email(self.user, field.data):
            raise ValidationError(_l("This is your own email. Enter the email of your parent or guardian."))

    def email_to_use(self) -> str:
        """The new address when one was typed, otherwise the one asked last time."""
        email = self.guardian_email.data or self.previous_email
        assert email, "validate() asks for an address when none was asked before"
        return email
