"""Recommendations and the bridge from database rows to matchmaking profiles and rules."""
