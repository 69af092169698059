"""Files people take away: calendar feeds, conference-app schedules, tables."""
