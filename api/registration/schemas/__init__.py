"""Registration's marshmallow schemas, one module per resource."""
