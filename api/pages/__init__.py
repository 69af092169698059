"""Printable, server-rendered pages: schedules, table plans, the grid and statistics."""

from api.pages.views import blp

__all__ = ["blp"]
