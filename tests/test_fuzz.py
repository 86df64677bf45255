"""A short coverage-guided fuzzing run of every installed decoder (atheris).

All decoders are fuzzed in one process (the harness's ``all`` target: an input's first
byte picks the decoder), starting from the golden vectors, under the contract of
``aura_reliability`` (exact text or a documented ``AuraDecodeError``).  Long runs, one
process per decoder: ``make fuzz`` (docs/reliability.md).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import aura_reliability
import pytest

from aura_core import Profile

pytest.importorskip("atheris", reason="atheris (libFuzzer for Python) is not installed: pip install 'aura-core[test]'")

CAMPAIGN = aura_reliability.ROOT / "fuzz" / "campaign.py"
#: Executions per decoder: enough to mutate every seed many times, small enough for make test.
RUNS_PER_DECODER = 1000
#: A guard against a wedged subprocess, far above a normal run (never an assertion on speed).
GUARD_SECONDS = 900


def _campaign():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("aura_fuzz_campaign", CAMPAIGN)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


campaign = _campaign()


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Path | None:
    """The session's trained profile, saved once for the harness processes (if they need one)."""
    if not aura_reliability.needs_trained_profile():
        return None
    profile: Profile | None = aura_reliability.trained_profile()
    if profile is None:
        return None
    path = tmp_path_factory.mktemp("fuzz-profile") / "trained.aura"
    profile.save(path)
    return path


def test_every_decoder_survives_fuzzing(trained: Path | None, tmp_path: Path) -> None:
    runs = RUNS_PER_DECODER * len(aura_reliability.decoder_targets())
    outcome = campaign.fuzz(campaign.ALL, tmp_path, runs=runs, profile=trained, timeout=GUARD_SECONDS)
    assert not outcome.crashed, f"crashed ({outcome.crashes}):\n" + "\n".join(outcome.log.splitlines()[-60:])
    assert outcome.executions >= runs
