"""Training: templates from the miner, the previous profile and by hand; models from usage.

Ids are stable across retraining: every template of the previous profile keeps its
id (and stays, even if the new corpus no longer uses it, so old hints still work);
a handwritten or mined template whose ``{name}`` form equals one already held takes
that one's place; everything new is numbered after the highest id held, most used
first.  Slot models are learned from the corpus the profile is trained on.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from attrs import define, field

from aura_core.normalizer import Normalizer
from aura_templates import jsonmodel
from aura_templates.charmodel import CharModel
from aura_templates.index import TemplateIndex
from aura_templates.jsonmodel import JsonModel
from aura_templates.miner import MIN_SUPPORT, Miner
from aura_templates.predictors import residual, train_predictors
from aura_templates.slots import BLOCK_MIN, SlotModel
from aura_templates.template import TEXT, Template, parse_template
from aura_templates.templateset import TemplateEntry, TemplateSet
from aura_templates.textblock import train_dictionary

T = TypeVar("T")
Track = Callable[[Iterable[T], str], Iterable[T]]

#: Messages longer than this are not mined (they still train the text models).
MAX_MINED_LENGTH = 4096
#: A corpus needs this many JSON documents before a JSON model is learned.
MIN_JSON_DOCUMENTS = 8
#: The text block's dictionary: an eighth of the escaped text, within these bounds.  On the
#: JSON corpus 512 KiB codes the block 11% smaller than 64 KiB (measured, see README).
DICTIONARY_SIZE = (64 * 1024, 512 * 1024)
#: Escaped text kept for the character model and the dictionary.
MAX_ESCAPED_CHARS = 4 << 20


@define
class TrainingReport:
    """What ``aura templates mine`` prints."""

    messages: int = 0
    json_documents: int = 0
    covered: int = 0
    fully_covered: int = 0
    new_templates: int = 0
    #: JSON documents whose whole structure is a structure template.
    structure_hits: int = 0
    kept_templates: int = 0
    top: list[tuple[Template, int]] = field(factory=list)

    @property
    def coverage(self) -> float:
        return self.covered / self.messages if self.messages else 0.0

    def lines(self, kind_names: dict[int, str]) -> list[str]:
        out = [
            (
                f"{self.messages:,} messages ({self.json_documents:,} JSON documents); "
                f"{self.new_templates} new template(s), {self.kept_templates} kept from before"
            ),
            (
                f"coverage: {self.coverage:.1%} of messages hit a template "
                f"({self.fully_covered / max(1, self.messages):.1%} entirely, the rest with a free-text tail)"
            ),
        ]
        if self.json_documents:
            out.append(
                f"JSON: {self.structure_hits / self.json_documents:.1%} of documents have a structure template, "
                "the rest are coded with the learned key and type model"
            )
        for template, count in self.top:
            out.append(f"  {template.template_id:>6}  {count:>7,}  {template.pattern(kind_names)[:110]}")
        return out


def kind_table(normalizers: Sequence[Normalizer]) -> dict[str, int]:
    from aura_templates.template import INTERNAL_KINDS

    return dict(INTERNAL_KINDS) | {n.name: n.type_id for n in normalizers}


def train_templates(
    texts: Iterable[str],
    normalizers: Sequence[Normalizer],
    previous: TemplateSet | None = None,
    handwritten: Sequence[str] = (),
    track: Track[str] | None = None,
    accumulate: bool = False,
) -> tuple[TemplateSet, TrainingReport]:
    """Mine, keep ids, learn models; with ``accumulate`` add ``previous``'s counts to the new ones.

    Accumulating is for extending a profile with new messages (the old ones are not
    in ``texts``); retraining on a corpus that already holds the old messages should
    not count them twice.
    """
    report = TrainingReport()
    lines: list[str] = []
    documents: list[jsonmodel.Value] = []
    for text in texts:
        report.messages += 1
        if text[:1] in ("{", "["):
            try:
                documents.append(jsonmodel.parse(text))
                continue
            except jsonmodel.NotMinifiedJson:
                pass
        lines.append(text)
    report.json_documents = len(documents)

    held: dict[int, Template] = {t.template_id: t for t in previous.templates()} if previous else {}
    by_pattern = {t.pattern(): t for t in held.values()}
    next_id = previous.next_id() if previous else TemplateSet({}).next_id()
    kinds = kind_table(normalizers)
    candidates: list[Template] = []
    for text in handwritten:
        template = parse_template(text, next_id, kinds)
        if template.pattern() not in by_pattern:
            by_pattern[template.pattern()] = template
            candidates.append(template)
            next_id += 1
    miner = Miner(normalizers)
    for constants, slots in miner.mine((l for l in lines if len(l) <= MAX_MINED_LENGTH), track):
        template = Template(next_id, constants, slots, "mined")
        if template.pattern() not in by_pattern:
            by_pattern[template.pattern()] = template
            candidates.append(template)
            next_id += 1

    # Keep the mined templates real lines choose, then number them by use.
    usage = _usage(TemplateIndex([*held.values(), *candidates]), lines)
    mined = [t for t in candidates if t.source != "mined" or usage[t.template_id] >= MIN_SUPPORT]
    usage = _usage(TemplateIndex([*held.values(), *mined]), lines)
    first_new = previous.next_id() if previous else TemplateSet({}).next_id()
    renumbered = {}
    for number, template in enumerate(sorted(mined, key=lambda t: (-usage[t.template_id], t.template_id))):
        renumbered[template.template_id] = Template(first_new + number, template.constants, template.slots, template.source)
    templates = {**held, **{t.template_id: t for t in renumbered.values()}}

    index = TemplateIndex(templates.values())
    values: dict[int, list[list[str]]] = {tid: [[] for _ in t.slots] for tid, t in templates.items()}
    tails: dict[int, list[str]] = defaultdict(list)
    leftovers: list[str] = []
    for line in lines:
        found = index.matches(line)
        if not found:
            leftovers.append(line)
            continue
        best = found[0]
        report.covered += 1
        report.fully_covered += not best.tail
        for column, value in zip(values[best.template.template_id], best.values, strict=True):
            column.append(value)
        tails[best.template.template_id].append(best.tail)

    entries: dict[int, TemplateEntry] = {}
    escaped: list[str] = []
    for tid, template in templates.items():
        predictors = train_predictors(values[tid])
        coded = [residual(values[tid], predictors, j) for j in range(len(template.slots))]
        models = [SlotModel.train(s.kind, column) for s, column in zip(template.slots, coded, strict=True)]
        tail = SlotModel.train(TEXT, tails[tid])
        count = len(tails[tid])
        if accumulate and previous is not None and tid in previous.entries:
            old = previous.entries[tid]
            models = [new.merged(before) for new, before in zip(models, old.slots, strict=True)]
            tail, count = tail.merged(old.tail), count + old.count
        entries[tid] = TemplateEntry(template, models, tail, count, predictors)
        for slot_model, column in [*zip(models, coded, strict=True), (tail, tails[tid])]:
            if slot_model.kind == TEXT:
                escaped.extend(v for v in column if v not in slot_model.index)
    json_model = None
    if len(documents) >= MIN_JSON_DOCUMENTS:
        json_id = previous.json.template_id if previous and previous.json else max([first_new - 1, *templates]) + 1
        json_model = JsonModel.train(documents, json_id).with_structures(
            documents, max([json_id, *templates]) + 1, previous.json if previous else None
        )
        escaped.extend(text for document in documents for text in json_model.escaped_texts(document))
        report.covered += len(documents)
        report.fully_covered += len(documents)
    escaped.extend(leftovers)
    escaped = _bounded(escaped, MAX_ESCAPED_CHARS)
    report.new_templates = len(renumbered) + (json_model is not None and not (previous and previous.json))
    if json_model is not None:
        before = previous.json.structures if previous and previous.json else {}
        report.new_templates += len(set(json_model.structures) - set(before))
        report.structure_hits = sum(1 for d in documents if json_model.structure_of(d) is not None)
    report.kept_templates = len(held)
    report.top = sorted(((e.template, e.count) for e in entries.values() if e.count), key=lambda tc: -tc[1])[:10]
    blocked = [t for t in escaped if len(t) >= BLOCK_MIN]  # what text blocks will hold
    low, high = DICTIONARY_SIZE
    size = max(low, min(high, sum(len(t) for t in blocked) // 8))
    charmodel = CharModel.train(escaped)
    dictionary = train_dictionary(blocked, size)
    if accumulate and previous is not None:
        if previous.charmodel is not None:
            charmodel = charmodel.merged(previous.charmodel)
        dictionary = dictionary or previous.dictionary
        json_model = json_model or previous.json
    return TemplateSet(entries, charmodel, dictionary, json_model), report


def _usage(index: TemplateIndex, lines: list[str]) -> Counter[int]:
    usage: Counter[int] = Counter()
    for line in lines:
        found = index.matches(line)
        if found:
            usage[found[0].template.template_id] += 1
    return usage


def _bounded(texts: list[str], limit: int) -> list[str]:
    """Every ``k``-th text so that about ``limit`` characters remain, deterministically."""
    total = sum(len(t) for t in texts)
    if total <= limit:
        return texts
    step = -(-total // limit)
    return texts[::step]
