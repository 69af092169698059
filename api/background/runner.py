"""The two backends: one daemon thread with a due-time queue, or Celery by task name."""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from flask import Flask, current_app
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session as OrmSession

from api.background.tasks import PENDING, TASKS, RetryLater, backoff_s

log = logging.getLogger(__name__)

BACKGROUND_QUEUE = "clustermeet-background"
_PENDING_KEY = "clustermeet_background_pending"
_WATCHED_KEY = "clustermeet_background_watched"


class BackgroundRunner(Protocol):
    def submit(self, name: str, row_id: int, delay_s: float = 0.0) -> None: ...


def retry_delays(app: Flask) -> tuple[float, float]:
    return (
        float(app.config.get("BACKGROUND_RETRY_BASE_S", 30.0)),
        float(app.config.get("BACKGROUND_RETRY_MAX_S", 6 * 3600.0)),
    )


class ThreadBackgroundRunner:
    """Runs tasks in one daemon thread, in due-time order, retrying with backoff."""

    def __init__(self, app: Flask) -> None:
        self._app = app
        self._heap: list[tuple[float, int, str, int, int]] = []
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._busy = 0
        self._resumed = False
        self._paused = 0

    def submit(self, name: str, row_id: int, delay_s: float = 0.0) -> None:
        self._resume_once(skip=(name, row_id))
        self._push(name, row_id, delay_s, attempt=0)

    def _resume_once(self, skip: tuple[str, int] | None = None) -> None:
        """After a restart, pick up the rows a previous process left waiting."""
        with self._cond:
            if self._resumed:
                return
            self._resumed = True
        with self._app.app_context():
            waiting = [(name, row_id) for name, find in PENDING.items() for row_id in find()]
        for name, row_id in waiting:
            if (name, row_id) != skip:
                self._push(name, row_id, 0.0, attempt=0)

    def _push(self, name: str, row_id: int, delay_s: float, attempt: int) -> None:
        if name not in TASKS:
            raise KeyError(f"unknown background task {name!r}")
        with self._cond:
            due = time.monotonic() + max(0.0, delay_s)
            heapq.heappush(self._heap, (due, next(self._seq), name, row_id, attempt))
            self._ensure_thread()
            self._cond.notify_all()

    def _ensure_thread(self) -> None:
        # Called with self._cond held: a loop thread must exist while tasks wait.
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(
                target=self._loop, name="clustermeet-background", daemon=True
            )
            self._thread.start()

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Hold tasks back while a long batch writes (SQLite allows one writer at a time;
        the demo uses this); they run once the block ends."""
        with self._cond:
            self._paused += 1
        try:
            yield
        finally:
            with self._cond:
                self._paused -= 1
                self._cond.notify_all()

    def join(self, timeout: float | None = None) -> bool:
        """Wait until nothing is queued or running, retries included."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            while (self._heap and not self._paused) or self._busy:
                if self._heap and not self._busy:
                    self._ensure_thread()  # a loop thread that died must not leave us waiting
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                # Wake now and then: a task due later notifies nobody when it becomes due.
                self._cond.wait(1.0 if remaining is None else min(remaining, 1.0))
        return True

    def discard(self, timeout: float | None = None) -> bool:
        """Drop what is waiting and wait for the running task (an app being torn down);
        rows stay pending in the database, so a next process resumes them."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._cond:
            self._heap.clear()
            while self._busy:
                remaining = None if deadline is None else deadline - time.monotonic()
                if remaining is not None and remaining <= 0:
                    return False
                self._cond.wait(remaining)
        return True

    def _loop(self) -> None:
        while True:
            with self._cond:
                while self._paused or not self._heap or self._heap[0][0] > time.monotonic():
                    due = self._heap[0][0] - time.monotonic() if self._heap else None
                    self._cond.wait(None if self._paused else due)
                _due, _seq, name, row_id, attempt = heapq.heappop(self._heap)
                self._busy += 1
            try:
                self._run(name, row_id, attempt)
            finally:
                with self._cond:
                    self._busy -= 1
                    self._cond.notify_all()

    def _run(self, name: str, row_id: int, attempt: int) -> None:
        from api.extensions import db

        try:
            with self._app.app_context():
                try:
                    TASKS[name](row_id)
                finally:
                    db.session.remove()
        except RetryLater as exc:
            base, cap = retry_delays(self._app)
            delay = exc.delay_s if exc.delay_s is not None else backoff_s(attempt + 1, base, cap)
            log.info("%s %s: retry in %.0f s (%s)", name, row_id, delay, exc)
            self._push(name, row_id, delay, attempt + 1)
        except Exception:
            log.exception("background task %s %s crashed", name, row_id)


class CeleryBackgroundRunner:
    """Sends the task by name; the worker's task retries itself (``worker.tasks``)."""

    def __init__(self, app: Flask) -> None:
        from celery import Celery

        from api.config import celery_settings

        self._celery = Celery("clustermeet-api-background")
        self._celery.config_from_object(celery_settings(app))

    def submit(self, name: str, row_id: int, delay_s: float = 0.0) -> None:
        self._celery.send_task(
            name, args=[row_id], countdown=max(0.0, delay_s), queue=BACKGROUND_QUEUE
        )


def init_background(app: Flask) -> None:
    backend = app.config["JOBS_BACKEND"]
    runner: BackgroundRunner = (
        CeleryBackgroundRunner(app) if backend == "celery" else ThreadBackgroundRunner(app)
    )
    app.extensions["clustermeet_background"] = runner


def background_runner(app: Flask | None = None) -> BackgroundRunner:
    runner: BackgroundRunner = (app or current_app).extensions["clustermeet_background"]
    return runner


def submit_after_commit(name: str, row_id: int) -> None:
    """Hand the task over once the current transaction commits; drop it on rollback."""
    from api.extensions import db

    session = db.session()
    _watch(session)
    session.info.setdefault(_PENDING_KEY, []).append((name, row_id))


def _watch(session: OrmSession) -> None:
    if session.info.get(_WATCHED_KEY):
        return
    session.info[_WATCHED_KEY] = True
    app: Any = current_app._get_current_object()  # type: ignore[attr-defined]

    def after_commit(committed: OrmSession) -> None:
        for name, row_id in committed.info.pop(_PENDING_KEY, []):
            background_runner(app).submit(name, row_id)

    def after_rollback(rolled_back: OrmSession, _transaction: Any) -> None:
        rolled_back.info.pop(_PENDING_KEY, None)

    sa_event.listen(session, "after_commit", after_commit)
    sa_event.listen(session, "after_soft_rollback", after_rollback)
