"""The Celery app initialised from the Flask app, as in Flask's Celery example."""

from __future__ import annotations

from typing import Any

from celery import Celery, Task
from celery.signals import worker_process_init
from flask import Flask

from api.config import celery_settings
from api.extensions import db


def celery_init_app(app: Flask) -> Celery:
    """A Celery app whose tasks run inside ``app``'s context, configured from app.config."""

    class FlaskTask(Task):  # type: ignore[misc]
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=FlaskTask)
    celery_app.config_from_object(celery_settings(app))
    celery_app.set_default()
    app.extensions["celery"] = celery_app

    @worker_process_init.connect(weak=False)
    def _fresh_connections(**_kwargs: Any) -> None:
        # A forked pool process must not share the parent's database sockets.
        with app.app_context():
            db.engine.dispose(close=False)

    return celery_app
