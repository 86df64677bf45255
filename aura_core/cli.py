"""The ``aura`` command line: one verb per job, plugins add their own verbs."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import click
from rich.console import Console
from rich.table import Table

from aura_core import __version__, markers, options
from aura_core.bench.cli import bench, demo
from aura_core.compressor import Compressor
from aura_core.corpus import Corpus
from aura_core.errors import AuraError
from aura_core.profile import load_profile
from aura_core.registry import PluginReport, Registry, default_registry
from aura_core.training import train_profile
from aura_core.ws.cli import loadtest, serve

profile_option = options.profile_option("Profile file (repeatable). The first one encodes; all of them decode.")


class AuraGroup(click.Group):
    """Turns AURA's own errors into one clear line and exit status 1, without a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except AuraError as exc:
            raise click.ClickException(f"{type(exc).__name__}: {exc}") from None


@click.group(cls=AuraGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="aura-core")
def cli() -> None:
    """AURA compresses short messages (chat turns, log lines, JSON events) so that
    each one decodes on its own.

    \b
    Start here:
      aura plugins                       what is installed
      aura train chat.jsonl -o chat.aura learn a profile from your messages
      echo "Hello there" | aura compress -p chat.aura -o msg.bin
      aura decompress -p chat.aura msg.bin
    """


def _compressor(profiles: tuple[Path, ...], codecs: tuple[str, ...] = ()) -> Compressor:
    loaded = [load_profile(p) for p in profiles]
    return Compressor(
        profile=loaded[0] if loaded else None,
        decode_profiles=loaded[1:],
        codecs=list(codecs) or None,
    )


def _jsonl_texts(source: IO[bytes], key: str) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(source, 1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)[key]
        except (json.JSONDecodeError, KeyError, TypeError):
            raise click.ClickException(f"line {number}: expected a JSON object with a string {key!r}") from None
        if not isinstance(value, str):
            raise click.ClickException(f"line {number}: {key!r} must be a string")
        yield number, value


@cli.command()
@click.argument("source", type=click.File("rb"), default="-")
@click.option("-o", "--output", type=click.File("wb"), default="-", help="Where to write (default: stdout).")
@profile_option
@click.option("--jsonl", is_flag=True, help='Input is JSONL {"text": ...} per line; output JSONL with base64 payloads.')
@click.option("--base64", "as_base64", is_flag=True, help="Write the payload as base64 text (default on a terminal).")
@click.option("--codec", "codecs", multiple=True, help="Only consider these codecs (repeatable).")
def compress(
    source: IO[bytes], output: IO[bytes], profiles: tuple[Path, ...], jsonl: bool, as_base64: bool, codecs: tuple[str, ...]
) -> None:
    """Compress one message (a file or stdin), or every message of a JSONL file.

    \b
    Examples:
      echo -n "Order #1234 has shipped." | aura compress --base64
      aura compress -p log.aura --jsonl log.jsonl -o log.compressed.jsonl
    """
    compressor = _compressor(profiles, codecs)
    if jsonl:
        for _, text in _jsonl_texts(source, "text"):
            r = compressor.compress(text)
            record = {
                "payload": base64.b64encode(r.compressed_data).decode(),
                "method": r.method,
                "original_size": r.original_size,
                "compressed_size": r.compressed_size,
            }
            if r.template_id is not None:
                record["template_id"] = r.template_id
            output.write((json.dumps(record) + "\n").encode())
        stats = compressor.statistics()
        click.echo(
            f"{stats.messages:,} messages, {stats.original_bytes:,} -> {stats.compressed_bytes:,} bytes "
            f"(ratio {stats.compression_ratio:.2f})",
            err=True,
        )
        return
    raw = source.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise click.ClickException(f"input is not UTF-8 (byte {exc.start}); AURA compresses text") from None
    payload = compressor.compress(text).compressed_data
    if as_base64 or output.isatty():
        output.write(base64.b64encode(payload) + b"\n")
    else:
        output.write(payload)


@cli.command()
@click.argument("source", type=click.File("rb"), default="-")
@click.option("-o", "--output", type=click.File("wb"), default="-", help="Where to write (default: stdout).")
@profile_option
@click.option("--jsonl", is_flag=True, help='Input is JSONL {"payload": base64} per line; output {"text": ...} lines.')
@click.option("--base64", "as_base64", is_flag=True, help="The input payload is base64 text.")
def decompress(source: IO[bytes], output: IO[bytes], profiles: tuple[Path, ...], jsonl: bool, as_base64: bool) -> None:
    """Decompress one payload (a file or stdin), or every payload of a JSONL file.

    \b
    Examples:
      aura decompress msg.bin
      aura decompress -p new.aura -p old.aura --jsonl log.compressed.jsonl
    """
    compressor = _compressor(profiles)
    if jsonl:
        for number, encoded in _jsonl_texts(source, "payload"):
            try:
                text = compressor.decompress(base64.b64decode(encoded, validate=True))
            except AuraError as exc:
                raise click.ClickException(f"line {number}: {type(exc).__name__}: {exc}") from None
            except ValueError:
                raise click.ClickException(f"line {number}: payload is not valid base64") from None
            output.write((json.dumps({"text": text}, ensure_ascii=False) + "\n").encode())
        return
    payload = source.read()
    if as_base64:
        try:
            payload = base64.b64decode(payload.strip(), validate=True)
        except ValueError:
            raise click.ClickException("input is not valid base64") from None
    output.write(compressor.decompress(payload).encode("utf-8"))


@cli.command()
@click.argument("corpora", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Profile file to write.")
@click.option("--id", "profile_id", type=click.IntRange(0, 2**32), help="Profile id (default: 1, or previous id + 1).")
@click.option(
    "--previous",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="The profile this one replaces: template ids stay stable and the id is incremented.",
)
@click.option("--codec", "codecs", multiple=True, help="Train only these codecs (repeatable).")
@click.option("--no-progress", is_flag=True, help="Do not show progress bars.")
def train(
    corpora: tuple[Path, ...], output: Path, profile_id: int | None, previous: Path | None, codecs: tuple[str, ...], no_progress: bool
) -> None:
    """Learn a profile from JSONL files of messages ({"text": ...} per line).

    Every installed trainable codec (zstd-dict, templates, brio, ...) learns its part.
    Train on messages like those you will compress; encoder and decoder must hold the
    same profile.

    \b
    Example:
      aura train chat.train.jsonl -o chat.aura
      aura train more.jsonl --previous chat.aura -o chat-v2.aura
    """
    profile = train_profile(
        Corpus.from_jsonl(*corpora),
        progress=not no_progress,
        profile_id=profile_id,
        previous=load_profile(previous) if previous else None,
        codecs=list(codecs) or None,
    )
    profile.save(output)
    console = Console()
    table = Table(title=f"{output}: profile id {profile.profile_id}, hash {profile.hash[:16]}…")
    table.add_column("codec")
    table.add_column("bytes", justify="right")
    table.add_column("what it learned")
    for name, info in profile.manifest["parts"].items():
        table.add_row(name, f"{info['bytes']:,}", info["summary"])
    console.print(table)
    corpus = profile.manifest["corpus"]
    console.print(f"trained on {corpus['messages']:,} messages, {corpus['bytes']:,} bytes; file {output.stat().st_size:,} bytes")


def _plugin_row(report: PluginReport) -> dict[str, object]:
    return {
        "name": report.name,
        "distribution": report.distribution,
        "version": report.version,
        "status": report.status,
        "hooks": report.hooks,
        "codecs": [{"name": c.name, "marker": c.marker, "version": c.version} for c in report.codecs],
        "normalizers": [{"name": n.name, "type_id": n.type_id} for n in report.normalizers],
        "problems": report.problems,
    }


def _missing_markers(registry: Registry) -> list[markers.MarkerEntry]:
    installed = {c.marker for c in registry.codecs}
    return [entry for entry in markers.MARKERS if entry.marker not in installed]


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--check", is_flag=True, help="Exit with status 1 if any plugin failed, conflicts or is incompatible.")
def plugins(as_json: bool, check: bool) -> None:
    """List installed plugins: distributions, versions, codecs with markers, normalizers.

    Plugins that failed to load, claim a marker already taken, or do not support this
    aura-core are listed with the reason; they never stop the others from working.

    \b
    Examples:
      aura plugins
      aura plugins --check --json
    """
    registry = default_registry()
    missing = _missing_markers(registry)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "aura_core": __version__,
                    "plugins": [_plugin_row(p) for p in registry.plugins],
                    "missing_markers": [
                        {"marker": e.marker, "codec": e.codec, "distribution": e.distribution} for e in missing
                    ],
                    "ok": not registry.failures,
                },
                indent=2,
            )
        )
    else:
        console = Console()
        table = Table(title=f"aura-core {__version__}: installed plugins")
        for column in ("plugin", "distribution", "version", "codecs (marker)", "normalizers (type)", "status"):
            table.add_column(column)
        for p in registry.plugins:
            table.add_row(
                p.name,
                p.distribution or "-",
                p.version or "-",
                ", ".join(f"{c.name} (0x{c.marker:02X})" for c in p.codecs) or "-",
                ", ".join(f"{n.name} ({n.type_id})" for n in p.normalizers) or "-",
                "[green]ok[/]" if not p.problems else f"[red]{p.status}[/]",
            )
        console.print(table)
        for p in registry.failures:
            for problem in p.problems:
                console.print(f"[red]{p.name}[/] ({p.distribution or '?'} {p.version or ''}): {problem}", highlight=False)
        for entry in missing:
            console.print(
                f"marker 0x{entry.marker:02X} ({entry.codec}) is not installed: pip install {entry.distribution}",
                style="dim",
                highlight=False,
            )
    if check and registry.failures:
        raise SystemExit(1)


cli.add_command(bench)
cli.add_command(demo)
cli.add_command(serve)
cli.add_command(loadtest)


def main() -> None:
    """Console-script entry point: built-in verbs plus every plugin's verbs."""
    default_registry().call_all("aura_register_commands", cli=cli)
    cli(prog_name="aura")


if __name__ == "__main__":
    main()
