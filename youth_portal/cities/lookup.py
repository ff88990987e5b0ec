"""Loading a city, and anything of a city, by what a URL names: 404 for anything else."""

import sqlalchemy as sa
from flask import g

from ..extensions import db
from .models import City


def city_or_404(slug: str) -> City:
    """The city with this slug, remembered for the request (its default language, its pages)."""
    city = db.first_or_404(sa.select(City).where(City.slug == slug))
    g.city = city
    return city


def get_for_city_or_404(model, object_id: int, city: City):
    """An object that belongs to this city, or 404: the safe way to load anything by id."""
    return db.first_or_404(sa.select(model).where(model.id == object_id, model.city_id == city.id))
