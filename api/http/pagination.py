"""Offset pagination for flask-smorest's ``@blp.paginate()`` over SQLAlchemy selects."""

from __future__ import annotations

from typing import Any

from flask_smorest.pagination import PaginationParameters
from sqlalchemy import Select, func, select

from api.extensions import db


def paginate(query: Select[Any], params: PaginationParameters) -> list[Any]:
    params.item_count = db.session.scalar(select(func.count()).select_from(query.subquery()))
    page = db.session.scalars(
        query.limit(params.page_size).offset((params.page - 1) * params.page_size)
    )
    return list(page)
