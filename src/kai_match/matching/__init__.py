"""Matching: rankings both ways, explanations, weight profiles and the in-process indexes."""
