"""The consultation's read side: loaders, lists, the note."""
