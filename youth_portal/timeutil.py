"""Time in one convention: naive datetimes in UTC, the same on SQLite and PostgreSQL.

Tests move this clock (and every other one: date.today, time.time, the libraries') with the `clock` fixture."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def iso_utc(value: datetime | None) -> str | None:
    """A stored UTC time as ISO 8601 to the second with a Z ("2026-11-25T10:00:00Z"), for data people download."""
    return value.isoformat(timespec="seconds") + "Z" if value is not None else None
