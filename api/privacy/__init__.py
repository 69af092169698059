"""Privacy: a participant's data export and erasure."""
