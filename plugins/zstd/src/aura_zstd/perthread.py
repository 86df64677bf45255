"""One object per thread, built on first use.

zstd compression and decompression contexts keep per-call state, so one context must
never serve two threads at once.  A Compressor is shared by the threads of
``compress_many`` (and by an application's own threads), so each thread gets its own
context, built once and reused for every later message on that thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class PerThread(Generic[T]):
    """Holds the object ``factory`` builds, one per thread."""

    def __init__(self, factory: Callable[[], T]) -> None:
        self._factory = factory
        self._local = threading.local()

    def get(self) -> T:
        try:
            return self._local.value  # type: ignore[no-any-return]
        except AttributeError:
            value = self._local.value = self._factory()
            return value
