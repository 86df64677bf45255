"""Finding the templates a message can match without trying them all.

Each template is filed under one *key*: a whole word of its constant text, or two
words that follow each other inside one constant, that any matching message must
contain (words bounded by non-word characters or the start of the template); of
its keys, the one fewest templates share.  A message's words (one regex pass) and
its pairs of neighbouring words pick the few templates filed under them; a set test
drops those whose other key words the message lacks, and only the rest are tried,
each with one possessive, backtracking-free regex.  The cost per message therefore
follows the message's length and the handful of templates sharing its keys, not the
number of templates held.  Templates without a key word (say ``"{a}: {b}"``) are
tried for every message; mined sets have few.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import pairwise

from attrs import frozen

from aura_templates.template import Template

_WORD = re.compile(r"\w+")
#: A template, its matching regex, and every key word a matching text contains.
_Entry = tuple[Template, "re.Pattern[str]", frozenset[str]]


@frozen
class Match:
    """A template, the values its slots took, and the text after it (the tail)."""

    template: Template
    values: tuple[str, ...]
    tail: str

    @property
    def covered(self) -> int:
        """Characters the template's constants account for: the matcher's preference."""
        return self.template.constant_size


def key_runs(template: Template) -> list[list[str]]:
    """Per constant, its words that a matching text contains whole, in order.

    A slot or the tail may continue a word at either edge of a constant, so only a
    word at the very start of the template may touch its constant's edge.  The words
    of one run are neighbours in the text's word sequence too.
    """
    runs = []
    for number, constant in enumerate(template.constants):
        run = [
            m.group() for m in _WORD.finditer(constant) if (m.start() > 0 or number == 0) and m.end() < len(constant)
        ]
        if run:
            runs.append(run)
    return runs


def _keys(runs: list[list[str]]) -> set[str | tuple[str, str]]:
    return {w for run in runs for w in run} | {pair for run in runs for pair in pairwise(run)}


class TemplateIndex:
    """Templates filed by key word or word pair; :meth:`matches` returns every template that fits."""

    def __init__(self, templates: Iterable[Template]) -> None:
        self.templates = list(templates)
        runs = [key_runs(t) for t in self.templates]
        keys = [_keys(r) for r in runs]
        frequency = Counter(key for k in keys for key in k)
        self.by_word: dict[str, list[_Entry]] = defaultdict(list)
        self.by_pair: dict[tuple[str, str], list[_Entry]] = defaultdict(list)
        self.unkeyed: list[_Entry] = []
        for template, template_runs, template_keys in zip(self.templates, runs, keys, strict=True):
            entry = (template, template.regex(), frozenset(w for run in template_runs for w in run))
            if not template_keys:
                self.unkeyed.append(entry)
                continue
            key = min(template_keys, key=lambda k: (frequency[k], isinstance(k, str), str(k)))
            if isinstance(key, str):
                self.by_word[key].append(entry)
            else:
                self.by_pair[key].append(entry)
        self.by_word = dict(self.by_word)
        self.by_pair = dict(self.by_pair)
        self.pair_heads = frozenset(first for first, _ in self.by_pair)

    def __len__(self) -> int:
        return len(self.templates)

    def matches(self, text: str) -> list[Match]:
        """Every template that matches a prefix of ``text``, best coverage first."""
        found = []
        sequence = _WORD.findall(text)
        words = set(sequence)
        by_word, by_pair, heads = self.by_word, self.by_pair, self.pair_heads
        tried = [entry for word in words if word in by_word for entry in by_word[word]] + self.unkeyed
        if heads:
            pairs = {pair for pair in pairwise(sequence) if pair[0] in heads}
            tried += [entry for pair in pairs if pair in by_pair for entry in by_pair[pair]]
        for template, regex, needed in tried:
            if not needed <= words:
                continue
            m = regex.match(text)
            if m is not None:
                found.append(Match(template, m.groups(), text[m.end() :]))
        found.sort(key=lambda m: (len(m.tail), -m.covered, m.template.template_id))
        return found
