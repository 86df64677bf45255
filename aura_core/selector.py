"""The selector: per message, which codec's body goes out.

Every enabled codec gives a cheap score (an estimated body size, or ``None`` for
"not applicable"); the best-scored few are encoded and the smallest body wins,
subject to the policy below.  Oracle mode encodes with every codec: it is the
yardstick the selector's regret is measured against, not a mode for production.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

from attrs import frozen

from aura_core.codec import Codec, CodecContext


@frozen
class Policy:
    """When a codec's body is preferred over the raw text."""

    #: Messages shorter than this many UTF-8 bytes go out raw without trying codecs.
    min_compression_size: int = 1
    #: A body must be at least this many times smaller than the raw text to be used.
    #: Exact rational comparison, so the decision is the same on every platform.
    binary_advantage_threshold: Fraction = Fraction(1)
    #: How many best-scored candidates are actually encoded.  Three reached the oracle's
    #: ratio on json and log samples with every first-party plugin installed, where two
    #: left 15-18 % on the table (the cheap scores of trained codecs are rough).
    candidates: int = 3
    #: Encode with every codec (the oracle) instead of the best-scored few.
    oracle: bool = False


def select(
    text: str, data: bytes, codecs: Sequence[Codec], raw: Codec, ctx: CodecContext, policy: Policy
) -> tuple[Codec, bytes]:
    """Return the winning codec and its body; raw when nothing beats it by the policy's margin."""
    if len(data) < policy.min_compression_size:
        return raw, data
    scored: list[tuple[int, int, Codec]] = []
    for order, codec in enumerate(codecs):
        estimate = codec.score(text, data, ctx)
        if estimate is not None:
            scored.append((estimate, order, codec))
    scored.sort(key=lambda item: (item[0], item[1]))
    if not policy.oracle:
        scored = scored[: policy.candidates]
    best: tuple[Codec, bytes] = (raw, data)
    for _, _, codec in scored:
        body = codec.encode(text, data, ctx)
        if body is not None and len(body) < len(best[1]):
            best = (codec, body)
    codec, body = best
    threshold = policy.binary_advantage_threshold
    if codec is not raw and len(data) * threshold.denominator < threshold.numerator * len(body):
        return raw, data
    return best
