"""Findings: what validation (and the engines) tell the user about their rows."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from . import contract as K

ERROR = "错误"     # blocks the month close; the row is left out of every computation
WARNING = "警告"   # shown, the row still counts


@dataclass(frozen=True)
class Finding:
    level: str                 # ERROR or WARNING
    sheet: str                 # contract sheet key, e.g. "visits"
    row: int | None            # Excel row number (header = 1); None = the sheet as a whole
    column: str | None         # contract column key; None = the row as a whole
    value: str                 # the offending value as the user typed it
    problem: str               # plain Chinese: what is wrong
    suggestion: str            # plain Chinese: how to fix it
    problem_en: str = ""
    suggestion_en: str = ""
    rule: str = ""             # id of the rule that made it (docs/rules.md): "which code made this row"

    def text(self, lang: str = "zh") -> tuple[str, str]:
        if lang == "en":
            return (self.problem_en or self.problem, self.suggestion_en or self.suggestion)
        return self.problem, self.suggestion


def error(sheet, row, column, value, problem, suggestion, problem_en="", suggestion_en="", *, rule="") -> Finding:
    return Finding(ERROR, sheet, row, column, _show(value), problem, suggestion, problem_en, suggestion_en, rule)


def warning(sheet, row, column, value, problem, suggestion, problem_en="", suggestion_en="", *, rule="") -> Finding:
    return Finding(WARNING, sheet, row, column, _show(value), problem, suggestion, problem_en, suggestion_en, rule)


def _show(value) -> str:
    """The value as a person would recognise it in the cell."""
    if value is None:
        return ""
    try:
        import pandas as pd

        if pd.isna(value):
            return ""
        if isinstance(value, pd.Timestamp):
            from .domain.calendar import day_text
            return value.strftime("%Y-%m-%d %H:%M") if (value.hour or value.minute) else day_text(value)
    except (TypeError, ValueError):
        pass
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


_SHEET_ORDER = {s.key: i for i, s in enumerate(K.ALL_SHEETS)}
_COLUMN_ORDER = {(s.key, c.key): i for s in K.ALL_SHEETS for i, c in enumerate(s.columns)}


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Contract sheet order, then 错误 before 警告, then row, then column (as laid out in the sheet)."""
    return sorted(findings, key=lambda f: (
        _SHEET_ORDER.get(f.sheet, len(_SHEET_ORDER)), f.sheet,
        0 if f.level == ERROR else 1,
        -1 if f.row is None else f.row,
        -1 if f.column is None else _COLUMN_ORDER.get((f.sheet, f.column), 999), f.column or "",
        f.problem))
