"""The opening-handshake negotiation of AURA over WebSocket (docs/websocket.md, "Negotiation").

Everything is decided once, in the HTTP upgrade, so that no message is spent on it:

* The client offers one ``Sec-WebSocket-Protocol`` token per profile it holds (most
  preferred first) and a last token without a profile.  Each token also states which
  codec markers and stream formats the client *decodes*.  Tokens are the only thing a
  browser's ``WebSocket`` constructor can send, so a browser client can negotiate too.
* The server selects the first token whose profile it holds (or the profile-less one)
  and echoes it; both sides then encode with that profile.  Its ``Aura-Decodes``
  response header states what the *server* decodes, so each side encodes only with
  codecs the other side decodes.
* A client that offers no AURA token gets no subprotocol and plain text frames.

This module is pure protocol: strings in, decisions out, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from attrs import field, frozen

from aura_core import markers
from aura_core.profile import Profile

#: Protocol name and version every AURA subprotocol token starts with.
PROTOCOL = "aura.v1"
#: Response header naming what the server decodes (same field syntax as a token's fields).
DECODES_HEADER = "Aura-Decodes"
#: Hex digits of a profile's content hash that name it in a token (64 bits).
PROFILE_NAME_DIGITS = 16
#: The one stream format of this protocol version (docs/websocket.md, "Streamed replies").
STREAM_DEFLATE = 1
#: Markers every aura-core decodes, used towards a peer that did not say what it decodes.
CORE_MARKERS = frozenset({markers.RAW, markers.BROTLI})

_MARKERS_FIELD = re.compile(r"m((?:[0-9a-f]{2})*)")
_PROFILE_FIELD = re.compile(rf"p([0-9a-f]{{{PROFILE_NAME_DIGITS}}})")
_STREAMS_FIELD = re.compile(r"s([1-9])+")


class NegotiationError(ValueError):
    """A token or header that claims to be AURA's but does not follow the grammar."""


def _with_raw(decodes: Iterable[int]) -> frozenset[int]:
    return frozenset(decodes) | {markers.RAW}


def profile_name(profile: Profile) -> str:
    """How a profile is named in the handshake: the first 16 hex digits of its content hash."""
    return profile.hash[:PROFILE_NAME_DIGITS]


@frozen
class Capabilities:
    """What one peer decodes, and (in a client's token) the profile it proposes."""

    #: Codec markers the peer decodes; raw (0x00) is always among them.
    markers: frozenset[int] = field(converter=_with_raw)
    #: Stream formats the peer decodes (``STREAM_DEFLATE``), empty when none.
    streams: frozenset[int] = frozenset()
    #: Name (:func:`profile_name`) of the proposed profile; ``None`` for none.
    profile: str | None = None

    def fields(self) -> str:
        """The ``.``-separated fields: ``m<markers>[.p<profile>][.s<formats>]``."""
        out = ["m" + "".join(f"{m:02x}" for m in sorted(self.markers - {markers.RAW}))]
        if self.profile is not None:
            out.append("p" + self.profile)
        if self.streams:
            out.append("s" + "".join(str(s) for s in sorted(self.streams)))
        return ".".join(out)

    def token(self) -> str:
        """The subprotocol token offering these capabilities."""
        return f"{PROTOCOL}.{self.fields()}"

    @classmethod
    def parse_fields(cls, text: str) -> Capabilities:
        """Parse ``m…[.p…][.s…]``; unknown fields (other leading letters) are ignored.

        Raises :class:`NegotiationError` when the markers field is missing or a known
        field is malformed.
        """
        found: dict[str, str] = {}
        for item in text.split("."):
            if not item:
                raise NegotiationError(f"empty field in {text!r}")
            if item[0] in "mps":
                if item[0] in found:
                    raise NegotiationError(f"field {item[0]!r} given twice in {text!r}")
                found[item[0]] = item
        if "m" not in found:
            raise NegotiationError(f"no markers field (m…) in {text!r}")
        marker_match = _MARKERS_FIELD.fullmatch(found["m"])
        if marker_match is None:
            raise NegotiationError(f"markers field {found['m']!r} is not pairs of lowercase hex digits")
        hexes = marker_match.group(1)
        decoded = frozenset(int(hexes[i : i + 2], 16) for i in range(0, len(hexes), 2))
        if markers.EXTENDED in decoded:
            raise NegotiationError("marker ff is reserved and cannot be offered")
        profile = None
        if "p" in found:
            profile_match = _PROFILE_FIELD.fullmatch(found["p"])
            if profile_match is None:
                raise NegotiationError(
                    f"profile field {found['p']!r} is not 'p' and {PROFILE_NAME_DIGITS} lowercase hex digits"
                )
            profile = profile_match.group(1)
        streams: frozenset[int] = frozenset()
        if "s" in found:
            if _STREAMS_FIELD.fullmatch(found["s"]) is None:
                raise NegotiationError(f"streams field {found['s']!r} is not 's' and format digits")
            streams = frozenset(int(digit) for digit in found["s"][1:])
        return cls(markers=decoded, streams=streams, profile=profile)

    @classmethod
    def parse_token(cls, token: str) -> Capabilities | None:
        """The capabilities in an AURA token; ``None`` for another protocol's token."""
        if not token.startswith(PROTOCOL + "."):
            return None
        return cls.parse_fields(token[len(PROTOCOL) + 1 :])


def client_tokens(decodes: Iterable[int], profiles: Sequence[Profile], streams: bool = True) -> list[str]:
    """The tokens a client offers: one per held profile in preference order, then none."""
    caps = Capabilities(markers=frozenset(decodes), streams=frozenset({STREAM_DEFLATE}) if streams else frozenset())
    names = [profile_name(p) for p in profiles]
    return [Capabilities(caps.markers, caps.streams, name).token() for name in names] + [caps.token()]


@frozen
class Agreement:
    """What one side of a connection may send, decided in the handshake."""

    #: The selected subprotocol token; ``None`` means plain text frames.
    token: str | None = None
    #: The profile both sides hold and encode with; ``None`` for none.
    profile: Profile | None = None
    #: Markers this side may encode with: it has the codec and the peer decodes it.
    markers: frozenset[int] = frozenset({markers.RAW})
    #: Whether this side may send streamed replies (the peer decodes format 1).
    streams: bool = False

    @property
    def aura(self) -> bool:
        return self.token is not None


PLAIN = Agreement()


def select(offered: Sequence[str], held: Mapping[str, Profile]) -> tuple[str, Capabilities] | None:
    """The server's choice: the first well-formed AURA token whose profile it holds.

    ``held`` maps :func:`profile_name` to profile.  Malformed AURA tokens are skipped,
    like tokens of other protocols; ``None`` means no AURA token fits (plain text).
    """
    for token in offered:
        try:
            caps = Capabilities.parse_token(token)
        except NegotiationError:
            continue
        if caps is not None and (caps.profile is None or caps.profile in held):
            return token, caps
    return None


def server_agreement(
    token: str, client: Capabilities, held: Mapping[str, Profile], encodes: Iterable[int], streams: bool
) -> Agreement:
    """What the server may send after selecting ``token`` from a client with ``client`` capabilities."""
    return Agreement(
        token=token,
        profile=held[client.profile] if client.profile is not None else None,
        markers=(frozenset(encodes) & client.markers) | {markers.RAW},
        streams=streams and STREAM_DEFLATE in client.streams,
    )


def client_agreement(
    token: str | None, decodes_header: str | None, held: Sequence[Profile], encodes: Iterable[int]
) -> Agreement:
    """What the client may send, from the server's selected token and ``Aura-Decodes`` header.

    Without the header (a proxy dropped it) the client assumes only the core markers
    and no streams, which every aura-core server decodes.
    """
    if token is None:
        return PLAIN
    chosen = Capabilities.parse_token(token)
    if chosen is None:
        raise NegotiationError(f"server selected {token!r}, which is not an AURA token")
    server = (
        Capabilities.parse_fields(decodes_header) if decodes_header is not None else Capabilities(markers=CORE_MARKERS)
    )
    by_name = {profile_name(p): p for p in held}
    if chosen.profile is not None and chosen.profile not in by_name:
        raise NegotiationError(f"server selected profile {chosen.profile}, which this client did not offer")
    return Agreement(
        token=token,
        profile=by_name[chosen.profile] if chosen.profile is not None else None,
        markers=(frozenset(encodes) & server.markers) | {markers.RAW},
        streams=STREAM_DEFLATE in server.streams,
    )
