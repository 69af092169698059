"""The Flask app factory: configuration, extensions and every feature's blueprints."""

from __future__ import annotations

import logging
import os
from importlib import import_module
from typing import Any

from apispec.ext.marshmallow import MarshmallowPlugin
from flask import Flask

from api.config import load_config
from api.extensions import db, limiter, migrate
from api.http.converters import IdConverter, id_converter_doc
from api.http.openapi import AnswersPlugin, Api

MIGRATIONS_DIR = os.path.join(os.path.dirname(__file__), "migrations")

# The API blueprints, in the order the OpenAPI document lists them.
API_BLUEPRINTS = (
    "api.events.routes",
    "api.registration.routes.organisations",
    "api.registration.routes.participants",
    "api.registration.routes.opportunities",
    "api.schedules.routes",
    "api.registration.routes.tags",
    "api.programme.routes.tables",
    "api.programme.routes.rooms",
    "api.programme.routes.sessions",
    "api.programme.routes.signups",
    "api.solving.routes",
    "api.outputs.routes.agenda",
    "api.requests.routes",
    "api.recommendations.routes",
    "api.meetings.routes",
    "api.webhooks.routes",
    "api.outputs.routes.stats",
    "api.outputs.routes.files",
    "api.privacy.routes",
    "api.accounts.routes",
)

# The browser pages (Jinja + htmx), one blueprint per feature folder.
WEB_BLUEPRINTS = (
    "api.events.views",
    "api.signin.views",
    "api.registration.views",
    "api.recommendations.views",
    "api.requests.views",
    "api.outputs.my_agenda",
    "api.solving.views",
    "api.schedules.views",
    "api.meetings.views",
    "api.programme.views",
    "api.webhooks.views",
    "api.team.views",
)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; ``config`` overrides what the environment says."""
    instance_path = os.environ.get("CLUSTERMEET_INSTANCE_PATH") or os.path.join(
        os.getcwd(), "instance"
    )
    app = Flask("api", instance_path=os.path.abspath(instance_path))
    # Before any route is added: every <int:...> id is bounded (api/http/converters.py).
    app.url_map.converters["int"] = IdConverter
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(load_config(app.instance_path))
    if config:
        app.config.update(config)
    logging.basicConfig(level=os.environ.get("CLUSTERMEET_LOG_LEVEL", "WARNING"))

    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    api = Api(
        app,
        spec_kwargs={
            "marshmallow_plugin": MarshmallowPlugin(schema_name_resolver),
            "extra_plugins": [AnswersPlugin()],
        },
    )
    api.register_converter(IdConverter, id_converter_doc)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        _enable_sqlite_foreign_keys(app)

    from api.accounts.auth import load_principal
    from api.accounts.views import blp as account_pages
    from api.background.runner import init_background
    from api.errors import register_error_handlers
    from api.http.docs_assets import blp as docs_assets_blueprint
    from api.http.input_guard import check_input
    from api.notifications.setup import init_notifications
    from api.outputs.feeds import blp as feeds_blueprint
    from api.outputs.views import blp as pages_blueprint
    from api.solving.runner import init_jobs
    from api.web_session import init_web_session

    # The limiter's checks run first: a locked-out address is refused before its token
    # is even looked at.
    limiter.init_app(app)
    app.before_request(load_principal)
    app.before_request(check_input)
    for name in API_BLUEPRINTS:
        api.register_blueprint(import_module(name).blp)
    app.register_blueprint(pages_blueprint)
    app.register_blueprint(docs_assets_blueprint)
    app.register_blueprint(feeds_blueprint)
    app.register_blueprint(account_pages)
    init_web_session(app)
    for name in WEB_BLUEPRINTS:
        app.register_blueprint(import_module(name).blp)
    register_error_handlers(app)
    init_jobs(app)
    init_background(app)
    init_notifications(app)
    return app


def schema_name_resolver(schema: Any) -> str:
    """OpenAPI component names: ``EventSchema(partial=True)`` becomes ``EventPatch``."""
    cls = schema if isinstance(schema, type) else type(schema)
    name: str = cls.__name__.removesuffix("Schema")
    if not isinstance(schema, type) and schema.partial:
        name += "Patch"
    return name


def _enable_sqlite_foreign_keys(app: Flask) -> None:
    from sqlalchemy import event

    with app.app_context():

        @event.listens_for(db.engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=10000")
            cursor.close()
