"""Vacancies: posting, capacity (openings), schema.org JobPosting in and out."""
