"""The built-in starter set: common openings of assistant replies, usable without a profile.

Ids 0-15 belong to this set and are part of the wire format: a template here is
never changed or renumbered once released (a new phrasing takes a free id), so
bodies made with an older aura-templates keep decoding.  Each is matched as a
prefix; the rest of the reply is the tail.
"""

from __future__ import annotations

from aura_templates.template import INTERNAL_KINDS, parse_template
from aura_templates.templateset import STARTER_IDS, TemplateEntry, TemplateSet

STARTER_TEMPLATES: tuple[str, ...] = (
    "I apologize for the confusion. ",
    "I apologize for any confusion. ",
    "I'm sorry, but I can't {action}.",
    "I'm sorry, but I cannot {action}.",
    "Sure, here are some {what}:",
    "Sure, here's an example of {what}:",
    "Sure, here is {what}:",
    "Sure! Here's {what}:",
    "Certainly! Here is {what}:",
    "Here is an example of {what}:",
    "Sure, I'd be happy to help",
    "Thank you for {what}.",
    "Yes, it is possible to {what}.",
    "Based on the information provided, ",
    "As an AI language model, I {what}.",
    "Great question! ",
)
assert len(STARTER_TEMPLATES) <= STARTER_IDS


def starter_set() -> TemplateSet:
    """The starter templates with untrained slot models (what a Compressor without a profile uses)."""
    entries = {}
    for template_id, text in enumerate(STARTER_TEMPLATES):
        template = parse_template(text, template_id, INTERNAL_KINDS, source="starter")
        entries[template_id] = TemplateEntry.untrained(template)
    return TemplateSet(entries)
