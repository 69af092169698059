"""Reading web forms: marshmallow's nested error messages as one message per form field."""

from __future__ import annotations

from typing import Any


def flatten_errors(messages: Any, prefix: str = "") -> dict[str, str]:
    """marshmallow's nested messages as ``{"organisation.name": "first message"}``."""
    flat: dict[str, str] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            flat.update(flatten_errors(value, f"{prefix}{key}."))
    elif isinstance(messages, list) and messages and isinstance(messages[0], str):
        flat[prefix.rstrip(".")] = messages[0]
    elif isinstance(messages, list):
        for value in messages:
            flat.update(flatten_errors(value, prefix))
    return flat
