"""Workbook writer: results and marks patched into the user's .xlsx zip, atomically.

The one writer of workbook files: the CLI calls it, and the ribbon saves, closes and hands
it the file. Contract-agnostic about rules; it knows the sheet layouts of the contract.
Public API:

- `write_outcome(book, sheets, highlights, *, out=None, backup=True) -> Path`
- `check_writable(book, *, out=None)`; `safety.check_package(path)` (the readers call it first)

How a write works
-----------------
The package is first inspected (`safety`): hostile or broken files are refused in
milliseconds, before anything parses a part. Then the source zip is read member by member:
only parts that must change are inflated and rewritten (the workbook part, its rels,
[Content_Types].xml, styles, docProps/app.xml, the output sheets, and input sheets whose
marks change, with their notes); every other member's compressed bytes are copied as they
are (`zipio.ZipSink.copy_raw`). XML is edited by splices at places found by a real parse
(`xmldoc`: expat offsets, namespaces resolved, new elements spelled with the prefix bound
where they go); a DOM round trip would rename prefixes and drop Excel's extensions. The new
zip goes to a hidden temp file beside the target, is fsynced and `os.replace`d over it; an
in-place write keeps the previous file as BOOK.bak.xlsx. Same inputs, same bytes.

Output sheets (`outsheet`, `layout`)
------------------------------------
Header in the input sheets' style, number formats by contract column type, long text
wrapped with row heights that show it, frozen header, filter, landscape print fitted to one
page wide with the header repeated. Text is always an inline string, never a formula.

Marks (`highlights`, `comments`; the rules are `salesbook.marks`)
-----------------------------------------------------------------
A mark is a conditional format recognised by its formula plus a note recognised by its
text prefix; the user's styles and notes are never touched. Every run that owns the marks
removes all of ours first. `record` keeps, per input sheet, the CRCs of what was written
and a digest of its marks, so a re-run with the same marks does not even inflate the sheet.
"""
from .checks import check_writable
from .writer import write_outcome

__all__ = ["write_outcome", "check_writable"]
