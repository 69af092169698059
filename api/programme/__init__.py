"""The programme: rooms, sessions and their speakers, sign-ups, meeting tables."""
