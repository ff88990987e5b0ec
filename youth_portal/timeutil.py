"""Time in one convention: naive datetimes in UTC, the same on SQLite and PostgreSQL.

Tests move this clock (and every other one: date.today, time.time, the libraries') with the `clock` fixture."""
from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
