"""The outputs' marshmallow schemas."""
