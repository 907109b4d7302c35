"""Workbook writer: results and highlights patched into the user's .xlsx zip, atomically.

Contract-agnostic (nothing here knows sales rules). Public API:

- `write_outcome(book, sheets, highlights, *, out=None, backup=True) -> Path`
- `check_writable(book)`

How a write works
-----------------
The source zip is read member by member. Only parts that must change are rewritten
(workbook.xml, its rels, [Content_Types].xml, styles.xml, docProps/app.xml, the output
sheets, and sheets gaining or losing highlights with their comments/VML/rels). Every other
member's compressed bytes are copied as they are (`zipio.ZipSink.copy_raw`: Python's zipfile
cannot do that, so a small zip writer does it; members rewritten by us are deflated with a
fixed timestamp, so the same input gives the same bytes). XML parts are edited by local text
splices, never by a DOM round trip, which would rename namespace prefixes (breaking
`mc:Ignorable`) and lose Excel extensions. Big worksheet XML is produced and patched as a
stream of chunks. The new zip goes to a temp file in the target's folder, is fsynced, and
`os.replace`d over the target; in-place writes keep the previous file as BOOK.bak.xlsx.

Highlight bookkeeping
---------------------
A highlighted cell gets an xf *derived* from its current one: same font, border, number
format, alignment and protection, only `fillId` set to salesbook's light-red (错误) or
light-yellow (警告) solid fill and `applyFill="1"`. What was replaced is recorded in a custom
XML part (`customXml/itemN.xml`, schema `urn:salesbook:marks:1`, with its itemProps; Excel
keeps customXml parts when it saves): per cell the sheetId and name, the reference, the
original `s` index, the original fill (as XML, plus its index) and `applyFill`, and whether
salesbook created the cell element. Clearing derives the way back from the cell's *current*
xf: if it still carries a salesbook fill, the same xf with the recorded fill/applyFill is
found (or appended); if the user restyled the cell meanwhile, it is left alone. Because the
restore is by content, it survives Excel renumbering styles on save; when nothing was
changed in between it lands exactly on the original index. Comments are matched by author:
only comments whose author is `salesbook` (and their VML note shapes) are ever removed. A
cell that already has the user's own comment gets the fill but no salesbook comment.
"""
from .checks import check_writable
from .writer import write_outcome

__all__ = ["write_outcome", "check_writable"]
