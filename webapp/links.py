"""Absolute links for e-mails, built from BASE_URL alone.

A scheduler job has no request, and a request may come in on another host name than the one
people should be sent to: the URL map is bound to BASE_URL's host, path and scheme instead, so
`https://example.dk/aftalehjul` gives `https://example.dk/aftalehjul/skemaer/1/besvar` with or
without a request.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app


def base_url() -> str:
    """BASE_URL without a trailing slash: the site's front page in e-mails."""
    return str(current_app.config["BASE_URL"]).rstrip("/")


def absolute_url(endpoint: str, **values: Any) -> str:
    """The absolute link to `endpoint` under BASE_URL. Needs an app context, not a request."""
    app = current_app
    parts = urlsplit(base_url())
    adapter = app.url_map.bind(parts.netloc, script_name=parts.path or "/")
    app.inject_url_defaults(endpoint, values)
    # The path under BASE_URL's own path; host and scheme are BASE_URL's, byte for byte.
    path = adapter.build(endpoint, values)
    return f"{parts.scheme}://{parts.netloc}{path}"
