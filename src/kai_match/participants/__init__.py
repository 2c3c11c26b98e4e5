"""Participants: profiles, their child rows (skills, languages, occupations) and consents."""
