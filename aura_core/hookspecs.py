"""Hook specifications: the complete list of what a plugin can provide.

A plugin is a module (or object) with functions decorated with
``aura_core.hookimpl`` whose names match the specs below, exposed through an entry
point in the ``aura`` group::

    [project.entry-points.aura]
    mycodec = "aura_mycodec.plugin"

Every hook receives a ``register`` callable instead of returning a list, so one
plugin can provide several things and the host can attribute each to its plugin.
Implementations may accept fewer arguments than a spec names; specs can therefore
grow new arguments without breaking existing plugins.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click

    from aura_core.codec import Codec
    from aura_core.normalizer import Normalizer

PROJECT_NAME = "aura"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def aura_register_codecs(register: Callable[[Codec], None]) -> None:
    """Register codec instances by calling ``register(codec)`` once per codec.

    Each codec must own a marker no other installed codec claims and declare the
    aura-core versions it supports (``Codec.requires_core``); a codec that fails
    either check is reported by ``aura plugins`` and left out.

    :param register: call with each :class:`~aura_core.codec.Codec` instance.
    """


@hookspec
def aura_register_normalizers(register: Callable[[Normalizer], None]) -> None:
    """Register normalizer instances by calling ``register(normalizer)`` once per normalizer.

    Normalizers give codecs (templates first) exact, compact forms for typed slots
    such as timestamps or UUIDs.  Names and ``type_id`` values must be unique.

    :param register: call with each :class:`~aura_core.normalizer.Normalizer` instance.
    """


@hookspec
def aura_register_commands(cli: click.Group) -> None:
    """Add verbs to the ``aura`` command line, e.g. ``aura templates``.

    :param cli: the top-level click group; call ``cli.add_command(...)`` or decorate
        with ``@cli.command()``.
    """
