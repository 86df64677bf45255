"""The registry: entry points, per-plugin isolation, refusals, strict mode, in-code registration."""

from __future__ import annotations

import re
import types
from collections.abc import Callable
from importlib.metadata import entry_points

import pytest
from aura_test_support import core_registry

import aura_core
from aura_core import Codec, Compressor, Normalizer, PluginError, Registry, default_registry, hookimpl
from aura_core import registry as registry_module
from aura_core.codecs.raw import RawCodec
from aura_core.errors import CorruptBodyError


class PrivateCodec(RawCodec):
    """Raw text on a private marker: a real, working codec that is not aura-core's."""

    name = "private"
    marker = 0xC3
    version = "1.0"
    requires_core = ">=0.1"


def codec(**overrides: object) -> Codec:
    """A PrivateCodec with other class attributes (name, marker, requires_core)."""
    return type("Variant", (PrivateCodec,), overrides)()


class DigitsNormalizer(Normalizer):
    """Runs of ASCII digits without a leading zero, as one varint."""

    name = "digits"
    type_id = 200
    version = "1.0"
    pattern = re.compile(r"[1-9][0-9]*")

    def encode(self, value: str) -> bytes | None:
        return aura_core.varint.encode_varint(int(value))

    def decode(self, data: bytes, pos: int = 0) -> tuple[str, int]:
        value, pos = aura_core.varint.decode_varint(data, pos)
        if value == 0:
            raise CorruptBodyError("digits never encode 0")
        return str(value), pos


def normalizer(**overrides: object) -> Normalizer:
    return type("Variant", (DigitsNormalizer,), overrides)()


# -- what is installed ---------------------------------------------------------------


def test_builtins_come_through_the_aura_entry_point_group() -> None:
    (core,) = [ep for ep in entry_points(group="aura") if ep.dist and ep.dist.name == "aura-core"]
    assert (core.name, core.value) == ("core", "aura_core.builtins")
    report = default_registry().plugins[0]
    assert (report.name, report.distribution, report.version, report.status) == (
        "core",
        "aura-core",
        aura_core.__version__,
        "ok",
    )
    assert {c.name: c.marker for c in report.codecs} == {"raw": 0x00, "brotli": 0x01}
    assert "aura_register_codecs" in report.hooks


def test_every_installed_plugin_loads_cleanly() -> None:
    assert default_registry().failures == []


def test_default_registry_is_loaded_once() -> None:
    assert default_registry() is default_registry()


# -- registering in code ---------------------------------------------------------------


def test_register_without_entry_points() -> None:
    registry = core_registry()
    assert registry.register(PrivateCodec())
    assert registry.codec_for_marker(0xC3).name == registry.codec("private").name == "private"
    compressor = Compressor(registry=registry, codecs=["private"])
    assert compressor.decompress(b"\xc3hello") == "hello"
    (report,) = [p for p in registry.plugins if p.name == "registered in code"]
    assert [c.name for c in report.codecs] == ["private"]


def test_module_level_register_uses_the_default_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = Registry.from_entry_points()
    monkeypatch.setattr(registry_module, "_default", fresh)
    assert registry_module.register(PrivateCodec())
    assert default_registry().codec("private").marker == 0xC3


def test_register_plugin_object_with_hooks() -> None:
    registry = core_registry()

    @hookimpl
    def aura_register_codecs(register: Callable[[Codec], None]) -> None:
        register(PrivateCodec())

    @hookimpl
    def aura_register_normalizers(register: Callable[[Normalizer], None]) -> None:
        register(DigitsNormalizer())

    plugin = types.SimpleNamespace(aura_register_codecs=aura_register_codecs, aura_register_normalizers=aura_register_normalizers)
    report = registry.register_plugin(plugin, name="inline")
    assert report.status == "ok" and report.problems == []
    assert sorted(report.hooks) == ["aura_register_codecs", "aura_register_normalizers"]
    assert [c.name for c in report.codecs] == ["private"] and [n.name for n in report.normalizers] == ["digits"]
    assert registry.normalizers[-1].name == "digits"


# -- refusals ------------------------------------------------------------------------------


REFUSED_CODECS = {
    "duplicate-marker": (codec(name="other", marker=0x01), "claims marker 0x01, already owned by 'brotli' (core)"),
    "duplicate-name": (codec(name="brotli"), "codec name 'brotli' is already taken"),
    "negative-marker": (codec(marker=-1), "declares marker -1, outside 0x00-0xFE"),
    "extended-marker": (codec(marker=0xFF), "declares marker 255, outside 0x00-0xFE"),
    "wide-marker": (codec(marker=0x100), "declares marker 256, outside 0x00-0xFE"),
    "text-marker": (codec(marker="0xC3"), "declares marker '0xC3', outside 0x00-0xFE"),
    "future-core": (codec(requires_core=">=9"), f"requires aura-core >=9, but aura-core {aura_core.__version__} is installed"),
    "bad-range": (codec(requires_core="newest"), "declares an invalid aura-core range 'newest'"),
}


@pytest.mark.parametrize(("item", "problem"), REFUSED_CODECS.values(), ids=REFUSED_CODECS.keys())
def test_refused_codecs_are_reported_and_left_out(item: Codec, problem: str) -> None:
    registry = core_registry()
    before = registry.codecs
    assert not registry.register(item)
    assert registry.codecs == before
    (report,) = registry.failures
    assert report.status == "partial"
    assert len(report.problems) == 1 and problem in report.problems[0]
    assert registry.codec_for_marker(0x01).name == "brotli"


@pytest.mark.parametrize(("item", "problem"), REFUSED_CODECS.values(), ids=REFUSED_CODECS.keys())
def test_strict_mode_raises_instead(item: Codec, problem: str) -> None:
    registry = Registry(strict=True)
    registry.register_plugin(aura_core.builtins, name="core")
    with pytest.raises(PluginError, match=re.escape(problem)):
        registry.register(item)


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        (normalizer(), None),
        (normalizer(name="other"), "claims slot type 200, already taken"),
        (normalizer(type_id=201), "normalizer name 'digits' is already taken"),
        (normalizer(name="later", type_id=202, requires_core="<0.1"), "requires aura-core <0.1"),
    ],
)
def test_normalizer_conflicts(item: Normalizer, problem: str | None) -> None:
    registry = Registry()
    assert registry.register(DigitsNormalizer())
    assert registry.register(item) is (problem is None and item.name != "digits")
    if problem is not None:
        assert problem in registry.failures[0].problems[0]


def test_non_codecs_are_refused() -> None:
    registry = Registry()
    assert not registry.register("raw")  # type: ignore[arg-type]
    assert "is neither a Codec nor a Normalizer" in registry.failures[0].problems[0]


def test_a_raising_hook_is_reported_with_its_location() -> None:
    @hookimpl
    def aura_register_codecs(register: Callable[[Codec], None]) -> None:
        raise RuntimeError("no codec today")

    registry = core_registry()
    report = registry.register_plugin(types.SimpleNamespace(aura_register_codecs=aura_register_codecs), name="grumpy")
    assert report.status == "failed"
    (problem,) = report.problems
    assert problem.startswith("aura_register_codecs raised RuntimeError: no codec today (at ")
    assert problem.endswith(f"{__file__}:{aura_register_codecs.__code__.co_firstlineno + 2})")
    assert Compressor(registry=registry).compress("still working").method == "raw"
    strict = Registry(strict=True)
    with pytest.raises(PluginError, match="plugin 'grumpy' \\(grumpy\\): aura_register_codecs raised RuntimeError"):
        strict.register_plugin(types.SimpleNamespace(aura_register_codecs=aura_register_codecs), name="grumpy")


def test_a_misspelled_hook_is_reported() -> None:
    @hookimpl
    def aura_register_codec(register: Callable[[Codec], None]) -> None:
        register(PrivateCodec())

    report = core_registry().register_plugin(types.SimpleNamespace(aura_register_codec=aura_register_codec), name="typo")
    assert report.problems == ["aura_register_codec is not an AURA hook (see aura_core.hookspecs); it was never called"]
    assert report.status == "partial"


def test_unknown_names_list_what_is_installed() -> None:
    with pytest.raises(KeyError, match="no codec named 'zstd'; installed: brotli, raw"):
        core_registry().codec("zstd")
