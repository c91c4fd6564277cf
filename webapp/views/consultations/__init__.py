"""The consultation pages."""
