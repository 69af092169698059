"""Meeting requests: the request state machine (pending, accepted, declined, ...)."""
