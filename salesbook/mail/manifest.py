"""The reports to send: the `manifest.json` a report run leaves in its folder.

The manifest is the hand-over from the report step: each entry names one rendered report
(kind, period, scope, key), who receives it and its files relative to the manifest. This
module only reads it into typed records and finds (or has generated) the folder of a period.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..domain.calendar import Day, Month, Period, Week, last_complete_week, last_full_month
from ..errors import UsageError, WorkbookError

MANIFEST = "manifest.json"
# Which report kinds a period of each kind (calendar Day/Week/Month .kind) has.
KINDS_OF_PERIOD = {"day": ("daily",), "week": ("weekly",), "month": ("monthly", "statement")}
PERIOD_OF_KIND = {"daily": "day", "weekly": "week", "monthly": "month", "statement": "month"}


@dataclass(frozen=True)
class Report:
    """One entry of manifest.json, with its folder (files are relative to it)."""

    kind: str
    period: str
    scope: str                    # person / team / department
    key: str | None               # 工号, 小组 name, or None for the department
    title: str
    recipients: tuple[str, ...]
    files: dict = field(hash=False, compare=False)
    folder: Path = field(hash=False, compare=False)
    cc: tuple[str, ...] = ()      # 参数 报表抄送, which the report step puts on department reports
    empty: bool = False           # the report step may mark a report with nothing in it

    @property
    def identity(self) -> str:
        """What the send log is keyed by (with the recipient)."""
        return f"{self.kind}|{self.period}|{self.scope}|{self.key or ''}"

    def file(self, fmt: str) -> Path | None:
        name = self.files.get(fmt)
        return self.folder / name if name else None


def choose_period(date: dt.date | None, week: str | None, month: str | None, kind: str,
                  today: dt.date) -> Period:
    """The period named by --date / --week / --month, else the kind's default (today, the
    last complete ISO week, the last full month: as the report commands)."""
    given = [p for p in (date and Day.of(date), week and Week.parse(week), month and Month.parse(month)) if p]
    if len(given) > 1:
        raise UsageError("--date、--week、--month 只能选一个。", "Give only one of --date, --week, --month.")
    sort = PERIOD_OF_KIND.get(kind, "month")
    period = given[0] if given else {"day": lambda: Day.of(today), "week": lambda: last_complete_week(today),
                                     "month": lambda: last_full_month(today)}[sort]()
    if kind != "all" and sort != period.kind:
        words = {"day": "--date", "week": "--week", "month": "--month"}
        raise UsageError(
            f"{_KIND_ZH[kind]}要用 {words[sort]} 指定时间, 不能用 {words[period.kind]}。",
            f"A {kind} report needs {words[sort]}, not {words[period.kind]}.")
    return period


def kinds_of(period: Period, kind: str) -> tuple[str, ...]:
    return KINDS_OF_PERIOD[period.kind] if kind == "all" else (kind,)


_KIND_ZH = {"daily": "日报", "weekly": "周报", "monthly": "月报", "statement": "工资条"}


def report_folder(book: Path, period: Period, out: Path | None) -> Path:
    """--out, else the report step's default folder for the period."""
    if out is not None:
        return out
    try:
        from ..reports import default_out_dir
    except ImportError:   # the report step not installed: its documented default
        return book.parent / f"{book.stem}-报表" / period.label
    return default_out_dir(book, period.label)


def read(folder: Path) -> list[Report]:
    """Every entry of folder/manifest.json ([] when there is no manifest yet)."""
    path = folder / MANIFEST
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text("utf-8"))
        entries = data["reports"]
        return [_entry(e, folder) for e in entries]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise WorkbookError(
            f"报表清单 {path} 无法读取({exc})。请重新生成报表(salesbook report …)后再发送。",
            f"The report list {path} cannot be read ({exc}). Generate the reports again, then send.")


def _entry(e: dict, folder: Path) -> Report:
    return Report(kind=e["kind"], period=str(e["period"]), scope=e["scope"],
                  key=None if e.get("key") is None else str(e["key"]), title=e.get("title") or "",
                  recipients=tuple(e.get("recipients") or ()), files=dict(e["files"]), folder=folder,
                  cc=tuple(e.get("cc") or ()), empty=bool(e.get("empty", False)))


def missing_kinds(reports: list[Report], period: Period, kinds: tuple[str, ...]) -> tuple[str, ...]:
    """Kinds with no entry for the period, or an entry whose files are not on disk."""
    out = []
    for kind in kinds:
        mine = [r for r in reports if r.kind == kind and r.period == period.label]
        gone = any(not (r.folder / name).exists() for r in mine for name in r.files.values())
        if not mine or gone:
            out.append(kind)
    return tuple(out)


def generate(book: Path, kind: str, period: Period, folder: Path, lang: str, today: dt.date) -> None:
    """Have the report step render the missing reports of one kind into `folder`."""
    try:
        from ..reports import generate as render
    except ImportError:
        raise WorkbookError(
            f"{folder} 里没有{period.label}的{_KIND_ZH[kind]}, 这个版本也不能自动生成。"
            f"请先运行 salesbook report {kind} 生成报表, 再发送。",
            f"No {kind} report for {period.label} in {folder}, and this installation cannot render it. "
            f"Run `salesbook report {kind}` first.")
    render(book, kind, period.label, out=folder, formats=("html", "xlsx", "pdf"), lang=lang, today=today)


def load(book: Path, period: Period, kinds: tuple[str, ...], folder: Path, lang: str,
         today: dt.date) -> tuple[list[Report], tuple[str, ...]]:
    """The period's reports of these kinds, generating the missing ones first.
    Also returns the kinds that were generated now (the summary says so)."""
    missing = missing_kinds(read(folder), period, kinds)
    for kind in missing:
        generate(book, kind, period, folder, lang, today)
    reports = [r for r in read(folder) if r.kind in kinds and r.period == period.label]
    return reports, missing
