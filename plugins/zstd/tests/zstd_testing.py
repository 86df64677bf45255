"""Helpers aura-zstd's test modules share (a distinctive name, so no other suite's helper shadows it)."""

from __future__ import annotations

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from aura_core import CodecContext, Compressor, Profile

#: The codecs these tests compare: aura-core's and this plugin's, whatever else is installed.
OURS = ("brotli", "zstd", "zstd-dict")

#: Tests never assert on time and the machines are shared: no deadline, moderate counts.
PROPERTY = settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])

#: Text zstd always compresses: arbitrary Unicode pieces mixed with words, repeated to
#: at least 100 characters.
compressible_text = (
    st.lists(
        st.one_of(st.text(min_size=1, max_size=20), st.sampled_from(["router ", "request ", "日本語 ", "👍 ", "\n"])),
        min_size=1,
        max_size=12,
    )
    .map("".join)
    .map(lambda text: text * (2 + 100 // len(text)))
)


def context(profile: Profile | None = None, max_output_size: int | None = None) -> CodecContext:
    """The context a Compressor with ``profile`` (and optionally a smaller output limit) hands its codecs."""
    if max_output_size is None:
        return Compressor(profile=profile).context
    return Compressor(profile=profile, max_output_size=max_output_size).context
