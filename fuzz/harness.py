"""Coverage-guided fuzzing of one AURA decoder with atheris (libFuzzer).

::

    python fuzz/harness.py --list                      # the decoders installed now
    python fuzz/harness.py TARGET --seed-dir DIR [libFuzzer options]

Targets come from the installed plugins (``aura_reliability.decoder_targets``): every
codec's decoder through ``Compressor.decompress`` with its marker prepended (trainable
codecs also with a profile), every normalizer's ``decode``, the profile loader and the
WebSocket stream decoder.  Each input must decode to exactly one ``str`` that survives
re-encoding, or raise a documented ``AuraDecodeError`` subclass; anything else is a
crash, which libFuzzer saves under ``-artifact_prefix``.  The golden vectors are
written into ``--seed-dir`` as the starting corpus (libFuzzer adds what it finds
there).  ``fuzz/campaign.py`` runs every target; docs/reliability.md explains both.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from importlib.metadata import entry_points, requires
from pathlib import Path

import atheris
from packaging.requirements import Requirement

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "fixtures"))


def instrumented_packages() -> list[str]:
    """aura-core and every plugin's package, except those compiled with numba.

    numba compiles a function from its bytecode, which coverage instrumentation
    rewrites into something numba cannot type; such a plugin is fuzzed uninstrumented
    (its kernels are machine code, which Python coverage cannot see anyway).
    """
    packages = {"aura_core"}
    for ep in entry_points(group="aura"):
        needs = {Requirement(r).name for r in (requires(ep.dist.name) or [])} if ep.dist else set()
        if "numba" not in needs:
            packages.add(ep.value.split(":")[0].split(".")[0])
    return sorted(packages)


with atheris.instrument_imports(include=instrumented_packages()):
    import aura_reliability
    from aura_core import default_registry

    default_registry()  # imports every plugin, so their code is instrumented too
    aura_reliability.ws_available()  # imports the WebSocket layer, when it is installed


#: The target that fuzzes every decoder in one process (the input's first byte picks one).
ALL = "all"


def write_seeds(seeds: list[bytes], directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for seed in seeds:
        (directory / f"seed-{hashlib.sha1(seed).hexdigest()}").write_bytes(seed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", nargs="?", help="decoder to fuzz (see --list), or 'all' for every one in one process")
    parser.add_argument("--list", action="store_true", help="print the targets installed now and exit")
    parser.add_argument("--seed-dir", type=Path, help="write the golden seeds here and fuzz with it as the corpus")
    parser.add_argument("--save-trained-profile", type=Path, metavar="PATH", help="train the profile for the targets "
                        "no committed profile serves (if any), save it to PATH and exit (then pass it in "
                        "$AURA_TRAINED_PROFILE)")
    args, libfuzzer = parser.parse_known_args()
    if args.save_trained_profile:
        profile = aura_reliability.trained_profile() if aura_reliability.needs_trained_profile() else None
        if profile is not None:
            profile.save(args.save_trained_profile)
        return
    targets = aura_reliability.decoder_targets()
    if args.list or args.target is None:
        print("\n".join(targets))
        return
    if args.target == ALL:
        target = aura_reliability.combined_target([make() for make in targets.values()])
    elif args.target in targets:
        target = targets[args.target]()
    else:
        parser.error(f"unknown target {args.target!r}; installed: {', '.join(targets)}, or {ALL}")
    seeds = target.seeds()
    # Seeds are valid inputs: decoding them first compiles what is compiled lazily
    # (numba kernels), which libFuzzer's per-input timeout would otherwise count.
    for seed in seeds:
        target.run(seed)
    if args.seed_dir is not None:
        write_seeds(seeds, args.seed_dir)
        libfuzzer.append(str(args.seed_dir))
    atheris.Setup([sys.argv[0], *libfuzzer], target.run)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
