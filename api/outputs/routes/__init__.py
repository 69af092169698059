"""The outputs' blueprints, one module per kind of output."""
