"""aura-zstd's plugin module: the entry point ``zstd`` in the ``aura`` group names it."""

from __future__ import annotations

from collections.abc import Callable

from aura_core import Codec, hookimpl
from aura_zstd.zstd import ZstdCodec
from aura_zstd.zstd_dict import ZstdDictCodec


@hookimpl
def aura_register_codecs(register: Callable[[Codec], None]) -> None:
    register(ZstdCodec())
    register(ZstdDictCodec())
