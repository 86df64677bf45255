"""The exceptions AURA raises, in one place so callers can catch them by kind.

Every decode failure is an :class:`AuraDecodeError` (a :class:`ValueError`): a payload
that arrived from the network is bad input, and code that already catches
``ValueError`` keeps working.  Each subclass names what was found and what to do.
"""

from __future__ import annotations


class AuraError(Exception):
    """Base class of every error AURA raises on purpose."""


class AuraDecodeError(AuraError, ValueError):
    """A payload could not be turned back into the exact text that was encoded."""


class UnknownMarkerError(AuraDecodeError):
    """The payload's marker byte belongs to no installed codec."""

    def __init__(self, marker: int, distribution: str | None = None) -> None:
        self.marker = marker
        self.distribution = distribution
        if distribution:
            hint = f"it belongs to {distribution!r}: install it (pip install {distribution})"
        elif 0xC0 <= marker <= 0xFE:
            hint = "it is in the private-use range: the sender used a plugin you do not have"
        elif marker == 0xFF:
            hint = "0xFF is reserved for extended codec ids, which this version does not read"
        else:
            hint = "no published codec owns it; see docs/markers.md"
        super().__init__(f"unknown marker 0x{marker:02X}: {hint}")


class CorruptBodyError(AuraDecodeError):
    """The body is truncated or does not parse as the format its marker names."""


class OutputLimitError(AuraDecodeError):
    """Decoding would produce more text than the configured limit allows."""

    def __init__(self, limit: int, claimed: int | None = None) -> None:
        self.limit = limit
        self.claimed = claimed
        found = f"{claimed:,} bytes" if claimed is not None else "more"
        super().__init__(
            f"decoded output would be {found}, over the limit of {limit:,} bytes; "
            "raise max_output_size if such messages are expected"
        )


class ProfileMismatchError(AuraDecodeError):
    """The body was made with a profile this decoder does not hold."""


class ProfileFormatError(AuraError, ValueError):
    """A profile file is truncated, corrupted or was not written by AURA."""


class InvalidTextError(AuraError, ValueError):
    """The text cannot be carried exactly (e.g. it holds a lone surrogate)."""


class TemplateHintError(AuraError, ValueError):
    """A template hint does not render back to exactly the text given."""


class TrainingError(AuraError, ValueError):
    """Training cannot produce a useful model from the corpus given."""


class PluginError(AuraError):
    """A plugin failed to load or conflicts with another (raised in strict mode only)."""
