"""Registration: participants, organisations, tags, opportunities and the CSV import."""
