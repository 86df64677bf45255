"""Golden vectors: payloads written once and committed, decoded by every test run.

The files in tests/golden/ are never regenerated (see aura_core.testing): if one of
these tests fails, a decoder changed what an existing payload means, which the wire
format forbids.  A new codec or body format gets a new file.
"""

from __future__ import annotations

from pathlib import Path

from aura_test_support import core_registry, trainable_registry

from aura_core import train_profile
from aura_core.testing import check_golden_vectors

GOLDEN = Path(__file__).resolve().parent / "golden"

TEXTS = [
    "",
    "\x00",
    "a",
    "Hello, world!",
    "héllo wörld ✓ — ünïcödé",
    "日本語のテキスト、短いメッセージ。",
    "🙂🙃 emoji and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 outside the BMP",
    "line one\nline two\r\n\ttabbed\x00nul\u2028separator",
    "Sure! Here is the updated function:\n\n```python\ndef add(a, b):\n    return a + b\n```\n",
    '{"id":12345,"user":{"login":"octocat","site_admin":false},"tags":["a","b"],"score":0.75}',
    "Mar  3 14:05:07 web01 sshd[2211]: Accepted publickey for deploy from 203.0.113.9 port 50122 ssh2",
    "The quick brown fox jumps over the lazy dog. " * 12,
    "0123456789abcdef" * 64,
]

PROFILE_TEXTS = [
    "Could you explain how the function handles an empty list?",
    "Here is an example of how you can call the function from your code.",
    "The function returns the list sorted by the date of each entry.",
] * 3


def test_core_codecs() -> None:
    golden = check_golden_vectors(GOLDEN / "core.json", ["raw", "brotli"], TEXTS, registry=core_registry())
    assert golden.codecs == {"raw", "brotli"}


def test_profile_reference_and_profile_file_format() -> None:
    """A payload made with a (small, committed) profile: the reference and file format v1 stay readable."""
    registry = trainable_registry()
    profile = train_profile(PROFILE_TEXTS, progress=False, registry=registry)
    golden = check_golden_vectors(
        GOLDEN / "test-deflate-dict.json", ["test-deflate-dict"], TEXTS[:9], profile=profile, registry=registry
    )
    assert golden.profile is not None
    assert all(v.payload[1:3] == golden.profile.reference for v in golden.vectors)
