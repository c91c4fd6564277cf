"""Blueprints, one module per domain. Views are thin: load, check, validate, one workflow call,
one commit, redirect."""
