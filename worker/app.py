"""The module ``celery -A worker.app`` loads: the Flask app and its Celery app."""

from __future__ import annotations

from api import create_app
from worker import tasks
from worker.celery_app import celery_init_app

flask_app = create_app()
celery_app = celery_init_app(flask_app)

__all__ = ["celery_app", "flask_app", "tasks"]
