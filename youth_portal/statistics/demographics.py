"""The optional demographic facts a response may carry, and the bands results are broken down by."""

from flask_babel import lazy_gettext as _l

#: Age bands (inclusive), recorded with a response instead of the age itself.
AGE_BANDS = [("13-15", 13, 15), ("16-17", 16, 17), ("18-24", 18, 24), ("25-30", 25, 30)]

GENDERS = {
    "woman": _l("Woman"),
    "man": _l("Man"),
    "non-binary": _l("Non-binary"),
    # The key dates from a text box that asked "how?": what people typed was never used, so it is no longer asked.
    "self-described": _l("In another way"),
    "prefer-not-to-say": _l("I prefer not to say"),
}


def age_band(age: int | None) -> str | None:
    """The band an age falls in, or None outside every band."""
    if age is None:
        return None
    return next((name for name, low, high in AGE_BANDS if low <= age <= high), None)
