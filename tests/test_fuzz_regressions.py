"""Inputs that once broke the decoder contract, replayed through the fuzz targets that found them.

Each entry is a fuzz target name (``python fuzz/harness.py --list``) and the input,
as the crash file libFuzzer wrote.  Add a line here with every fix of a crash found
by ``make fuzz``; docs/reliability.md explains the workflow.
"""

from __future__ import annotations

import aura_reliability
import pytest

REGRESSIONS = [
    # ip: the form of a bare "::" decoded, though encode() never writes it and refuses it.
    ("normalizer-ip", "0901"),
    ("normalizer-ip", "090100200d0000b85b000000b80000000029"),
]


@pytest.mark.parametrize(("target", "data"), REGRESSIONS)
def test_crash_input_now_meets_the_contract(target: str, data: str) -> None:
    targets = aura_reliability.decoder_targets()
    if target not in targets:
        pytest.skip(f"{target} is not installed here")
    targets[target]().run(bytes.fromhex(data))
