"""The published marker table: which distribution owns which marker.

It lets a decoder that meets a marker it has no codec for name the distribution to
install.  docs/markers.md shows the same table; a test keeps the two in step and
checks it against what installed first-party plugins declare.
"""

from __future__ import annotations

from attrs import frozen

RAW = 0x00
BROTLI = 0x01
FIRST_PARTY = range(0x02, 0x40)
THIRD_PARTY = range(0x40, 0xC0)
PRIVATE = range(0xC0, 0xFF)
EXTENDED = 0xFF


@frozen
class MarkerEntry:
    marker: int
    codec: str
    distribution: str
    since: str
    status: str = "active"


MARKERS: tuple[MarkerEntry, ...] = (
    MarkerEntry(0x00, "raw", "aura-core", "0.1.0"),
    MarkerEntry(0x01, "brotli", "aura-core", "0.1.0"),
    MarkerEntry(0x02, "zstd", "aura-zstd", "0.1.0"),
    MarkerEntry(0x03, "zstd-dict", "aura-zstd", "0.1.0"),
    MarkerEntry(0x04, "templates", "aura-templates", "0.1.0"),
    MarkerEntry(0x05, "brio", "aura-brio", "0.1.0"),
)


def lookup(marker: int) -> MarkerEntry | None:
    for entry in MARKERS:
        if entry.marker == marker:
            return entry
    return None


def band(marker: int) -> str:
    """Which range of the table a marker falls in."""
    if marker in (RAW, BROTLI):
        return "core"
    if marker in FIRST_PARTY:
        return "first-party"
    if marker in THIRD_PARTY:
        return "registered third-party"
    if marker in PRIVATE:
        return "private use"
    return "reserved"
