"""aura-zstd: zstd codecs for AURA.

Two codecs, registered through the ``aura`` entry-point group (:mod:`aura_zstd.plugin`):

* ``zstd`` (marker 0x02): plain zstd, for messages no trained state helps;
* ``zstd-dict`` (marker 0x03): zstd with a dictionary that is part of the profile,
  its size and compression level chosen at training time by measurement.

Both bodies are one compressed zstd block with the frame around it left implied
(docs/codecs/zstd.md), so a 60-byte message pays no frame headers.
"""

from __future__ import annotations

__version__ = "0.1.0"

#: The aura-core versions these codecs are written against (kept equal to pyproject's pin).
REQUIRES_CORE = ">=0.1,<0.2"
