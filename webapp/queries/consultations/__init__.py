"""The consultation ("høring") as read: setup and progress, responses, the note."""
