"""Schedule versions: drafts, publication, diffs and the schedule read models."""
