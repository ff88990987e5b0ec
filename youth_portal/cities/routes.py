"""The network's cities: the home page (cities by region, searchable) and each city's page."""

from itertools import groupby

from flask import Blueprint, g, render_template, request
from flask_babel import get_locale
from flask_login import current_user

from .. import htmx
from ..extensions import db
from .local_time import city_date, city_time
from .lookup import city_or_404
from .models import City

bp = Blueprint("cities", __name__)

SEARCH_MAX_LENGTH = 100


@bp.get("/")
def home():
    """The network's cities by region, with a search that works without JavaScript (htmx gets the results only)."""
    search = request.args.get("q", "").strip()[:SEARCH_MAX_LENGTH]
    cities = db.session.scalars(City.by_region_query(search)).all()
    regions = [(region, list(group)) for region, group in groupby(cities, key=lambda c: c.region)]
    context = {"regions": regions, "search": search, "count": len(cities)}
    # htmx restoring a page it has no copy of asks for the whole page, so it gets it.
    if htmx.is_htmx() and request.headers.get("HX-History-Restore-Request") != "true":
        return render_template("cities/partials/results.html", **context)
    return render_template("cities/home.html", **context)


@bp.get("/cities/<slug>/")
def city(slug: str):
    """A city's page: who can take part there, in which languages; for its staff, the pages they manage."""
    city = city_or_404(slug)
    g.city_role = current_user.active_role_in(city) if current_user.is_authenticated else None  # its manage menu
    return render_template("cities/city.html", city=city, role=g.city_role)


@bp.app_template_filter("country_name")
def country_name(code: str) -> str:
    """The country's name in the reader's language (the code itself if unknown)."""
    return get_locale().territories.get(code, code)


bp.add_app_template_filter(city_time, "city_time")
bp.add_app_template_filter(city_date, "city_date")
