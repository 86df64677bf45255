"""``aura bench`` and ``aura demo``: the same run, the full report or the one table."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

import click
from rich.console import Console

from aura_core.bench.anchors import BenchDependencyError, has_zstandard, zstandard_module
from aura_core.bench.report import ensure_plotting, notes, plot, print_report, ratio_table, status_line, to_json
from aura_core.bench.runner import BenchResult, BenchSet, Options, run
from aura_core.profile import load_profile
from aura_core.registry import Registry

existing_file = click.Path(exists=True, dir_okay=False, path_type=Path)


def _console() -> Console:
    """Stdout; wide enough off a terminal that piped tables are not wrapped."""
    console = Console()
    return console if console.is_terminal else Console(width=250)


def _fractions(text: str) -> tuple[float, ...]:
    try:
        values = tuple(float(part) for part in text.split(",") if part.strip())
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a comma-separated list of fractions") from None
    if any(not 0 < v < 1 for v in values):
        raise click.BadParameter("fractions must lie between 0 and 1 (the whole file is always timed)")
    return values


def _progress(no_progress: bool) -> bool:
    """Progress bars go to stderr, and only to a terminal: a log file gets no blank lines."""
    return not no_progress and sys.stderr.isatty()


def _registry() -> Registry | None:
    """The registry to measure: the caller's (embedding, tests) or every installed plugin."""
    context = click.get_current_context()
    return context.obj if isinstance(context.obj, Registry) else None


def _finish(result: BenchResult) -> None:
    if not result.ok:
        raise SystemExit(1)


@click.command()
@click.argument("files", nargs=-1, type=existing_file)
@click.option(
    "--corpora",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Directory of <cat>.train.jsonl / <cat>.test.jsonl pairs: train on train, report on test.",
)
@click.option("--category", "categories", multiple=True, help="With --corpora: only these categories (repeatable).")
@click.option("--train", "train_file", type=existing_file, help="Train the profile for FILES on this JSONL file.")
@click.option("--profile", "profile_file", type=existing_file, help="Encode with this profile instead of training one.")
@click.option("--max-messages", type=click.IntRange(1), help="Measure only the first N messages of each test file.")
@click.option(
    "--max-train-messages", type=click.IntRange(1), help="Train on only the first N messages of each train file."
)
@click.option(
    "--reps",
    type=click.IntRange(1),
    default=3,
    show_default=True,
    help="Timed passes per row; the best counts (the first also checks every round trip).",
)
@click.option(
    "--rep-budget",
    type=click.FloatRange(0),
    default=20.0,
    show_default=True,
    help="Seconds per row after which no further timed pass is made (0: always --reps passes).",
)
@click.option("--skip-slow", is_flag=True, help="Leave out the brotli-11 anchor (about 0.6 MB/s).")
@click.option(
    "--train-sizes",
    default="0.125,0.25,0.5",
    show_default=True,
    help="Fractions of each train file to time training on, besides the whole file ('' for none).",
)
@click.option(
    "--json", "json_path", type=click.Path(dir_okay=False, path_type=Path), help="Write every figure as JSON here."
)
@click.option(
    "--plot", "plot_path", type=click.Path(dir_okay=False, path_type=Path), help="Draw the ratios into this PNG."
)
@click.option("--no-progress", is_flag=True, help="Do not show progress bars.")
def bench(
    files: tuple[Path, ...],
    corpora: Path | None,
    categories: tuple[str, ...],
    train_file: Path | None,
    profile_file: Path | None,
    max_messages: int | None,
    max_train_messages: int | None,
    reps: int,
    rep_budget: float,
    skip_slow: bool,
    train_sizes: str,
    json_path: Path | None,
    plot_path: Path | None,
    no_progress: bool,
) -> None:
    """Measure every installed codec, the selector and the oracle next to existing compressors.

    Each message is compressed and decompressed on its own and must come back exactly
    (otherwise the exit status is 1). Rows: each codec alone, the selector (what users
    run), the oracle (best codec per message), and the anchors brotli-11, zlib-9,
    zstd-19 and zstd-19 with 64/112 KiB dictionaries; throughput is also given as a
    multiple of zstd-3 measured in the same run. Needs: pip install 'aura-core[bench]'.

    \b
    Examples:
      aura bench --corpora ../shared/corpora --plot bench.png --json bench.json
      aura bench --corpora ../shared/corpora --category log --max-messages 500 --skip-slow
      aura bench chat.test.jsonl --train chat.train.jsonl
    """
    if not files and corpora is None:
        raise click.UsageError("give JSONL files to measure, or --corpora DIR")
    try:
        zstandard_module()
        if plot_path is not None:
            ensure_plotting()
    except BenchDependencyError as exc:
        raise click.ClickException(str(exc)) from None
    sets = BenchSet.from_corpora(corpora, categories) if corpora is not None else []
    if corpora is not None and not sets:
        raise click.UsageError(
            f"{corpora} holds no <cat>.test.jsonl file" + (" of those categories" if categories else "")
        )
    sets += [BenchSet.from_file(f, train_file) for f in files]
    options = Options(
        reps=reps,
        rep_budget=rep_budget or None,
        max_messages=max_messages,
        max_train_messages=max_train_messages,
        skip_slow=skip_slow,
        train_sizes=_fractions(train_sizes),
        progress=_progress(no_progress),
        profile=load_profile(profile_file) if profile_file else None,
        registry=_registry(),
    )
    result = run(sets, options)
    print_report(result, _console())
    if json_path is not None:
        json_path.write_text(json.dumps(to_json(result), indent=1) + "\n", encoding="utf-8")
    if plot_path is not None:
        plot(result, plot_path)
    _finish(result)


def bundled_sample() -> Path:
    """The sample shipped with aura-core (see aura_core/data/sample/README.md)."""
    return Path(str(resources.files("aura_core.data") / "sample"))


@click.command()
@click.option(
    "--sample",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Directory of <cat>.train.jsonl / <cat>.test.jsonl pairs (default: the bundled sample).",
)
@click.option("--no-progress", is_flag=True, help="Do not show progress bars.")
def demo(sample: Path | None, no_progress: bool) -> None:
    """Train on the bundled sample and show the ratio of every codec per category.

    For each category of the sample (real, redistributable messages: see
    aura_core/data/sample/README.md) a profile is trained on the train part, and
    every test message is compressed and decompressed on its own by each installed
    codec, the selector, the oracle and the anchors. `aura bench` gives the full report.

    \b
    Example:
      aura demo
    """
    directory = sample or bundled_sample()
    options = Options(
        reps=1,
        train_sizes=(),
        measure_memory=False,
        with_zstd=has_zstandard(),
        progress=_progress(no_progress),
        registry=_registry(),
    )
    result = run(BenchSet.from_corpora(directory), options)
    console = _console()
    console.print(f"Trained on each *.train.jsonl of {directory}; measured on each *.test.jsonl.", highlight=False)
    console.print(ratio_table(result))
    for line in notes(result):
        console.print(line, highlight=False)
    console.print(status_line(result), highlight=False)
    _finish(result)
