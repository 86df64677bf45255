"""The metadata channel: spans a payload copied from training text, at no cost in bytes."""

from __future__ import annotations

import aura_brio
import pytest

from aura_core import Compressor, CorruptBodyError


def test_spans_point_at_training_text(compressor: Compressor, golden_messages: list[str]) -> None:
    text = "Tickets for the ferry are sold at the kiosk next to the lighthouse, cash only."
    payload = compressor.compress(text).compressed_data
    report = aura_brio.explain(compressor, payload)
    assert report.text == text
    assert len(report.bits_per_byte) == len(text.encode())
    assert abs(sum(report.bits_per_byte) - 8 * (len(payload) - 3)) < 16
    trained = [s for s in report.spans if s.training_message is not None]
    assert trained and report.copied_bytes > len(text) // 2
    for span in trained:
        source = golden_messages[span.training_message].encode()
        copied = text.encode()[span.start : span.end]
        assert source[span.source_offset : span.source_offset + len(copied)] == copied
        assert span.phrase == copied.decode("utf-8", "replace")


def test_self_repeats_are_reported(compressor: Compressor) -> None:
    text = "zqx vbn wqp " * 6
    report = aura_brio.explain(compressor, compressor.compress(text).compressed_data)
    repeats = [s for s in report.spans if s.training_message is None]
    assert repeats
    for span in repeats:
        assert text[span.source_offset : span.source_offset + span.end - span.start] == text[span.start : span.end]


def test_explain_refuses_other_payloads(compressor: Compressor) -> None:
    with pytest.raises(CorruptBodyError):
        aura_brio.explain(compressor, b"\x00hello")
