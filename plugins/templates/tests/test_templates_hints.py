"""Template hints: exact renders are encoded without matching, anything else is refused."""

from __future__ import annotations

import pytest
from aura_templates.profiles import templates_of

from aura_core import Compressor, TemplateHintError


def _order_template(compressor: Compressor) -> int:
    assert compressor.profile is not None
    held = templates_of(compressor.profile)
    return next(e.template.template_id for e in held.entries.values() if e.template.source == "handwritten")


def test_hint_encodes_exactly(compressor: Compressor) -> None:
    tid = _order_template(compressor)
    result = compressor.compress("Order #4711 has been shipped.", template_id=tid, slots=[4711, "shipped"])
    assert result.method == "templates" and result.template_id == tid
    assert compressor.decompress(result.compressed_data) == "Order #4711 has been shipped."


def test_starter_hint_without_profile() -> None:
    bare = Compressor()
    text = "I'm sorry, but I can't share that."
    result = bare.compress(text, template_id=2, slots=["share that"])
    assert result.template_id == 2 and bare.decompress(result.compressed_data) == text


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        ("Order #4711 has been shipped!", [4711, "shipped"]),  # renders with "." not "!"
        ("Order #4711 has been shipped.", [4711]),  # too few slots
        ("Order #x1 has been shipped.", ["x1", "shipped"]),  # not digits
        ("Order #4711 has been shipped.", [4711, 3.5]),  # not str/int
    ],
)
def test_hint_mismatch_raises(compressor: Compressor, text: str, slots: list[object]) -> None:
    with pytest.raises(TemplateHintError):
        compressor.compress(text, template_id=_order_template(compressor), slots=slots)


def test_unknown_template_id_raises(compressor: Compressor) -> None:
    with pytest.raises(TemplateHintError):
        compressor.compress("anything", template_id=10**6, slots=[])
    with pytest.raises(TemplateHintError):
        Compressor().compress("anything", template_id=500, slots=[])
