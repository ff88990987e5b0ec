"""The consultations blueprint; its views live in the *_routes modules by who uses them."""
from flask import Blueprint

bp = Blueprint("consultations", __name__)
