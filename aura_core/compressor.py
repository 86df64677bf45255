"""The Compressor: the one object applications use to compress and decompress messages."""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction
from pathlib import Path

from attrs import frozen

from aura_core import markers
from aura_core.codec import Codec, CodecContext
from aura_core.errors import CorruptBodyError, InvalidTextError, TemplateHintError, UnknownMarkerError
from aura_core.profile import Profile, ProfileSet, load_profile
from aura_core.registry import Registry, default_registry
from aura_core.selector import Policy, select
from aura_core.stats import Statistics, StatisticsCounter

#: Default bound on decoded text: no payload can make a decoder build more than this.
DEFAULT_MAX_OUTPUT_SIZE = 64 * 1024 * 1024
#: Batches smaller than this are not worth a thread pool.
_MIN_THREADED_BATCH = 64


@frozen
class CompressResult:
    """One compressed message and what was done to it."""

    #: The payload to store or send: marker byte followed by the body.
    compressed_data: bytes
    #: Name of the codec that produced it, e.g. ``"zstd-dict"`` or ``"raw"``.
    method: str
    #: UTF-8 size of the text given.
    original_size: int
    #: Template id the body uses, if its codec has templates.
    template_id: int | None = None

    @property
    def compressed_size(self) -> int:
        return len(self.compressed_data)

    @property
    def compression_ratio(self) -> float:
        return self.original_size / self.compressed_size


def _utf8(text: str) -> bytes:
    if not isinstance(text, str):
        raise TypeError(f"compress() takes str, not {type(text).__name__}; decode bytes first")
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidTextError(
            f"text holds a lone surrogate {text[exc.start]!r} at index {exc.start}, which UTF-8 cannot "
            "carry; fix the text's decoding (e.g. read with errors='strict') before compressing"
        ) from None


def _as_profile(profile: str | os.PathLike[str] | Profile) -> Profile:
    return profile if isinstance(profile, Profile) else load_profile(Path(profile))


class Compressor:
    """Compresses each message on its own and decodes any payload made with held profiles.

    :param profile: the trained profile to encode with (a path or a :class:`Profile`).
    :param decode_profiles: older profiles to keep decoding (rotation).
    :param min_compression_size: shorter messages go out raw.
    :param binary_advantage_threshold: a codec's body must be this many times smaller
        than the raw text to be used.
    :param codecs: restrict the candidates to these codec names (default: all installed).
    :param oracle: encode with every codec and keep the smallest (the yardstick).
    :param max_output_size: decoding refuses to produce more UTF-8 bytes than this.
    :param registry: the plugins to use (default: every installed plugin).
    """

    def __init__(
        self,
        profile: str | os.PathLike[str] | Profile | None = None,
        *,
        decode_profiles: Iterable[str | os.PathLike[str] | Profile] = (),
        min_compression_size: int = 1,
        binary_advantage_threshold: float = 1.0,
        codecs: Sequence[str] | None = None,
        oracle: bool = False,
        candidates: int = 3,
        max_output_size: int = DEFAULT_MAX_OUTPUT_SIZE,
        registry: Registry | None = None,
    ) -> None:
        self.registry = registry or default_registry()
        try:
            self._raw = self.registry.codec_for_marker(markers.RAW)
        except UnknownMarkerError:
            raise ValueError(
                "the registry has no raw codec (marker 0x00), which every Compressor falls back to: "
                "use Registry.from_entry_points(), or registry.register_plugin(aura_core.builtins)"
            ) from None
        installed = [c for c in self.registry.codecs if c is not self._raw]
        if codecs is not None:
            unknown = set(codecs) - {c.name for c in self.registry.codecs}
            if unknown:
                raise ValueError(
                    f"unknown codec(s) {', '.join(sorted(unknown))}; installed: "
                    f"{', '.join(c.name for c in self.registry.codecs)} (see `aura plugins`)"
                )
            installed = [c for c in installed if c.name in codecs]
        self.codecs: tuple[Codec, ...] = tuple(installed)
        self.policy = Policy(
            min_compression_size=min_compression_size,
            binary_advantage_threshold=Fraction(binary_advantage_threshold).limit_denominator(1000),
            candidates=candidates,
            oracle=oracle,
        )
        encoding = _as_profile(profile) if profile is not None else None
        profiles = ProfileSet(self.registry.codecs, encoding, [_as_profile(p) for p in decode_profiles])
        self.context = CodecContext(
            max_output_size=max_output_size, normalizers=self.registry.normalizers, profiles=profiles
        )
        self._stats = StatisticsCounter()

    @property
    def profile(self) -> Profile | None:
        return self.context.profiles.encoding

    def restricted(self, codecs: Iterable[str]) -> Compressor:
        """This Compressor encoding only with those of its codecs named in ``codecs`` (and raw).

        The copy shares the loaded profiles, whose trained state can take seconds to
        build and megabytes to hold: for a peer that decodes only some codecs
        (``aura_core.ws``), nothing is loaded again.  Its statistics start at zero.
        """
        wanted = set(codecs)
        clone = copy.copy(self)
        clone.codecs = tuple(c for c in self.codecs if c.name in wanted)
        clone._stats = StatisticsCounter()
        return clone

    def compress(self, text: str, template_id: int | None = None, slots: Sequence[object] | None = None) -> CompressResult:
        """Compress one message; with ``template_id`` (and ``slots``) skip template matching."""
        data = _utf8(text)
        if template_id is not None:
            codec = self._hint_codec()
            body = codec.encode_hint(text, data, template_id, list(slots or ()), self.context)
        else:
            codec, body = select(text, data, self.codecs, self._raw, self.context, self.policy)
        result = CompressResult(
            compressed_data=bytes([codec.marker]) + body,
            method=codec.name,
            original_size=len(data),
            template_id=codec.template_id(body),
        )
        self._stats.add_encoded(result.method, result.original_size, result.compressed_size, result.template_id is not None)
        return result

    def _hint_codec(self) -> Codec:
        for codec in self.codecs:
            if codec.accepts_hints:
                return codec
        raise TemplateHintError("template hints need a codec that takes them: install aura-templates")

    def decompress(self, payload: bytes) -> str:
        """Return exactly the text that was compressed, or raise an ``AuraDecodeError`` subclass."""
        if not isinstance(payload, (bytes, bytearray, memoryview)):
            raise TypeError(f"decompress() takes bytes, not {type(payload).__name__}")
        payload = bytes(payload)
        if not payload:
            raise CorruptBodyError("empty payload: every AURA payload starts with a marker byte")
        codec = self.registry.codec_for_marker(payload[0])
        text = codec.decode(payload[1:], self.context)
        self._stats.add_decoded()
        return text

    def _threaded(self, count: int) -> bool:
        return count >= _MIN_THREADED_BATCH and all(c.releases_gil for c in self.codecs)

    def compress_many(self, texts: Iterable[str], workers: int | None = None) -> list[CompressResult]:
        """Compress a batch; uses threads when every enabled codec releases the GIL."""
        texts = list(texts)
        if not self._threaded(len(texts)):
            return [self.compress(t) for t in texts]
        with ThreadPoolExecutor(max_workers=workers or os.cpu_count()) as pool:
            return list(pool.map(self.compress, texts, chunksize=32))

    def decompress_many(self, payloads: Iterable[bytes], workers: int | None = None) -> list[str]:
        payloads = list(payloads)
        if not self._threaded(len(payloads)):
            return [self.decompress(p) for p in payloads]
        with ThreadPoolExecutor(max_workers=workers or os.cpu_count()) as pool:
            return list(pool.map(self.decompress, payloads, chunksize=32))

    def statistics(self) -> Statistics:
        return self._stats.snapshot()

    def reset_statistics(self) -> None:
        self._stats.reset()
