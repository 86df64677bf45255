"""The index finds exactly what trying every template's regex finds."""

from __future__ import annotations

from aura_templates.index import TemplateIndex
from aura_templates.template import NUM, TEXT, Slot, Template
from hypothesis import given, settings
from hypothesis import strategies as st

words = st.sampled_from(["user", "login", "failed", "from", "port", "ok", "id", "x"])
constants = st.lists(st.lists(words, min_size=1, max_size=3).map(lambda w: " " + " ".join(w) + " "), min_size=2, max_size=4)


@st.composite
def template_sets(draw: st.DrawFn) -> list[Template]:
    out = []
    for i in range(draw(st.integers(1, 12))):
        parts = draw(constants)
        parts[0] = parts[0].lstrip()
        kinds = draw(st.lists(st.sampled_from([TEXT, NUM]), min_size=len(parts) - 1, max_size=len(parts) - 1))
        out.append(Template(16 + i, tuple(parts), tuple(Slot(f"s{j}", k) for j, k in enumerate(kinds))))
    return out


@settings(max_examples=150, deadline=None)
@given(template_sets(), st.data())
def test_index_equals_brute_force(templates: list[Template], data: st.DataObject) -> None:
    chosen = data.draw(st.sampled_from(templates))
    values = [data.draw(st.from_regex(r"[0-9]{1,4}|[a-z]{0,5}", fullmatch=True)) for _ in chosen.slots]
    text = chosen.render(values) + data.draw(st.text(max_size=8))
    index = TemplateIndex(templates)
    brute = {t.template_id for t in templates if t.regex().match(text)}
    assert {m.template.template_id for m in index.matches(text)} == brute
