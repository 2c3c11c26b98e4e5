"""Contacts with participants: the record, the cadence and the overdue list."""
