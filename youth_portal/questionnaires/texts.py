"""Texts written in several languages, as questionnaires store them, and the form fields that hold them."""

from babel import Locale
from flask_babel import get_locale

#: A text in several languages: {"es": "...", "en": "..."}.
Translated = dict[str, str]


def localized(texts: Translated, language: str, fallback_language: str) -> tuple[str, bool]:
    """A text in `language`, else in `fallback_language`; the flag is True when the fallback was used."""
    if texts.get(language):
        return texts[language], False
    return texts.get(fallback_language) or next((t for t in texts.values() if t), ""), True


def language_name(code: str) -> str:
    """A language's name in the reader's language, e.g. "Spanish" for es when reading English."""
    try:
        return Locale.parse(code).get_display_name(get_locale()) or code
    except (ValueError, TypeError):
        return code


def text_field_name(field: str, language: str) -> str:
    """The name of the form field holding one language of a translated text, e.g. prompt_es."""
    return f"{field}_{language.replace('-', '_')}"
