"""The pages feature: the privacy notice, the terms and the language switcher."""

from ..features import Feature
from .routes import bp

feature = Feature("pages", blueprints=(bp,))
