"""Stub: replaced by the guardian consent work."""
from flask import Blueprint

bp = Blueprint("guardians", __name__)
