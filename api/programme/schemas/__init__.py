"""The programme's marshmallow schemas, one module per resource."""
