"""Progress bars for long work (training, benchmarks, load tests), switched off in one place."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

from rich.progress import track as rich_track

T = TypeVar("T")


def track(items: Iterable[T], description: str, total: float | None = None, enabled: bool = True) -> Iterator[T]:
    """Iterate ``items`` with a rich progress bar on stderr when ``enabled``."""
    if not enabled:
        yield from items
        return
    from rich.console import Console

    yield from rich_track(items, description=description, total=total, console=Console(stderr=True), transient=True)
