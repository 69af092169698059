"""HTTP API of clustermeet, one folder per feature (see README.md, "Architecture")."""

from api.app import MIGRATIONS_DIR, create_app

__all__ = ["MIGRATIONS_DIR", "create_app"]
