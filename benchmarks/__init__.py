"""Synthetic cross-border data with ground truth, match-quality metrics and peer runs."""
