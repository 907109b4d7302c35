"""Periods: the day, the ISO week and the month that reports, pay and the close speak of.

Every period has the same face: `label` (how it is written: 2026-10-05, 2026-W42, 2026-10),
`first` and `last` (dt.date, both inside), `prev()` / `next()`, `contains(date)` and
`parse(text)`, which refuses what does not exist (2026-13, 2027-W53, 2026-02-30) with a
plain-Chinese UsageError. Periods are values: equal when they name the same days, ordered
in time within a kind.

Also here: the one "date as text" (`day_text`) and the vectorised month number used to
group documents by month (`month_index`).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import UsageError


class _Span:
    """What every period adds to its first/last dates: Timestamps to compare table columns with."""

    @property
    def start(self) -> pd.Timestamp:
        """The first day at midnight (table date columns are datetime64)."""
        return pd.Timestamp(self.first)

    @property
    def end(self) -> pd.Timestamp:
        """The last day at midnight: `col <= end` keeps the whole last day of a date column."""
        return pd.Timestamp(self.last)


@dataclass(frozen=True, order=True)
class Month(_Span):
    year: int
    month: int

    def __post_init__(self):
        if not 1 <= self.month <= 12 or not 1900 <= self.year <= 9999:
            raise ValueError(f"no such month: {self.year}-{self.month}")

    kind = "month"

    @classmethod
    def parse(cls, text: str) -> "Month":
        m = re.fullmatch(r"\s*(\d{4})-(\d{1,2})\s*", str(text))
        if m and 1 <= int(m.group(2)) <= 12:
            return cls(int(m.group(1)), int(m.group(2)))
        raise UsageError(f"月份「{text}」不对: 应写成 YYYY-MM, 如 2026-03",
                         f"Month '{text}' is not valid: write it as YYYY-MM, e.g. 2026-03")

    @classmethod
    def of(cls, day: dt.date) -> "Month":
        return cls(day.year, day.month)

    @classmethod
    def from_index(cls, index: int) -> "Month":
        return cls(index // 12, index % 12 + 1)

    @property
    def index(self) -> int:
        """year·12 + month − 1: consecutive months are consecutive numbers."""
        return self.year * 12 + self.month - 1

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def last(self) -> dt.date:
        return self.next().first - dt.timedelta(days=1)

    def prev(self) -> "Month":
        return Month.from_index(self.index - 1)

    def next(self) -> "Month":
        return Month.from_index(self.index + 1)

    def contains(self, day: dt.date) -> bool:
        return self.first <= _date(day) <= self.last

    def weeks(self) -> list["Week"]:
        """The ISO weeks that end (Sunday) in this month, in order."""
        out, week = [], Week.of(self.first)
        while week.first <= self.last:
            if self.contains(week.last):
                out.append(week)
            week = week.next()
        return out

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True, order=True)
class Week(_Span):
    """An ISO week: Monday to Sunday; week 1 holds the year's first Thursday."""
    year: int
    week: int

    def __post_init__(self):
        if not 1 <= self.week <= _weeks_in(self.year):
            raise ValueError(f"no such ISO week: {self.year}-W{self.week}")

    kind = "week"

    @classmethod
    def parse(cls, text: str) -> "Week":
        m = re.fullmatch(r"\s*(\d{4})-?[Ww](\d{1,2})\s*", str(text))
        if not m:
            raise UsageError(f"周「{text}」不对: 应写成 YYYY-Www, 如 2026-W42(ISO 周, 周一到周日)",
                             f"Week '{text}' is not valid: write it as YYYY-Www, e.g. 2026-W42 (ISO week)")
        year, week = int(m.group(1)), int(m.group(2))
        if not 1 <= week <= _weeks_in(year):
            raise UsageError(f"{year} 年只有 {_weeks_in(year)} 个 ISO 周, 没有第 {week} 周",
                             f"{year} has {_weeks_in(year)} ISO weeks; there is no week {week}")
        return cls(year, week)

    @classmethod
    def of(cls, day: dt.date) -> "Week":
        y, w, _ = _date(day).isocalendar()
        return cls(y, w)

    @property
    def label(self) -> str:
        return f"{self.year:04d}-W{self.week:02d}"

    @property
    def first(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.week, 1)

    @property
    def last(self) -> dt.date:
        return self.first + dt.timedelta(days=6)

    def prev(self) -> "Week":
        return Week.of(self.first - dt.timedelta(days=7))

    def next(self) -> "Week":
        return Week.of(self.first + dt.timedelta(days=7))

    def contains(self, day: dt.date) -> bool:
        return self.first <= _date(day) <= self.last

    def __str__(self) -> str:
        return self.label


@dataclass(frozen=True, order=True)
class Day(_Span):
    date: dt.date

    kind = "day"

    @classmethod
    def parse(cls, text: str) -> "Day":
        try:
            return cls(dt.date.fromisoformat(str(text).strip()))
        except ValueError:
            raise UsageError(f"日期「{text}」不对: 应写成 YYYY-MM-DD, 如 2026-03-15",
                             f"Date '{text}' is not valid: write it as YYYY-MM-DD, e.g. 2026-03-15") from None

    @classmethod
    def of(cls, day: dt.date) -> "Day":
        return cls(_date(day))

    @property
    def label(self) -> str:
        return self.date.isoformat()

    @property
    def first(self) -> dt.date:
        return self.date

    @property
    def last(self) -> dt.date:
        return self.date

    def prev(self) -> "Day":
        return Day(self.date - dt.timedelta(days=1))

    def next(self) -> "Day":
        return Day(self.date + dt.timedelta(days=1))

    def contains(self, day: dt.date) -> bool:
        return _date(day) == self.date

    def __str__(self) -> str:
        return self.label


Period = Month | Week | Day


def last_full_month(today: dt.date) -> Month:
    """The month before today's: the default for pay, the monthly report and the close."""
    return Month.of(today).prev()


def last_complete_week(today: dt.date) -> Week:
    """The latest ISO week whose Sunday is before today (on a Sunday: the week before)."""
    return Week.of(today).prev()


def _weeks_in(year: int) -> int:
    return dt.date(year, 12, 28).isocalendar()[1]


def _date(value) -> dt.date:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def day_text(value) -> str:
    """A date as people and the JSON read it: YYYY-MM-DD ("" for a blank)."""
    if type(value) is pd.Timestamp:     # the usual case (NaT is not a Timestamp)
        return value.date().isoformat()
    if value is None:
        return ""
    if isinstance(value, np.datetime64):
        return "" if np.isnat(value) else str(value.astype("datetime64[D]"))
    if isinstance(value, str):
        return value[:10]
    try:
        if pd.isna(value):
            return ""
    except (TypeError, ValueError):
        pass
    return _date(value).isoformat()


def month_index(values) -> np.ndarray:
    """datetime64 values → year·12 + month − 1 (Month.index); NaT → −1. Vectorised."""
    v = pd.Series(values).to_numpy(dtype="datetime64[ns]")
    months = v.astype("datetime64[M]").astype("int64") + 1970 * 12
    months[np.isnat(v)] = -1
    return months
