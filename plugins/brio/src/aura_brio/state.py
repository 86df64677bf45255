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
from aura_core.errors import ProfileFormatError


@define
class BrioState:
    """The primed model plus what :mod:`aura_brio.explain` needs to name trained text."""

    model: Model
    #: Offsets of the training messages in the model's history (len = messages + 1).
    bounds: np.ndarray
    lock: threading.Lock = field(factory=threading.Lock)

    @classmethod
    def load(cls, data: bytes) -> BrioState:
        """Parse a part and build the tables by replaying its training messages (docs: priming).

        The training text is copied into the model's history and the parsed part
        dropped before priming, so loading never holds the text twice while the
        tables fill.
        """
        part = Part.from_bytes(data)
        if not part.lengths:
            raise ProfileFormatError("the brio part holds no training text")
        size = part.text_bytes
        model = new_model(part.sizes.bucket_bits, part.sizes.match_bits, size + MAX_MESSAGE + 8)
        model.hist[:size] = np.frombuffer(part.text, dtype=np.uint8)
        bounds = np.zeros(len(part.lengths) + 1, dtype=np.int64)
        np.cumsum(part.lengths, out=bounds[1:])
        del part
        prime(model, bounds)
        return cls(model=model, bounds=bounds)

    @property
    def training_bytes(self) -> int:
        return int(self.bounds[-1])

    @property
    def resident_bytes(self) -> int:
        """Bytes held by the model's arrays (the bucket view shares its memory)."""
        return sum(a.nbytes for name, a in zip(self.model._fields, self.model) if name != "bk64")
