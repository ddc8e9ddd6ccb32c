"""One writer at a time on a database: its swap, its reviews log and its documents folder change together.

A lock file beside the database (``poverty.duckdb.lock``), held with ``flock`` for the whole write, so that
command-line runs, dashboard uploads and reviews, and gunicorn workers queue behind each other. Re-entrant
within a thread (an ingest that builds the first database takes it once).
"""
from __future__ import annotations

import fcntl
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_HELD = threading.local()


@contextmanager
def write_lock(db_path: Path) -> Iterator[None]:
    """Hold the write lock of ``db_path`` (waiting for any other writer)."""
    lock = Path(db_path).resolve().with_name(Path(db_path).name + ".lock")
    held: set[Path] = _HELD.__dict__.setdefault("paths", set())
    if lock in held:
        yield
        return
    lock.parent.mkdir(parents=True, exist_ok=True)
    with open(lock, "a") as f:
        fcntl.flock(f, fcntl.LOCK_EX)
        held.add(lock)
        try:
            yield
        finally:
            held.discard(lock)
