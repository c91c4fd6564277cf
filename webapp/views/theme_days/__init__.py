"""The theme day's pages (blueprint `theme_days`): the secretariat's setup and catalogue
(`setup`), and the catalogue, the vote and the live tally for everyone (`voting`)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("theme_days", __name__)

from . import setup, voting  # noqa: E402,F401  (their routes)
