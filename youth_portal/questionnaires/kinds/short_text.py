"""Short text: people write a few words (up to 200 characters)."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField

from .text import TextKind


class ShortText(TextKind):
    name = "short-text"
    label = _l("Short text")
    hint = _l("People write a few words (up to 200 characters).")
    field_class = StringField
    text_limit = 200
    default_limit = 200
