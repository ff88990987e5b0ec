"""A city's languages in staff forms: each language's name for the reader, and the field holding a text in it."""
from babel import Locale
from flask_babel import get_locale


def language_name(code: str) -> str:
    """A language's name in the reader's language, e.g. "Spanish" for es when reading English."""
    try:
        return Locale.parse(code).get_display_name(get_locale()) or code
    except (ValueError, TypeError):
        return code


def text_field_name(field: str, language: str) -> str:
    """The name of the form field holding `field` written in `language` (e.g. title_pt_BR)."""
    return f"{field}_{language.replace('-', '_')}"
