"""Message corpora: JSONL files or in-memory lists, read as many times as training needs.

Training a profile on a file larger than memory must work, so a corpus streams its
messages and offers a deterministic byte-bounded :meth:`Corpus.sample` for trainers
(such as zstd's) that need their samples in memory.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from attrs import define, field

from aura_core.errors import TrainingError


def read_jsonl(path: str | Path, key: str = "text") -> Iterator[str]:
    """Yield ``obj[key]`` from every non-blank line of a JSONL file.

    Raises :class:`TrainingError` naming the file and line when a line is not a JSON
    object with a string under ``key``.
    """
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)[key]
            except (json.JSONDecodeError, TypeError, KeyError) as exc:
                raise TrainingError(
                    f"{path}:{number}: expected a JSON object with a string {key!r} ({exc})"
                ) from None
            if not isinstance(value, str):
                raise TrainingError(f"{path}:{number}: {key!r} is {type(value).__name__}, not a string")
            yield value


@define
class Corpus:
    """A re-iterable collection of messages."""

    _texts: Sequence[str] | None = None
    _paths: tuple[Path, ...] = ()
    _count: int | None = field(default=None, init=False)
    _size: int | None = field(default=None, init=False)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> Corpus:
        return cls(texts=list(texts))

    @classmethod
    def from_jsonl(cls, *paths: str | Path) -> Corpus:
        return cls(paths=tuple(Path(p) for p in paths))

    @classmethod
    def coerce(cls, source: Corpus | Iterable[str]) -> Corpus:
        return source if isinstance(source, Corpus) else cls.from_texts(source)

    def __iter__(self) -> Iterator[str]:
        if self._texts is not None:
            yield from self._texts
        for path in self._paths:
            yield from read_jsonl(path)

    def _measure(self) -> None:
        count = size = 0
        for text in self:
            count += 1
            size += len(text.encode("utf-8", "surrogatepass"))
        self._count, self._size = count, size

    def __len__(self) -> int:
        if self._count is None:
            self._measure()
        assert self._count is not None
        return self._count

    @property
    def total_bytes(self) -> int:
        """Sum of the messages' UTF-8 sizes."""
        if self._size is None:
            self._measure()
        assert self._size is not None
        return self._size

    def sample(self, max_bytes: int) -> list[str]:
        """Up to about ``max_bytes`` of messages, the same ones on every run.

        Every message is kept while the corpus fits; otherwise each message is kept
        when a hash of its text falls under the fraction that fits, which needs no
        second copy of the corpus in memory and does not depend on file order.
        """
        if self.total_bytes <= max_bytes:
            return list(self)
        threshold = int(max_bytes / self.total_bytes * 2**32)
        return [
            text
            for text in self
            if int.from_bytes(hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=4).digest(), "big")
            < threshold
        ]

    def require(self, min_messages: int, min_bytes: int, purpose: str) -> None:
        """Raise :class:`TrainingError` with advice when the corpus is too small for ``purpose``."""
        if len(self) < min_messages or self.total_bytes < min_bytes:
            raise TrainingError(
                f"{purpose} needs at least {min_messages:,} messages and {min_bytes:,} bytes; "
                f"the corpus has {len(self):,} messages, {self.total_bytes:,} bytes. "
                "Train on more messages of the kind you will compress."
            )
