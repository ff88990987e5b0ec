"""Form fields and checks that question kinds answer with (WTForms), shared by every questionnaire."""

from flask_babel import gettext as _, lazy_gettext as _l, ngettext
from wtforms import Field, IntegerField, SelectMultipleField
from wtforms.validators import StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget


def strip(value):
    """A filter: text without surrounding spaces."""
    return value.strip() if isinstance(value, str) else value


class CheckboxesField(SelectMultipleField):
    """Several choices, shown as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class RankingField(Field):
    """Options put in order without JavaScript: one select per option, each sending "<option id>:<position>"."""

    def __init__(self, label=None, validators=None, *, options=(), places=0, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.options = list(options)  #: [(option id, label)]
        self.places = places  #: positions 1..places may be given
        self.pairs: list[tuple[str, str]] = []  #: (option id, position) as sent
        self.data: list[str] = []

    def process_data(self, value):
        self.data = list(value or [])
        self.pairs = [(option, str(position)) for position, option in enumerate(self.data, 1)]

    def process_formdata(self, valuelist):
        self.pairs = [tuple(value.rpartition(":")[::2]) for value in valuelist if value]
        self.data = []

    def position_of(self, option_id: str) -> str:
        """The position given to an option, as sent (kept when the form is shown again)."""
        return next((position for option, position in self.pairs if option == option_id), "")

    def pre_validate(self, form):
        known = {option for option, _label in self.options}
        options = [option for option, _position in self.pairs]
        if any(option not in known for option in options) or len(set(options)) != len(options):
            raise StopValidation(_("Choose positions only for the options shown."))
        placed = {option: place for option, p in self.pairs if (place := _place(p, self.places)) is not None}
        if len(placed) != len(self.pairs):
            raise StopValidation(_("Use positions from 1 to %(places)d.", places=self.places))
        positions = sorted(placed.values())
        if len(set(positions)) != len(positions):
            raise StopValidation(_("Give each position to one option only."))
        if positions != list(range(1, len(positions) + 1)):
            raise StopValidation(_("Use the positions in order from 1, without gaps."))
        self.data = sorted(placed, key=placed.__getitem__)


def _place(sent: str, places: int) -> int | None:
    """A position as sent, if it is a whole number from 1 to `places`. Only ASCII digits: "²" and "٣" are digits to
    str.isdigit() but not positions the form offers (int() fails on the first), and a long string of digits is
    refused before int() reads it."""
    if not (sent.isascii() and sent.isdigit() and len(sent) <= len(str(places))):
        return None
    return int(sent) if 1 <= int(sent) <= places else None


class RequiredAnswer:
    """On submission (not for a draft), the question must be answered."""

    def __init__(self, final: bool):
        self.final = final

    def __call__(self, form, field):
        if self.final and not field.data:
            raise StopValidation(_("Please answer this question."))


class OneOf:
    """Each value sent must be one of the choices shown (a changed page cannot store anything else)."""

    def __init__(self, allowed, allow_empty: bool = True):
        self.allowed = set(allowed)
        self.allow_empty = allow_empty

    def __call__(self, form, field):
        values = field.data if isinstance(field.data, list) else [field.data]
        if any(value not in self.allowed for value in values if value not in (None, "")):
            raise StopValidation(_("Choose one of the options shown."))


class MaxChoices:
    def __init__(self, maximum: int):
        self.maximum = maximum

    def __call__(self, form, field):
        if len(field.data or []) > self.maximum:
            raise ValidationError(
                ngettext("Choose at most %(num)d option.", "Choose at most %(num)d options.", self.maximum)
            )


class MaxLength:
    """Free text of at most `maximum` characters."""

    def __init__(self, maximum: int):
        self.maximum = maximum

    def __call__(self, form, field):
        if field.data and len(field.data) > self.maximum:
            raise ValidationError(
                ngettext(
                    "Please keep it to %(num)d character or fewer (now %(length)d).",
                    "Please keep it to %(num)d characters or fewer (now %(length)d).",
                    self.maximum,
                    length=len(field.data),
                )
            )


def whole_number(label, validators) -> IntegerField:
    """A whole number, with a message staff understand when it is not one."""
    return IntegerField(label, validators=validators, invalid_value_message=_l("Enter a whole number, for example 3."))
