"""Recommendations learned from past results: features, training, the stored model, scoring."""
