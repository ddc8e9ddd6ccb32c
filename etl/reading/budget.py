"""The budget of one document: reading and extracting it may take at most ``DOC_SECONDS`` seconds and
``DOC_MEMORY_MB`` MB of memory more than the process held when it began.

The work checks the budget as it goes (``check()`` in the loops over figures, pages and time expressions), so
an odd document is stopped within its budget and reported (``OverBudget``, whose message is the reason) while
the rest of a batch goes on; outside a ``budget()`` block ``check()`` does nothing. The limits can be set with
the environment variables ``ETL_DOC_SECONDS`` and ``ETL_DOC_MEMORY_MB``.

>>> try:
...     with budget(seconds=0):
...         check()
... except OverBudget as e:
...     print(e)
took longer than 0 s
"""
from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

DOC_SECONDS = float(os.environ.get("ETL_DOC_SECONDS", "8"))
DOC_MEMORY_MB = float(os.environ.get("ETL_DOC_MEMORY_MB", "400"))
MEMORY_EVERY = 512  # checks between two readings of the process's memory
CLOCK_EVERY = 8  # checks between two readings of the clock (MEMORY_EVERY is a multiple of it)
_PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 2**20 if hasattr(os, "sysconf") else 4 / 1024


class OverBudget(Exception):
    """A document that took longer, or needed more memory, than its budget; the message says which."""


@dataclass
class _Budget:
    seconds: float
    memory_mb: float
    deadline: float
    rss0: float
    calls: int = 0


class _Local(threading.local):
    budget: _Budget | None = None  # the budget of the document this thread works on (a class default: fast to read)


_LOCAL = _Local()


def _rss_mb() -> float:
    """The process's resident memory in MB (0 where /proc is not there)."""
    try:
        with open("/proc/self/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE_MB
    except (OSError, IndexError, ValueError):
        return 0.0


@contextmanager
def budget(seconds: float | None = None, memory_mb: float | None = None) -> Iterator[None]:
    """Check the work done in this block (in this thread) against a document's budget."""
    seconds = DOC_SECONDS if seconds is None else seconds
    memory_mb = DOC_MEMORY_MB if memory_mb is None else memory_mb
    outer = _LOCAL.budget
    _LOCAL.budget = _Budget(seconds, memory_mb, time.monotonic() + seconds, _rss_mb())
    try:
        yield
    finally:
        _LOCAL.budget = outer


def check() -> None:
    """Raise ``OverBudget`` when the document being worked on is over its time or memory budget."""
    b = _LOCAL.budget
    if b is None:
        return
    b.calls += 1
    if b.calls % CLOCK_EVERY != 1:
        return  # every step between two checks is bounded: the clock is read at the first and every CLOCK_EVERY-th
    if time.monotonic() > b.deadline:
        raise OverBudget(f"took longer than {b.seconds:g} s")
    if b.calls % MEMORY_EVERY == 1 and _rss_mb() - b.rss0 > b.memory_mb:
        raise OverBudget(f"needed more than {b.memory_mb:g} MB of memory")
