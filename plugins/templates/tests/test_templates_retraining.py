"""Retraining keeps ids; a Compressor holding both profiles decodes old and new messages."""

from __future__ import annotations

from aura_templates.profiles import mine_profile, templates_of
from templates_samples import sample_messages

from aura_core import Compressor, train_profile

NEW_LINES = [f"Jun {d} 04:0{d}:11 gw kernel: eth{d % 2} link up, {100 * d} Mbps full duplex" for d in range(1, 9)]


def test_ids_are_stable_and_old_messages_decode() -> None:
    first, _ = mine_profile(sample_messages(200), handwritten=["Order #{order_id:num} has been {status}."], progress=False)
    second, report = mine_profile(sample_messages(200, seed=12) + NEW_LINES, previous=first, progress=False)
    old, new = templates_of(first), templates_of(second)
    for tid, entry in old.entries.items():
        assert new.entries[tid].template == entry.template
    added = set(new.entries) - set(old.entries)
    assert added and min(added) > max(old.entries)
    assert report.kept_templates == len(old.entries)
    for tid, entry in old.entries.items():  # extending adds the new uses to the old counts
        assert new.entries[tid].count >= entry.count
    assert sum(e.count for e in new.entries.values()) > sum(e.count for e in old.entries.values())
    assert second.profile_id == first.profile_id + 1

    old_payloads = [(t, Compressor(profile=first).compress(t).compressed_data) for t in sample_messages(30, seed=4)]
    both = Compressor(profile=second, decode_profiles=[first])
    for text, payload in old_payloads:
        assert both.decompress(payload) == text
    for text in NEW_LINES:
        assert both.decompress(both.compress(text).compressed_data) == text


def test_train_profile_keeps_ids_through_previous() -> None:
    first = train_profile(sample_messages(200), progress=False, codecs=["templates"])
    second = train_profile(sample_messages(300, seed=9), progress=False, codecs=["templates"], previous=first)
    old, new = templates_of(first), templates_of(second)
    assert all(new.entries[tid].template == e.template for tid, e in old.entries.items())
