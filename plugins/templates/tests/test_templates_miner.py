"""The miner: constants where lines agree, typed slots where they differ, normalizers when cheaper."""

from __future__ import annotations

import random

import pytest
from aura_templates.miner import Miner
from aura_templates.template import NUM, TEXT, Template

from aura_core import default_registry


def _templates(lines: list[str]) -> list[Template]:
    return [Template(16 + i, c, s) for i, (c, s) in enumerate(Miner(default_registry().normalizers).mine(lines))]


def test_constants_and_typed_slots() -> None:
    rnd = random.Random(1)
    lines = [
        f"srv sshd[{rnd.randrange(100, 9999)}]: Failed password for {rnd.choice(['root', 'admin', 'bob'])} "
        f"port {rnd.randrange(1024, 65535)} ssh2"
        for _ in range(40)
    ]
    (template,) = _templates(lines)
    assert template.constants[0] == "srv sshd["
    assert "]: Failed password for " in template.constants
    assert [s.kind for s in template.slots][:2] == [NUM, TEXT]
    assert all(template.regex().fullmatch(line) for line in lines)


def test_repeated_addresses_become_one_normalizer_slot() -> None:
    ip = next((n for n in default_registry().normalizers if n.name == "ip"), None)
    if ip is None:
        pytest.skip("no ip normalizer installed")
    rnd = random.Random(2)
    hosts = [f"203.0.113.{rnd.randrange(256)}" for _ in range(6)] + ["2001:db8::1", "2001:db8::42"]
    lines = [f"blocked {rnd.choice(hosts)} after {rnd.randrange(3, 9)} attempts" for _ in range(60)]
    (template,) = _templates(lines)
    assert ip.type_id in [s.kind for s in template.slots]


def test_prefix_templates_leave_a_tail() -> None:
    lines = [f"Jan {d} 10:00:0{d} gw app[7]: {word} happened at stage {d}" for d, word in enumerate("abcdefg", 1)]
    lines += [f"Jan {d} 10:00:0{d} gw app[7]: totally different text number {d} here" for d in range(1, 4)]
    templates = _templates(lines)
    assert templates
    assert all(any(t.regex().match(line) for t in templates) for line in lines)
