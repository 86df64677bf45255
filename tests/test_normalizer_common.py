"""What every built-in normalizer must do: claim only spans it reproduces, decode safely.

The spelling-specific properties live in test_normalizer_{timestamp,uuid,ip}.py; this
file holds the contract shared by all three, their golden vectors and the corpus runs.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import pytest
from aura_test_support import core_registry, corpus_texts
from hypothesis import given, settings
from hypothesis import strategies as st

from aura_core import CorruptBodyError, Normalizer, __version__
from aura_core.normalizers.ip import IpNormalizer
from aura_core.normalizers.timestamp import TimestampNormalizer
from aura_core.normalizers.uuid import UuidNormalizer

GOLDEN = Path(__file__).parent / "golden" / "normalizers.json"
NORMALIZERS = {n.name: n for n in (TimestampNormalizer(), UuidNormalizer(), IpNormalizer())}
by_name = pytest.mark.parametrize("normalizer", list(NORMALIZERS.values()), ids=list(NORMALIZERS))

#: Texts whose spans the golden file pins down, one or more spellings per binary-form branch.
GOLDEN_TEXTS = {
    "timestamp": [
        "2023-10-01T12:34:56Z",
        "2016-11-20T00:24:00.110+0100",
        "2015-04-16T18:02:50.568798+00:00",
        "2006-02-13 15:52:30,388",
        "2019-11-25 21:39:58.464 +01:00",
        "2019-09-06  1:45:18",
        "2019-05-15T15:20Z",
        "2019-05-15",
        "0000-12-30 00:00:00",
        "2012/04/09 11:53:29",
        "2011.11.21 14:29:16",
        "10/06/2013 15:50:41",
        "25/06/2013 15:50:41",
        "22/Apr/2009:18:53:18 +1200",
        "20/Jan/2015:19:53:28 -0100",
        "29/May/2017 17:29:29",
        "30-Dec-2014 13:02:34 -0500",
        "13-06-2013 01:39:34 +0300",
        "13.06.2013 01:39:34",
        "Wed Jul 17 22:39:55 2013",
        "Sun Jul 28 21:27:56.549667 2013",
        "Sat Jul  6 08:00:00 2024",
        "Tue, 15 Nov 1994 08:12:31 GMT",
        "Oct 27 2015 12:26:01",
        "Jan  5 01:31:41",
        "Jul 02 13:49:31",
        "Jan 4 21:51:05",
        "Dec 31 23:59:60",
        "Jul-18-16 16:54:21",
        "130324 19:01:40",
        "130324  0:04:00",
        "1124012400",
        "1386544146.000",
        "1613058599123",
        "2024-02-29T23:59:59.999999999-09:30",
        "2024-02-29T23:59:59z",
        "2024-02-29 23:59:59 UTC",
        "2024-02-29T23:59:59+05",
    ],
    "uuid": [
        "550e8400-e29b-41d4-a716-446655440000",
        "550E8400-E29B-41D4-A716-446655440000",
        "550e8400-E29B-41d4-a716-446655440000",
        "00000000-0000-0000-0000-000000000000",
    ],
    "ip": [
        "192.0.2.1",
        "255.255.255.255",
        "010.001.000.001",
        "::1",
        "::ffff:192.0.2.1",
        "2001:db8::1",
        "2001:DB8::A",
        "fe80::1ff:fe23:4567:890a",
        "2001:0db8:0000:0000:0000:ff00:0042:8329",
        "2001:db8:0:0:1:0:0:1",
        "2001:0db8::0001",
        "1:2:3:4:5:6:7::",
        "64:ff9b::192.0.2.33",
    ],
}


def check_span(normalizer: Normalizer, text: str, start: int, end: int, encoded: bytes) -> None:
    """A claimed span: its binary form decodes to exactly its characters, and only them."""
    span = text[start:end]
    assert normalizer.encode(span) == encoded
    assert normalizer.decode(encoded) == (span, len(encoded))


def check_find(normalizer: Normalizer, text: str) -> list[str]:
    """Every span find() claims round-trips; spans are ordered and never overlap."""
    spans = list(normalizer.find(text))
    previous_end = 0
    for start, end, encoded in spans:
        assert previous_end <= start < end
        previous_end = end
        check_span(normalizer, text, start, end, encoded)
    return [text[start:end] for start, end, _ in spans]


def test_core_plugin_registers_the_builtin_normalizers() -> None:
    registered = {n.name: n.type_id for n in core_registry().normalizers}
    assert registered == {"timestamp": 16, "uuid": 17, "ip": 18}


@by_name
@settings(max_examples=150)
@given(text=st.text())
def test_find_on_arbitrary_text_claims_only_exact_spans(normalizer: Normalizer, text: str) -> None:
    check_find(normalizer, text)


#: Pieces that build text full of near-misses: digits, separators, names, hex.
FRAGMENTS = st.sampled_from(
    list("0123456789:-./ ,+TZz[]abcdefABCDEF\u00e9\u4e2d")
    + ["Jan", "Oct", "Mon", "Sun", "2024", "1999", "::", "ffff", "255", "256", "000", "UTC", "GMT", "60"]
)


@by_name
@settings(max_examples=300)
@given(pieces=st.lists(FRAGMENTS, max_size=40))
def test_find_on_near_miss_text_claims_only_exact_spans(normalizer: Normalizer, pieces: list[str]) -> None:
    check_find(normalizer, "".join(pieces))


@by_name
@settings(max_examples=300)
@given(data=st.binary(max_size=40), prefix=st.binary(max_size=3))
def test_decode_of_random_bytes_is_a_text_or_corrupt_body_error(
    normalizer: Normalizer, data: bytes, prefix: bytes
) -> None:
    try:
        text, end = normalizer.decode(prefix + data, len(prefix))
    except CorruptBodyError:
        return
    assert isinstance(text, str)
    assert len(prefix) < end <= len(prefix) + len(data)


def golden_vectors() -> list[dict[str, str]]:
    """The committed vectors; the first run writes them (commit the file, never regenerate it)."""
    if not GOLDEN.exists():
        vectors = [
            {"normalizer": name, "text": text, "hex": encoded.hex()}
            for name, texts in GOLDEN_TEXTS.items()
            for text in texts
            if (encoded := NORMALIZERS[name].encode(text)) is not None
        ]
        document = {
            "about": "Binary forms of aura-core's normalizers (docs/normalizers.md), written once and "
            "committed; every test run decodes them. Never regenerate or edit this file.",
            "aura_core": __version__,
            "vectors": vectors,
        }
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        warnings.warn(f"wrote new golden vectors to {GOLDEN}: commit this file", stacklevel=2)
    return json.loads(GOLDEN.read_text(encoding="utf-8"))["vectors"]


def test_golden_vectors_cover_every_text() -> None:
    covered = {(v["normalizer"], v["text"]) for v in golden_vectors()}
    assert covered == {(name, text) for name, texts in GOLDEN_TEXTS.items() for text in texts}


@pytest.mark.parametrize("vector", golden_vectors(), ids=lambda v: f"{v['normalizer']}:{v['text']}")
def test_golden_vector_decodes_and_reencodes_identically(vector: dict[str, str]) -> None:
    normalizer = NORMALIZERS[vector["normalizer"]]
    encoded = bytes.fromhex(vector["hex"])
    assert normalizer.decode(encoded) == (vector["text"], len(encoded))
    assert normalizer.encode(vector["text"]) == encoded
    # Self-delimiting: the form ends where it says, whatever follows it.
    assert normalizer.decode(b"\x00" + encoded + encoded, 1) == (vector["text"], 1 + len(encoded))
    for cut in range(len(encoded)):
        with pytest.raises(CorruptBodyError):
            normalizer.decode(encoded[:cut])


@by_name
def test_log_corpus_spans_round_trip(normalizer: Normalizer, corpora: Path) -> None:
    for text in corpus_texts(corpora, "log", "test", 400) + corpus_texts(corpora, "json", "test", 40):
        check_find(normalizer, text)
