"""Templates: constant text with typed slots, and the ``{name}`` syntax people write.

A template is ``constants[0] slot[0] constants[1] ... slot[n-1] constants[n]``.  Two
slots never touch (a constant of at least one character separates them), so a slot
ends where the next constant starts, and matching is a single left-to-right pass:
each text-like slot runs up to the first occurrence of the next constant's first
character (a possessive match, no backtracking).  A match is exact by construction:
the text is the concatenation of the constants and the captured values.

Syntax: ``"Order #{order_id:num} has been {status}."``; ``{name}`` is a text slot,
``{name:kind}`` names a kind (``text``, ``num``, ``hex``, ``HEX`` or a normalizer
name such as ``timestamp``), and ``{{`` / ``}}`` are literal braces.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from attrs import frozen

from aura_core.errors import TemplateHintError

#: Slot kinds 0-15 are the template-internal ones; 16 and up are normalizer type ids.
TEXT = 0
NUM = 1
HEX = 2
HEX_UPPER = 3
INTERNAL_KINDS = {"text": TEXT, "num": NUM, "hex": HEX, "HEX": HEX_UPPER}
INTERNAL_NAMES = {kind: name for name, kind in INTERNAL_KINDS.items()}
_KIND_PATTERNS = {NUM: "[0-9]++", HEX: "[0-9a-f]++", HEX_UPPER: "[0-9A-F]++"}
_KIND_CHECKS = {
    NUM: re.compile(r"[0-9]+"),
    HEX: re.compile(r"[0-9a-f]+"),
    HEX_UPPER: re.compile(r"[0-9A-F]+"),
}

_SLOT_SYNTAX = re.compile(r"\{\{|\}\}|\{([A-Za-z_][A-Za-z0-9_]*)(?::([A-Za-z_][A-Za-z0-9_-]*))?\}|[{}]")


class TemplateSyntaxError(ValueError):
    """A handwritten template does not follow the ``{name}`` syntax."""


@frozen
class Slot:
    """One typed hole in a template."""

    name: str
    kind: int


@frozen
class Template:
    """Constant text with typed slots; ``len(constants) == len(slots) + 1``."""

    template_id: int
    constants: tuple[str, ...]
    slots: tuple[Slot, ...]
    #: Where it came from: "starter", "mined" or "handwritten".
    source: str = "mined"

    def __attrs_post_init__(self) -> None:
        if len(self.constants) != len(self.slots) + 1:
            raise ValueError("a template has exactly one more constant than slots")
        if any(not c for c in self.constants[1:-1]):
            raise TemplateSyntaxError("two slots must be separated by constant text")

    def render(self, values: Sequence[str]) -> str:
        parts = [self.constants[0]]
        for value, constant in zip(values, self.constants[1:], strict=True):
            parts.append(value)
            parts.append(constant)
        return "".join(parts)

    def pattern(self, kind_names: Mapping[int, str] | None = None) -> str:
        """The ``{name}`` form (round-trips through :func:`parse_template`)."""
        names = dict(INTERNAL_NAMES) | dict(kind_names or {})
        out = [_escape_braces(self.constants[0])]
        for slot, constant in zip(self.slots, self.constants[1:], strict=True):
            kind = names.get(slot.kind, str(slot.kind))
            out.append(f"{{{slot.name}}}" if slot.kind == TEXT else f"{{{slot.name}:{kind}}}")
            out.append(_escape_braces(constant))
        return "".join(out)

    @property
    def constant_size(self) -> int:
        return sum(len(c) for c in self.constants)

    def regex(self) -> re.Pattern[str]:
        """Anchored at the start, open at the end: what follows the match is the tail."""
        out = [re.escape(self.constants[0])]
        for slot, constant in zip(self.slots, self.constants[1:], strict=True):
            if slot.kind in _KIND_PATTERNS:
                out.append(f"({_KIND_PATTERNS[slot.kind]})")
            elif constant:
                out.append(f"([^{re.escape(constant[0])}]*+)")
            else:
                out.append("(.*+)")
            out.append(re.escape(constant))
        return re.compile("".join(out), re.DOTALL)


def _escape_braces(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def valid_for_kind(kind: int, value: str) -> bool:
    """Whether a template-internal kind can carry ``value`` (normalizer kinds are checked by their codec)."""
    check = _KIND_CHECKS.get(kind)
    return check is None or check.fullmatch(value) is not None


def parse_template(text: str, template_id: int, kinds: Mapping[str, int], source: str = "handwritten") -> Template:
    """Parse the ``{name}`` / ``{name:kind}`` syntax; ``kinds`` maps kind names to ids."""
    constants: list[str] = []
    slots: list[Slot] = []
    current: list[str] = []
    pos = 0
    for match in _SLOT_SYNTAX.finditer(text):
        current.append(text[pos : match.start()])
        pos = match.end()
        token = match.group()
        if token in ("{{", "}}"):
            current.append(token[0])
            continue
        if match.group(1) is None:
            raise TemplateSyntaxError(
                f"unbalanced {token!r} at offset {match.start()} in {text!r}; write {token * 2} for a literal brace"
            )
        kind_name = match.group(2) or "text"
        if kind_name not in kinds:
            raise TemplateSyntaxError(
                f"unknown slot kind {kind_name!r} in {text!r}; known: {', '.join(sorted(kinds))}"
            )
        constants.append("".join(current))
        current = []
        slots.append(Slot(match.group(1), kinds[kind_name]))
    current.append(text[pos:])
    constants.append("".join(current))
    if not slots and not constants[0]:
        raise TemplateSyntaxError("an empty template matches nothing")
    return Template(template_id=template_id, constants=tuple(constants), slots=tuple(slots), source=source)


def hint_values(template: Template, slots: Sequence[object]) -> list[str]:
    """Turn hint slot values into strings, or raise :class:`TemplateHintError`."""
    if len(slots) != len(template.slots):
        raise TemplateHintError(
            f"template {template.template_id} has {len(template.slots)} slot(s), the hint gave {len(slots)}"
        )
    values = []
    for slot, value in zip(template.slots, slots, strict=True):
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise TemplateHintError(f"slot {slot.name!r}: hint values are str or int, not {type(value).__name__}")
        values.append(str(value))
    return values
