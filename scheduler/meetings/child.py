"""Searches in a child process: ``python -m <module>``, JSON on its stdin, answers on its
stdout, killed when the search that started it ends.

Some SAT solvers cannot be stopped in time from a thread: python-sat cannot interrupt
CaDiCaL at all, and Glucose 4 looks at an interrupt only when it restarts, which on a hard
MaxSAT core took it more than two minutes (docs/benchmarks/meetings.md). A child process
can always be killed. It gets only ``PATH`` and ``PYTHONPATH`` in its environment (it has
no business with the app's secrets) and sets its own address-space and CPU limits, so it
ends even should the process that started it die without killing it.
"""

from __future__ import annotations

import contextlib
import os
import resource
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

# Where ``scheduler`` lives, so the child imports the same code as its parent.
_ROOT = str(Path(__file__).resolve().parents[2])


def start_child(module: str, *args: str) -> subprocess.Popen[str]:
    """``python -m module args...`` with pipes on stdin and stdout (text), stderr dropped."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "PYTHONPATH": os.pathsep.join(filter(None, [_ROOT, os.environ.get("PYTHONPATH")])),
    }
    return subprocess.Popen(
        [sys.executable, "-m", module, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )


@contextlib.contextmanager
def reaped(process: subprocess.Popen[str]) -> Iterator[subprocess.Popen[str]]:
    """``with process`` (its pipes closed, then the child waited for), except that text still
    buffered for a child that has died is dropped: closing its stdin flushes into a broken
    pipe, which ``Popen`` raises (seen once in CI, a race's child killed while its feeder
    thread was still writing the instance)."""
    try:
        yield process
    finally:
        if process.stdout is not None:
            process.stdout.close()
        if process.stdin is not None:
            with contextlib.suppress(OSError, ValueError):  # broken pipe, or closed meanwhile
                process.stdin.close()
        process.wait()


def limit_child(memory_bytes: int, cpu_seconds: int | None) -> None:
    """In the child: at most ``memory_bytes`` of address space and ``cpu_seconds`` of CPU
    (then the kernel ends it). Skipped on a platform without the limits."""
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        if cpu_seconds is not None:
            cpu = max(1, cpu_seconds)
            resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
