"""Negotiation: the token grammar, the server's choice, and real handshakes on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json

import pytest

pytest.importorskip("websockets")

from aura_test_support import core_registry, trainable_registry
from aura_ws_support import echo, running, trained_profile
from hypothesis import given
from hypothesis import strategies as st
from websockets.asyncio.client import connect as plain_connect

from aura_core.ws.client import connect
from aura_core.ws.connection import AuraConnection
from aura_core.ws.metrics import Metrics
from aura_core.ws.negotiation import (
    DECODES_HEADER,
    PROTOCOL,
    Capabilities,
    NegotiationError,
    client_agreement,
    client_tokens,
    profile_name,
    select,
)

pytestmark = pytest.mark.timeout(60)

SPORTS = ("ball", "goal", "team", "match", "coach")
COOKING = ("salt", "pan", "oven", "knife", "broth")
TRAVEL = ("train", "map", "ticket", "hotel", "beach")
MARKER = st.integers(0x00, 0xFE)
PROFILE = st.none() | st.text("0123456789abcdef", min_size=16, max_size=16)


@given(st.frozensets(MARKER), st.frozensets(st.integers(1, 9)), PROFILE)
def test_capabilities_round_trip_through_a_token(markers, streams, profile):
    caps = Capabilities(markers=markers, streams=streams, profile=profile)
    token = caps.token()
    assert token.startswith(PROTOCOL + ".m")
    assert all(c.isalnum() or c == "." for c in token)  # an RFC 6455 subprotocol token
    assert Capabilities.parse_token(token) == caps
    assert 0x00 in caps.markers


def test_token_examples_match_the_documented_grammar():
    caps = Capabilities(markers={0, 1, 2, 3, 4, 5}, streams={1}, profile="3fa9c2e01b77d4a0")
    assert caps.token() == "aura.v1.m0102030405.p3fa9c2e01b77d4a0.s1"
    assert Capabilities(markers=set()).token() == "aura.v1.m"
    assert Capabilities.parse_token("aura.v1.m01.x-future-field").markers == {0, 1}
    assert Capabilities.parse_token("chat.v2") is None


@pytest.mark.parametrize(
    "token",
    [
        "aura.v1.",
        "aura.v1.p3fa9c2e01b77d4a0",  # no markers field
        "aura.v1.m0",  # odd number of hex digits
        "aura.v1.m0A",  # upper case
        "aura.v1.m01.m02",  # field twice
        "aura.v1.m01.p3fa9",  # short profile name
        "aura.v1.m01..s1",  # empty field
        "aura.v1.m01.s0",  # stream formats start at 1
        "aura.v1.mff",  # reserved marker
    ],
)
def test_malformed_aura_tokens_are_refused(token):
    with pytest.raises(NegotiationError):
        Capabilities.parse_token(token)


def test_server_selects_the_first_token_whose_profile_it_holds():
    held = {"1111111111111111": object()}
    offered = [
        "chat.v2",
        "aura.v1.m01.p2222222222222222",  # a profile the server lacks
        "aura.v1.m0.p1111111111111111",  # malformed: skipped like a foreign token
        "aura.v1.m01.p1111111111111111",
        "aura.v1.m01",
    ]
    token, caps = select(offered, held)
    assert token == "aura.v1.m01.p1111111111111111" and caps.profile == "1111111111111111"
    assert select(["aura.v1.m01.p2222222222222222", "aura.v1.m01"], held)[0] == "aura.v1.m01"
    assert select(["chat.v2"], held) is None
    assert select([], held) is None


def test_client_tokens_offer_each_profile_then_none():
    first, second = trained_profile(1, SPORTS), trained_profile(2, COOKING)
    tokens = client_tokens({0, 1}, [first, second], streams=True)
    assert tokens == [
        f"aura.v1.m01.p{profile_name(first)}.s1",
        f"aura.v1.m01.p{profile_name(second)}.s1",
        "aura.v1.m01.s1",
    ]
    assert profile_name(first) == first.hash[:16]


def test_a_client_without_the_decodes_header_sends_only_core_markers():
    agreement = client_agreement("aura.v1.m0102c1", None, [], {0x00, 0x01, 0x02, 0xC1})
    assert agreement.markers == {0x00, 0x01} and not agreement.streams
    agreement = client_agreement("aura.v1.m01", "m02c1.s1", [], {0x00, 0x01, 0x02, 0xC1})
    assert agreement.markers == {0x00, 0x02, 0xC1} and agreement.streams


# -- real handshakes ---------------------------------------------------------------


def describe(conn: AuraConnection) -> str:
    a = conn.agreement
    return json.dumps(
        {"token": a.token, "profile": a.profile.hash if a.profile else None, "markers": sorted(a.markers)}
    )


async def describing(conn: AuraConnection) -> None:
    """Replies to each message with the text it decoded and what this side agreed."""
    async for text in conn:
        await conn.send(json.dumps({"echo": text, "server": json.loads(describe(conn))}))


def test_negotiation_both_ways_with_a_shared_profile():
    sports, cooking, travel = trained_profile(1, SPORTS), trained_profile(2, COOKING), trained_profile(3, TRAVEL)
    server_metrics, client_metrics = Metrics(), Metrics()

    async def scenario():
        server = running(describing, profiles=[sports, cooking], registry=trainable_registry(), metrics=server_metrics)
        async with server as url:
            # travel is offered first, but only cooking is held by both.
            client = connect(url, profiles=[travel, cooking], registry=trainable_registry(), metrics=client_metrics)
            async with client as conn:
                assert conn.agreement.profile == cooking
                assert DECODES_HEADER.lower() in {k.lower() for k in conn.ws.response.headers}
                await conn.send("the salt and the pan went to see the oven again")
                reply = json.loads(await conn.recv())
                return conn.agreement, reply

    agreement, reply = asyncio.run(scenario())
    assert reply["echo"] == "the salt and the pan went to see the oven again"
    assert reply["server"]["profile"] == cooking.hash and reply["server"]["token"] == agreement.token
    assert 0xC1 in reply["server"]["markers"] and 0xC1 in agreement.markers
    # Both directions used the trainable codec with the shared profile.
    assert server_metrics.directions["in"].methods["test-deflate-dict"] == 1
    assert client_metrics.directions["out"].methods["test-deflate-dict"] == 1
    assert client_metrics.directions["in"].messages == 1


def test_without_a_common_profile_aura_is_agreed_without_one():
    async def scenario():
        server = running(echo, profiles=[trained_profile(1, SPORTS)], registry=trainable_registry())
        async with (
            server as url,
            connect(url, profiles=[trained_profile(2, COOKING)], registry=trainable_registry()) as conn,
        ):
            await conn.send("hello there, hello there, hello there")
            return conn.agreement, await conn.recv()

    agreement, reply = asyncio.run(scenario())
    assert agreement.aura and agreement.profile is None
    assert reply == "hello there, hello there, hello there"


def test_server_uses_only_codecs_the_client_decodes():
    metrics = Metrics()

    async def scenario():
        profile = trained_profile(1, SPORTS)
        server = running(echo, profiles=[profile], registry=trainable_registry(), metrics=metrics)
        # This client decodes only the core codecs: it cannot hold the trainable codec's output.
        async with server as url, connect(url, profiles=[profile], registry=core_registry()) as conn:
            await conn.send("the ball and the goal went to see the team again")
            return await conn.recv()

    assert asyncio.run(scenario()) == "the ball and the goal went to see the team again"
    assert set(metrics.directions["out"].methods) <= {"raw", "brotli"}


def test_a_plain_client_gets_text_frames():
    metrics = Metrics()

    async def scenario():
        async with running(echo, metrics=metrics) as url, plain_connect(url) as ws:
            assert ws.subprotocol is None
            await ws.send("café ☕ " * 20)
            return await ws.recv()

    reply = asyncio.run(scenario())
    assert isinstance(reply, str) and reply == "café ☕ " * 20
    assert metrics.directions["in"].methods == {"text": 1} and metrics.directions["out"].methods == {"text": 1}


def test_a_client_offering_another_protocol_only_gets_text_frames():
    async def scenario():
        async with running(echo) as url, plain_connect(url, subprotocols=["chat.v2"]) as ws:
            await ws.send("hello")
            return ws.subprotocol, await ws.recv()

    assert asyncio.run(scenario()) == (None, "hello")
