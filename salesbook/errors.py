"""Errors that stop a command because the workbook cannot be used at all (exit 2)."""
from __future__ import annotations


class WorkbookError(Exception):
    """A problem with the workbook file itself: message says what and how to fix, zh + en."""

    def __init__(self, zh: str, en: str | None = None):
        super().__init__(zh)
        self.zh = zh
        self.en = en or zh

    def text(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh
