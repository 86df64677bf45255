"""Benchmarks: every installed codec, the selector and the oracle next to existing compressors.

``aura bench`` (full report, JSON, chart) and ``aura demo`` (one table on the bundled
sample) both run :func:`aura_core.bench.runner.run`.  See docs/bench.md.
"""
