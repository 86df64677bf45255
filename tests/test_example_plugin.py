"""The third-party example plugin (tests/fixtures/aura_example_plugin), installed for real:
found through its entry point, listed by ``aura plugins``, used by the Compressor."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from aura_test_support import corpus_texts

from aura_core import Compressor, default_registry

pytest.importorskip("aura_example", reason="the aura-example fixture plugin is not installed (make test installs it)")

AURA = Path(sys.executable).with_name("aura")


def aura(*args: str) -> str:
    result = subprocess.run(
        [str(AURA), *args], check=False, capture_output=True, text=True, timeout=120, env={**os.environ, "COLUMNS": "250"}
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_found_through_its_entry_point() -> None:
    (report,) = [p for p in default_registry().plugins if p.distribution == "aura-example"]
    assert (report.name, report.version, report.status) == ("example", version("aura-example"), "ok")
    assert [(c.name, c.marker) for c in report.codecs] == [("example-words", 0xC0)]
    assert default_registry().codec_for_marker(0xC0).name == "example-words"


def test_aura_plugins_lists_it() -> None:
    table = aura("plugins")
    (line,) = [line for line in table.splitlines() if "aura-example" in line]
    assert "example-words (0xC0)" in line and version("aura-example") in line and "ok" in line
    (plugin,) = [p for p in json.loads(aura("plugins", "--json"))["plugins"] if p["distribution"] == "aura-example"]
    assert plugin["codecs"] == [{"name": "example-words", "marker": 0xC0, "version": version("aura-example")}]


def test_the_compressor_uses_it(corpora) -> None:
    texts = corpus_texts(corpora, "user", "test", 200)
    assert "example-words" in [c.name for c in Compressor().codecs]
    compressor = Compressor(codecs=["brotli", "example-words"])
    results = compressor.compress_many(texts)
    assert compressor.decompress_many([r.compressed_data for r in results]) == texts
    # It earns its place: on short English chat turns it beats brotli on some messages.
    assert compressor.statistics().methods["example-words"] > 0
