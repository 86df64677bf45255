"""The stream format: chunks decode the moment they arrive, whatever the fragmentation; bad
input raises a specific AuraDecodeError; committed golden vectors keep decoding."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aura_core import Profile
from aura_core.errors import CorruptBodyError, InvalidTextError, OutputLimitError
from aura_core.ws.stream import HEADER, WINDOW, StreamDecoder, StreamEncoder, stream_dictionary

GOLDEN = Path(__file__).parent / "golden" / "ws" / "stream.json"
LIMIT = 1 << 20
DICTIONARY = b"Sure! Here is an example of how you can do this. I hope this helps! " * 20


def profile_with(part: bytes, name: str = "zstd-dict") -> Profile:
    return Profile.create(
        profile_id=1, parts={name: part}, summaries={}, versions={}, corpus_messages=0, corpus_bytes=0
    )


def encode(chunks: list[str], dictionary: bytes | None) -> list[bytes]:
    encoder = StreamEncoder(dictionary)
    return [encoder.encode(c) for c in chunks] + [encoder.finish()]


@settings(max_examples=150)
@given(chunks=st.lists(st.text(min_size=1), min_size=1, max_size=12), primed=st.booleans())
def test_each_chunk_decodes_as_soon_as_its_fragment_arrives(chunks, primed):
    dictionary = DICTIONARY if primed else None
    fragments = encode(chunks, dictionary)
    assert fragments[0][:2] == HEADER
    decoder = StreamDecoder(dictionary, LIMIT)
    assert [decoder.feed(f) for f in fragments[:-1]] == chunks
    assert decoder.feed(fragments[-1]) == ""
    assert decoder.finish() == ""
    assert decoder.original_size == sum(len(c.encode()) for c in chunks)


@settings(max_examples=150)
@given(chunks=st.lists(st.text(), max_size=12), data=st.data())
def test_any_refragmentation_gives_the_same_text(chunks, data):
    """An intermediary may split or join fragments: the byte stream alone carries the format."""
    stream = b"".join(encode(chunks, None))
    cuts = sorted(data.draw(st.lists(st.integers(0, len(stream)), max_size=8)))
    pieces = [stream[a:b] for a, b in zip([0, *cuts], [*cuts, len(stream)])]
    decoder = StreamDecoder(None, LIMIT)
    text = "".join(decoder.feed(p) for p in pieces) + decoder.finish()
    assert text == "".join(chunks)


@settings(max_examples=300)
@given(st.binary(max_size=300))
def test_garbage_raises_a_specific_decode_error(garbage):
    decoder = StreamDecoder(None, 1000)
    try:
        decoder.feed(HEADER + garbage)
        decoder.finish()
    except (CorruptBodyError, OutputLimitError):
        pass


def test_a_wrong_dictionary_never_passes_silently_as_the_right_text():
    fragments = encode(["Sure! Here is an example of how you can do this."], DICTIONARY)
    decoder = StreamDecoder(b"something else entirely " * 10, LIMIT)
    try:
        text = "".join(decoder.feed(f) for f in fragments) + decoder.finish()
    except CorruptBodyError:
        return
    assert text != "Sure! Here is an example of how you can do this."


@pytest.mark.parametrize(
    ("stream", "message"),
    [
        (b"\xff", "ends inside its header"),
        (b"\xff\x02", "stream header is ff02"),
        (HEADER + b"\xff\xff\xff", "does not inflate"),
        (HEADER + zlib.compressobj(9, zlib.DEFLATED, -15).compress(b"x" * 10), "ends before its final deflate block"),
        (b"".join(encode(["done"], None)) + b"\x00", "bytes after its final deflate block"),
    ],
)
def test_bad_streams_name_what_is_wrong(stream, message):
    decoder = StreamDecoder(None, LIMIT)
    with pytest.raises(CorruptBodyError, match=message):
        decoder.feed(stream)
        decoder.finish()


def test_invalid_utf8_inside_a_stream_is_corrupt():
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    stream = HEADER + deflate.compress(b"ok \xc3") + deflate.flush()
    decoder = StreamDecoder(None, LIMIT)
    with pytest.raises(CorruptBodyError, match="not valid UTF-8"):
        decoder.feed(stream)
        decoder.finish()


def test_output_over_the_limit_is_refused_before_it_is_built():
    fragments = encode(["a" * 5000, "b" * 5000], None)
    decoder = StreamDecoder(None, 6000)
    assert decoder.feed(fragments[0]) == "a" * 5000
    with pytest.raises(OutputLimitError):
        decoder.feed(fragments[1])


def test_lone_surrogates_are_refused():
    with pytest.raises(InvalidTextError):
        StreamEncoder().encode("bad \ud800")


def test_the_dictionary_is_the_tail_of_the_profiles_zstd_dict_part():
    part = bytes(range(256)) * 200
    assert stream_dictionary(profile_with(part)) == part[-WINDOW:]
    assert stream_dictionary(profile_with(b"abc", name="templates")) is None
    assert stream_dictionary(None) is None


def test_a_dictionary_makes_early_chunks_smaller():
    chunks = ["Sure! ", "Here is ", "an example of how ", "you can do this."]
    assert sum(map(len, encode(chunks, DICTIONARY))) < sum(map(len, encode(chunks, None)))


def test_golden_vectors_decode_fragment_by_fragment():
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    part = golden["dictionary_part"]
    dictionary = stream_dictionary(profile_with(bytes.fromhex(part["hex"]), part["name"]))
    assert golden["vectors"]
    for vector in golden["vectors"]:
        decoder = StreamDecoder(dictionary if vector["dictionary"] else None, LIMIT)
        fragments = [bytes.fromhex(f) for f in vector["fragments"]]
        assert [decoder.feed(f) for f in fragments[:-1]] == vector["chunks"]
        assert decoder.feed(fragments[-1]) + decoder.finish() == ""
