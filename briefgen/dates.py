"""Partial dates (YYYY, YYYY-MM, YYYY-MM-DD, CSL date-parts) and report periods."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass, replace
from functools import lru_cache, total_ordering
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_interval, format_skeleton

from .resolve.words import translations

_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_WEEK = re.compile(r"^(\d{4})-W(\d{1,2})$")
MONTHS = [calendar.month_name[m] for m in range(1, 13)]


@total_ordering
@dataclass(frozen=True)
class PartialDate:
    """A date known to the year, the month or the day; `circa` when inferred; a range
    when `until` holds its last part (CSL `{date-parts: [[2023, 3], [2023, 5]]}`).

    Dates of any precision compare by `key`: the one order of dates, used by every sort,
    min and max (the source summary, a select's `sort: date`)."""

    year: int
    month: int | None = None
    day: int | None = None
    circa: bool = False
    until: PartialDate | None = None

    @property
    def start(self) -> dt.date:
        """Return the first day the date may mean."""
        return _bounds(self.year, self.month, self.day)[0]

    @property
    def end(self) -> dt.date:
        """Return the last day the date may mean."""
        last = self.until or self
        return _bounds(last.year, last.month, last.day)[1]

    @property
    def key(self) -> tuple[int, int, int, int, int]:
        """Return the date's place in time: by its first day, then its last (so a day
        comes before the month that holds it, a month before its year), an exact date
        before the same date circa, then by precision. No two dates share a key, and a
        date that ends before another starts comes first."""
        return (
            self.start.toordinal(),
            self.end.toordinal(),
            self.circa,
            self._precision(),
            self.until._precision() if self.until else 0,
        )

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.key < other.key

    def _precision(self) -> int:
        return 3 if self.day else 2 if self.month else 1

    def _parts(self) -> list[int]:
        return [p for p in (self.year, self.month, self.day) if p]

    def csl(self) -> dict[str, Any]:
        """Return the date as a CSL-JSON date object."""
        parts = [self._parts()] + ([self.until._parts()] if self.until else [])
        out: dict[str, Any] = {"date-parts": parts}
        if self.circa:
            out["circa"] = True
        return out

    def iso(self) -> str:
        """Return the date as YYYY, YYYY-MM or YYYY-MM-DD; a range as START/END."""
        out = "-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(self._parts()))
        return f"{out}/{self.until.iso()}" if self.until else out

    def display(self) -> str:
        """Return the date for readers: "14 June 2024", "June 2024", "c. 2023",
        "March–May 2023"."""
        text = _range(self, self.until) if self.until else _shown(self.year, self.month, self.day)
        return f"c. {text}" if self.circa else text


def sort_key(date: PartialDate | None, newest_first: bool = False) -> tuple[int, ...]:
    """Return where `date` goes in a sort by date, oldest (or newest) first: by its `key`,
    undated last either way."""
    if date is None:
        return (1,)
    return (0, *(-k for k in date.key)) if newest_first else (0, *date.key)


def earliest_and_latest(dates: list[PartialDate]) -> tuple[PartialDate, PartialDate] | None:
    """Return the dates that bound `dates`: the one that starts first and the one that
    ends last (of those that tie, the widest), or None for no dates. The two are the same
    date when one date covers all the others ("June 2024" covers "12 June 2024")."""
    if not dates:
        return None
    first = min(dates, key=lambda d: (d.start, -d.end.toordinal(), d.key))
    last = min(dates, key=lambda d: (-d.end.toordinal(), d.start, d.key))
    return first, last


def _shown(year: int, month: int | None, day: int | None) -> str:
    text = str(year)
    if month:
        text = f"{MONTHS[month - 1]} {text}"
    return f"{day} {text}" if day else text


def _range(first: PartialDate, last: PartialDate) -> str:
    """Return a range for readers, naming a shared year or month once: "2023–2024",
    "March–May 2023", "10–16 June 2024", "June 2023 – May 2024"."""
    precision = first._precision()
    if precision == last._precision() == 3:
        return _span(first.start, last.start)
    if precision == last._precision() == 1:
        return f"{first.year}–{last.year}"
    if precision == last._precision() == 2 and first.year == last.year:
        return f"{MONTHS[first.start.month - 1]}–{MONTHS[last.start.month - 1]} {last.year}"
    return f"{_shown(first.year, first.month, first.day)} – {last.display()}"


@lru_cache(maxsize=65536)
def _bounds(year: int, month: int | None, day: int | None) -> tuple[dt.date, dt.date]:
    """Return the first and last day a partial date may mean (selections ask often)."""
    start = dt.date(year, month or 1, day or 1)
    if day:
        return start, start
    last = month or 12
    return start, dt.date(year, last, calendar.monthrange(year, last)[1])


def parse_date(value: Any) -> PartialDate:
    """Return the PartialDate that `value` (text, a year, a date or a CSL date) means."""
    if isinstance(value, PartialDate):
        return value
    if isinstance(value, dt.date):
        return PartialDate(value.year, value.month, value.day)
    if isinstance(value, bool):
        raise ValueError("expected a date: YYYY, YYYY-MM or YYYY-MM-DD")
    if isinstance(value, int):
        return _checked(value, None, None, False)
    if isinstance(value, str):
        return _from_text(value)
    if isinstance(value, dict):
        return _from_csl(value)
    raise ValueError("expected a date: YYYY, YYYY-MM, YYYY-MM-DD or {date-parts: [[Y, M, D]]}")


@lru_cache(maxsize=4096)
def _from_text(value: str) -> PartialDate:
    """Return the date a text means (a store repeats its dates: one object for each, read
    once, shared by every claim that holds it; dates are immutable)."""
    m = _ISO.match(value.strip())
    if not m:
        raise ValueError(f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {value!r}")
    year, month, day = (int(g) if g else None for g in m.groups())
    return _checked(year or 0, month, day, False)


def _from_csl(value: dict[str, Any]) -> PartialDate:
    unknown = set(value) - {"date-parts", "circa", "raw", "literal", "season"}
    if unknown:
        raise ValueError(f"unknown date key {sorted(unknown)[0]!r}; expected date-parts, circa")
    circa = value.get("circa", False) not in (False, 0, "", "false", None)
    if "date-parts" not in value:
        for key in ("raw", "literal"):  # text as written, e.g. "2024-06-01" or "June 2024"
            if key in value:
                try:
                    read = parse_date(value[key])
                except ValueError:
                    raise ValueError(
                        f"cannot read the {key} date {value[key]!r}: write it as YYYY, YYYY-MM "
                        "or YYYY-MM-DD, or give date-parts"
                    ) from None
                return replace(read, circa=circa or read.circa)
        raise ValueError("a CSL date needs date-parts, e.g. {date-parts: [[2023, 3]]}")
    parts = value["date-parts"]
    if not (
        isinstance(parts, list)
        and 1 <= len(parts) <= 2
        and all(isinstance(p, list) and p for p in parts)
    ):
        raise ValueError(
            "date-parts must look like [[2023, 3]], [[2023, 3, 8]] or, for a "
            "range, [[2023, 3], [2023, 5]]"
        )
    first, *rest = (_from_parts(p) for p in parts)
    until = rest[0] if rest and rest[0] != first else None
    if until and until.end < first.start:
        raise ValueError(f"the date range ends ({until.iso()}) before it starts ({first.iso()})")
    return PartialDate(first.year, first.month, first.day, circa, until)


def _from_parts(nums: list[Any]) -> PartialDate:
    """Return the date of one list of date-parts: [year], [year, month] or [y, m, d],
    each a number or, as Zotero writes them, a number's digits ("2024")."""
    nums = [int(n) if isinstance(n, str) and n.strip().isdigit() else n for n in nums]
    if len(nums) > 3 or not all(isinstance(n, int) and not isinstance(n, bool) for n in nums):
        raise ValueError("date-parts must hold one to three whole numbers: year, month, day")
    year, month, day = (nums + [None, None])[:3]
    return _checked(year, month, day, False)


def _checked(year: int, month: int | None, day: int | None, circa: bool) -> PartialDate:
    """Return the date, or raise ValueError when no such day exists."""
    if not 1000 <= year <= 9999:
        raise ValueError(f"year {year} is out of range (1000-9999)")
    if month is not None and not 1 <= month <= 12:
        raise ValueError(f"month {month} does not exist")
    if day is not None:
        if month is None:
            raise ValueError("a day needs a month")
        try:
            dt.date(year, month, day)
        except ValueError:
            raise ValueError(f"{year:04d}-{month:02d}-{day:02d} is not a real date") from None
    return PartialDate(year, month, day, circa)


@dataclass(frozen=True)
class Period:
    """The days a brief reports on, inclusive; `label` as the user wrote it."""

    start: dt.date
    end: dt.date
    label: str

    def overlaps(self, date: PartialDate) -> bool:
        """Return whether any day `date` may mean falls within the period."""
        return date.start <= self.end and date.end >= self.start

    def display(self) -> str:
        """Return the period for readers: "10–16 June 2024 (2024-W24)"."""
        text = _span(self.start, self.end)
        return f"{text} ({self.label})" if _WEEK.match(self.label) else text


def parse_period(value: Any, today: dt.date | None = None) -> Period:
    """Return the Period that `value` means: an ISO week, a date range or a relative week."""
    today = today or dt.date.today()
    if isinstance(value, str):
        text = value.strip()
        if text in ("this-week", "last-week"):
            day = today - dt.timedelta(days=7 if text == "last-week" else 0)
            year, week, _ = day.isocalendar()
            text = f"{year}-W{week:02d}"
        m = _WEEK.match(text)
        if m:
            year, week = int(m.group(1)), int(m.group(2))
            try:
                start = dt.date.fromisocalendar(year, week, 1)
            except ValueError:
                raise ValueError(f"{text} is not an ISO week of {year}") from None
            return Period(start, start + dt.timedelta(days=6), f"{year}-W{week:02d}")
        date = parse_date(text)
        return Period(date.start, date.end, text)
    if isinstance(value, dict):
        unknown = set(value) - {"from", "to"}
        if unknown or "from" not in value or "to" not in value:
            raise ValueError("expected {from: YYYY-MM-DD, to: YYYY-MM-DD}")
        start, end = parse_date(value["from"]).start, parse_date(value["to"]).end
        if end < start:
            raise ValueError(f"the period ends ({end}) before it starts ({start})")
        return Period(start, end, f"{start.isoformat()} to {end.isoformat()}")
    raise ValueError("expected an ISO week (2024-W24), this-week, last-week or {from: …, to: …}")


def _span(start: dt.date, end: dt.date) -> str:
    """Return "10–16 June 2024", "28 May – 3 June 2024" or a full range across years."""
    if start == end:
        return f"{start.day} {MONTHS[start.month - 1]} {start.year}"
    if start.year != end.year:
        return (
            f"{start.day} {MONTHS[start.month - 1]} {start.year} – "
            f"{end.day} {MONTHS[end.month - 1]} {end.year}"
        )
    if start.month != end.month:
        return (
            f"{start.day} {MONTHS[start.month - 1]} – {end.day} {MONTHS[end.month - 1]} {end.year}"
        )
    return f"{start.day}–{end.day} {MONTHS[end.month - 1]} {end.year}"


# How a memo prints dates, by precision (day, month, year), as CLDR skeletons: Babel
# writes each in the reader's locale ("June 14, 2024", "14. Juni 2024", "juin 2024").
SKELETONS = {3: "yMMMMd", 2: "yMMMM", 1: "y"}


def babel_locale(tag: str) -> Locale:
    """Return Babel's locale for a BCP 47 tag ("de-DE"), or raise ValueError."""
    try:
        return Locale.parse(tag, sep="-")
    except (ValueError, UnknownLocaleError):
        raise ValueError(f"unknown locale {tag!r} (expected a tag like en-GB or de-DE)") from None


def format_day(day: dt.date, locale: str) -> str:
    """Return a day as the memo prints it: CLDR's long date format of `locale`."""
    return format_date(day, "long", locale=babel_locale(locale))


def format_partial(date: PartialDate, locale: str) -> str:
    """Return a partial date (or range) for a reader of `locale`: a day in the long format,
    a month or year by its skeleton, a range of equal precision as Babel's interval (the
    shared year or month named once); a conjectured one as the catalogue words it at its
    precision ("c. 2023", "vers 2023", "vers le 12 juin 2024")."""
    where = babel_locale(locale)
    last = date.until
    text = _unconjectured(date, last, where)
    if not date.circa:
        return text
    t = translations(locale)
    if last is not None:
        return t.gettext("c. {dates}").format(dates=text)
    if date.day:
        return t.gettext("c. {day}").format(day=text)
    if date.month:
        return t.gettext("c. {month}").format(month=text)
    return t.gettext("c. {year}").format(year=text)


def _unconjectured(date: PartialDate, last: PartialDate | None, where: Locale) -> str:
    """Return a partial date (or range) as Babel writes it, without "c."."""
    if last is not None and last._precision() == date._precision():
        skeleton = SKELETONS[date._precision()]
        if skeleton == "yMMMMd":
            return days_interval(date.start, last.start, where)
        return format_interval(date.start, last.start, skeleton, locale=where)
    if last is not None:
        return f"{_one(date, where)} – {_one(last, where)}"
    return _one(date, where)


def days_interval(first: dt.date, last: dt.date, where: Locale) -> str:
    """Return two days as one interval with the month named in full, as the long date
    names it ("June 10 – 16, 2024", "10–16 juin 2024").

    CLDR has no interval pattern for the skeleton yMMMMd, and Babel then falls back to
    yMMMd's, abbreviated ("Jun 10 – 16, 2024"); UTS #35 (2.6.2.1) has a pattern of the
    nearest skeleton adjusted to the widths asked for, which is done here: MMM to MMMM."""
    formats = where.interval_formats
    if "yMMMMd" in formats or "yMMMd" not in formats or first >= last:
        return format_interval(first, last, "yMMMMd", locale=where)
    differ = "y" if first.year != last.year else "M" if first.month != last.month else "d"
    pair = formats["yMMMd"].get(differ)
    if not pair or len(pair) != 2:
        return format_interval(first, last, "yMMMMd", locale=where)
    wide = [
        re.sub(r"(?<![ML])(M{3}|L{3})(?![ML])", lambda m: m.group(1) + m.group(1)[0], p)
        for p in pair
    ]
    return format_date(first, wide[0], locale=where) + format_date(last, wide[1], locale=where)


def _one(date: PartialDate, where: Locale) -> str:
    if date.day:
        return format_date(date.start, "long", locale=where)
    return format_skeleton(SKELETONS[date._precision()], date.start, locale=where)


def format_period(period: Period, locale: str) -> str:
    """Return the period for a reader of `locale`: Babel's interval of its first and last
    day ("10–16 June 2024", "Jun 10 – 16, 2024"), with an ISO week's label."""
    if period.start == period.end:
        text = format_day(period.start, locale)
    else:
        text = days_interval(period.start, period.end, babel_locale(locale))
    return f"{text} ({period.label})" if _WEEK.match(period.label) else text
