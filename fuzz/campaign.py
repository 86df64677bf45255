"""Run the fuzz harness over every installed decoder, one libFuzzer process per target.

::

    python fuzz/campaign.py --seconds 3600            # an hour per target (make fuzz)
    python fuzz/campaign.py --runs 2000 --workdir /tmp/f   # a bounded smoke run
    python fuzz/campaign.py --seconds 600 codec-brio+profile normalizer-ip

Each target keeps its corpus in ``WORKDIR/corpus/TARGET`` (seeded from the golden
vectors, grown by libFuzzer across runs) and its crashes in ``WORKDIR/crashes/TARGET/``.
A crash file reproduces with ``python fuzz/harness.py TARGET CRASH_FILE``.  The summary
(one line per target: executions, seconds, crashes) is printed and, with ``--json``,
written for other tools.  Exit status 1 when any target crashed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

from attrs import asdict, frozen

HARNESS = Path(__file__).resolve().parent / "harness.py"
#: The harness target that fuzzes every decoder in one process.
ALL = "all"
DEFAULT_WORKDIR = Path(__file__).resolve().parents[1] / ".fuzz"
#: Per-input limits: an input slower or hungrier than this is a hang or a bomb.
INPUT_TIMEOUT_SECONDS = 60
RSS_LIMIT_MB = 2048
_DONE = re.compile(r"Done (\d+) runs in (\d+) second")
#: How the harness learns where the trained profile is (aura_reliability.trained_profile).
TRAINED_PROFILE_VARIABLE = "AURA_TRAINED_PROFILE"
_EXECUTED = re.compile(r"stat::number_of_executed_units:\s*(\d+)")


@frozen
class Outcome:
    """What one target's run did."""

    target: str
    executions: int
    seconds: float
    returncode: int
    crashes: list[str]
    log: str

    @property
    def crashed(self) -> bool:
        return self.returncode != 0 or bool(self.crashes)


def targets() -> list[str]:
    """The decoders the harness finds installed in this environment."""
    listed = subprocess.run([sys.executable, str(HARNESS), "--list"], check=True, capture_output=True, text=True)
    return listed.stdout.split()


def trained_profile(path: Path) -> Path | None:
    """Train the profile for targets no committed profile serves, once, into ``path`` (kept for later runs)."""
    if not path.exists():
        subprocess.run([sys.executable, str(HARNESS), "--save-trained-profile", str(path)], check=True)
    return path if path.exists() else None


def fuzz(
    target: str,
    workdir: Path,
    *,
    runs: int | None = None,
    seconds: int | None = None,
    profile: Path | None = None,
    timeout: float | None = None,
) -> Outcome:
    """Fuzz one target for ``runs`` executions or ``seconds`` seconds (whichever is given).

    ``profile`` is the trained profile the harness uses where no committed one fits.
    """
    corpus = workdir / "corpus" / target
    crashes = workdir / "crashes" / target
    crashes.mkdir(parents=True, exist_ok=True)
    before = set(crashes.iterdir())
    budget = [f"-runs={runs}"] if runs is not None else [f"-max_total_time={seconds}"]
    command = [
        sys.executable,
        str(HARNESS),
        target,
        "--seed-dir",
        str(corpus),
        *budget,
        "-keep_seed=1",
        f"-timeout={INPUT_TIMEOUT_SECONDS}",
        f"-rss_limit_mb={RSS_LIMIT_MB}",
        f"-artifact_prefix={crashes}/",
        "-print_final_stats=1",
    ]
    start = time.monotonic()
    env = os.environ | ({TRAINED_PROFILE_VARIABLE: str(profile)} if profile else {})
    done = subprocess.run(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=timeout, env=env
    )
    elapsed = time.monotonic() - start
    log = "\n".join(line for line in done.stdout.splitlines() if not line.startswith("INFO: Instrumenting"))
    executed = _EXECUTED.search(log) or _DONE.search(log)
    return Outcome(
        target=target,
        executions=int(executed.group(1)) if executed else 0,
        seconds=round(elapsed, 1),
        returncode=done.returncode,
        crashes=sorted(str(path) for path in set(crashes.iterdir()) - before),
        log=log,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", help="targets to fuzz (default: every installed decoder)")
    budget = parser.add_mutually_exclusive_group(required=True)
    budget.add_argument("--seconds", type=int, help="fuzzing time per target")
    budget.add_argument("--runs", type=int, help="executions per target")
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR, help="corpora and crashes (default: .fuzz/)")
    parser.add_argument("--profile", type=Path, help="trained profile to use where no committed one fits "
                        "(default: WORKDIR/trained.aura, trained on first use)")
    parser.add_argument("--json", type=Path, help="also write the summary here")
    args = parser.parse_args()
    chosen = args.targets or targets()
    profile = args.profile or trained_profile(args.workdir / "trained.aura")
    outcomes = []
    for target in chosen:
        outcome = fuzz(target, args.workdir, runs=args.runs, seconds=args.seconds, profile=profile)
        outcomes.append(outcome)
        verdict = f"CRASH ({', '.join(outcome.crashes) or f'exit {outcome.returncode}'})" if outcome.crashed else "ok"
        print(f"{target:28} {outcome.executions:>10,} executions {outcome.seconds:>8.1f} s  {verdict}", flush=True)
        if outcome.crashed:
            print("\n".join(outcome.log.splitlines()[-40:]), file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps([asdict(o) | {"log": o.log[-4000:]} for o in outcomes], indent=1))
    return 1 if any(o.crashed for o in outcomes) else 0


if __name__ == "__main__":
    sys.exit(main())
