"""Insights: evaluations, learned weights, cohort assignment, programme and fairness reports."""
