"""Offset pagination for flask-smorest's ``@blp.paginate()`` over SQLAlchemy selects."""

from __future__ import annotations

from typing import Any

from flask_smorest.pagination import PaginationParameters
from sqlalchemy import Select, func, select

from api.extensions import db


def paginate(query: Select[Any], params: PaginationParameters) -> list[Any]:
    count = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    params.item_count = count
    offset = (params.page - 1) * params.page_size
    if offset >= count:
        # Past the end; also keeps offsets like 2**63 away from the database (issue 17.8).
        return []
    return list(db.session.scalars(query.limit(params.page_size).offset(offset)))
