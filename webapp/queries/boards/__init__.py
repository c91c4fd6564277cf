"""The prioritisation boards' read side: loaders, scoring, results."""
