"""The timestamp normalizer on generated spellings of every supported family, and on logs.

The spellings are produced here with plain f-strings from datetime fields, not with the
normalizer's own layout table, so a layout that renders differently from how the
format is really written fails these tests.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from aura_test_support import corpus_texts
from hypothesis import given, settings
from hypothesis import strategies as st
from test_normalizer_common import check_find

from aura_core import CorruptBodyError
from aura_core.normalizers.timestamp import TimestampNormalizer
from aura_core.varint import encode_varint

NORMALIZER = TimestampNormalizer()
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def iso_t(t: datetime) -> str:
    return f"{t.year:04d}-{t.month:02d}-{t.day:02d}T{t.hour:02d}:{t.minute:02d}:{t.second:02d}"


def iso_space(t: datetime) -> str:
    return f"{t.year:04d}-{t.month:02d}-{t.day:02d} {t.hour:02d}:{t.minute:02d}:{t.second:02d}"


def clf(t: datetime) -> str:
    return f"{t.day:02d}/{MONTHS[t.month - 1]}/{t.year:04d}:{t.hour:02d}:{t.minute:02d}:{t.second:02d}"


def syslog(t: datetime) -> str:
    return f"{MONTHS[t.month - 1]} {t.day:>2} {t.hour:02d}:{t.minute:02d}:{t.second:02d}"


def syslog_zero_day(t: datetime) -> str:
    return f"{MONTHS[t.month - 1]} {t.day:02d} {t.hour:02d}:{t.minute:02d}:{t.second:02d}"


def syslog_bare_day(t: datetime) -> str:
    return f"{MONTHS[t.month - 1]} {t.day} {t.hour:02d}:{t.minute:02d}:{t.second:02d}"


def ctime(t: datetime) -> str:
    return f"{WEEKDAYS[t.weekday()]} {MONTHS[t.month - 1]} {t.day:>2} {t.hour:02d}:{t.minute:02d}:{t.second:02d}"


def apache_error(t: datetime) -> str:
    return f"{WEEKDAYS[t.weekday()]} {MONTHS[t.month - 1]} {t.day:02d} {t.hour:02d}:{t.minute:02d}:{t.second:02d}"


def rfc2822(t: datetime) -> str:
    return (
        f"{WEEKDAYS[t.weekday()]}, {t.day:02d} {MONTHS[t.month - 1]} {t.year:04d} "
        f"{t.hour:02d}:{t.minute:02d}:{t.second:02d}"
    )


def nginx(t: datetime) -> str:
    return f"{t.year:04d}/{t.month:02d}/{t.day:02d} {t.hour:02d}:{t.minute:02d}:{t.second:02d}"


def mysql(t: datetime) -> str:
    return f"{t.year % 100:02d}{t.month:02d}{t.day:02d} {t.hour:>2}:{t.minute:02d}:{t.second:02d}"


def bind(t: datetime) -> str:
    return f"{t.day:02d}-{MONTHS[t.month - 1]}-{t.year:04d} {t.hour:02d}:{t.minute:02d}:{t.second:02d}"


def european(t: datetime) -> str:
    return f"{t.day:02d}.{t.month:02d}.{t.year:04d} {t.hour:02d}:{t.minute:02d}:{t.second:02d}"


#: Spellings that take a fraction of a second right after the seconds, and any offset.
WITH_OFFSET = [iso_t, iso_space, clf, syslog, syslog_zero_day, syslog_bare_day, rfc2822, nginx, bind, european]
OFFSETS = st.one_of(
    st.sampled_from(["", "Z", "z", " UTC", " GMT"]),
    st.builds(
        lambda template, sign, hours, quarter: template.format(sign=sign, hh=f"{hours:02d}", mm=f"{quarter * 15:02d}"),
        st.sampled_from(["{sign}{hh}:{mm}", " {sign}{hh}{mm}", "{sign}{hh}{mm}", " {sign}{hh}:{mm}"]),
        st.sampled_from("+-"),
        st.integers(0, 23),
        st.integers(0, 3),
    ),
    st.builds(lambda sign, hours: f"{sign}{hours:02d}", st.sampled_from("+-"), st.integers(0, 23)),
)
FRACTIONS = st.one_of(
    st.just(""),
    st.builds(lambda sep, digits: sep + digits, st.sampled_from(".,"), st.text("0123456789", min_size=1, max_size=9)),
)
TIMES = st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59))


def check_claimed(text: str) -> bytes:
    """``text`` is claimed whole, alone and inside a sentence, and decodes to itself."""
    encoded = NORMALIZER.encode(text)
    assert encoded is not None, text
    assert NORMALIZER.decode(encoded) == (text, len(encoded))
    sentence = f"at {text} ok"
    assert check_find(NORMALIZER, sentence) == [text]
    return encoded


@settings(max_examples=400)
@given(t=TIMES, spelling=st.sampled_from(WITH_OFFSET), fraction=FRACTIONS, offset=OFFSETS)
def test_spellings_with_fraction_and_offset_round_trip(t: datetime, spelling, fraction: str, offset: str) -> None:
    check_claimed(spelling(t) + fraction + offset)


@settings(max_examples=150)
@given(t=TIMES, spelling=st.sampled_from([ctime, apache_error]), fraction=FRACTIONS)
def test_ctime_spellings_round_trip(t: datetime, spelling, fraction: str) -> None:
    check_claimed(f"{spelling(t)}{fraction} {t.year:04d}")


@settings(max_examples=100)
@given(t=TIMES, weekday=st.sampled_from(WEEKDAYS))
def test_a_weekday_that_does_not_match_the_date_is_kept(t: datetime, weekday: str) -> None:
    check_claimed(f"{weekday}{ctime(t)[3:]} {t.year:04d}")


@settings(max_examples=100)
@given(t=TIMES, spelling=st.sampled_from([mysql]))
def test_two_digit_year_spellings_round_trip(t: datetime, spelling) -> None:
    check_claimed(spelling(t))


@settings(max_examples=100)
@given(seconds=st.integers(10**9, 4102444799), millis=st.booleans(), fraction=st.text("0123456789", max_size=9))
def test_epoch_numbers_round_trip(seconds: int, millis: bool, fraction: str) -> None:
    number = str(seconds * 1000 + seconds % 1000 if millis else seconds)
    encoded = check_claimed(f"{number}.{fraction}" if fraction else number)
    if not fraction:
        assert len(encoded) <= (8 if millis else 6)


@pytest.mark.parametrize("text", ["999999999", "0999999999", "4102444800", "9999999999999", "12345678901"])
def test_numbers_outside_the_epoch_range_are_not_claimed(text: str) -> None:
    assert NORMALIZER.encode(text) is None
    assert list(NORMALIZER.find(f"id {text} ok")) == []


@pytest.mark.parametrize(
    "text",
    [
        "2023-13-01T00:00:00",  # month 13
        "2023-10-01T24:00:00",  # hour 24
        "2023-10-01T12:34:56+24:00",  # offset hours
        "oct 10 12:00:00",  # lowercase month name
        "Oct 10 12:00:00.1234567890",  # ten fraction digits
        "2023-10-01T12:34:56 Z",
        " 2023-10-01",
    ],
)
def test_spellings_it_cannot_reproduce_are_declined(text: str) -> None:
    assert NORMALIZER.encode(text) is None


@pytest.mark.parametrize(
    ("sentence", "claimed"),
    [
        ("at 2023-10-01T12:34:56+01:17 ok", ["2023-10-01T12:34:56+01"]),  # offset minutes not a quarter hour
        ('[22/Apr/2009:18:53:18 +1200] "GET /"', ["22/Apr/2009:18:53:18 +1200"]),  # brackets stay text
        ("v2023-10-01 and 12023-10-01 and 2023-10-01x", []),
        ("msg=audit(1373129280.000:9)", ["1373129280.000"]),
        ("2023-10-01T12:34:56.1234567890", ["2023-10-01T12:34:56"]),
    ],
)
def test_find_claims_the_longest_exact_span(sentence: str, claimed: list[str]) -> None:
    assert check_find(NORMALIZER, sentence) == claimed


@settings(max_examples=200)
@given(
    t=st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(2037, 12, 31, 23, 59, 59)),
    spelling=st.sampled_from(WITH_OFFSET + [mysql]),
    utc=st.sampled_from(["", "Z"]),
)
def test_second_resolution_timestamps_take_at_most_six_bytes(t: datetime, spelling, utc: str) -> None:
    text = spelling(t) + (utc if spelling is not mysql else "")
    assert len(check_claimed(text)) <= 6
    assert len(check_claimed(f"{ctime(t)} {t.year:04d}")) <= 6


@settings(max_examples=100)
@given(t=TIMES, offset=st.sampled_from(["+01:00", " -0700"]))
def test_a_common_numeric_offset_adds_one_byte(t: datetime, offset: str) -> None:
    assert len(check_claimed(iso_t(t) + offset)) <= len(check_claimed(iso_t(t))) + 1


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        (31, "layout 31 is not defined"),
        (11 | 1 << 5, "offset form 1 is not valid for layout 11"),  # a date alone has no offset
        (8 | 2 << 5, "offset form 2 is not valid for layout 8"),  # nor has an epoch number
        (0 | 15 << 5, "offset form 15 is not valid"),
        (1 << 9, "must be below 512"),
    ],
)
def test_headers_that_name_nothing_are_corrupt(header: int, problem: str) -> None:
    with pytest.raises(CorruptBodyError, match=problem):
        NORMALIZER.decode(encode_varint(header) + bytes(8))


SECONDS_PER_YEAR_SLOT = 12 * 31 * 24 * 60 * 61


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (bytes([0]) + encode_varint(8000 * 2 * SECONDS_PER_YEAR_SLOT * 2), "year 10000"),
        (bytes([0]) + encode_varint(2001 * 2 * SECONDS_PER_YEAR_SLOT * 2 - 2), "year -1"),
        (bytes([3]) + encode_varint(12 * 31 * 24 * 60 * 61 * 2), "month 13"),
        (bytes([8]) + encode_varint((4102444800 - 10**9) * 2), "epoch 4102444800"),
        (bytes([0]) + encode_varint(1) + encode_varint(10 * 9 * 2), "fraction code"),  # ".": 1 digit, 10
        (bytes([8]) + encode_varint(1) + encode_varint(1), "fraction code 1 is not valid for layout 8"),  # ","
        (encode_varint(0 | 2 << 5) + encode_varint(0) + encode_varint(192), "offset is 192"),
        (encode_varint(0 | 5 << 5) + encode_varint(0) + encode_varint(2), "has no minutes"),  # "+HH" form, 00:15
    ],
)
def test_fields_out_of_range_are_corrupt(data: bytes, problem: str) -> None:
    with pytest.raises(CorruptBodyError, match=problem):
        NORMALIZER.decode(data)


def test_log_corpus_share_of_lines_with_a_timestamp(corpora: Path) -> None:
    texts = corpus_texts(corpora, "log", "test", 600)
    with_timestamp = sum(bool(check_find(NORMALIZER, text)) for text in texts)
    # Every line of the log corpus but a handful of continuation lines starts with a timestamp.
    assert with_timestamp >= 0.9 * len(texts)
