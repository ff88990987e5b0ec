"""The network's cities: the home page (cities by region, searchable) and each city's page."""
from itertools import groupby

from flask import Blueprint, render_template, request

from ..access import city_or_404
from ..extensions import db
from .models import City

bp = Blueprint("cities", __name__)


@bp.get("/")
def home():
    """The network's cities by region, with a search box that works without JavaScript."""
    search = request.args.get("q", "").strip()[:100]
    cities = db.session.scalars(City.by_region_query(search)).all()
    regions = [(region, list(group)) for region, group in groupby(cities, key=lambda c: c.region)]
    return render_template("cities/home.html", regions=regions, search=search, count=len(cities))


@bp.get("/cities/<slug>/")
def city(slug: str):
    """A city's page: what young people can take part in there."""
    city = city_or_404(slug)
    return render_template("cities/city.html", city=city)
