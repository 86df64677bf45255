"""aura-brio: BRIO, a trained context-mixing codec for short messages (marker 0x05).

Install it next to aura-core and every ``aura_core.train_profile`` call also primes a
BRIO model; ``aura_brio.explain`` reports which trained text a payload drew on.
"""

from __future__ import annotations

__version__ = "0.1.0"

from aura_brio.codec import BrioCodec
from aura_brio.explain import Explanation, MatchSpan, explain

__all__ = ["BrioCodec", "Explanation", "MatchSpan", "__version__", "explain"]
