"""The consultations blueprint: one nested blueprint per part (endpoints like consultations.staff.edit)."""

from flask import Blueprint

from .builder.routes import bp as builder_bp
from .outcome.routes import bp as outcome_bp
from .participation.routes import bp as participation_bp
from .public.routes import bp as public_bp
from .results.routes import bp as results_bp
from .settings.routes import bp as settings_bp
from .staff.routes import bp as staff_bp

bp = Blueprint("consultations", __name__)
for part in (public_bp, participation_bp, results_bp, staff_bp, builder_bp, outcome_bp, settings_bp):
    bp.register_blueprint(part)
