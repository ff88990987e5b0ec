"""Times as a city's people read them: stored in UTC, shown in the city's time zone and the reader's language."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time, get_datetime_format
from flask_babel import get_locale

from .models import City


def city_time(moment: datetime, city: City) -> str:
    """A time stored in UTC, shown in the city's time zone and the reader's language, to the minute (the medium
    date with the short time, joined as the language joins them)."""
    local, locale = moment.replace(tzinfo=UTC).astimezone(ZoneInfo(city.timezone)), get_locale()
    joined = str(get_datetime_format("medium", locale=locale)).replace("'", "")
    return joined.replace("{0}", format_time(local, "short", locale=locale)).replace(
        "{1}", format_date(local, "medium", locale=locale)
    )


def city_date(moment: datetime, city: City) -> str:
    """The day of a time stored in UTC, in the city's time zone and the reader's language (for times that must stay
    coarse: an hour could tie an event to an anonymous answer)."""
    return format_date(moment.replace(tzinfo=UTC).astimezone(ZoneInfo(city.timezone)), "medium", locale=get_locale())
