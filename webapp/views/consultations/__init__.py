"""The consultation ("høring") pages."""
