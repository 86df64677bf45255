"""The plugin aura-core finds through the ``aura`` entry-point group."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from aura_core import hookimpl
from aura_core.codec import Codec

if TYPE_CHECKING:
    import click


@hookimpl
def aura_register_codecs(register: Callable[[Codec], None]) -> None:
    from aura_templates.codec import TemplatesCodec

    register(TemplatesCodec())


@hookimpl
def aura_register_commands(cli: click.Group) -> None:
    from aura_templates.cli import templates

    cli.add_command(templates)
