"""Results, heatmap, exports and printable responses (being written)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("qresults", __name__)
