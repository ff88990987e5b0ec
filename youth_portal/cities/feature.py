"""The cities feature: the network's home page and each city's page."""

from ..features import Feature
from .models import City
from .routes import bp

feature = Feature(
    "cities",
    blueprints=(bp,),
    page_cache_models=(City,),  # a consultation's page shows its city's name and languages
)
