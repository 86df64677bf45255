"""The plain zstd codec (0x02) and how the plugin presents both codecs to aura-core."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import version

import pytest
from hypothesis import given
from hypothesis import strategies as st

import aura_zstd
from aura_core import Compressor, InvalidTextError, Registry, default_registry, markers
from aura_zstd import plugin
from aura_zstd.zstd import ZstdCodec
from aura_zstd.zstd_dict import ZstdDictCodec

from zstd_testing import PROPERTY, compressible_text, context

CODEC = ZstdCodec()


@PROPERTY
@given(st.text())
def test_any_text_round_trips_through_a_zstd_only_compressor(text: str) -> None:
    compressor = Compressor(codecs=["zstd"])
    result = compressor.compress(text)
    assert result.method in ("zstd", "raw")
    assert compressor.decompress(result.compressed_data) == text


@PROPERTY
@given(compressible_text)
def test_the_codec_decodes_every_body_it_makes(text: str) -> None:
    ctx = context()
    body = CODEC.encode(text, text.encode(), ctx)
    assert body is not None, "repeated text is always compressible"
    assert CODEC.decode(body, ctx) == text


@PROPERTY
@given(st.text(min_size=1), st.integers(0, 50), st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF))
def test_a_lone_surrogate_is_refused_before_any_codec_runs(text: str, at: int, surrogate: str) -> None:
    at %= len(text) + 1
    with pytest.raises(InvalidTextError):
        Compressor(codecs=["zstd"]).compress(text[:at] + surrogate + text[at:])


def test_the_score_ranks_plain_zstd_after_brotli() -> None:
    """On short text brotli's bodies are smaller, so with two candidates brotli must be one of them."""
    brotli = default_registry().codec("brotli")
    ctx = context()
    for size in (1, 20, 200, 20_000):
        data = b"x" * size
        assert CODEC.score("", data, ctx) > brotli.score("", data, ctx)


def test_contexts_are_per_thread_and_give_the_same_bodies() -> None:
    texts = [f"message {i}: the same words again and again, the same words {i % 7}" for i in range(400)]
    ctx = context()
    alone = [CODEC.encode(t, t.encode(), ctx) for t in texts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(lambda t: CODEC.encode(t, t.encode(), ctx), texts))
        decoded = list(pool.map(lambda body: CODEC.decode(body, ctx), threaded))
    assert threaded == alone
    assert decoded == texts


@pytest.mark.parametrize("codec", [ZstdCodec(), ZstdDictCodec()], ids=lambda c: c.name)
def test_each_codec_owns_the_marker_the_published_table_gives_it(codec: ZstdCodec | ZstdDictCodec) -> None:
    entry = markers.lookup(codec.marker)
    assert entry is not None and (entry.codec, entry.distribution) == (codec.name, "aura-zstd")
    assert codec.version == aura_zstd.__version__ == version("aura-zstd")
    assert codec.releases_gil


def test_the_entry_point_registers_both_codecs_without_problems() -> None:
    registry = Registry.from_entry_points(strict=True)
    report = next(p for p in registry.plugins if p.distribution == "aura-zstd")
    assert report.status == "ok" and not report.problems
    assert {c.name for c in report.codecs} == {"zstd", "zstd-dict"}


def test_the_plugin_module_registers_in_code_too() -> None:
    registry = Registry()
    registry.register_plugin(plugin, name="zstd")
    assert registry.codec_for_marker(0x02).name == "zstd"
    assert registry.codec_for_marker(0x03).name == "zstd-dict"
