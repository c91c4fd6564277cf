"""The framework's floor: a bare Flask application that answers one SQL query.

bench/pages.py serves it under the same gunicorn settings as Aftalehjul, in the same run, so
every page's requests per second can be given as a share of what Flask, the driver and the
database cost on this machine at that moment.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from flask import Flask
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config import normalise_database_url

engine = create_engine(normalise_database_url(os.environ["DATABASE_URL"]), pool_pre_ping=True)
app = Flask(__name__)


@app.get("/")
def index() -> str:
    with engine.connect() as connection:
        value = connection.execute(text("SELECT count(*) FROM regions")).scalar_one()
    return f"<!doctype html><title>Floor</title><p>{value} regioner</p>"
