"""The codec contract: what a plugin implements to own one marker.

A codec turns one message into one body and back.  It never sees the marker byte:
the container adds and strips it.  Codecs are stateless objects; anything learned
from a corpus lives in a :class:`~aura_core.profile.Profile` and reaches the codec as
the ``state`` it built with :meth:`Codec.load_state`, through the
:class:`CodecContext` the Compressor passes to every call.
"""

from __future__ import annotations

import abc
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from attrs import frozen

from aura_core.errors import OutputLimitError, TemplateHintError

if TYPE_CHECKING:
    from aura_core.corpus import Corpus
    from aura_core.normalizer import Normalizer
    from aura_core.profile import ProfileSet
    from aura_core.training import TrainContext


@frozen
class TrainedPart:
    """What a trainable codec contributes to a profile."""

    #: The bytes the codec's :meth:`Codec.load_state` reads back; the format is the codec's.
    data: bytes
    #: One line for the person training: what was learned (sizes, counts).
    summary: str


@frozen
class CodecContext:
    """Everything a codec may consult besides the message: limits, normalizers, profiles."""

    max_output_size: int
    normalizers: tuple[Normalizer, ...]
    profiles: ProfileSet

    def check_output_size(self, size: int) -> None:
        """Raise :class:`OutputLimitError` before a decoder builds more than the limit."""
        if size > self.max_output_size:
            raise OutputLimitError(self.max_output_size, size)

    def normalizer_by_type(self, type_id: int) -> Normalizer | None:
        for normalizer in self.normalizers:
            if normalizer.type_id == type_id:
                return normalizer
        return None

    def encoding_state(self, codec: Codec) -> tuple[bytes, Any] | None:
        """The profile reference to write first in a body, and the codec's trained state.

        ``None`` when the Compressor has no encoding profile or that profile holds
        nothing for this codec: a trainable codec then declines the message.
        """
        return self.profiles.encoding_state(codec.name)

    def decoding_state(self, codec: Codec, body: bytes, pos: int = 0) -> tuple[Any, int]:
        """Read the profile reference at ``pos``; return the codec's state and the offset after it.

        Raises :class:`~aura_core.errors.ProfileMismatchError` when the decoder does
        not hold that profile, or holds a different one under that id.
        """
        return self.profiles.decoding_state(codec.name, body, pos)


class Codec(abc.ABC):
    """Base class of every codec.

    Subclasses set the class attributes and implement :meth:`encode` and
    :meth:`decode`.  Everything else has a sensible default.
    """

    #: Unique, lower-case name; it is ``CompressResult.method`` and the name users pass
    #: in ``Compressor(codecs=[...])``.
    name: ClassVar[str]
    #: The byte that precedes every body of this codec (see docs/markers.md for ranges).
    marker: ClassVar[int]
    #: Version of the distribution that ships the codec.
    version: ClassVar[str]
    #: PEP 440 specifier of the aura-core versions this codec works with.
    requires_core: ClassVar[str] = ""
    #: True when encode/decode spend their time in C code that releases the GIL, so
    #: ``compress_many`` may use threads.
    releases_gil: ClassVar[bool] = False
    #: True when the codec learns from a corpus (implements train/load_state).
    trainable: ClassVar[bool] = False
    #: True when the codec implements :meth:`encode_hint`.
    accepts_hints: ClassVar[bool] = False

    def score(self, text: str, data: bytes, ctx: CodecContext) -> int | None:
        """A cheap estimate of the body size, or ``None`` when the codec cannot help.

        The selector encodes only the best-scored candidates, so a good estimate saves
        work; a wrong one only costs ratio, never correctness.
        """
        return len(data)

    @abc.abstractmethod
    def encode(self, text: str, data: bytes, ctx: CodecContext) -> bytes | None:
        """Return the body for ``text`` (``data`` is its UTF-8), or ``None`` to decline."""

    @abc.abstractmethod
    def decode(self, body: bytes, ctx: CodecContext) -> str:
        """Return exactly the text that was encoded, or raise an ``AuraDecodeError`` subclass."""

    def template_id(self, body: bytes) -> int | None:
        """The template a body uses, for statistics; ``None`` for codecs without templates."""
        return None

    def encode_hint(
        self, text: str, data: bytes, template_id: int, slots: Sequence[object], ctx: CodecContext
    ) -> bytes:
        """Encode with a caller-given template, skipping matching.

        Raises :class:`TemplateHintError` when the template and slots do not render
        to exactly ``text``.
        """
        raise TemplateHintError(f"codec {self.name!r} does not take template hints")

    def train(self, corpus: Corpus, ctx: TrainContext) -> TrainedPart | None:
        """Learn from ``corpus``; return this codec's part of the profile (or ``None``)."""
        raise NotImplementedError(f"codec {self.name!r} is not trainable")

    def load_state(self, data: bytes) -> Any:
        """Build the state encode/decode use from a profile part, once per Compressor.

        Raise :class:`~aura_core.errors.ProfileFormatError` when ``data`` is not a
        valid part, so a bad profile fails at load time and never at decode time.
        """
        raise NotImplementedError(f"codec {self.name!r} is not trainable")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name!r} marker=0x{self.marker:02X} v{self.version}>"
