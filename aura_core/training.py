"""Training a profile: every installed trainable codec learns from the same corpus."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

from attrs import define, field

from aura_core.corpus import Corpus
from aura_core.errors import TrainingError
from aura_core.profile import Profile
from aura_core.progress import track

if TYPE_CHECKING:
    from aura_core.normalizer import Normalizer
    from aura_core.registry import Registry

T = TypeVar("T")
log = logging.getLogger(__name__)


@define
class TrainContext:
    """What a codec's ``train`` may use: normalizers, progress bars, a place to report."""

    normalizers: tuple[Normalizer, ...]
    progress: bool = True
    #: Profiles trained before this one; codecs keep their ids stable across retraining.
    previous: Profile | None = None
    lines: list[str] = field(factory=list)

    def track(self, items: Iterable[T], description: str, total: float | None = None) -> Iterator[T]:
        return track(items, description, total=total, enabled=self.progress)

    def previous_part(self, codec_name: str) -> bytes | None:
        """The part this codec wrote into the previous profile, to extend rather than replace."""
        return None if self.previous is None else self.previous.parts.get(codec_name)


def train_profile(
    texts: Corpus | Iterable[str],
    *,
    progress: bool = True,
    profile_id: int | None = None,
    previous: Profile | None = None,
    codecs: Iterable[str] | None = None,
    registry: Registry | None = None,
) -> Profile:
    """Train every installed trainable codec on ``texts`` and bundle the parts in a profile.

    ``previous`` is the profile this one replaces: codecs that keep ids (templates)
    keep them, and the new profile takes the next id unless ``profile_id`` is given,
    so old messages keep decoding while both are held.
    """
    from aura_core.registry import default_registry

    registry = registry or default_registry()
    corpus = Corpus.coerce(texts)
    corpus.require(1, 1, "training a profile")
    wanted = set(codecs) if codecs is not None else None
    trainable = [c for c in registry.codecs if c.trainable and (wanted is None or c.name in wanted)]
    if not trainable:
        raise TrainingError(
            "no trainable codec is installed (or selected): install a plugin such as aura-zstd"
        )
    ctx = TrainContext(normalizers=registry.normalizers, progress=progress, previous=previous)
    parts: dict[str, bytes] = {}
    summaries: dict[str, str] = {}
    versions: dict[str, str] = {}
    for codec in trainable:
        part = codec.train(corpus, ctx)
        if part is None:
            log.info("codec %s learned nothing from this corpus", codec.name)
            continue
        parts[codec.name] = part.data
        summaries[codec.name] = part.summary
        versions[codec.name] = codec.version
    if not parts:
        raise TrainingError("no codec could learn from this corpus; train on more messages")
    return Profile.create(
        profile_id=profile_id,
        parts=parts,
        summaries=summaries,
        versions=versions,
        corpus_messages=len(corpus),
        corpus_bytes=corpus.total_bytes,
        previous=previous,
    )
