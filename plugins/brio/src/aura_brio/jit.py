"""numba compilation with an on-disk cache when the package directory allows one.

``cache=True`` writes compiled machine code next to the module (``__pycache__``) or
into numba's per-user cache, so only the first process on a machine pays the few
seconds of compilation.  When neither location is writable numba refuses to cache;
the kernels are then compiled in memory on first use instead of failing to import.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import numba

F = TypeVar("F", bound=Callable[..., Any])


def kernel(func: F) -> F:
    """``numba.njit`` with caching if possible; integer code, no Python objects, GIL kept."""
    try:
        return cast(F, numba.njit(cache=True, boundscheck=False)(func))
    except RuntimeError:
        return cast(F, numba.njit(cache=False, boundscheck=False)(func))


def inline(func: F) -> F:
    """A small helper compiled into each caller (numba IR inlining), so hot loops make no calls."""
    return cast(F, numba.njit(inline="always", boundscheck=False)(func))
