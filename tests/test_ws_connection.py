"""Real connections on 127.0.0.1: undecodable frames close only their connection, with a clear
code and reason; a client that leaves mid-stream ends only its handler; messages round-trip."""

from __future__ import annotations

import asyncio
import logging

import pytest
from attrs import evolve

pytest.importorskip("websockets")

from aura_test_support import core_registry, trainable_registry
from aura_ws_support import echo, running, trained_profile
from hypothesis import given, settings
from hypothesis import strategies as st
from websockets.asyncio.client import connect as plain_connect
from websockets.exceptions import ConnectionClosed, ConnectionClosedError

from aura_core import Compressor
from aura_core.errors import InvalidTextError
from aura_core.ws.client import connect
from aura_core.ws.connection import (
    PROFILE_MISMATCH,
    REFERENCE_REPLY,
    UNKNOWN_MARKER,
    AuraConnection,
    Compressors,
    close_reason,
)
from aura_core.ws.metrics import Metrics
from aura_core.ws.negotiation import DECODES_HEADER, Agreement, Capabilities
from aura_core.ws.stream import StreamEncoder, chunk_words

pytestmark = pytest.mark.timeout(60)

CORE_OFFER = Capabilities(markers={0, 1}).token()


async def expect_close(url: str, frame: bytes | str, subprotocols: list[str] | None) -> ConnectionClosed:
    """Send one frame as a client that bypasses the helpers; return how the server closed."""
    async with plain_connect(url, subprotocols=subprotocols) as ws:
        await ws.send(frame)
        with pytest.raises(ConnectionClosed) as caught:
            await ws.recv()
        return caught.value


@pytest.mark.parametrize(
    ("frame", "subprotocols", "code", "reason"),
    [
        (b"\x01this is not brotli", [CORE_OFFER], 1007, "CorruptBodyError: brotli body does not parse"),
        (b"", [CORE_OFFER], 1007, "CorruptBodyError: empty payload"),
        (b"\x00\xff\xfe", [CORE_OFFER], 1007, "CorruptBodyError: raw body is not valid UTF-8"),
        (b"\xfehello", [CORE_OFFER], UNKNOWN_MARKER, "UnknownMarkerError: unknown marker 0xFE"),
        (b"\xff\x02", [CORE_OFFER], 1007, "CorruptBodyError: stream header"),
        (b"\xff\x01\x00", [CORE_OFFER], 1007, "CorruptBodyError: stream"),
        (b"hello", None, 1003, "BinaryOnPlainConnection: binary frames need the aura.v1 subprotocol"),
    ],
)
def test_an_undecodable_frame_closes_that_connection_and_the_server_keeps_serving(frame, subprotocols, code, reason):
    async def scenario():
        async with running(echo) as url:
            async with connect(url) as bystander:
                await bystander.send("before")
                assert await bystander.recv() == "before"
                closed = await expect_close(url, frame, subprotocols)
                await bystander.send("after")
                assert await bystander.recv() == "after"
            async with connect(url) as newcomer:
                await newcomer.send("a new connection")
                assert await newcomer.recv() == "a new connection"
            return closed

    closed = asyncio.run(scenario())
    assert closed.rcvd is not None
    assert closed.rcvd.code == code
    assert closed.rcvd.reason.startswith(reason)


def test_a_message_made_with_a_profile_the_server_lacks_gets_4002():
    registry = trainable_registry()
    client_side = trained_profile(7, ("north", "south", "east", "west"), registry)
    text = "the north and the south went to see the east again"
    payload = Compressor(profile=client_side, registry=registry).compress(text).compressed_data
    assert payload[0] == 0xC1  # the trainable codec, with a profile the server does not hold

    async def scenario():
        async with running(echo, registry=registry) as url:
            return await expect_close(url, payload, [Capabilities(markers={0, 1, 0xC1}).token()])

    closed = asyncio.run(scenario())
    assert closed.rcvd.code == PROFILE_MISMATCH
    assert closed.rcvd.reason.startswith("ProfileMismatchError: this message was encoded with profile id 7")


def test_the_helper_surfaces_a_close_as_connection_closed_with_the_decode_error_as_cause():
    async def garbage_server(conn: AuraConnection) -> None:
        await conn.ws.send(b"\x01garbage")
        await conn.ws.wait_closed()

    async def scenario():
        async with running(garbage_server) as url, connect(url) as conn:
            with pytest.raises(ConnectionClosedError) as caught:
                await conn.recv()
            return caught.value

    closed = asyncio.run(scenario())
    assert closed.sent.code == 1007 and "brotli" in closed.sent.reason
    assert type(closed.__cause__).__name__ == "CorruptBodyError"


def test_close_reasons_fit_in_a_close_frame():
    reason = close_reason(ValueError("é" * 200))
    assert len(reason.encode()) <= 123 and reason.startswith("ValueError: é")


def test_a_client_that_disconnects_mid_stream_ends_only_its_handler(caplog):
    outcomes: list[str] = []

    async def streaming(conn: AuraConnection) -> None:
        leaving = not outcomes  # the first connection is the one that leaves
        outcomes.append("started")
        async for _ in conn:

            async def chunks():
                yield "first words "
                if leaving:  # go on only once the client has left, so the next send must fail
                    await asyncio.wait_for(conn.ws.wait_closed(), 30)
                for n in range(100):
                    yield f"more words {n} "

            try:
                await conn.send_stream(chunks())
                outcomes.append("completed")
            except ConnectionClosed:
                outcomes.append("closed")
                raise

    async def scenario():
        async with running(streaming, streams="always") as url:
            async with connect(url) as leaving:
                await leaving.send("tell me a long story")
                pieces = aiter(leaving.recv_streaming())
                assert await anext(pieces) == "first words "
                leaving.ws.transport.abort()  # gone without a closing handshake
            async with connect(url) as staying:
                await staying.send("and now?")
                return "".join([piece async for piece in staying.recv_streaming()])

    with caplog.at_level(logging.ERROR):
        story = asyncio.run(scenario())
    assert story == "first words " + "".join(f"more words {n} " for n in range(100))
    assert outcomes == ["started", "closed", "started", "completed"]
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@settings(max_examples=25)
@given(messages=st.lists(st.text(), min_size=1, max_size=5), stream=st.lists(st.text(max_size=30), max_size=8))
def test_messages_and_streams_round_trip_over_a_real_connection(messages, stream):
    metrics = Metrics()

    async def scenario():
        async def handler(conn: AuraConnection) -> None:
            async for text in conn:
                if text == "stream please":
                    await conn.send_stream(stream)
                else:
                    await conn.send(text)

        async with running(handler, metrics=metrics, streams="always") as url, connect(url) as conn:
            got = []
            for text in messages:
                await conn.send(text)
                got.append(await conn.recv())
            await conn.send("stream please")
            pieces = [piece async for piece in conn.recv_streaming()]
            return got, pieces

    got, pieces = asyncio.run(scenario())
    assert got == messages
    assert "".join(pieces) == "".join(stream)
    assert [p for p in pieces if p] == [c for c in stream if c]
    assert metrics.directions["in"].messages == len(messages) + 1


def test_lone_surrogates_are_refused_before_anything_is_sent():
    async def scenario():
        async with running(echo) as url:
            async with connect(url, streams="always") as conn:
                with pytest.raises(InvalidTextError):
                    await conn.send("bad \ud800 text")
                # A bad chunk after the first has left cannot be taken back: the
                # message cannot be completed, so websockets fails the connection.
                with pytest.raises(InvalidTextError):
                    await conn.send_stream(["fine ", "bad \udfff"])
            async with connect(url, offer=False) as conn:
                with pytest.raises(InvalidTextError):
                    await conn.send("bad \ud800 text")
                await conn.send("still open")
                return await conn.recv()

    assert asyncio.run(scenario()) == "still open"


def test_every_aura_frame_decodes_on_its_own_with_a_fresh_compressor():
    texts = [f"reply {n}: here is how you can do this in Python, step by step, as before." for n in range(6)]

    async def scenario():
        async with running(echo) as url, plain_connect(url, subprotocols=[CORE_OFFER]) as ws:
            frames = []
            for text in texts:
                await ws.send(b"\x00" + text.encode())
                frames.append(await ws.recv())
            return frames

    frames = asyncio.run(scenario())
    assert all(isinstance(f, bytes) for f in frames)
    # Last first, each with a new Compressor: no frame depends on another.
    for frame, text in reversed(list(zip(frames, texts))):
        assert Compressor().decompress(frame) == text


def test_connections_share_compressors_and_a_profile_is_loaded_once():
    registry = trainable_registry()
    profile = trained_profile(1, ("red", "green", "blue", "white"), registry)
    seen: list[Compressor] = []

    async def remember(conn: AuraConnection) -> None:
        seen.append(conn.compressor)
        await echo(conn)

    async def scenario():
        shared = Compressors(registry)
        clients = []
        async with running(remember, profiles=[profile], registry=registry) as url:
            for client_registry, offer in (
                (registry, True),
                (registry, True),
                (core_registry(), True),
                (registry, False),
            ):
                own = shared if client_registry is registry else None
                async with connect(
                    url, profiles=[profile], registry=client_registry, offer=offer, compressors=own
                ) as conn:
                    await conn.send("the red and the green went to see the blue again")
                    assert await conn.recv() == "the red and the green went to see the blue again"
                    clients.append(conn.compressor)
        return clients

    clients = asyncio.run(scenario())
    same, again, fewer_codecs, plain = seen
    assert same is again and clients[0] is clients[1]  # one agreement, one Compressor
    # A client decoding only the core codecs gets a restricted copy sharing the loaded profile.
    assert fewer_codecs is not same and fewer_codecs.context is same.context
    assert {c.name for c in fewer_codecs.codecs} == {"brotli"} and "test-deflate-dict" in {c.name for c in same.codecs}
    assert plain.profile is None and same.profile == profile


def test_a_restricted_compressor_encodes_only_with_the_codecs_kept():
    registry = trainable_registry()
    profile = trained_profile(1, ("red", "green", "blue", "white"), registry)
    full = Compressor(profile=profile, registry=registry)
    only_brotli = full.restricted(["brotli"])
    text = "the red and the green went to see the blue again"
    assert full.compress(text).method == "test-deflate-dict"
    assert only_brotli.compress(text).method in {"brotli", "raw"}
    assert only_brotli.context is full.context and full.codecs != only_brotli.codecs
    assert only_brotli.decompress(full.compress(text).compressed_data) == text  # decoding is not restricted
    assert only_brotli.statistics().messages == 1 and full.statistics().messages == 2


def test_the_auto_stream_policy_streams_where_the_stream_format_is_smaller():
    compressors = Compressors(core_registry())
    agreement = Agreement(token="aura.v1.m01.s1", markers=frozenset({0, 1}), streams=True)
    # Core codecs gain nothing on 1-5-word chunks; a stream with context does.
    chunks = chunk_words(REFERENCE_REPLY)
    separate = sum(len(compressors.get(agreement).compress(c).compressed_data) for c in chunks)
    encoder = StreamEncoder()
    assert sum(len(encoder.encode(c)) for c in chunks) + len(encoder.finish()) < separate
    assert compressors.sends_streams(agreement, "auto")
    assert compressors.sends_streams(agreement, "always") and not compressors.sends_streams(agreement, "never")
    assert not compressors.sends_streams(evolve(agreement, streams=False), "always")  # the peer cannot decode them
    with pytest.raises(ValueError, match="auto, always, never"):
        compressors.sends_streams(agreement, "sometimes")


def test_a_server_that_never_streams_sends_one_message_per_chunk():
    async def storyteller(conn: AuraConnection) -> None:
        async for _ in conn:
            await conn.send_stream(["once ", "upon ", "a time"])

    async def scenario():
        async with running(storyteller, streams="never") as url, connect(url) as conn:
            assert not conn.agreement.streams and "s" not in conn.ws.response.headers[DECODES_HEADER]
            await conn.send("story?")
            return [await conn.recv() for _ in range(3)]

    assert asyncio.run(scenario()) == ["once ", "upon ", "a time"]
