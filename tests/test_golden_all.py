"""Every golden-vector file in the repository decodes with what is installed now.

Each package's own suite checks its files; this test gathers them all, so one run
with every plugin installed (tox env ``golden``) proves that the current core and
plugins still decode every payload any earlier first-party marker wrote.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from aura_test_support import trainable_registry

from aura_core.registry import Registry, default_registry
from aura_core.testing import golden_failures, read_golden_vectors

ROOT = Path(__file__).resolve().parent.parent


def is_codec_vector_file(path: Path) -> bool:
    """A file in aura_core.testing's format (normalizer and stream vectors have their own tests)."""
    document = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(document, dict):
        return False
    vectors = document.get("vectors") or [{}]
    return not isinstance(document.get("profile"), dict) and {"codec", "payload"} <= set(vectors[0])


FILES = sorted(
    path
    for pattern in ("tests/golden/*.json", "plugins/*/tests/golden/*.json", "tests/fixtures/*/tests/golden/*.json")
    for path in ROOT.glob(pattern)
    if is_codec_vector_file(path)
)


def registry_for(codecs: set[str]) -> Registry:
    """The installed plugins, plus the in-code test codec when a file needs it."""
    return trainable_registry() if "test-deflate-dict" in codecs else default_registry()


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_golden_file_decodes(path: Path) -> None:
    golden = read_golden_vectors(path)
    registry = registry_for(golden.codecs)
    missing = golden.codecs - {codec.name for codec in registry.codecs}
    if missing:
        pytest.skip(f"{', '.join(sorted(missing))} not installed here")
    assert golden_failures(golden, registry) == []


def test_the_files_are_found() -> None:
    assert {"core.json", "test-deflate-dict.json", "example-words.json"} <= {p.name for p in FILES}
