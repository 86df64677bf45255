"""The IP normalizer: IPv4 and IPv6 addresses in every spelling, checked against ipaddress."""

from __future__ import annotations

import ipaddress
import re
from pathlib import Path

import pytest
from aura_test_support import corpus_texts
from hypothesis import given, settings
from hypothesis import strategies as st
from test_normalizer_common import check_find

from aura_core import CorruptBodyError
from aura_core.normalizers.ip import IpNormalizer
from aura_core.varint import encode_varint

NORMALIZER = IpNormalizer()


def check_claimed(text: str) -> bytes:
    encoded = NORMALIZER.encode(text)
    assert encoded is not None, text
    assert NORMALIZER.decode(encoded) == (text, len(encoded))
    assert check_find(NORMALIZER, f"from [{text}]:22, ok") == [text]
    return encoded


@settings(max_examples=200)
@given(address=st.ip_addresses(v=4))
def test_ipv4_takes_five_bytes(address: ipaddress.IPv4Address) -> None:
    encoded = check_claimed(str(address))
    assert len(encoded) <= 5
    assert encoded[1:] == address.packed


@settings(max_examples=200)
@given(address=st.ip_addresses(v=4), widths=st.lists(st.integers(1, 3), min_size=4, max_size=4))
def test_ipv4_leading_zeros_are_kept(address: ipaddress.IPv4Address, widths: list[int]) -> None:
    text = ".".join(f"{octet:0{width}d}" for octet, width in zip(address.packed, widths))
    assert len(check_claimed(text)) <= 6


@st.composite
def ipv6_spellings(draw: st.DrawFn) -> tuple[ipaddress.IPv6Address, str]:
    """An address and one way of writing it: group widths, '::' on any zero run, case, dotted tail."""
    groups = draw(st.lists(st.one_of(st.just(0), st.integers(0, 0xFFFF)), min_size=8, max_size=8))
    address = ipaddress.IPv6Address(b"".join(g.to_bytes(2, "big") for g in groups))
    dotted = draw(st.booleans())
    hex_count = 6 if dotted else 8
    style = draw(st.sampled_from(["minimal", "full", "random"]))
    texts = []
    for value in groups[:hex_count]:
        natural = len(f"{value:x}")
        width = {"minimal": natural, "full": 4}.get(style) or draw(st.integers(natural, 4))
        texts.append(f"{value:0{width}x}")
    if draw(st.booleans()):
        texts = [text.upper() for text in texts]
    if dotted:
        texts.append(".".join(map(str, address.packed[12:])))
    runs = [
        (start, end)
        for start in range(hex_count)
        for end in range(start + 1, hex_count + 1)
        if all(value == 0 for value in groups[start:end])
    ]
    if runs and draw(st.booleans()):
        start, end = draw(st.sampled_from(runs))
        text = ":".join(texts[:start]) + "::" + ":".join(texts[end:])
    else:
        text = ":".join(texts)
    return address, text


@settings(max_examples=400)
@given(spelling=ipv6_spellings())
def test_ipv6_spellings_round_trip(spelling: tuple[ipaddress.IPv6Address, str]) -> None:
    address, text = spelling
    if text == "::":
        assert NORMALIZER.encode(text) is None  # too common outside addresses (C++, slices)
        return
    assert ipaddress.IPv6Address(text) == address
    encoded = check_claimed(text)
    assert len(encoded) <= 21


@settings(max_examples=200)
@given(address=st.ip_addresses(v=6))
def test_canonical_ipv6_is_at_most_18_bytes(address: ipaddress.IPv6Address) -> None:
    if address != ipaddress.IPv6Address(0):
        assert len(check_claimed(str(address))) <= 18
        assert len(check_claimed(address.exploded)) <= 18


@pytest.mark.parametrize(
    ("sentence", "claimed"),
    [
        ("std::vector and Foo::Bar", []),
        ("12:34:56 and 00:1a:2b:3c:4d:5e", []),
        ("1.3.6.1.4.1 and 1.2.3 and 256.1.1.1", []),
        ("rip=192.0.2.1, lip=::ffff:1.2.3.4.", ["192.0.2.1", "::ffff:1.2.3.4"]),
        ("[2001:db8::1]:5060 and 2001:db8::/32 and fe80::1%eth0", ["2001:db8::1", "2001:db8::", "fe80::1"]),
        ("Fe80::1 mixed case", []),
    ],
)
def test_find_claims_only_whole_addresses(sentence: str, claimed: list[str]) -> None:
    assert check_find(NORMALIZER, sentence) == claimed


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (encode_varint(162), "ip header"),
        (encode_varint(2 * 27 << 1) + bytes([0, 0, 0, 100]), "cannot take 2 leading zeros"),  # "00100"
        (encode_varint(1 | 12 << 1) + bytes(20), "width style 3"),
        (encode_varint(1) + encode_varint(64), "ipv6 shape"),
        (encode_varint(1) + encode_varint(1 + 4 + 8 * 4), "nothing for '::'"),
        (encode_varint(1 | 8 << 1) + encode_varint(2) + encode_varint(0) + bytes([0x01, 0x00]), "fit in 1 digits"),
    ],
)
def test_impossible_forms_are_corrupt(data: bytes, problem: str) -> None:
    with pytest.raises(CorruptBodyError, match=problem):
        NORMALIZER.decode(data)


#: Runs of address-like characters; the standard library decides which are addresses.
CANDIDATE = re.compile(r"[0-9A-Za-z:.]+")


def test_every_address_in_the_log_corpus_is_claimed(corpora: Path) -> None:
    texts = corpus_texts(corpora, "log", "test", 600)
    expected = found = 0
    for text in texts:
        spans = check_find(NORMALIZER, text)
        for span in spans:
            if not re.search(r"(^|\.)0\d", span):  # ipaddress rejects leading zeros in IPv4
                ipaddress.ip_address(span)
        for candidate in CANDIDATE.findall(text):
            candidate = candidate.rstrip(".:")
            try:
                ipaddress.ip_address(candidate)
            except ValueError:
                continue
            expected += 1
            assert candidate in spans, (candidate, text)
        found += len(spans)
    assert expected > 0.5 * len(texts)
    assert found >= expected
