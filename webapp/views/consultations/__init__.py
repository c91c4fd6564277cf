"""The consultation's pages, one blueprint per module (setup, responses, processing)."""
