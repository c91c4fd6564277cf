"""The theme day's read side: loaders, the catalogue, own picks and the tally."""
