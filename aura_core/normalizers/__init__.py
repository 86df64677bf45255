"""Normalizers built into aura-core: timestamp (16), uuid (17) and ip (18).

Each module holds one normalizer; ``wire`` holds the bounded readers they share.
The binary forms are specified in docs/normalizers.md.
"""
