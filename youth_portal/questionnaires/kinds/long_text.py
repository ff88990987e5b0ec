"""Long text: people write freely (up to 5,000 characters)."""

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField

from .text import TextKind


class LongText(TextKind):
    name = "long-text"
    label = _l("Long text")
    hint = _l("People write freely (up to 5,000 characters).")
    field_class = TextAreaField
    text_limit = 5000
    default_limit = 2000
