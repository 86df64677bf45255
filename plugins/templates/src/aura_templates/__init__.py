"""aura-templates: typed-slot templates for AURA, mined from a corpus, matched through an index.

Install next to aura-core and every Compressor gains the ``templates`` codec
(marker 0x04); ``aura train`` / ``aura templates mine`` learn templates into a profile.
"""

from __future__ import annotations

__version__ = "0.1.0"
