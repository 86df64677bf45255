"""aura-core's own plugin: registered through the ``aura`` entry-point group like any other."""

from __future__ import annotations

from collections.abc import Callable

from aura_core.codec import Codec
from aura_core.codecs.brotli import BrotliCodec
from aura_core.codecs.raw import RawCodec
from aura_core.hookspecs import hookimpl


@hookimpl
def aura_register_codecs(register: Callable[[Codec], None]) -> None:
    register(RawCodec())
    register(BrotliCodec())
