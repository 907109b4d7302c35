"""What stops a command: the user's problem (exit 2) or our defect (exit 3).

- `WorkbookError`: the workbook (or an argument) cannot be used as it is. The message says
  what and how to fix it, in Chinese and English. Exit 2; the file is left untouched.
- `Defect`: salesbook itself is wrong (a reconciliation that does not add up, an
  unexpected exception). Never shown as if the user had made a mistake: the CLI and the
  ribbon write the traceback to a log and say where it is. Exit 3.
"""
from __future__ import annotations


class _Bilingual(Exception):
    """An exception with its message in Chinese and English."""

    def __init__(self, zh: str, en: str | None = None):
        super().__init__(zh)
        self.zh = zh
        self.en = en or zh

    def text(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh


class WorkbookError(_Bilingual):
    """A problem with the workbook file itself: message says what and how to fix, zh + en."""


class UsageError(WorkbookError):
    """A command-line argument or a ribbon choice that cannot be used (a bad month, ...)."""


class Defect(_Bilingual):
    """A bug in salesbook: nothing is written, the user is told where the log is."""


EXIT_OK, EXIT_DATA_ERRORS, EXIT_UNUSABLE, EXIT_DEFECT = 0, 1, 2, 3
