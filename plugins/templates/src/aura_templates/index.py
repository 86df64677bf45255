"""Finding the templates a message can match without trying them all.

Each template is filed under one *key word*: a word of its constant text that any
matching message must contain as a whole word (bounded by non-word characters or
the start of the template), the rarest such word among all templates.  A message's
words (one regex pass) pick the few templates filed under them; a set test drops
those whose other key words the message lacks, and only the rest are tried, each
with one possessive, backtracking-free regex.  The cost per message
therefore follows the message's length and the number of templates sharing its
words, not the number of templates held.  Templates without such a word (say
``"{a}: {b}"``) are tried for every message; mined sets have few.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable

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


def key_words(template: Template) -> list[str]:
    """Words of the constants that a matching text must contain whole."""
    words = []
    for number, constant in enumerate(template.constants):
        for match in _WORD.finditer(constant):
            # A slot or the tail may continue a word at either edge of a constant.
            if (match.start() > 0 or number == 0) and match.end() < len(constant):
                words.append(match.group())
    return words


class TemplateIndex:
    """Templates filed by key word; :meth:`matches` returns every template that fits."""

    def __init__(self, templates: Iterable[Template]) -> None:
        self.templates = list(templates)
        candidates = {t.template_id: set(key_words(t)) for t in self.templates}
        frequency = Counter(word for words in candidates.values() for word in words)
        self.by_word: dict[str, list[_Entry]] = defaultdict(list)
        self.unkeyed: list[_Entry] = []
        for template in self.templates:
            words = candidates[template.template_id]
            entry = (template, template.regex(), frozenset(words))
            if words:
                key = min(words, key=lambda w: (frequency[w], w))
                self.by_word[key].append(entry)
            else:
                self.unkeyed.append(entry)
        self.by_word = dict(self.by_word)

    def __len__(self) -> int:
        return len(self.templates)

    def matches(self, text: str) -> list[Match]:
        """Every template that matches a prefix of ``text``, best coverage first."""
        found = []
        words = set(_WORD.findall(text))
        by_word = self.by_word
        tried = [entry for word in words if word in by_word for entry in by_word[word]] + self.unkeyed
        for template, regex, needed in tried:
            if not needed <= words:
                continue
            m = regex.match(text)
            if m is not None:
                found.append(Match(template, m.groups(), text[m.end() :]))
        found.sort(key=lambda m: (len(m.tail), -m.covered, m.template.template_id))
        return found
