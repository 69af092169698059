"""What every feature shares: pagination, schema validators, guards, the documented Blueprint."""
