"""The audit log: every message, both directions, as readable text with its metadata.

Compressed frames cannot be read off the wire, so the audit log is where a person
reads what was said: one line per message with the connection id, direction, method,
sizes and template id, then the text itself (quoted, so a line is always one
message).  ``json`` format writes the same fields as JSON lines.

Files are managed entirely by ``logging.handlers``: size-based
(``RotatingFileHandler``, keeping ``backups`` files) or time-based
(``TimedRotatingFileHandler``, keeping ``retention_days`` worth of files); rotated
files are gzip-compressed through the handlers' ``namer``/``rotator`` hooks.  Writes
happen on a ``QueueListener`` thread, so a slow disk never stalls the event loop.
"""

from __future__ import annotations

import gzip
import json
import logging
import logging.handlers
import os
import queue
import shutil
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from attrs import frozen

FORMATS = ("text", "json")
_DAY = 86400


def gzip_namer(name: str) -> str:
    """Rotated files get a ``.gz`` suffix (``audit.log.1.gz``, ``audit.log.2024-05-01.gz``)."""
    return name + ".gz"


def gzip_rotator(source: str, dest: str) -> None:
    """Compress the file being rotated out into ``dest`` and remove it."""
    with open(source, "rb") as plain, gzip.open(dest, "wb") as packed:
        shutil.copyfileobj(plain, packed)
    os.remove(source)


@frozen
class AuditConfig:
    """Where and how the audit log is written.

    ``max_bytes > 0`` selects size-based rotation keeping ``backups`` old files;
    otherwise files rotate every ``when`` (a ``TimedRotatingFileHandler`` unit such as
    ``"midnight"`` or ``"H"``) and those older than ``retention_days`` are deleted.
    """

    path: Path
    format: str = "text"
    max_bytes: int = 0
    backups: int = 10
    when: str = "midnight"
    retention_days: int = 30

    def __attrs_post_init__(self) -> None:
        if self.format not in FORMATS:
            raise ValueError(f"audit format must be one of {', '.join(FORMATS)}, not {self.format!r}")

    def handler(self) -> logging.handlers.BaseRotatingHandler:
        """The file handler, rotation and gzip compression configured."""
        handler: logging.handlers.BaseRotatingHandler
        if self.max_bytes > 0:
            handler = logging.handlers.RotatingFileHandler(
                self.path, maxBytes=self.max_bytes, backupCount=self.backups, encoding="utf-8"
            )
        else:
            timed = logging.handlers.TimedRotatingFileHandler(self.path, when=self.when, utc=True, encoding="utf-8")
            # The handler knows its interval in seconds only once built: keep as many
            # rotated files as cover the retention period.
            timed.backupCount = max(1, self.retention_days * _DAY // timed.interval)
            handler = timed
        handler.namer = gzip_namer
        handler.rotator = gzip_rotator
        handler.setFormatter(JsonFormatter() if self.format == "json" else TextFormatter())
        return handler


def _fields(record: logging.LogRecord) -> Mapping[str, Any]:
    """The audit fields :meth:`AuditLog.record` attached to the record."""
    fields: Mapping[str, Any] = record.__dict__["audit"]
    return fields


def _timestamp(record: logging.LogRecord) -> str:
    return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")


class TextFormatter(logging.Formatter):
    """``<time> conn=<id> <dir> method=<m> bytes=<text>-><payload> template=<t> [chunks=<n>] text="…"``."""

    def format(self, record: logging.LogRecord) -> str:
        f = _fields(record)
        template = "-" if f["template_id"] is None else f["template_id"]
        chunks = f" chunks={f['chunks']}" if f.get("chunks") is not None else ""
        return (
            f"{_timestamp(record)} conn={f['connection']} {f['direction']} method={f['method']} "
            f"bytes={f['original_size']}->{f['compressed_size']} template={template}{chunks} "
            f"text={json.dumps(f['text'], ensure_ascii=False)}"
        )


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ``time`` plus every audit field."""

    def format(self, record: logging.LogRecord) -> str:
        return json.dumps({"time": _timestamp(record), **_fields(record)}, ensure_ascii=False)


class AuditLog:
    """Writes audit records from any coroutine; call :meth:`close` to flush and stop."""

    def __init__(self, config: AuditConfig) -> None:
        self.config = config
        self._file = config.handler()
        self._queue: queue.SimpleQueue[logging.LogRecord] = queue.SimpleQueue()
        self._listener = logging.handlers.QueueListener(self._queue, self._file)
        # Records go straight to the queue: no logger, so nothing propagates to the
        # application's root handlers and nothing stays registered after close().
        self._enqueue = logging.handlers.QueueHandler(self._queue)
        self._listener.start()

    def record(
        self,
        connection: str,
        direction: str,
        text: str,
        method: str,
        compressed_size: int,
        template_id: int | None = None,
        chunks: int | None = None,
    ) -> None:
        """Log one message; ``chunks`` is the number of chunks of a streamed reply."""
        fields = {
            "connection": connection,
            "direction": direction,
            "method": method,
            "original_size": len(text.encode("utf-8")),
            "compressed_size": compressed_size,
            "template_id": template_id,
            "chunks": chunks,
            "text": text,
        }
        self._enqueue.handle(logging.makeLogRecord({"msg": "audit", "levelno": logging.INFO, "audit": fields}))

    def close(self) -> None:
        """Write what is queued and close the file."""
        self._listener.stop()
        self._file.close()
