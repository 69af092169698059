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

import threading
from collections.abc import Callable
from typing import Any, TypeVar

import flask_smorest
from apispec import APISpec, BasePlugin
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


class Api(flask_smorest.Api):  # type: ignore[misc]
    """flask-smorest's ``Api``, documenting each blueprint when the document is first read.

    Routes are added at once, as flask-smorest does; only the OpenAPI paths wait. Building
    them cost as much as the rest of ``create_app`` (0.2 of 0.33 s), and most apps (Celery
    workers, CLI commands, every test's app) never serve the document. The document is
    the same either way: blueprints are documented in the order they were registered,
    before anything reads ``spec``.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._undocumented: list[tuple[Blueprint, str, Any]] = []
        self._documenting = threading.Lock()
        super().__init__(*args, **kwargs)

    @property
    def spec(self) -> APISpec | None:
        spec: APISpec | None = self.__dict__.get("_spec")
        if spec is not None and self.__dict__.get("_undocumented"):
            with self._documenting:
                pending, self._undocumented = self._undocumented, []
                for blp, name, parameters in pending:
                    blp.register_views_in_doc(
                        self, self._app, spec, name=name, parameters=parameters
                    )
                    spec.tag({"name": name, "description": blp.description})
        return spec

    @spec.setter
    def spec(self, value: APISpec | None) -> None:
        self.__dict__["_spec"] = value

    def register_blueprint(self, blp: Blueprint, *, parameters: Any = None, **options: Any) -> None:
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters))
