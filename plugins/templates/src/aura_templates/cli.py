"""``aura templates mine|show``: learn templates into a profile, list what a profile holds."""

from __future__ import annotations

from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

from aura_core.corpus import Corpus
from aura_core.profile import load_profile
from aura_core.registry import default_registry
from aura_templates.profiles import mine_profile, templates_of
from aura_templates.template import INTERNAL_NAMES
from aura_templates.templateset import TemplateSet


def _kind_names() -> dict[int, str]:
    return dict(INTERNAL_NAMES) | {n.type_id: n.name for n in default_registry().normalizers}


def _shape(node: object) -> str:
    """A structure template in brief: keys and nesting, scalars as their type letter."""
    if isinstance(node, dict) and "o" in node:
        return "{" + ",".join(f"{key}:{_shape(child)}" for key, child in node["o"]) + "}"
    if isinstance(node, dict):
        return "[" + ",".join(_shape(child) for child in node["a"]) + "]"
    return str(node)


@click.group()
def templates() -> None:
    """Templates: mine them from messages into a profile, show what a profile holds."""


@templates.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--profile", "-p", "previous", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Extend this profile: its templates keep their ids, its other parts are kept.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the new profile here (without it, only the report is printed).")
@click.option("--template", "-t", "handwritten", multiple=True,
              help='A handwritten template, e.g. "Order #{order_id:num} has been {status}." (repeatable).')
@click.option("--templates-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A file with one handwritten template per line.")
@click.option("--id", "profile_id", type=int, help="Profile id (default: the previous profile's id + 1, or 1).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def mine(
    files: tuple[Path, ...],
    previous: Path | None,
    output: Path | None,
    handwritten: tuple[str, ...],
    templates_file: Path | None,
    profile_id: int | None,
    quiet: bool,
) -> None:
    """Mine templates from JSONL FILES ({"text": ...} per line) and report what was found.

    \b
      aura templates mine log.train.jsonl -o log.aura
      aura templates mine --profile log.aura new-logs.jsonl -o log2.aura
    """
    written = list(handwritten)
    if templates_file is not None:
        written += [line for line in templates_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    profile, report = mine_profile(
        Corpus.from_jsonl(*files),
        previous=load_profile(previous) if previous else None,
        handwritten=written,
        profile_id=profile_id,
        progress=not quiet,
    )
    for line in report.lines(_kind_names()):
        click.echo(line)
    if output is not None:
        profile.save(output)
        click.echo(f"wrote {output} (profile id {profile.profile_id}, {output.stat().st_size:,} bytes)")


@templates.command()
@click.argument("profile", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--limit", "-n", type=int, default=50, show_default=True, help="Show at most this many templates.")
def show(profile: Path, limit: int) -> None:
    """List the templates of PROFILE: ids, slot kinds, training usage, the {name} form."""
    held: TemplateSet = templates_of(load_profile(profile))
    names = _kind_names()
    table = Table(title=f"{profile}: {len(held.entries)} templates")
    for column in ("id", "source", "uses", "slots", "template"):
        table.add_column(column, overflow="fold")
    ranked = sorted(held.entries.values(), key=lambda e: (-e.count, e.template.template_id))
    for entry in ranked[:limit]:
        kinds = ", ".join(names.get(s.kind, str(s.kind)) for s in entry.template.slots)
        table.add_row(str(entry.template.template_id), entry.template.source, f"{entry.count:,}", kinds,
                      entry.template.pattern(names))
    if held.json is not None:
        table.add_row(str(held.json.template_id), "json", f"{held.json.count:,}", "values by path",
                      f"any JSON document ({len(held.json.keys):,} key contexts, "
                      f"{len(held.json.strings) + len(held.json.numbers):,} value paths)")
        shapes = sorted(held.json.structures.items(), key=lambda item: (-item[1].count, item[0]))
        for tid, structure in shapes[:limit]:
            table.add_row(str(tid), "json shape", f"{structure.count:,}", "values by path", _shape(structure.node)[:160])
    console = Console()
    # Piped output (grep, files) gets whole lines instead of folded cells.
    Console(width=None if console.is_terminal else 10_000).print(table)
