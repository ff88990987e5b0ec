"""Column types shared by the models."""

import enum

import sqlalchemy as sa


def enum_column(enum_class: type[enum.Enum], length: int = 40) -> sa.Enum:
    """An enum stored as its value in a plain string column, the same on every database."""
    return sa.Enum(enum_class, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])
