"""The marking contract: how salesbook marks an input cell, and how it knows its own marks.

There is one writer of workbook files (`salesbook.xlsx`); the ribbon hands the saved file
to it too (see docs/architecture.md), so these rules hold whichever button or command ran:

- A mark is a *conditional format* over the marked cells, never a change of the cell's own
  style: a fill or number format the user set is never touched, so clearing a mark returns
  the cell exactly to the user's state.
- salesbook's conditional-format rules are recognised by their always-true formula
  MARK_FORMULA (it survives a re-save by Excel, WPS and LibreOffice).
- A mark may carry a note (a legacy comment). Our notes are recognised by their text, which
  starts with NOTE_PREFIX: authors do not survive a LibreOffice/WPS re-save (they become " "),
  text does. NOTE_AUTHOR is still written so Excel shows who made the note, and is accepted
  as "ours" for notes written before the prefix existed.
- A cell that already has somebody's own note gets the fill only: a note a person typed is
  never replaced or removed.
- Every run that owns the highlights first removes every mark of ours, on every sheet.
"""
from __future__ import annotations

from .findings import ERROR, WARNING

MARK_FORMULA = '"salesbook"="salesbook"'
NOTE_PREFIX = "【销售管理】"
NOTE_AUTHOR = "salesbook"

# Excel's own light red / light yellow (ARGB), by finding level.
FILL_ARGB = {ERROR: "FFFFC7CE", WARNING: "FFFFEB9C"}
# Order in which levels are drawn: an error's colour wins on a cell that has both.
LEVEL_PRIORITY = (ERROR, WARNING)

# A workbook with tens of thousands of warnings would get a note on every one;
# past this many cells only the first ones (errors first) are marked.
MAX_MARKED_CELLS = 5000


def is_our_note(text: str | None, author: str | None = None) -> bool:
    """True for a note salesbook wrote (by its text; by its author for older notes)."""
    return bool(text and text.lstrip().startswith(NOTE_PREFIX)) or author == NOTE_AUTHOR


def note_text(body: str) -> str:
    """The text of a salesbook note: the prefix, then the findings of the cell."""
    return NOTE_PREFIX + body
