"""Meetings on the day: held, no-show, feedback, cancellation, minimal-move re-solves."""
