"""Mining templates from a corpus: Drain-style clustering, then a refinement per field.

1. Each line is split into fields: whitespace runs, quoted strings and bracketed
   groups stay whole (a user agent or a ``[timestamp]`` is one field), everything
   else splits at whitespace.  Fields holding a digit are masked as variables up
   front, as Drain does.
2. Lines with the same number of fields are clustered by similarity (the share of
   positions that agree, variables counting as agreeing); a line joins the most
   similar cluster above :data:`SIMILARITY`, and positions where members disagree
   become variables.
3. Every variable field is refined over the values its members had there: split
   again at whitespace, then into letter runs, digit runs and single symbols; parts
   every member shares become constants, the rest become slots whose kind (digits,
   hex, a normalizer's kind, text) fits every value seen.
4. Lines no full template covered get prefix templates: the first few fields of
   lines that share them, the rest of the line left as the template's tail.

The miner only proposes; :mod:`aura_templates.training` keeps the templates that
real lines match.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence

from attrs import define, field

from aura_core.normalizer import Normalizer
from aura_templates.template import HEX, HEX_UPPER, NUM, TEXT, Slot

#: A line joins a cluster when at least this share of its fields agree with it.
SIMILARITY = 0.5
#: How many leading fields prefix templates keep, tried in this order.
PREFIX_FIELDS = (6, 4, 2)
#: Clusters need this many lines to become templates.
MIN_SUPPORT = 2

_FIELDS = re.compile(r'\s+|"(?:[^"\\\n]|\\.)*"|\[[^\]\n]*\]|\S+')
_LEVELS = (re.compile(r"\s+|\S+"), re.compile(r"[A-Za-z]+|[0-9]+|\s+|."))
_DIGIT = re.compile(r"[0-9]")
_KINDS = ((NUM, re.compile(r"[0-9]+")), (HEX, re.compile(r"[0-9a-f]*[0-9][0-9a-f]*")), (HEX_UPPER, re.compile(r"[0-9A-F]*[0-9][0-9A-F]*")))

#: A template proposal: constants and slots, the same shape as a Template.
Proposal = tuple[tuple[str, ...], tuple[Slot, ...]]


def fields(line: str) -> list[str]:
    return _FIELDS.findall(line)


def _masked(token: str) -> str | None:
    """``None`` stands for a variable."""
    return None if _DIGIT.search(token) else token


@define
class Cluster:
    shape: list[str | None]
    members: list[list[str]] = field(factory=list)

    def similarity(self, tokens: Sequence[str]) -> float:
        """Agreeing constants over the positions where either side has a constant.

        Variables agree with nothing: otherwise a cluster that has turned every
        position into a variable would absorb every line of its length.
        """
        agree = total = 0
        for known, token in zip(self.shape, tokens, strict=True):
            if token.isspace() or (known is None and _masked(token) is None):
                continue
            total += 1
            agree += known == token
        return agree / total if total else 1.0

    def add(self, tokens: list[str]) -> None:
        self.members.append(tokens)
        for i, token in enumerate(tokens):
            if self.shape[i] is not None and self.shape[i] != token:
                self.shape[i] = None


@define
class _Piece:
    """A constant (``values is None``) or a slot with one value per member line."""

    text: str = ""
    values: list[str] | None = None
    #: A normalizer's slot type chosen for the whole value (else inferred from the values).
    kind: int | None = None


class Miner:
    """Proposes templates for a corpus of lines (see the module docstring)."""

    def __init__(self, normalizers: Sequence[Normalizer] = ()) -> None:
        self.normalizers = tuple(normalizers)

    def mine(self, lines: Iterable[str], track: Callable[[Iterable[str], str], Iterable[str]] | None = None) -> list[Proposal]:
        lines = list(lines)
        clusters: dict[int, list[Cluster]] = defaultdict(list)
        for line in track(lines, "mining templates") if track else lines:
            tokens = fields(line)
            if not tokens:
                continue
            group = clusters[len(tokens)]
            best, score = None, SIMILARITY
            for cluster in group:
                sim = cluster.similarity(tokens)
                if sim >= score:
                    best, score = cluster, sim
            if best is None:
                best = Cluster(shape=[_masked(t) for t in tokens])
                group.append(best)
            best.add(tokens)
        proposals: list[Proposal] = []
        leftovers: list[list[str]] = []
        for group in clusters.values():
            for cluster in group:
                if len(cluster.members) >= MIN_SUPPORT:
                    proposals.append(self._build(cluster.members))
                else:
                    leftovers.extend(cluster.members)
        for width in PREFIX_FIELDS:
            groups: dict[tuple[str | None, ...], list[list[str]]] = defaultdict(list)
            rest: list[list[str]] = []
            for tokens in leftovers:
                head = _prefix(tokens, width)
                if head is None:
                    rest.append(tokens)
                else:
                    groups[tuple(_masked(t) for t in head)].append(tokens)
            for members in groups.values():
                if len(members) >= MIN_SUPPORT:
                    proposals.append(self._build([_prefix(tokens, width) or tokens for tokens in members]))
                else:
                    rest.extend(members)
            leftovers = rest
        return proposals

    def _build(self, members: list[list[str]]) -> Proposal:
        pieces: list[_Piece] = []
        for column in zip(*members, strict=True):
            pieces.extend(self._refine(list(column), 0))
        return self._proposal(_merge(pieces))

    def _refine(self, values: list[str], level: int) -> list[_Piece]:
        first = values[0]
        if all(v == first for v in values) and not _DIGIT.search(first):
            return [_Piece(first)]
        if level == len(_LEVELS):
            return [_Piece(values=values)]
        if level == 0:
            return self._whole_or_split(values)
        return self._split(values, level)

    def _whole_or_split(self, values: list[str]) -> list[_Piece]:
        """A field a normalizer claims in every line stays whole when that codes smaller.

        An IP address or UUID that repeats is one table entry as a whole, four or
        five as parts; a timestamp whose date never changes is cheaper as parts.
        """
        split = self._split(values, 0)
        for normalizer in self.normalizers:
            forms = [normalizer.encode(v) if normalizer.pattern.fullmatch(v) else None for v in values]
            if any(form is None for form in forms):
                continue
            sizes = {v: len(f) for v, f in zip(values, forms, strict=True) if f is not None}
            whole = _bits(values, lambda v, sizes=sizes: 4 + 8 * sizes[v])  # type: ignore[misc]
            parts = sum(_bits(p.values, _ESCAPE_BITS[self._kind(p.values)]) for p in split if p.values is not None)
            if whole <= parts:
                return [_Piece(values=values, kind=normalizer.type_id)]
        return split

    def _split(self, values: list[str], level: int) -> list[_Piece]:
        split = [_LEVELS[level].findall(v) for v in values]
        if all(len(s) == len(split[0]) for s in split) and split[0]:
            pieces = []
            for column in zip(*split, strict=True):
                pieces.extend(self._refine(list(column), level + 1))
            return _merge(pieces)
        head = _common(split, forward=True)
        tail = _common(split, forward=False)
        if not head and not tail:
            return self._refine(values, level + 1)
        tail = min(tail, min(len(s) for s in split) - head)
        middle = ["".join(s[head : len(s) - tail]) for s in split]
        pieces = [_Piece(t) for t in split[0][:head]] + [_Piece(values=middle)]
        pieces += [_Piece(t) for t in split[0][len(split[0]) - tail :]]
        return _merge(pieces)

    def _kind(self, values: list[str]) -> int:
        for kind, pattern in _KINDS:
            if all(pattern.fullmatch(v) for v in values):
                return kind
        for normalizer in self.normalizers:
            if all(normalizer.pattern.fullmatch(v) and normalizer.encode(v) is not None for v in values):
                return normalizer.type_id
        return TEXT

    def _proposal(self, pieces: list[_Piece]) -> Proposal:
        constants: list[str] = [""]
        slots: list[Slot] = []
        for piece in pieces:
            if piece.values is None:
                constants[-1] += piece.text
            else:
                kind = piece.kind if piece.kind is not None else self._kind(piece.values)
                slots.append(Slot(f"s{len(slots)}", kind))
                constants.append("")
        return tuple(constants), tuple(slots)


def _bits(values: list[str], escaped: Callable[[str], float]) -> float:
    """Estimated size of a slot's values: table entries for repeats, ``escaped`` for the rest."""
    counts = Counter(values)
    total = len(values)
    repeats = {v: c for v, c in counts.items() if c >= 2}
    escapes = total - sum(repeats.values())
    bits = sum(c * math.log2(total / c) for c in repeats.values())
    if escapes:
        bits += escapes * math.log2(total / escapes) + sum(escaped(v) for v, c in counts.items() if c < 2)
    return bits


#: Rough bits of an escaped value of each template-internal kind (training estimates only).
_ESCAPE_BITS: dict[int, Callable[[str], float]] = defaultdict(
    lambda: lambda v: 6 + 4.5 * len(v),
    {NUM: lambda v: 4 + 3.4 * len(v), HEX: lambda v: 4 + 4 * len(v), HEX_UPPER: lambda v: 4 + 4 * len(v)},
)


def _prefix(tokens: list[str], width: int) -> list[str] | None:
    """The first ``width`` non-blank fields and the blank after them; ``None`` if nothing follows."""
    seen = 0
    for i, token in enumerate(tokens):
        if not token.isspace():
            seen += 1
            if seen == width:
                end = i + 2 if i + 1 < len(tokens) and tokens[i + 1].isspace() else i + 1
                return tokens[:end] if end < len(tokens) else None
    return None


def _common(split: list[list[str]], forward: bool) -> int:
    """How many leading (or trailing) tokens every value shares, digits excluded."""
    count = 0
    shortest = min(len(s) for s in split)
    while count < shortest:
        index = count if forward else -1 - count
        token = split[0][index]
        if _DIGIT.search(token) or any(s[index] != token for s in split):
            break
        count += 1
    return count


def _merge(pieces: list[_Piece]) -> list[_Piece]:
    """Join neighbouring constants, and neighbouring slots (two slots never touch)."""
    out: list[_Piece] = []
    for piece in pieces:
        if out and (out[-1].values is None) == (piece.values is None):
            last = out[-1]
            if piece.values is None:
                last.text += piece.text
            else:
                assert last.values is not None
                last.values = [a + b for a, b in zip(last.values, piece.values, strict=True)]
                last.kind = None  # the joined values are no longer one normalizer's
            continue
        out.append(_Piece(piece.text, None if piece.values is None else list(piece.values), piece.kind))
    return out
