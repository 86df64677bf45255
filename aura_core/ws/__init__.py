"""AURA over WebSocket (``pip install aura-core[ws]``): negotiated AURA frames, streamed replies,
an audit log, metrics, a demo server and a load test.  See docs/websocket.md.

::

    from aura_core.ws import connect, serve

Names are imported on first use, so ``aura_core.ws.cli`` (and with it the ``aura``
command) loads even where the ``websockets`` package is not installed.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "Agreement": "aura_core.ws.negotiation",
    "Capabilities": "aura_core.ws.negotiation",
    "NegotiationError": "aura_core.ws.negotiation",
    "profile_name": "aura_core.ws.negotiation",
    "AuditConfig": "aura_core.ws.audit",
    "AuditLog": "aura_core.ws.audit",
    "Metrics": "aura_core.ws.metrics",
    "AuraConnection": "aura_core.ws.connection",
    "BinaryOnPlainConnection": "aura_core.ws.connection",
    "Compressors": "aura_core.ws.connection",
    "connect": "aura_core.ws.client",
    "serve": "aura_core.ws.server",
}

__all__ = [
    "Agreement",
    "AuditConfig",
    "AuditLog",
    "AuraConnection",
    "BinaryOnPlainConnection",
    "Capabilities",
    "Compressors",
    "Metrics",
    "NegotiationError",
    "connect",
    "profile_name",
    "serve",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'aura_core.ws' has no attribute {name!r}")
    return getattr(import_module(module), name)
