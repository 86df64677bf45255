"""The ``aura`` entry point of aura-brio: registers the BRIO codec."""

from __future__ import annotations

from collections.abc import Callable

from aura_brio.codec import BrioCodec
from aura_core.codec import Codec
from aura_core.hookspecs import hookimpl


@hookimpl
def aura_register_codecs(register: Callable[[Codec], None]) -> None:
    register(BrioCodec())
