"""URL converters: ids in paths are bounded like the database columns they look up.

An id of 2**31 or more cannot exist (PostgreSQL ``integer``); without a bound it reached
the database and failed there with a 500 (issue 17.8). Now such a URL matches no route
and answers 404.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


class IdConverter(IntegerConverter):
    """``<int:...>`` with a default maximum of the largest database id."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def id_converter_doc(converter: Any) -> dict[str, Any]:
    """How the OpenAPI document describes such a path parameter."""
    return {"type": "integer", "minimum": 0, "maximum": converter.max}
