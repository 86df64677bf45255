"""The normalizer contract: exact, compact binary forms for one kind of span.

A normalizer claims a span only if its binary form decodes to the very same
characters, so a codec that stores a slot through a normalizer can never change the
text.  Binary forms are self-delimiting: codecs concatenate them without lengths.
"""

from __future__ import annotations

import abc
import re
from collections.abc import Iterator
from typing import ClassVar


class Normalizer(abc.ABC):
    """Base class of every normalizer."""

    #: Unique name, also used as the slot type name in templates ("timestamp", "uuid").
    name: ClassVar[str]
    #: Slot type id on the wire (a varint); first-party ids are below 64.
    type_id: ClassVar[int]
    #: Version of the distribution that ships the normalizer.
    version: ClassVar[str]
    #: PEP 440 specifier of the aura-core versions this normalizer works with.
    requires_core: ClassVar[str] = ""
    #: Finds candidate spans; :meth:`find` keeps only those :meth:`encode` accepts.
    pattern: ClassVar[re.Pattern[str]]

    @abc.abstractmethod
    def encode(self, value: str) -> bytes | None:
        """The binary form of ``value``, or ``None`` if it cannot be reproduced exactly."""

    @abc.abstractmethod
    def decode(self, data: bytes, pos: int = 0) -> tuple[str, int]:
        """Read one binary form at ``pos``; return the text and the offset after it.

        Raises :class:`~aura_core.errors.CorruptBodyError` on data that does not parse.
        """

    def find(self, text: str) -> Iterator[tuple[int, int, bytes]]:
        """Yield ``(start, end, binary form)`` for every span this normalizer claims."""
        for match in self.pattern.finditer(text):
            encoded = self.encode(match.group())
            if encoded is not None:
                yield match.start(), match.end(), encoded

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} type={self.type_id}>"
