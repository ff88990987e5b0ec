"""Shipped languages and how the language of a request is chosen."""

from flask import g, request, session
from flask_login import current_user
from markupsafe import Markup

#: Shipped languages: code -> name in that language (shown in the switcher as is).
LANGUAGES = {"en": "English", "es": "Español", "fr": "Français", "ar": "العربية"}
RIGHT_TO_LEFT = {"ar"}
DEFAULT_LANGUAGE = "en"


def select_locale() -> str:
    """The person's setting, then the switcher, then the page's own language (e.g. the language a guardian
    chose for them), then Accept-Language, then the city's default."""
    if current_user.is_authenticated and current_user.language in LANGUAGES:
        return current_user.language
    if session.get("language") in LANGUAGES:
        return session["language"]
    if g.get("page_language") in LANGUAGES:
        return g.page_language
    accepted = request.accept_languages.best_match(LANGUAGES)
    if accepted:
        return accepted
    city = g.get("city")
    if city is not None and city.default_language in LANGUAGES:
        return city.default_language
    return DEFAULT_LANGUAGE


def text_direction(language: str) -> str:
    return "rtl" if language in RIGHT_TO_LEFT else "ltr"


def lang_attributes(language: str) -> Markup:
    """` lang="xx" dir="..."` for an element in another language than the page's: Arabic shown on an English page
    (or English on an Arabic one) reads in its own direction."""
    return Markup(' lang="{}" dir="{}"').format(language, text_direction(language))
