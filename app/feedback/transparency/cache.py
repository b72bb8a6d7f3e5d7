"""A small per-process cache of the public IKM figures (SKM_PUBLIC_CACHE_SECONDS).

The public pages are the same for every visitor and a city-wide year is a full scan
of its responses, so each process keeps what it computed for a few minutes: a new
response shows up on the public page within that time. Keys are bounded (a year
from 2017, an existing unit code, a locale); the whole cache is dropped when it
grows past MAX_ENTRIES rather than tracking ages per key.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from flask import current_app

T = TypeVar("T")
MAX_ENTRIES = 5000
_entries: dict[Hashable, tuple[float, object]] = {}


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`'s value for `key`, reused for SKM_PUBLIC_CACHE_SECONDS (0: never)."""
    seconds = current_app.config.get("SKM_PUBLIC_CACHE_SECONDS", 0)
    if seconds <= 0:
        return compute()
    now = time.monotonic()
    hit = _entries.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]  # type: ignore[return-value]
    value = compute()
    if len(_entries) >= MAX_ENTRIES:
        _entries.clear()
    _entries[key] = (now + seconds, value)
    return value
