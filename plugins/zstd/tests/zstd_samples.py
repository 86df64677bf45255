"""Self-written sample messages for aura-zstd's tests (no third-party text, no license).

Two kinds, so that two profiles trained on them hold different dictionaries: support
chat turns mixed with service log lines (``kind="chat"``), and small JSON events
(``kind="events"``).  Deterministic for a given seed; the golden profile was trained
on ``sample_messages()`` with the defaults.
"""

from __future__ import annotations

import json
import random

PRODUCTS = ("router", "printer", "laptop", "invoice", "subscription", "phone plan", "café order", "日本語キーボード")
ACTIONS = ("reset", "update", "cancel", "renew", "refund", "activate", "configure")
SERVICES = ("auth", "billing", "search", "gateway", "mailer")
LEVELS = ("INFO", "WARN", "ERROR", "DEBUG")
CHAT = (
    "Hi! Could you help me {action} my {product}? It stopped working yesterday.",
    "Thanks a lot, the {product} works again. Have a nice day!",
    "I tried to {action} the {product} twice but I still get error {code}.",
    "Sure, I can help with that. Please open Settings > {product} and choose '{action}'.",
    "Your {product} request #{code} has been received; we will {action} it within 24 hours.",
    "Merci ! Le {product} fonctionne maintenant. 👍",
)
LOG = "2024-05-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}Z {level} [{service}] request {code} from 10.0.{a}.{b} took {ms} ms"
EVENTS = ("login", "logout", "purchase", "page_view", "search", "error")


def _chat(rng: random.Random) -> str:
    if rng.random() < 0.4:
        return LOG.format(
            day=rng.randrange(1, 29),
            hour=rng.randrange(24),
            minute=rng.randrange(60),
            second=rng.randrange(60),
            level=rng.choice(LEVELS),
            service=rng.choice(SERVICES),
            code=rng.randrange(10_000, 99_999),
            a=rng.randrange(256),
            b=rng.randrange(256),
            ms=rng.randrange(1, 2_000),
        )
    return rng.choice(CHAT).format(
        action=rng.choice(ACTIONS), product=rng.choice(PRODUCTS), code=rng.randrange(100, 9_999)
    )


def _event(rng: random.Random) -> str:
    event = {
        "event": rng.choice(EVENTS),
        "user_id": rng.randrange(1, 100_000),
        "session": f"{rng.getrandbits(64):016x}",
        "items": [
            {"sku": f"SKU-{rng.randrange(1000):04d}", "qty": rng.randrange(1, 5)} for _ in range(rng.randrange(4))
        ],
        "ok": rng.random() < 0.9,
    }
    return json.dumps(event, separators=(",", ":"))


def sample_messages(count: int = 500, seed: int = 0, kind: str = "chat") -> list[str]:
    """``count`` messages of one kind (``"chat"`` or ``"events"``), the same ones for a given seed."""
    rng = random.Random(seed)
    make = {"chat": _chat, "events": _event}[kind]
    return [make(rng) for _ in range(count)]
