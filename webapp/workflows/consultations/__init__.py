"""The consultation ("høring"): setup, responses, processing and the note."""
