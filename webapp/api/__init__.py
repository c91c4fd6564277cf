"""The read-only JSON API, version 1."""

from .v1 import bp

__all__ = ["bp"]
