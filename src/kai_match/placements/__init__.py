"""Placements: one person × one vacancy through the state machine, trials, hires, follow-ups."""
