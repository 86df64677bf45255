"""Profiles with templates: mine a corpus into a new profile, extending an older one.

``aura train`` trains every codec; this is the templates-only path behind
``aura templates mine``, which also takes handwritten templates.  A profile made
from ``previous`` keeps previous's other parts (zstd dictionary, ...) unchanged and
takes the next profile id, so a Compressor holding both decodes old and new messages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from aura_core.corpus import Corpus
from aura_core.errors import ProfileFormatError
from aura_core.normalizer import Normalizer
from aura_core.profile import Profile
from aura_core.progress import track
from aura_core.registry import default_registry
from aura_templates import __version__
from aura_templates.codec import TemplatesCodec
from aura_templates.templateset import TemplateSet
from aura_templates.training import TrainingReport, train_templates


def templates_of(profile: Profile) -> TemplateSet:
    """The template set a profile holds; :class:`ProfileFormatError` if it holds none."""
    part = profile.parts.get(TemplatesCodec.name)
    if part is None:
        raise ProfileFormatError(f"profile {profile.profile_id} holds no templates (train it with aura-templates installed)")
    return TemplateSet.from_part(part)


def mine_profile(
    texts: Corpus | Iterable[str],
    *,
    previous: Profile | None = None,
    handwritten: Sequence[str] = (),
    profile_id: int | None = None,
    progress: bool = True,
    normalizers: Sequence[Normalizer] | None = None,
) -> tuple[Profile, TrainingReport]:
    """Mine templates from ``texts`` (plus ``handwritten`` ones) into a new profile.

    With ``previous``, the new profile *extends* it: templates keep their ids and the
    counts learned before are added to those learned from ``texts``.
    """
    corpus = Corpus.coerce(texts)
    corpus.require(1, 1, "mining templates")
    if normalizers is None:
        normalizers = default_registry().normalizers
    earlier = templates_of(previous) if previous is not None and TemplatesCodec.name in previous.parts else None
    templates, report = train_templates(
        corpus,
        normalizers,
        previous=earlier,
        handwritten=handwritten,
        track=lambda items, what: track(items, what, enabled=progress),
        accumulate=True,
    )
    parts = dict(previous.parts) if previous is not None else {}
    old = previous.manifest.get("parts", {}) if previous is not None else {}
    summaries = {name: str(old.get(name, {}).get("summary", "")) for name in parts}
    versions = {name: str(old.get(name, {}).get("version", "")) for name in parts}
    parts[TemplatesCodec.name] = templates.to_part()
    summaries[TemplatesCodec.name] = f"{len(templates.entries)} templates, coverage {report.coverage:.1%}"
    versions[TemplatesCodec.name] = __version__
    profile = Profile.create(
        profile_id=profile_id,
        parts=parts,
        summaries=summaries,
        versions=versions,
        corpus_messages=len(corpus),
        corpus_bytes=corpus.total_bytes,
        previous=previous,
    )
    return profile, report
