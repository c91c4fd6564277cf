"""The consultation's pages, one blueprint per module (setup.py: `consultations`)."""
