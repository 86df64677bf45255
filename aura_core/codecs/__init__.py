"""Codecs built into aura-core: raw (0x00) and brotli (0x01)."""
