"""The consultation ("høring") as read: pages, API and exports."""
