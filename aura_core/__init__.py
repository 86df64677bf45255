"""AURA: compression of short messages that each decode on their own.

The public API (see docs/guide.md)::

    import aura_core
    c = aura_core.Compressor(profile="chat.aura")
    r = c.compress("Hello!")
    assert c.decompress(r.compressed_data) == "Hello!"
"""

from __future__ import annotations

__version__ = "0.1.0"

from aura_core.codec import Codec, CodecContext, TrainedPart  # noqa: E402
from aura_core.compressor import CompressResult, Compressor  # noqa: E402
from aura_core.corpus import Corpus  # noqa: E402
from aura_core.errors import (  # noqa: E402
    AuraDecodeError,
    AuraError,
    CorruptBodyError,
    InvalidTextError,
    OutputLimitError,
    PluginError,
    ProfileFormatError,
    ProfileMismatchError,
    TemplateHintError,
    TrainingError,
    UnknownMarkerError,
)
from aura_core.hookspecs import hookimpl  # noqa: E402
from aura_core.normalizer import Normalizer  # noqa: E402
from aura_core.profile import Profile, load_profile  # noqa: E402
from aura_core.registry import Registry, default_registry  # noqa: E402
from aura_core.stats import Statistics  # noqa: E402
from aura_core.training import TrainContext, train_profile  # noqa: E402

__all__ = [
    "AuraDecodeError",
    "AuraError",
    "Codec",
    "CodecContext",
    "CompressResult",
    "Compressor",
    "Corpus",
    "CorruptBodyError",
    "InvalidTextError",
    "Normalizer",
    "OutputLimitError",
    "PluginError",
    "Profile",
    "ProfileFormatError",
    "ProfileMismatchError",
    "Registry",
    "Statistics",
    "TemplateHintError",
    "TrainContext",
    "TrainedPart",
    "TrainingError",
    "UnknownMarkerError",
    "__version__",
    "default_registry",
    "hookimpl",
    "load_profile",
    "train_profile",
]
