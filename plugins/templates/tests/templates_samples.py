"""Self-written messages for the small committed profile and fast tests (no corpus needed)."""

from __future__ import annotations

import json
import random

_HOSTS = ["web-1.example.net", "web-2.example.net", "cache.example.org", "10.0.0.7", "db-main"]
_USERS = ["alice", "bob", "carol", "dave", "erin", "frank"]
_PATHS = ["/", "/index.html", "/api/v1/orders", "/static/app.js", "/login", "/img/logo.png"]
_REPLIES = [
    "Sure, here are some ideas for your trip:\n\n1. Visit the old town.\n2. Try the local food.",
    "I'm sorry, but I can't help with that request. Is there something else I can do?",
    "Great question! The short answer is yes, but it depends on the version you use.",
    "Thank you for the details. Based on what you wrote, the error comes from the config file.",
]


def sample_messages(count: int = 400, seed: int = 11) -> list[str]:
    """Log lines, JSON events and chat replies, the same on every run."""
    rnd = random.Random(seed)
    out = []
    for i in range(count):
        choice = i % 5
        if choice == 0:
            out.append(
                f"{rnd.choice(_HOSTS)} - - [12/Mar/2024:10:{rnd.randrange(60):02d}:{rnd.randrange(60):02d} +0000] "
                f'"GET {rnd.choice(_PATHS)} HTTP/1.1" {rnd.choice([200, 200, 200, 304, 404])} {rnd.randrange(20000)}'
            )
        elif choice == 1:
            out.append(
                f"Mar 12 10:{rnd.randrange(60):02d}:{rnd.randrange(60):02d} gw sshd[{rnd.randrange(1000, 9999)}]: "
                f"Failed password for {rnd.choice(_USERS)} from 192.168.{rnd.randrange(4)}.{rnd.randrange(255)} "
                f"port {rnd.randrange(1024, 65535)} ssh2"
            )
        elif choice == 2:
            event = {
                "id": rnd.randrange(10**6),
                "user": rnd.choice(_USERS),
                "action": rnd.choice(["login", "logout", "purchase"]),
                "ok": rnd.random() < 0.8,
                "tags": rnd.sample(["a", "b", "c", "d"], rnd.randrange(3)),
                "meta": {"ip": f"10.0.{rnd.randrange(4)}.{rnd.randrange(255)}", "score": round(rnd.random(), 3)},
            }
            out.append(json.dumps(event, separators=(",", ":")))
        elif choice == 3:
            out.append(rnd.choice(_REPLIES))
        else:
            out.append(f"Order #{rnd.randrange(1000, 99999)} has been {rnd.choice(['shipped', 'delivered', 'cancelled'])}.")
    return out


def sized_requests(count: int = 300, seed: int = 6) -> list[str]:
    """Request lines whose size mostly follows the path: material for slot predictors."""
    rnd = random.Random(seed)
    sizes = {f"/p{i}.html": str(rnd.randrange(100, 99999)) for i in range(12)}
    out = []
    for _ in range(count):
        path = rnd.choice(list(sizes))
        size = sizes[path] if rnd.random() < 0.85 else str(rnd.randrange(10**6))
        out.append(f"10.0.0.{rnd.randrange(9)} GET {path} {size} ms={rnd.randrange(999)}")
    return out
