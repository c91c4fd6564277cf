"""The consultation ("høring"): its setup and list of parties, the responses, their processing."""
