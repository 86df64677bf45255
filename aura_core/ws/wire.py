"""Counting what a connection puts on the wire, the same way for every kind of connection.

:class:`WireCounter` is a websockets extension that is never negotiated: it is
appended last to a connection's list of extensions, so it sees every outgoing data
frame after all other extensions (permessage-deflate) have encoded it, and every
incoming data frame before they decode it.  Its figures are therefore the frame
payload bytes that actually cross the network, whatever compression is in use;
frame headers are added from RFC 6455's length rules (2, 4 or 10 bytes, plus a
4-byte mask on frames a client sends).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from attrs import define
from websockets.extensions.base import Extension
from websockets.frames import DATA_OPCODES, Frame
from websockets.typing import ExtensionName

if TYPE_CHECKING:
    from websockets.asyncio.connection import Connection

_MASK = 4


def frame_header_size(payload: int, masked: bool) -> int:
    """Size of a data frame's header (RFC 6455 section 5.2) for a payload of ``payload`` bytes."""
    length_field = 0 if payload < 126 else 2 if payload < 65536 else 8
    return 2 + length_field + (_MASK if masked else 0)


@define
class Tally:
    """Data frames in one direction: how many, their payload bytes, their header bytes."""

    frames: int = 0
    payload: int = 0
    headers: int = 0

    @property
    def wire(self) -> int:
        return self.payload + self.headers

    def add(self, payload: int, masked: bool) -> None:
        self.frames += 1
        self.payload += payload
        self.headers += frame_header_size(payload, masked)

    def merge(self, other: Tally) -> None:
        self.frames += other.frames
        self.payload += other.payload
        self.headers += other.headers


class WireCounter(Extension):
    """Counts data frames sent and received by one connection (installed with :meth:`attach`)."""

    name = ExtensionName("x-aura-wire-counter")

    def __init__(self, client: bool) -> None:
        #: Frames a client sends are masked; frames a server sends are not.
        self.client = client
        self.sent = Tally()
        self.received = Tally()

    def attach(self, connection: Connection) -> WireCounter:
        """Append to ``connection``'s extensions; call before any data frame crosses it."""
        connection.protocol.extensions.append(self)
        return self

    def encode(self, frame: Frame) -> Frame:
        if frame.opcode in DATA_OPCODES:
            self.sent.add(len(frame.data), masked=self.client)
        return frame

    def decode(self, frame: Frame, *, max_size: int | None = None) -> Frame:
        if frame.opcode in DATA_OPCODES:
            self.received.add(len(frame.data), masked=not self.client)
        return frame
