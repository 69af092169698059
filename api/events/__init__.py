"""Events: creation, settings, slots, and looking objects up inside an event."""
