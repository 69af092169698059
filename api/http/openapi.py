"""The OpenAPI answers every feature shares: 401/403/404/422 where they can happen, and
``security: []`` on the operations anyone may call.

Guards and operations raise ``api.exceptions`` errors wherever they run, so the document
is completed here once, for every operation, instead of on each view:

- every operation may answer 401: a bearer token that belongs to nobody is refused even
  on a public route;
- an operation not marked :func:`public` needs credentials (the global bearer scheme) and
  may answer 403;
- an operation with an id in its path may answer 404;
- an operation that parses a body or query arguments may answer 422 (flask-smorest adds
  it for ``@blp.arguments``; a view that reads its body itself documents its
  ``requestBody``, which is enough).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from apispec import BasePlugin
from flask_smorest import Blueprint

F = TypeVar("F", bound=Callable[..., Any])

_METHODS = ("get", "put", "post", "patch", "delete")
# flask-smorest registers a response component for each HTTP status under its name.
_REFS = {401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND", 422: "UNPROCESSABLE_ENTITY"}


def public(view: F) -> F:
    """Mark an operation that anyone may call without credentials (``security: []``)."""
    decorated: F = Blueprint.doc(security=[])(view)
    return decorated


def _add(responses: dict[Any, Any], code: int) -> None:
    if code not in responses and str(code) not in responses:
        responses[str(code)] = _REFS[code]


class AnswersPlugin(BasePlugin):
    """An apispec plugin that adds the shared answers to each operation as it is added."""

    def operation_helper(
        self,
        path: str | None = None,
        operations: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        for method, operation in (operations or {}).items():
            if method not in _METHODS:
                continue
            responses = operation.setdefault("responses", {})
            _add(responses, 401)
            if operation.get("security") != []:
                _add(responses, 403)
            if path and "{" in path:
                _add(responses, 404)
            if "requestBody" in operation:
                _add(responses, 422)
