"""Refuse input no reader can handle, once per request, before any schema.

- Text with control characters, NUL bytes or lone surrogates, in JSON strings and query
  values: PostgreSQL cannot store NUL, spreadsheets refuse control characters, and lone
  surrogates cannot be encoded as UTF-8 for any output. Tab, line feed and carriage
  return stay allowed.
- JSON numbers beyond the database's integer range (ids, counts, minutes and capacities
  are all ``integer`` columns): ``10**20`` failed in the database with a 500.

(issue 17.7, 17.8)
"""

from __future__ import annotations

import re
from typing import Any

from flask import request

from api.exceptions import InvalidInput

BAD_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
MESSAGE = "Control characters, NUL bytes and unpaired surrogates are not allowed."
MAX_NUMBER = 2**31 - 1
NUMBER_MESSAGE = f"Numbers lie between -{MAX_NUMBER} and {MAX_NUMBER}."


def _problems(value: Any) -> Any:
    """The error tree for ``value`` (marshmallow's shape), or None if it is clean."""
    if isinstance(value, str):
        return [MESSAGE] if BAD_TEXT.search(value) else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [NUMBER_MESSAGE] if not -MAX_NUMBER <= value <= MAX_NUMBER else None
    if isinstance(value, dict):
        found = {}
        for key, item in value.items():
            problem = [MESSAGE] if BAD_TEXT.search(str(key)) else _problems(item)
            if problem:
                found[BAD_TEXT.sub("?", str(key))] = problem
        return found or None
    if isinstance(value, list):
        listed = {index: p for index, item in enumerate(value) if (p := _problems(item))}
        return listed or None
    return None


def check_input() -> None:
    """``before_request``: a 422 naming the fields that hold unusable input."""
    errors: dict[str, Any] = {}
    for key, values in request.args.lists():
        if BAD_TEXT.search(key) or any(BAD_TEXT.search(v) for v in values):
            errors[BAD_TEXT.sub("?", key)] = [MESSAGE]
    if request.is_json:
        found = _problems(request.get_json(silent=True))
        if isinstance(found, dict):
            errors.update(found)
        elif found:
            errors["_schema"] = found
    if errors:
        raise InvalidInput(errors)
