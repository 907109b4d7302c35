"""What a command produces, before any adapter writes it anywhere.

A command (validate, assign, commission, ...) is a pure function of the workbook's
tables that returns an Outcome. The CLI writes an Outcome into the .xlsx file at the
zip level; the Excel add-in writes the same Outcome into the open workbook through
xlwings. Neither adapter knows anything about the rules.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd


@dataclass(frozen=True)
class Highlight:
    """One input cell to mark (fill + comment) so the user sees where a finding is."""

    sheet: str      # sheet name as it appears in the workbook (e.g. "拜访")
    row: int        # Excel row number, header = 1
    column: int     # 1-based Excel column index
    level: str      # "错误" or "警告" (drives the fill colour)
    note: str       # comment text, plain Chinese (or English with --lang en)


@dataclass
class Outcome:
    """The result of one command: output sheets to (re)place, cells to highlight, text."""

    command: str
    # Output sheet name (as written, zh or en) -> table with display headers, in write order.
    sheets: dict[str, pd.DataFrame] = field(default_factory=dict)
    # Cells to highlight on input sheets; highlights from earlier runs are cleared first.
    # None = leave highlights alone (the command does not own them).
    highlights: list[Highlight] | None = None
    # Lines for people: printed by the CLI, shown in an alert by the add-in.
    summary: list[str] = field(default_factory=list)
    # 0 ok, 1 the data has 错误 findings; 2 the workbook cannot be used.
    exit_code: int = 0
    # A folder the command wrote files to (reports): the ribbon opens it at the end.
    folder: Path | None = None
