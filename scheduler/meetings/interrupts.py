"""Interrupts of a python-sat search by time or by a stop event.

Kept apart from :mod:`scheduler.meetings.search_control` (CP-SAT's) so that the SAT child
processes (``maxsat.py``, ``zero_break.py``) start without importing OR-Tools.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def interrupting(
    interrupt: Callable[[], None], deadline: float, stop: threading.Event | None, name: str
) -> Iterator[threading.Event]:
    """Around a python-sat search: once ``deadline`` (``time.perf_counter``) passes or
    ``stop`` is set, call ``interrupt`` every 20 ms until the block ends, since one that
    lands before the search starts, or between two SAT calls, is forgotten. Yields an event
    that is set once it has interrupted."""
    done = threading.Event()
    interrupted = threading.Event()

    def watch() -> None:
        while not done.wait(0.02):
            if (stop is not None and stop.is_set()) or time.perf_counter() >= deadline:
                interrupted.set()
                interrupt()

    watcher = threading.Thread(target=watch, name=name, daemon=True)
    watcher.start()
    try:
        yield interrupted
    finally:
        done.set()
        watcher.join()
