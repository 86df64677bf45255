"""Data shipped with aura-core: the demo sample (sample/README.md lists sources and licenses)."""
