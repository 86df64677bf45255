"""Running statistics of a Compressor: what each method won and what it saved."""

from __future__ import annotations

import threading
from collections import Counter

from attrs import frozen


@frozen
class Statistics:
    """A snapshot of a Compressor's counters since creation or the last reset."""

    messages: int
    original_bytes: int
    compressed_bytes: int
    #: Messages per method (codec name), e.g. ``{"zstd-dict": 812, "raw": 3}``.
    methods: dict[str, int]
    #: Messages encoded with a template (any codec reporting a template id).
    template_hits: int
    #: Messages whose payload is larger than the text (raw plus its marker byte).
    expansions: int
    decoded_messages: int

    @property
    def bytes_saved(self) -> int:
        return self.original_bytes - self.compressed_bytes

    @property
    def compression_ratio(self) -> float:
        return self.original_bytes / self.compressed_bytes if self.compressed_bytes else 1.0

    @property
    def template_hit_rate(self) -> float:
        return self.template_hits / self.messages if self.messages else 0.0


class StatisticsCounter:
    """Thread-safe counters behind :meth:`Compressor.statistics`."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        with self._lock:
            self._messages = self._original = self._compressed = 0
            self._templates = self._expansions = self._decoded = 0
            self._methods: Counter[str] = Counter()

    def add_encoded(self, method: str, original: int, compressed: int, template: bool) -> None:
        with self._lock:
            self._messages += 1
            self._original += original
            self._compressed += compressed
            self._methods[method] += 1
            self._templates += template
            self._expansions += compressed > original

    def add_decoded(self) -> None:
        with self._lock:
            self._decoded += 1

    def snapshot(self) -> Statistics:
        with self._lock:
            return Statistics(
                messages=self._messages,
                original_bytes=self._original,
                compressed_bytes=self._compressed,
                methods=dict(self._methods),
                template_hits=self._templates,
                expansions=self._expansions,
                decoded_messages=self._decoded,
            )
