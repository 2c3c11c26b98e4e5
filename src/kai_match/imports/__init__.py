"""Bringing records in from files and partner systems: bulk rows, the BA job search."""
