"""Command-line options shared by the verbs of aura-core and its extras."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click


def profile_option(help: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--profile/-p PATH`` (repeatable) into the parameter ``profiles``; ``help`` says what each verb does with them."""
    return click.option(
        "--profile",
        "-p",
        "profiles",
        multiple=True,
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help=help,
    )
