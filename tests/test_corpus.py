"""Corpora: re-iterable message collections from lists or JSONL files."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from aura_test_support import corpus_texts
from hypothesis import given
from hypothesis import strategies as st

from aura_core import Corpus, TrainingError
from aura_core.corpus import read_jsonl


def write_jsonl(path: Path, texts: list[str]) -> Path:
    path.write_text("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in texts), encoding="utf-8")
    return path


@given(st.lists(st.text()))
def test_from_texts_counts_messages_and_utf8_bytes(texts: list[str]) -> None:
    corpus = Corpus.from_texts(iter(texts))
    assert list(corpus) == list(corpus) == texts
    assert len(corpus) == len(texts)
    assert corpus.total_bytes == sum(len(t.encode()) for t in texts)


def test_from_jsonl_streams_every_file_again_and_again(tmp_path: Path) -> None:
    first = write_jsonl(tmp_path / "a.jsonl", ["one", "twó", ""])
    second = write_jsonl(tmp_path / "b.jsonl", ["three\nlines\n"])
    corpus = Corpus.from_jsonl(first, second)
    assert list(corpus) == list(corpus) == ["one", "twó", "", "three\nlines\n"]
    assert (len(corpus), corpus.total_bytes) == (4, 3 + 4 + 0 + 12)


def test_blank_lines_are_skipped(tmp_path: Path) -> None:
    path = tmp_path / "c.jsonl"
    path.write_text('\n{"text": "a"}\n   \n{"text": "b", "id": 7}\n')
    assert list(read_jsonl(path)) == ["a", "b"]


@pytest.mark.parametrize(
    ("line", "complaint"),
    [
        ("not json", "expected a JSON object with a string 'text'"),
        ('["text"]', "expected a JSON object"),
        ('"text"', "expected a JSON object"),
        ('{"message": "hi"}', "expected a JSON object with a string 'text'"),
        ('{"text": 42}', "'text' is int, not a string"),
    ],
)
def test_bad_lines_name_file_and_line(tmp_path: Path, line: str, complaint: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "fine"}\n' + line + "\n")
    with pytest.raises(TrainingError, match=f"bad.jsonl:2: {complaint}"):
        list(read_jsonl(path))


def test_other_keys(tmp_path: Path) -> None:
    path = tmp_path / "d.jsonl"
    path.write_text('{"body": "x"}\n')
    assert list(read_jsonl(path, key="body")) == ["x"]


def test_require_explains_what_is_missing() -> None:
    corpus = Corpus.from_texts(["ab", "cd"])
    corpus.require(2, 4, "testing")
    with pytest.raises(TrainingError, match="testing needs at least 3 messages and 4 bytes; the corpus has 2 messages, 4 bytes"):
        corpus.require(3, 4, "testing")
    with pytest.raises(TrainingError, match="needs at least 1 messages and 5 bytes"):
        corpus.require(1, 5, "testing")


def test_sample_keeps_everything_that_fits() -> None:
    corpus = Corpus.from_texts(["a", "bb", "ccc"])
    assert corpus.sample(6) == ["a", "bb", "ccc"]


def test_sample_is_deterministic_order_free_and_about_the_size_asked(corpora) -> None:
    texts = corpus_texts(corpora, "user", "train", 2000)
    corpus = Corpus.from_texts(texts)
    budget = corpus.total_bytes // 4
    sample = corpus.sample(budget)
    shuffled = texts[:]
    random.Random(4).shuffle(shuffled)
    assert sorted(Corpus.from_texts(shuffled).sample(budget)) == sorted(sample)
    assert set(sample) < set(texts)
    # Hash-based selection: the size is a fair share, not an exact cut.
    assert budget / 2 < sum(len(t.encode()) for t in sample) < budget * 2


def test_real_corpus_files(corpora) -> None:
    corpus = Corpus.from_jsonl(corpora / "log.test.jsonl")
    assert len(corpus) == sum(1 for line in (corpora / "log.test.jsonl").open(encoding="utf-8") if line.strip())
    assert corpus.total_bytes == sum(len(t.encode()) for t in corpus)
