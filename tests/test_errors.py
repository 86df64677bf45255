"""Every error class, raised by real bad input, with a message that says what was found and what to do."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from pathlib import Path

import pytest
from aura_test_support import ROOT, core_registry, trainable_registry

import aura_core
from aura_core import errors
from aura_core.codecs.raw import RawCodec


def unknown_marker() -> None:
    aura_core.Compressor(registry=core_registry()).decompress(b"\x05brio body")


def corrupt_body() -> None:
    aura_core.Compressor().decompress(b"\x00caf\xc3")


def output_limit() -> None:
    aura_core.Compressor(max_output_size=4).decompress(b"\x00hello")


def profile_mismatch() -> None:
    registry = trainable_registry()
    profile = aura_core.train_profile(["the words the codec learns"] * 3, progress=False, registry=registry)
    codec = registry.codec("test-deflate-dict")
    body = codec.encode("the words", b"the words", aura_core.Compressor(profile=profile, registry=registry).context)
    aura_core.Compressor(registry=registry).decompress(bytes([codec.marker]) + body)


def profile_format() -> None:
    aura_core.Profile.from_bytes(b"AURAPROF\x01" + b"\0" * 40)


def invalid_text() -> None:
    aura_core.Compressor().compress("half an emoji \ud83d")


def template_hint() -> None:
    aura_core.Compressor(registry=core_registry()).compress("user 7 logged in", template_id=3, slots=["7"])


def training() -> None:
    aura_core.train_profile([], progress=False, registry=trainable_registry())


def plugin() -> None:
    class Squatter(RawCodec):
        name = "squatter"
        marker = 0x00
        version = "1.0"

    registry = aura_core.Registry(strict=True)
    registry.register_plugin(aura_core.builtins, name="core")
    registry.register(Squatter())


TRIGGERS: dict[type[errors.AuraError], tuple[Callable[[], None], str]] = {
    errors.UnknownMarkerError: (unknown_marker, "unknown marker 0x05: it belongs to 'aura-brio': install it"),
    errors.CorruptBodyError: (corrupt_body, "raw body is not valid UTF-8 at byte 3"),
    errors.OutputLimitError: (output_limit, "decoded output would be 5 bytes, over the limit of 4 bytes; raise max_output_size"),
    errors.ProfileMismatchError: (profile_mismatch, "encoded with profile id 1 .* Load that profile to decode it"),
    errors.ProfileFormatError: (profile_format, "truncated or corrupted \\(checksum mismatch\\); copy it again"),
    errors.InvalidTextError: (invalid_text, "lone surrogate '\\\\ud83d' at index 14, which UTF-8 cannot carry; fix"),
    errors.TemplateHintError: (template_hint, "template hints need a codec that takes them: install aura-templates"),
    errors.TrainingError: (training, "needs at least 1 messages .* Train on more messages"),
    errors.PluginError: (plugin, "claims marker 0x00, already owned by 'raw' \\(core\\)"),
}


def test_every_error_class_has_a_real_trigger() -> None:
    defined = {
        cls
        for _, cls in inspect.getmembers(errors, inspect.isclass)
        if issubclass(cls, errors.AuraError) and cls not in (errors.AuraError, errors.AuraDecodeError)
    }
    assert defined == set(TRIGGERS)


@pytest.mark.parametrize(("error", "trigger", "message"), [(e, *t) for e, t in TRIGGERS.items()], ids=lambda v: getattr(v, "__name__", ""))
def test_bad_input_raises_the_specific_error(error: type[errors.AuraError], trigger: Callable[[], None], message: str) -> None:
    with pytest.raises(error, match=message) as caught:
        trigger()
    assert type(caught.value) is error


def test_decode_errors_are_value_errors() -> None:
    for error in TRIGGERS:
        assert issubclass(error, errors.AuraError)
        assert issubclass(error, ValueError) is (error is not errors.PluginError)
        decoding = error in (errors.UnknownMarkerError, errors.CorruptBodyError, errors.OutputLimitError, errors.ProfileMismatchError)
        assert issubclass(error, errors.AuraDecodeError) is decoding


def test_errors_are_exported_and_documented() -> None:
    page = Path(ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
    for error in TRIGGERS:
        assert getattr(aura_core, error.__name__) is error
        assert f"`{error.__name__}`" in page


@pytest.mark.parametrize(
    ("marker", "hint"),
    [
        (0x02, "it belongs to 'aura-zstd': install it (pip install aura-zstd)"),
        (0x3F, "no published codec owns it; see docs/markers.md"),
        (0x40, "no published codec owns it; see docs/markers.md"),
        (0xC0, "it is in the private-use range: the sender used a plugin you do not have"),
        (0xFE, "it is in the private-use range: the sender used a plugin you do not have"),
        (0xFF, "0xFF is reserved for extended codec ids, which this version does not read"),
    ],
)
def test_unknown_marker_hints(marker: int, hint: str) -> None:
    with pytest.raises(errors.UnknownMarkerError) as caught:
        aura_core.Compressor(registry=core_registry()).decompress(bytes([marker]) + b"body")
    assert str(caught.value) == f"unknown marker 0x{marker:02X}: {hint}"
    assert caught.value.marker == marker
