"""Timestamps: ISO 8601 / RFC 3339, syslog, Apache/CLF, ctime, RFC 2822, epoch numbers.

A timestamp is spelled by a *layout* (a strftime-like pattern such as
``%d/%b/%Y:%H:%M:%S``), an optional fraction of a second and an optional UTC offset.
The binary form stores the layout, fraction and offset spelling in one header varint
and the clock fields as one mixed-radix integer, so it records the characters, not a
point in time: ``Feb 31`` or a weekday that does not match its date still round-trip,
and no calendar arithmetic is needed to decode.  Every layout's code is fixed forever
(the table in docs/normalizers.md); new layouts take unused codes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

import attrs
from attrs import frozen

from aura_core import __version__
from aura_core.errors import CorruptBodyError
from aura_core.normalizer import Normalizer
from aura_core.normalizers.wire import read_below
from aura_core.varint import encode_varint

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

#: Header: layout code in bits 0-4, offset form in bits 5-8.
LAYOUT_BITS = 5
HEADER_LIMIT = 1 << 9
#: A fraction is "." or "," and 1-9 digits; its varint is (number * 9 + digits - 1) * 2 + separator.
FRACTION_SEPARATORS = ".,"
MAX_FRACTION_DIGITS = 9
FRACTION_LIMIT = 10**MAX_FRACTION_DIGITS * MAX_FRACTION_DIGITS * 2
#: The packed clock fields of any layout stay below 2**43 (year 9999, a weekday, a fraction flag).
PACKED_LIMIT = 1 << 43
#: Numeric offsets are whole quarter hours up to 23:45: code = quarters * 2 + (1 if "-").
OFFSET_CODE_LIMIT = 24 * 4 * 2


@frozen
class Field:
    """One clock field and the digit it contributes to the packed integer.

    Fields are packed most significant first (year, month, day, hour, minute,
    second, weekday): ``packed = packed * radix + digit``.  The first field of a
    layout takes the leftover high part, so its range is checked on decode; a
    four-digit year is stored there as ``zigzag(year - 2000)`` to keep recent
    years small.
    """

    name: str
    low: int
    high: int
    zigzag_center: int | None = None
    radix: int = attrs.field(init=False)

    @radix.default
    def _radix(self) -> int:
        return self.high - self.low + 1

    def digit(self, value: int) -> int:
        if self.zigzag_center is None:
            return value - self.low
        offset = value - self.zigzag_center
        return offset * 2 if offset >= 0 else -offset * 2 - 1

    def value(self, digit: int) -> int:
        """Inverse of :meth:`digit` for the leading field, whose digit is unbounded on the wire."""
        value = self.low + digit if self.zigzag_center is None else self.zigzag_center + ((digit >> 1) ^ -(digit & 1))
        if not self.low <= value <= self.high:
            raise CorruptBodyError(f"timestamp {self.name} {value} is outside {self.low}..{self.high}")
        return value


YEAR = Field("year", 0, 9999, zigzag_center=2000)
YEAR2 = Field("year", 0, 99)
MONTH = Field("month", 1, 12)
DAY = Field("day", 1, 31)
HOUR = Field("hour", 0, 23)
MINUTE = Field("minute", 0, 59)
SECOND = Field("second", 0, 60)
WEEKDAY = Field("weekday", 0, 6)
#: Epoch numbers are ambiguous with plain numbers, so only 2001-09-09 .. 2099-12-31 qualify.
EPOCH_SECONDS = Field("epoch", 10**9, 4102444799)
EPOCH_MILLIS = Field("epoch", 10**12, 4102444799999)
PACKING_ORDER = ("year", "month", "day", "hour", "minute", "second", "weekday", "epoch")


def _month_name(month: int) -> str:
    return MONTHS[month - 1]


def _month_number(name: str) -> int:
    return MONTHS.index(name) + 1


@frozen
class Directive:
    """A ``%x`` of a layout: the field it spells, its regex and both directions."""

    field: Field
    regex: str
    render: Callable[[int], str]
    parse: Callable[[str], int] = int


DIRECTIVES: Mapping[str, Directive] = {
    "%Y": Directive(YEAR, r"\d{4}", "{:04d}".format),
    "%y": Directive(YEAR2, r"\d\d", "{:02d}".format),
    "%m": Directive(MONTH, r"0[1-9]|1[0-2]", "{:02d}".format),
    "%b": Directive(MONTH, "|".join(MONTHS), _month_name, _month_number),
    "%d": Directive(DAY, r"0[1-9]|[12]\d|3[01]", "{:02d}".format),
    "%e": Directive(DAY, r" [1-9]|[12]\d|3[01]", "{:2d}".format),
    "%-d": Directive(DAY, r"[1-9]|[12]\d|3[01]", str),
    "%H": Directive(HOUR, r"[01]\d|2[0-3]", "{:02d}".format),
    "%k": Directive(HOUR, r" \d|1\d|2[0-3]", "{:2d}".format),
    "%M": Directive(MINUTE, r"[0-5]\d", "{:02d}".format),
    "%S": Directive(SECOND, r"[0-5]\d|60", "{:02d}".format),
    "%a": Directive(WEEKDAY, "|".join(WEEKDAYS), WEEKDAYS.__getitem__, WEEKDAYS.index),
    "%s": Directive(EPOCH_SECONDS, r"\d{10}", str),
    "%Q": Directive(EPOCH_MILLIS, r"\d{13}", str),
}
_DIRECTIVE_RE = re.compile("|".join(sorted(map(re.escape, DIRECTIVES), key=len, reverse=True)))
#: Directives after which a fraction of a second may follow.
_FRACTION_AFTER = {"%S", "%s", "%Q"}


@frozen
class OffsetForm:
    """One spelling of a UTC offset, e.g. ``" {sign}{hh}{mm}"`` for Apache's `` -0700``."""

    code: int
    template: str

    @property
    def numeric(self) -> bool:
        return "{sign}" in self.template

    def regex(self, capture: bool) -> str:
        """The form as a regex; minutes are whole quarter hours so every match encodes."""
        pieces = {"{sign}": "[+-]", "{hh}": r"[01]\d|2[0-3]", "{mm}": "00|15|30|45"}
        out = []
        for part in re.split(r"(\{\w+\})", self.template):
            if part in pieces:
                name = f"?P<{part[1:-1]}>" if capture else "?:"
                out.append(f"({name}{pieces[part]})")
            else:
                out.append(re.escape(part))
        return "".join(out)

    def render(self, code: int) -> str:
        quarters, negative = divmod(code, 2)
        hours, quarter = divmod(quarters, 4)
        if quarter and "{mm}" not in self.template:
            raise CorruptBodyError(
                f"timestamp offset form {self.code} has no minutes but the offset has {quarter * 15}"
            )
        sign = "-" if negative else "+"
        return self.template.format(sign=sign, hh=f"{hours:02d}", mm=f"{quarter * 15:02d}")


#: Offset forms by code; the order is also the order in which they are tried.
OFFSET_FORMS = (
    OffsetForm(0, ""),
    OffsetForm(1, "Z"),
    OffsetForm(2, "{sign}{hh}:{mm}"),
    OffsetForm(3, " {sign}{hh}{mm}"),
    OffsetForm(4, "{sign}{hh}{mm}"),
    OffsetForm(5, "{sign}{hh}"),
    OffsetForm(6, " {sign}{hh}:{mm}"),
    OffsetForm(7, "z"),
    OffsetForm(8, " UTC"),
    OffsetForm(9, " GMT"),
)
_OFFSET_PARSERS = [(form, re.compile(form.regex(capture=True))) for form in OFFSET_FORMS[1:]]
#: Any offset spelling, tried in code order (so "+01:00" is not cut to "+01").
_OFFSET_REGEX = "(?:" + "|".join(form.regex(capture=False) for form in OFFSET_FORMS[1:]) + ")"


@frozen
class Step:
    """One piece of a layout: literal text, or a directive (maybe followed by the fraction)."""

    text: str
    directive: Directive | None
    fraction_after: bool


@frozen
class Layout:
    """A timestamp spelling, compiled from its strftime-like ``spec``."""

    code: int
    spec: str
    steps: tuple[Step, ...]
    fields: tuple[Field, ...]
    fraction_separators: str
    allows_offset: bool
    parser: re.Pattern[str]
    finder: str

    @classmethod
    def build(cls, code: int, spec: str, fraction_separators: str = FRACTION_SEPARATORS) -> Layout:
        names = _DIRECTIVE_RE.findall(spec)
        steps = tuple(Step(piece, DIRECTIVES.get(piece), piece in _FRACTION_AFTER) for piece in _split(spec))
        fields = tuple(sorted((DIRECTIVES[n].field for n in names), key=lambda f: PACKING_ORDER.index(f.name)))
        has_fraction = bool(_FRACTION_AFTER & set(names))
        has_time = any(f.name in ("hour", "epoch") for f in fields)
        allows_offset = has_time and fields[0].name != "epoch"
        separators = fraction_separators if has_fraction else ""
        return cls(
            code=code,
            spec=spec,
            steps=steps,
            fields=fields,
            fraction_separators=separators,
            allows_offset=allows_offset,
            parser=re.compile(_regex(spec, separators, allows_offset, capture=True)),
            finder=_regex(spec, separators, allows_offset, capture=False),
        )

    @property
    def starts_with_name(self) -> bool:
        return self.spec.startswith(("%a", "%b"))

    @property
    def has_fraction(self) -> bool:
        return bool(self.fraction_separators)

    def pack(self, values: Mapping[str, int], fraction: bool) -> int | None:
        """The fields (and the fraction flag) as one integer, or ``None`` if a field is out of range."""
        packed = 0
        for field in self.fields:
            value = values[field.name]
            if not field.low <= value <= field.high:
                return None
            packed = packed * field.radix + field.digit(value)
        return packed * 2 + fraction if self.has_fraction else packed

    def unpack(self, packed: int) -> tuple[dict[str, int], bool]:
        """Inverse of :meth:`pack`; the leading field is range-checked."""
        fraction = False
        if self.has_fraction:
            packed, flag = divmod(packed, 2)
            fraction = bool(flag)
        values = {}
        for field in reversed(self.fields[1:]):
            packed, digit = divmod(packed, field.radix)
            values[field.name] = field.low + digit
        values[self.fields[0].name] = self.fields[0].value(packed)
        return values, fraction

    def render(self, values: Mapping[str, int], fraction: str, offset: str) -> str:
        out = []
        for step in self.steps:
            if step.directive is None:
                out.append(step.text)
                continue
            out.append(step.directive.render(values[step.directive.field.name]))
            if step.fraction_after:
                out.append(fraction)
        out.append(offset)
        return "".join(out)

    def parse(self, groups: Mapping[str, str]) -> dict[str, int]:
        """Field values from the named groups of :attr:`parser`."""
        return {
            step.directive.field.name: step.directive.parse(groups[step.directive.field.name])
            for step in self.steps
            if step.directive is not None
        }


def _split(spec: str) -> list[str]:
    """``"%d/%b"`` -> ``["%d", "/", "%b"]``."""
    return [piece for piece in re.split(f"({_DIRECTIVE_RE.pattern})", spec) if piece]


def _regex(spec: str, separators: str, allows_offset: bool, capture: bool) -> str:
    """The layout as a regex: named groups for parsing, or bare with word boundaries for finding."""
    out = []
    for piece in _split(spec):
        directive = DIRECTIVES.get(piece)
        if directive is None:
            out.append(re.escape(piece))
            continue
        name = f"?P<{directive.field.name}>" if capture else "?:"
        out.append(f"({name}{directive.regex})")
        if piece in _FRACTION_AFTER and separators:
            sep, digits = ("(?P<sep>", "(?P<frac>") if capture else ("(?:", "(?:")
            out.append(f"(?:{sep}[{re.escape(separators)}]){digits}\\d{{1,{MAX_FRACTION_DIGITS}}}))?")
    if allows_offset:
        out.append(f"(?P<offset>{_OFFSET_REGEX})?" if capture else f"{_OFFSET_REGEX}?")
    body = "".join(out)
    # Not inside a word or a dotted number, on either side.
    return body if capture else rf"{body}(?!\w)"


#: Every layout, in the order find() tries them at one position (longer spellings first).
LAYOUTS = (
    Layout.build(0, "%Y-%m-%dT%H:%M:%S"),
    Layout.build(1, "%Y-%m-%d %H:%M:%S"),
    Layout.build(21, "%Y-%m-%d %k:%M:%S"),
    Layout.build(22, "%Y-%m-%dT%H:%M"),
    Layout.build(11, "%Y-%m-%d"),
    Layout.build(10, "%Y/%m/%d %H:%M:%S"),
    Layout.build(23, "%Y.%m.%d %H:%M:%S"),
    Layout.build(24, "%m/%d/%Y %H:%M:%S"),
    Layout.build(25, "%d/%m/%Y %H:%M:%S"),
    Layout.build(2, "%d/%b/%Y:%H:%M:%S"),
    Layout.build(15, "%d/%b/%Y %H:%M:%S"),
    Layout.build(13, "%d-%b-%Y %H:%M:%S"),
    Layout.build(17, "%d-%m-%Y %H:%M:%S"),
    Layout.build(20, "%d.%m.%Y %H:%M:%S"),
    Layout.build(6, "%a %b %d %H:%M:%S %Y"),
    Layout.build(7, "%a %b %e %H:%M:%S %Y"),
    Layout.build(12, "%a, %d %b %Y %H:%M:%S"),
    Layout.build(14, "%b %d %Y %H:%M:%S"),
    Layout.build(3, "%b %e %H:%M:%S"),
    Layout.build(4, "%b %d %H:%M:%S"),
    Layout.build(5, "%b %-d %H:%M:%S"),
    Layout.build(16, "%b-%d-%y %H:%M:%S"),
    Layout.build(18, "%y%m%d %H:%M:%S"),
    Layout.build(19, "%y%m%d %k:%M:%S"),
    Layout.build(9, "%Q", "."),
    Layout.build(8, "%s", "."),
)
LAYOUTS_BY_CODE = {layout.code: layout for layout in LAYOUTS}


def _finder() -> re.Pattern[str]:
    """One regex for every layout, each alternative named ``L<code>``.

    A span starts where no word character or dot precedes it, and the alternatives
    are grouped by their first character (digit or capital letter), so most positions
    of a text are rejected after one or two checks.
    """
    groups = []
    for first, names in ((r"\d", False), ("[A-Z]", True)):
        alternatives = [
            f"(?P<L{layout.code}>{layout.finder})" for layout in LAYOUTS if layout.starts_with_name == names
        ]
        groups.append(f"(?={first})(?:{'|'.join(alternatives)})")
    return re.compile(rf"(?<![\w.])(?:{'|'.join(groups)})")


_FINDER = _finder()


class TimestampNormalizer(Normalizer):
    """Dates and times in the spellings logs and APIs use, kept character for character."""

    name = "timestamp"
    type_id = 16
    version = __version__
    pattern = _FINDER

    def encode(self, value: str) -> bytes | None:
        match = _FINDER.fullmatch(value)
        if match is None or match.lastgroup is None:
            return None
        layout = LAYOUTS_BY_CODE[int(match.lastgroup[1:])]
        parts = layout.parser.fullmatch(value)
        assert parts is not None, "a layout's parser accepts whatever its finder alternative accepts"
        groups = parts.groupdict()
        fraction = groups.get("frac")
        packed = layout.pack(layout.parse(groups), fraction is not None)
        if packed is None:
            return None
        form, offset_code = _parse_offset(groups.get("offset") or "")
        out = encode_varint(layout.code | form.code << LAYOUT_BITS) + encode_varint(packed)
        if fraction is not None:
            separator = FRACTION_SEPARATORS.index(groups["sep"])
            out += encode_varint((int(fraction) * MAX_FRACTION_DIGITS + len(fraction) - 1) * 2 + separator)
        if form.numeric:
            out += encode_varint(offset_code)
        # The binary form must decode to these very characters, or the span is not claimed.
        return out if self.decode(out) == (value, len(out)) else None

    def decode(self, data: bytes, pos: int = 0) -> tuple[str, int]:
        header, pos = read_below(data, pos, HEADER_LIMIT, "timestamp header")
        layout = LAYOUTS_BY_CODE.get(header & ((1 << LAYOUT_BITS) - 1))
        if layout is None:
            raise CorruptBodyError(f"timestamp layout {header & ((1 << LAYOUT_BITS) - 1)} is not defined")
        form_code = header >> LAYOUT_BITS
        if form_code >= len(OFFSET_FORMS) or (form_code and not layout.allows_offset):
            raise CorruptBodyError(f"timestamp offset form {form_code} is not valid for layout {layout.code}")
        form = OFFSET_FORMS[form_code]
        packed, pos = read_below(data, pos, PACKED_LIMIT, "timestamp fields")
        values, has_fraction = layout.unpack(packed)
        fraction = ""
        if has_fraction:
            code, pos = read_below(data, pos, FRACTION_LIMIT, "timestamp fraction")
            rest, separator = divmod(code, 2)
            number, digits = divmod(rest, MAX_FRACTION_DIGITS)
            digits += 1
            if separator >= len(layout.fraction_separators) or number >= 10**digits:
                raise CorruptBodyError(f"timestamp fraction code {code} is not valid for layout {layout.code}")
            fraction = f"{FRACTION_SEPARATORS[separator]}{number:0{digits}d}"
        offset = form.template
        if form.numeric:
            code, pos = read_below(data, pos, OFFSET_CODE_LIMIT, "timestamp offset")
            offset = form.render(code)
        return layout.render(values, fraction, offset), pos


def _parse_offset(text: str) -> tuple[OffsetForm, int]:
    """The form of an offset spelling and its numeric code (0 when it has no number)."""
    if not text:
        return OFFSET_FORMS[0], 0
    for form, parser in _OFFSET_PARSERS:
        match = parser.fullmatch(text)
        if match is None:
            continue
        if not form.numeric:
            return form, 0
        minutes = int(match.group("mm")) if "{mm}" in form.template else 0
        quarters = int(match.group("hh")) * 4 + minutes // 15
        return form, quarters * 2 + (match.group("sign") == "-")
    raise ValueError(f"offset {text!r} matched the layout but no offset form")
