"""Round trips through the Compressor, with and without a profile, hitting a template or not."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from templates_samples import sample_messages

from aura_core import Compressor, InvalidTextError, Profile


@pytest.fixture(scope="module")
def bare() -> Compressor:
    return Compressor()


def test_starter_template_hits_without_profile(bare: Compressor) -> None:
    text = (
        "I'm sorry, but I can't help with writing that email. If you tell me more about what you need, "
        "I can suggest a polite way to decline the invitation instead, or draft a short reply for you."
    )
    result = Compressor(codecs=["templates"]).compress(text)
    assert result.method == "templates"
    assert result.template_id is not None and result.template_id < 16
    assert bare.decompress(result.compressed_data) == text


@settings(max_examples=120, deadline=None)
@given(st.text())
def test_any_text_round_trips_without_profile(bare: Compressor, text: str) -> None:
    assert bare.decompress(bare.compress(text).compressed_data) == text


@settings(max_examples=120, deadline=None)
@given(st.text())
def test_any_text_round_trips_with_profile(compressor: Compressor, text: str) -> None:
    assert compressor.decompress(compressor.compress(text).compressed_data) == text


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(sample_messages(50, seed=3)), st.text(max_size=20), st.text(max_size=5))
def test_near_template_texts_round_trip(compressor: Compressor, base: str, insert: str, suffix: str) -> None:
    """Texts close to the templates: they hit, partly hit, or miss, and always come back."""
    cut = len(base) // 2
    for text in (base, base + suffix, base[:cut] + insert + base[cut:]):
        result = compressor.compress(text)
        assert compressor.decompress(result.compressed_data) == text


def test_templates_codec_alone_round_trips_sample(sample_profile: Profile) -> None:
    only = Compressor(profile=sample_profile, codecs=["templates"])
    texts = sample_messages(200, seed=5)
    for text in texts:
        result = only.compress(text)
        assert only.decompress(result.compressed_data) == text
    assert only.statistics().template_hit_rate > 0.9


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(st.characters(exclude_categories=("Cs",))),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(st.characters(exclude_categories=("Cs",)), max_size=6), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=120, deadline=None)
@given(json_values)
def test_json_documents_round_trip(sample_profile: Profile, value: object) -> None:
    only = Compressor(profile=sample_profile, codecs=["templates"])
    for ensure_ascii in (True, False):
        text = json.dumps(value, separators=(",", ":"), ensure_ascii=ensure_ascii)
        assert only.decompress(only.compress(text).compressed_data) == text


def test_lone_surrogate_is_refused(compressor: Compressor) -> None:
    with pytest.raises(InvalidTextError):
        compressor.compress("Order #12 has been \ud800.")


def test_json_structure_templates(sample_profile: Profile) -> None:
    """A document of a shape seen in training uses its structure template and codes only values."""
    from aura_templates.profiles import templates_of

    model = templates_of(sample_profile).json
    assert model is not None and model.structures
    only = Compressor(profile=sample_profile, codecs=["templates"])
    shaped = '{"id":9,"user":"dave","action":"login","ok":true,"tags":[],"meta":{"ip":"10.0.0.1","score":0.5}}'
    result = only.compress(shaped)
    assert result.template_id in model.structures
    assert only.decompress(result.compressed_data) == shaped
    odd = '{"id":9,"user":"dave","extra":{"deep":[1,[2,[3]]]}}'
    result = only.compress(odd)
    assert result.template_id == model.template_id
    assert only.decompress(result.compressed_data) == odd


def test_one_codec_serves_compressors_with_different_profiles(sample_profile: Profile) -> None:
    """The codec instance is shared by every Compressor: its per-message cache must not leak plans."""
    from aura_templates.profiles import mine_profile

    other, _ = mine_profile(sample_messages(120, seed=21), profile_id=sample_profile.profile_id + 5, progress=False)
    first = Compressor(profile=sample_profile, codecs=["templates"])
    second = Compressor(profile=other, codecs=["templates"])
    text = sample_messages(10, seed=8)[1]
    for compressor in (first, second, first):
        payload = compressor.compress(text).compressed_data
        assert compressor.decompress(payload) == text
