"""The consultation ("høring"): its setup, the responses and their processing."""
