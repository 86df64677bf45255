"""The {name} syntax, rendering, and the exactness of a template's regex."""

from __future__ import annotations

import pytest
from aura_templates.template import INTERNAL_KINDS, NUM, TEXT, Slot, Template, TemplateSyntaxError, parse_template
from hypothesis import given, settings
from hypothesis import strategies as st


def test_parse_and_pattern_round_trip() -> None:
    template = parse_template("Order #{order_id:num} has been {status}. {{braces}}", 40, INTERNAL_KINDS)
    assert template.constants == ("Order #", " has been ", ". {braces}")
    assert template.slots == (Slot("order_id", NUM), Slot("status", TEXT))
    assert parse_template(template.pattern(), 40, INTERNAL_KINDS) == template
    assert template.render(["12", "shipped"]) == "Order #12 has been shipped. {braces}"


@pytest.mark.parametrize(
    "text", ["", "{a}{b}", "open { brace", "close } brace", "{a:nosuchkind}", "{1a}"]
)
def test_syntax_errors(text: str) -> None:
    with pytest.raises(TemplateSyntaxError):
        parse_template(text, 40, INTERNAL_KINDS)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(min_size=1, max_size=8), min_size=2, max_size=5),
    st.lists(st.text(max_size=12), min_size=4, max_size=4),
    st.text(max_size=10),
)
def test_a_match_renders_exactly(constants: list[str], values: list[str], tail: str) -> None:
    slots = tuple(Slot(f"s{i}", TEXT) for i in range(len(constants) - 1))
    template = Template(40, tuple(constants), slots)
    text = template.render(values[: len(slots)]) + tail
    match = template.regex().match(text)
    if match is not None:
        assert template.render(match.groups()) + text[match.end() :] == text
