"""Employers: the firms that offer placements, their records and contacts."""
