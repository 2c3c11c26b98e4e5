"""Audit log: who read or changed whose data, by route and field names (never values)."""
