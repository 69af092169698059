"""Who is calling: organiser API keys, participant tokens, the request's principal, the CLI."""
