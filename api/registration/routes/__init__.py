"""Registration's blueprints, one module per resource."""
