"""A primed BRIO model, built once per profile and shared by encode and decode.

Coding a message updates the tables and then undoes every update, so the state is
mutated while a message is in flight: a lock serialises messages on one state.
"""

from __future__ import annotations

import threading

import numpy as np
from attrs import define, field

from aura_brio.model import Model, new_model, prime
from aura_brio.part import MAX_MESSAGE, Part


@define
class BrioState:
    """The primed model plus what :mod:`aura_brio.explain` needs to name trained text."""

    model: Model
    #: Offsets of the training messages in the model's history (len = messages + 1).
    bounds: np.ndarray
    lock: threading.Lock = field(factory=threading.Lock)

    @classmethod
    def prime(cls, part: Part) -> BrioState:
        """Build the tables by replaying the part's training messages (docs: priming)."""
        text = b"".join(part.messages)
        bounds = np.zeros(len(part.messages) + 1, dtype=np.int64)
        np.cumsum([len(m) for m in part.messages], out=bounds[1:])
        model = new_model(part.sizes.bucket_bits, part.sizes.match_bits, len(text) + MAX_MESSAGE + 8)
        prime(model, text, bounds)
        return cls(model=model, bounds=bounds)

    @property
    def training_bytes(self) -> int:
        return int(self.bounds[-1])

    def training_text(self, start: int, end: int) -> bytes:
        return self.model.hist[start:end].tobytes()

    @property
    def resident_bytes(self) -> int:
        """Bytes held by the model's arrays (the bucket view shares its memory)."""
        return sum(a.nbytes for name, a in zip(self.model._fields, self.model) if name != "bk64")
