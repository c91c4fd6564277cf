"""The secretariat's questionnaire builder (being written)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("qbuilder", __name__)
