"""IPv4 and IPv6 addresses, spelled exactly as found.

An IPv4 address keeps any leading zeros of its octets; an IPv6 address keeps where
its ``::`` stands, how many digits each group was written with, the case of its hex
letters and a dotted IPv4 tail (``::ffff:192.0.2.1``).  The binary form is a header
varint (kind and spelling), then the address bytes as written: a canonical IPv4
address takes 5 bytes.  Ports, brackets, prefix lengths and zone ids stay outside the
span.
"""

from __future__ import annotations

import re

from aura_core import __version__
from aura_core.errors import CorruptBodyError
from aura_core.normalizer import Normalizer
from aura_core.normalizers.wire import read_below, read_bytes
from aura_core.varint import encode_varint

#: Header = kind + 2 * spelling; IPv4 spellings are the 81 leading-zero patterns,
#: IPv6 spellings are case + 2 * dotted tail + 4 * width style.
IPV4, IPV6 = 0, 1
HEADER_LIMIT = 2 * 81
#: Group widths of an IPv6 address: as short as possible, all four digits, or listed.
MINIMAL, FULL, LISTED = 0, 1, 2
#: Shape of an IPv6 address: 0 without "::", else 1 + head groups + 8 * tail groups.
SHAPE_LIMIT = 64

_OCTET = r"25[0-5]|2[0-4]\d|[01]?\d?\d"
_STRICT_OCTET = r"25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d"
_IPV4 = rf"(?:{_OCTET})(?:\.(?:{_OCTET})){{3}}"
_TAIL = rf"(?:{_STRICT_OCTET})(?:\.(?:{_STRICT_OCTET})){{3}}"


def _ipv6_regex() -> str:
    """The IPv6address rule of RFC 3986 section 3.2.2, alternatives in its order."""
    h16 = "[0-9A-Fa-f]{1,4}"
    ls32 = f"(?:{h16}:{h16}|{_TAIL})"
    alternatives = [f"(?:{h16}:){{6}}{ls32}", f"::(?:{h16}:){{5}}{ls32}"]
    for before in range(7):
        head = f"(?:(?:{h16}:){{0,{before}}}{h16})?"
        after = 4 - before
        if after >= 1:
            alternatives.append(f"{head}::(?:{h16}:){{{after}}}{ls32}")
        elif after == 0:
            alternatives.append(f"{head}::{ls32}")
        elif after == -1:
            alternatives.append(f"{head}::{h16}")
        else:
            alternatives.append(f"{head}::")
    return "(?:" + "|".join(alternatives) + ")"


PATTERN = re.compile(
    # IPv6: not inside a word or another address, not the bare "::", not cut short.
    rf"(?<![\w:.])(?=[0-9A-Fa-f]{{0,4}}:)(?!::(?![0-9A-Fa-f])){_ipv6_regex()}(?!\w|\.\d|:\w)"
    rf"|(?<![\w.]){_IPV4}(?!\w|\.\d)"
)


class IpNormalizer(Normalizer):
    """IPv4 and IPv6 addresses (with leading zeros, compressed forms and dotted tails)."""

    name = "ip"
    type_id = 18
    version = __version__
    pattern = PATTERN

    def encode(self, value: str) -> bytes | None:
        if not PATTERN.fullmatch(value):
            return None
        out = _encode_ipv6(value) if ":" in value else _encode_ipv4(value)
        return out if out is not None and self.decode(out) == (value, len(out)) else None

    def decode(self, data: bytes, pos: int = 0) -> tuple[str, int]:
        header, pos = read_below(data, pos, HEADER_LIMIT, "ip header")
        kind, spelling = header & 1, header >> 1
        text, pos = _decode_ipv4(data, pos, spelling) if kind == IPV4 else _decode_ipv6(data, pos, spelling)
        # Some forms spell no address encode() claims (a bare "::"): refused, so every
        # value that decodes can be encoded again.
        if not PATTERN.fullmatch(text):
            raise CorruptBodyError(f"ip form decodes to {text!r}, which is not an address this normalizer writes")
        return text, pos


def _encode_ipv4(text: str) -> bytes:
    octets = text.split(".")
    zeros = sum((len(octet) - len(str(int(octet)))) * 3**i for i, octet in enumerate(octets))
    return encode_varint(IPV4 | zeros << 1) + bytes(int(octet) for octet in octets)


def _decode_ipv4(data: bytes, pos: int, zeros: int) -> tuple[str, int]:
    raw, pos = read_bytes(data, pos, 4, "ipv4 address")
    return ".".join(_padded_octet(octet, zeros // 3**i % 3) for i, octet in enumerate(raw)), pos


def _padded_octet(octet: int, zeros: int) -> str:
    text = "0" * zeros + str(octet)
    if len(text) > 3:
        raise CorruptBodyError(f"ipv4 octet {octet} cannot take {zeros} leading zeros")
    return text


def _encode_ipv6(text: str) -> bytes | None:
    tail = b""
    if "." in text:
        cut = text.rindex(":") + 1
        tail = bytes(int(octet) for octet in text[cut:].split("."))
        text = text[:cut] if text[:cut].endswith("::") else text[: cut - 1]
    if "::" in text:
        head_text, tail_text = text.split("::")
        head = head_text.split(":") if head_text else []
        rest = tail_text.split(":") if tail_text else []
        shape = 1 + len(head) + 8 * len(rest)
        groups = head + rest
    else:
        shape = 0
        groups = text.split(":")
    letters = "".join(char for char in "".join(groups) if char.isalpha())
    if letters == letters.lower():
        upper = 0
    elif letters == letters.upper():
        upper = 1
    else:
        return None
    values = [int(group, 16) for group in groups]
    widths = [len(group) for group in groups]
    natural = [len(f"{value:x}") for value in values]
    style = MINIMAL if widths == natural else FULL if all(width == 4 for width in widths) else LISTED
    spelling = upper | (len(tail) == 4) << 1 | style << 2
    out = encode_varint(IPV6 | spelling << 1) + encode_varint(shape)
    if style == LISTED:
        out += encode_varint(sum((width - 1) << 2 * i for i, width in enumerate(widths)))
    return out + b"".join(value.to_bytes(2, "big") for value in values) + tail


def _decode_ipv6(data: bytes, pos: int, spelling: int) -> tuple[str, int]:
    upper, dotted, style = spelling & 1, spelling >> 1 & 1, spelling >> 2
    if style > LISTED:
        raise CorruptBodyError(f"ipv6 width style {style} is not defined")
    shape, pos = read_below(data, pos, SHAPE_LIMIT, "ipv6 shape")
    tail_units = 2 if dotted else 0
    if shape:
        head_count, tail_count = (shape - 1) % 8, (shape - 1) // 8
        if head_count + tail_count + tail_units > 7:
            raise CorruptBodyError(f"ipv6 shape {shape} leaves nothing for '::' to stand for")
    else:
        head_count, tail_count = 8 - tail_units, 0
    count = head_count + tail_count
    widths = None
    if style == LISTED:
        listed, pos = read_below(data, pos, 4**count, "ipv6 group widths")
        widths = [(listed >> 2 * i & 3) + 1 for i in range(count)]
    raw, pos = read_bytes(data, pos, 2 * count, "ipv6 groups")
    values = [int.from_bytes(raw[2 * i : 2 * i + 2], "big") for i in range(count)]
    if widths is None:
        widths = [4 if style == FULL else len(f"{value:x}") for value in values]
    groups = [_group(value, width, upper) for value, width in zip(values, widths)]
    if dotted:
        octets, pos = read_bytes(data, pos, 4, "ipv6 dotted tail")
        groups.append(".".join(map(str, octets)))
    if not shape:
        return ":".join(groups), pos
    return ":".join(groups[:head_count]) + "::" + ":".join(groups[head_count:]), pos


def _group(value: int, width: int, upper: int) -> str:
    text = f"{value:0{width}X}" if upper else f"{value:0{width}x}"
    if len(text) > width:
        raise CorruptBodyError(f"ipv6 group {text} does not fit in {width} digits")
    return text
