"""Raw (0x00): the body is the UTF-8 text as is; what goes out when nothing helps."""

from __future__ import annotations

from aura_core import __version__, markers
from aura_core.codec import Codec, CodecContext
from aura_core.errors import CorruptBodyError


def decode_utf8(data: bytes, what: str) -> str:
    """Strict UTF-8 decoding with the error every codec raises for invalid bytes."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CorruptBodyError(f"{what} is not valid UTF-8 at byte {exc.start}: {exc.reason}") from None


class RawCodec(Codec):
    name = "raw"
    marker = markers.RAW
    version = __version__

    def encode(self, text: str, data: bytes, ctx: CodecContext) -> bytes:
        return data

    def decode(self, body: bytes, ctx: CodecContext) -> str:
        ctx.check_output_size(len(body))
        return decode_utf8(body, "raw body")
