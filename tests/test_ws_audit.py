"""The audit log: every message in both directions, readable, rotated and gzip-compressed by logging.handlers."""

from __future__ import annotations

import asyncio
import gzip
import json
import logging.handlers

import pytest

pytest.importorskip("websockets")

from aura_ws_support import running

from aura_core.ws.audit import AuditConfig, AuditLog
from aura_core.ws.client import connect
from aura_core.ws.connection import AuraConnection
from aura_core.ws.stream import chunk_words

pytestmark = pytest.mark.timeout(60)

MESSAGES = [f"message number {n}: the quick brown fox jumps over the lazy dog" for n in range(40)]


async def echo_and_stream(conn: AuraConnection) -> None:
    async for text in conn:
        if text == "stream":
            await conn.send_stream(chunk_words("one two three four five six seven eight nine ten"))
        else:
            await conn.send(text)


def exchange(audit: AuditLog, messages: list[str], offer: bool = True) -> None:
    async def scenario():
        async with running(echo_and_stream, audit=audit, streams="always") as url, connect(url, offer=offer) as conn:
            for text in messages:
                await conn.send(text)
                await conn.recv()

    asyncio.run(scenario())


def read_all(directory, stem: str) -> list[str]:
    """Every line of the log and of its rotated .gz files."""
    lines = []
    for path in sorted(directory.iterdir()):
        if path.name == stem:
            lines += path.read_text(encoding="utf-8").splitlines()
        elif path.name.startswith(stem + ".") and path.suffix == ".gz":
            with gzip.open(path, "rt", encoding="utf-8") as packed:
                lines += packed.read().splitlines()
    return lines


def test_size_based_rotation_gzips_old_files_and_keeps_every_record(tmp_path):
    audit = AuditLog(AuditConfig(path=tmp_path / "audit.log", max_bytes=2000, backups=50))
    try:
        exchange(audit, MESSAGES)
    finally:
        audit.close()
    rotated = sorted(p.name for p in tmp_path.glob("audit.log.*.gz"))
    assert len(rotated) >= 3
    lines = read_all(tmp_path, "audit.log")
    # Every message twice on the server: received ("in") and sent back ("out").
    assert len(lines) == 2 * len(MESSAGES)
    assert sum(" in method=" in line for line in lines) == len(MESSAGES)
    first = next(line for line in lines if '"message number 0:' in line)
    assert "conn=" in first and "bytes=" in first and "template=-" in first


def test_size_based_rotation_keeps_only_the_configured_backups(tmp_path):
    audit = AuditLog(AuditConfig(path=tmp_path / "audit.log", max_bytes=1000, backups=2))
    try:
        exchange(audit, MESSAGES)
    finally:
        audit.close()
    assert sorted(p.name for p in tmp_path.glob("audit.log.*")) == ["audit.log.1.gz", "audit.log.2.gz"]


def test_json_lines_carry_every_field(tmp_path):
    audit = AuditLog(AuditConfig(path=tmp_path / "audit.jsonl", format="json"))
    try:
        exchange(audit, ["hello\nworld", "stream"])
    finally:
        audit.close()
    records = [json.loads(line) for line in (tmp_path / "audit.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(r["direction"], r["text"]) for r in records] == [
        ("in", "hello\nworld"),
        ("out", "hello\nworld"),
        ("in", "stream"),
        ("out", "one two three four five six seven eight nine ten"),
    ]
    streamed = records[-1]
    assert streamed["method"] == "stream" and streamed["chunks"] == len(chunk_words(streamed["text"]))
    assert streamed["original_size"] == len(streamed["text"]) and streamed["compressed_size"] > 0
    assert {"time", "connection", "template_id"} <= set(records[0])
    assert len({r["connection"] for r in records}) == 1


def test_plain_connections_are_audited_as_text(tmp_path):
    audit = AuditLog(AuditConfig(path=tmp_path / "audit.log"))
    try:
        exchange(audit, ["plain hello"], offer=False)
    finally:
        audit.close()
    lines = (tmp_path / "audit.log").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2 and all("method=text bytes=11->11" in line for line in lines)


def test_time_based_rotation_deletes_files_older_than_the_retention(tmp_path):
    config = AuditConfig(path=tmp_path / "audit.log", when="midnight", retention_days=3)
    handler = config.handler()
    assert isinstance(handler, logging.handlers.TimedRotatingFileHandler) and handler.backupCount == 3
    old_days = ["2020-01-01", "2020-01-02", "2020-01-03", "2020-01-04", "2020-01-05"]
    for day in old_days:
        (tmp_path / f"audit.log.{day}.gz").write_bytes(gzip.compress(day.encode()))
    fields = {
        "connection": "c0ffee",
        "direction": "in",
        "method": "raw",
        "original_size": 5,
        "compressed_size": 6,
        "template_id": None,
        "chunks": None,
        "text": "today",
    }
    handler.emit(logging.makeLogRecord({"audit": fields}))
    # Roll over now instead of waiting for midnight: rotation and cleanup are logging's own.
    handler.doRollover()
    handler.close()
    kept = sorted(p.name for p in tmp_path.glob("audit.log.*.gz"))
    assert len(kept) == 3
    assert kept[:2] == ["audit.log.2020-01-04.gz", "audit.log.2020-01-05.gz"]
    with gzip.open(tmp_path / kept[2], "rt", encoding="utf-8") as packed:
        assert 'conn=c0ffee in method=raw bytes=5->6 template=- text="today"' in packed.read()


def test_an_unknown_format_is_refused(tmp_path):
    with pytest.raises(ValueError, match="text, json"):
        AuditConfig(path=tmp_path / "a.log", format="xml")
