"""Reading consultations: the cycle's list, one consultation with its parties and progress."""
