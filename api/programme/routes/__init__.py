"""The programme's blueprints, one module per resource."""
