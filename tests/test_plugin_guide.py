"""The plugin author guide and the marker table cannot drift from the code they describe."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

import pytest

from aura_core import hookspecs, markers
from aura_core.registry import default_registry

ROOT = Path(__file__).parent.parent
GUIDE = ROOT / "docs" / "plugins.md"
MARKER_DOC = ROOT / "docs" / "markers.md"
EXAMPLE = ROOT / "tests" / "fixtures" / "aura_example_plugin"
BLOCK = re.compile(r"^```[a-z]*\n# (file|excerpt of): (\S+)\n(.*?)^```$", re.S | re.M)


def hook_reference() -> str:
    """The guide's hook section, generated from the hook specs' signatures and docstrings."""
    sections = []
    for name in sorted(n for n in dir(hookspecs) if n.startswith("aura_")):
        spec = getattr(hookspecs, name)
        params = ", ".join(inspect.signature(spec).parameters)
        sections.append(f"### `{name}({params})`\n\n```text\n{inspect.getdoc(spec)}\n```\n")
    return "\n".join(sections)


def test_every_file_shown_in_the_guide_is_the_tested_example_plugin() -> None:
    blocks = BLOCK.findall(GUIDE.read_text(encoding="utf-8"))
    assert {path for kind, path, _ in blocks if kind == "file"} >= {
        "pyproject.toml",
        "src/aura_example/plugin.py",
        "src/aura_example/codec.py",
    }
    for kind, path, content in blocks:
        source = (EXAMPLE / path).read_text(encoding="utf-8")
        if kind == "file":
            assert content == source, f"docs/plugins.md shows another {path} than {EXAMPLE / path}"
        else:
            assert content in source, f"docs/plugins.md quotes lines that are not in {EXAMPLE / path}"


def test_hook_reference_matches_the_hook_specs() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("-->\n\n", 1)[1].split("\n<!-- hooks:end -->")[0] if "hooks:start" in text else ""
    assert section.strip() == hook_reference().strip(), (
        "docs/plugins.md's hook reference is out of date; replace it with:\n\n" + hook_reference()
    )


def marker_rows() -> list[tuple[int, str, str, str, str]]:
    rows = re.findall(
        r"^\| (0x[0-9A-F]{2}) \| ([\w-]+) \| ([\w-]+) \| ([\d.]+) \| (\w+) \|$",
        MARKER_DOC.read_text(encoding="utf-8"),
        re.M,
    )
    return [(int(marker, 16), codec, dist, since, status) for marker, codec, dist, since, status in rows]


def test_marker_page_matches_the_marker_table() -> None:
    assert marker_rows() == [(e.marker, e.codec, e.distribution, e.since, e.status) for e in markers.MARKERS]


def test_installed_first_party_codecs_declare_their_published_markers() -> None:
    registry = default_registry()
    checked = 0
    for codec in registry.codecs:
        entry = markers.lookup(codec.marker)
        if registry.distribution_of(codec) in {e.distribution for e in markers.MARKERS}:
            assert entry is not None, f"{codec.name} uses marker 0x{codec.marker:02X}, which is not in the table"
            assert (entry.codec, entry.distribution) == (codec.name, registry.distribution_of(codec))
            checked += 1
    assert checked >= 2  # raw and brotli at least


@pytest.mark.parametrize("entry", markers.MARKERS, ids=lambda e: e.codec)
def test_published_markers_sit_in_their_band(entry: markers.MarkerEntry) -> None:
    expected = "core" if entry.distribution == "aura-core" else "first-party"
    assert markers.band(entry.marker) == expected
