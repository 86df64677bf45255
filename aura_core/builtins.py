"""aura-core's own plugin: registered through the ``aura`` entry-point group like any other."""

from __future__ import annotations

from collections.abc import Callable

from aura_core.codec import Codec
from aura_core.codecs.brotli import BrotliCodec
from aura_core.codecs.raw import RawCodec
from aura_core.hookspecs import hookimpl
from aura_core.normalizer import Normalizer
from aura_core.normalizers.ip import IpNormalizer
from aura_core.normalizers.timestamp import TimestampNormalizer
from aura_core.normalizers.uuid import UuidNormalizer


@hookimpl
def aura_register_codecs(register: Callable[[Codec], None]) -> None:
    register(RawCodec())
    register(BrotliCodec())


@hookimpl
def aura_register_normalizers(register: Callable[[Normalizer], None]) -> None:
    register(TimestampNormalizer())
    register(UuidNormalizer())
    register(IpNormalizer())
