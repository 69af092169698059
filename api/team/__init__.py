"""The event's team in the browser: members, their roles, invitations."""
