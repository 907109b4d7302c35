"""Highlights: salesbook's marks on input cells (a fill plus a note), replaced every run.

The rules are the marking contract (`salesbook.marks`): the fill is a conditional format
recognised by `MARK_FORMULA`, never a change of the cell's style; notes are ours by their
text prefix (or old author); a cell with somebody's own note gets the fill only. Every
earlier mark of ours is removed first, on every sheet.

A worksheet part is never parsed whole: conditional formats and the legacyDrawing element
are direct children of <worksheet> after </sheetData>, so only that tail of a 60 MB sheet
is parsed (behind a copy of the root's start tag, so its namespaces are in scope) and
edited. Our elements go among the worksheet's direct children in schema order, and only
elements of ours are ever removed, so clearing returns the part to its bytes.
"""
from __future__ import annotations

import posixpath
import re

from .. import marks
from . import record
from .cells import letter, split_ref
from .comments import Comments, Vml
from .opc import CT_COMMENTS, CT_VML, NS_MAIN, NS_R, RT_COMMENTS, RT_VML, Damaged, Package
from .styles import StyleBook
from .workbook import Workbook
from .xmldoc import Doc, XmlError, parse, root_start_tag, splice

# Direct children of <worksheet> that follow conditionalFormatting / legacyDrawing (CT_Worksheet order).
_AFTER_CF = {"dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter",
             "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags",
             "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
             "webPublishItems", "tableParts", "extLst"}
_AFTER_LEGACY = {"legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems",
                 "tableParts", "extLst"}
SHAPES_PER_BLOCK = 1024
# The tail's elements whose insides we look at (the rest, e.g. mergeCells, are only spans).
_DEEP = frozenset({"conditionalFormatting"})


def apply_highlights(pkg: Package, wb: Workbook, styles: StyleBook, highlights: list, written: set[str]) -> None:
    by_sheet: dict[str, list] = {}
    for h in highlights:
        by_sheet.setdefault(h.sheet.lower(), []).append(h)
    dxf: dict[str, int] = {}
    blocks = _VmlBlocks(pkg)
    may_have_ours = _styles_may_have_our_fills(pkg, styles)
    try:
        last = record.load(pkg)
    except (Damaged, XmlError):
        last = {}
    states: dict[str, tuple[str, list[str]]] = {}
    for sheet in wb.sheets:
        if sheet.name.lower() in written or sheet.part is None or not pkg.has(sheet.part):
            by_sheet.pop(sheet.name.lower(), None)
            continue  # output sheets were just rewritten and carry no marks
        todo = by_sheet.pop(sheet.name.lower(), [])
        dig = record.digest(todo)
        prev = last.get(sheet.part)
        if prev and prev[0] == dig and all(pkg.unchanged(*m) for m in prev[1]):
            states[sheet.part] = (dig, [m[0] for m in prev[1][1:]])
            continue   # exactly these marks are there already, as we wrote them
        if not todo and not may_have_ours and not _has_our_notes(pkg, sheet.part):
            states[sheet.part] = (dig, _notes_parts(pkg, sheet.part))
            continue   # nothing to add, and no fill of ours can be there: the sheet is not even read
        try:
            xml = pkg.read_original(sheet.part)  # once, not cached: a big sheet is 60 MB and ~0.2 s to inflate
            tail = SheetTail(xml, sheet.part)
        except Damaged:
            if todo:
                raise
            continue   # a sheet we cannot read carries nothing we could clear; it is copied as it is
        if tail.doc is None:
            if todo:
                raise Damaged(sheet.part, "no sheetData")
            continue
        if not todo and not tail.has_ours() and not _has_our_notes(pkg, sheet.part):
            states[sheet.part] = (dig, _notes_parts(pkg, sheet.part))
            continue
        if todo and not dxf:
            dxf = {level: styles.dxf_fill(rgb) for level, rgb in marks.FILL_ARGB.items()}
        tail.remove_ours()
        if todo:
            tail.insert(_cf_xml(todo, dxf, tail.main_prefix), _AFTER_CF)
        _notes(pkg, sheet.part, todo, tail, blocks)
        if tail.changed:
            head, body = memoryview(xml)[:tail.offset], tail.bytes()   # no copy of the 60 MB head
            pkg.put(sheet.part, lambda head=head, body=body: iter((head, body)), len(head) + len(body))
        states[sheet.part] = (dig, _notes_parts(pkg, sheet.part))
    record.install(pkg, states)
    if by_sheet:
        missing = ", ".join(sorted(by_sheet))
        raise ValueError(f"highlights name sheets the workbook does not have: {missing}")


def _styles_may_have_our_fills(pkg: Package, styles: StyleBook) -> bool:
    """False when no differential format has our fill colours: then no sheet can carry a mark
    of ours (each points at one), and unmarked sheets need not be inflated to look for one."""
    data = pkg.read(styles.part).upper()
    return any(rgb[2:].encode() in data for rgb in marks.FILL_ARGB.values())


class SheetTail:
    """Everything after </sheetData> of a worksheet part, parsed behind the root start tag."""

    def __init__(self, xml: bytes, part: str):
        self.part = part
        self.doc: Doc | None = None
        self.changed = False
        root = root_start_tag(xml)
        if root is None:
            raise Damaged(part, "unreadable start of the worksheet")
        self.root_tag = xml[root[0]:root[1]]
        self.offset = _sheet_data_end(xml)
        if self.offset is None:
            return
        try:
            self.doc = Doc(self.root_tag + xml[self.offset:], keep_text=True, deep=_DEEP)
        except XmlError:
            # </sheetData> found in the wrong place (text inside an extension?): parse it all
            try:
                full = parse(xml, deep=frozenset())   # the root's children only
            except XmlError as exc:
                raise Damaged(part, str(exc)) from exc
            sd = full.kid(NS_MAIN, "sheetData")
            if sd is None:
                self.offset = None
                return
            self.offset = sd.end
            try:
                self.doc = Doc(self.root_tag + xml[self.offset:], keep_text=True, deep=_DEEP)
            except XmlError as exc:
                raise Damaged(part, str(exc)) from exc
        r = self.doc.root
        if r.ns != NS_MAIN or r.local != "worksheet":
            raise Damaged(part, f"root element <{r.qname}> is not a worksheet")
        self.main_prefix = f"{r.prefix}:" if r.prefix else ""

    def bytes(self) -> bytes:
        return self.doc.data[len(self.root_tag):]

    def _ours(self):
        """(conditionalFormatting, [our cfRules]) for each block holding a rule of ours."""
        for cf in self.doc.root.kids(NS_MAIN, "conditionalFormatting"):
            rules = [r for r in cf.kids(NS_MAIN, "cfRule")
                     if any(f.all_text().strip() == marks.MARK_FORMULA for f in r.kids(NS_MAIN, "formula"))]
            if rules:
                yield cf, rules

    def has_ours(self) -> bool:
        return next(self._ours(), None) is not None

    def remove_ours(self) -> None:
        edits = []
        for cf, rules in self._ours():
            if len(rules) == len(cf.kids(NS_MAIN, "cfRule")):
                edits.append((cf.start, cf.end, b""))
            else:   # a block shared with the user's rules (a re-save merged them): only ours go
                edits.extend((r.start, r.end, b"") for r in rules)
        self._edit(edits)

    def insert(self, markup: str, later: set[str]) -> None:
        if not markup:
            return
        before = next((c for c in self.doc.root.children if c.ns == NS_MAIN and c.local in later), None)
        at = before.start if before is not None else self.doc.data.rindex(b"</")
        self._edit([(at, at, markup.encode("utf-8"))])

    def remove_legacy_drawing(self, rid: str) -> None:
        self._edit([(c.start, c.end, b"") for c in self.doc.root.kids(NS_MAIN, "legacyDrawing")
                    if c.attr(NS_R, "id") == rid])

    def _edit(self, edits) -> None:
        if edits:
            self.doc = Doc(splice(self.doc.data, edits), keep_text=True, deep=_DEEP)
            self.changed = True


def _sheet_data_end(xml: bytes) -> int | None:
    """Offset just after </sheetData> (or an empty <sheetData/>), found from the end."""
    i = xml.rfind(b"sheetData>")
    if i > 0:
        m = re.compile(rb"</(?:[\w.-]+:)?sheetData\s*>").search(xml, max(0, i - 64))
        if m:
            return m.end()
    m = re.search(rb"<(?:[\w.-]+:)?sheetData\b[^>]*/>", xml)
    return m.end() if m else None


def _cf_xml(todo: list, dxf: dict, p: str) -> str:
    out = []
    for priority, level in enumerate(marks.LEVEL_PRIORITY, start=1):
        refs = sorted({(h.row, h.column) for h in todo if h.level == level})
        if not refs:
            continue
        sqref = " ".join(f"{letter(c)}{r}" for r, c in refs)
        formula = marks.MARK_FORMULA.replace('"', "&quot;")
        out.append(f'<{p}conditionalFormatting sqref="{sqref}"><{p}cfRule type="expression" dxfId="{dxf[level]}" '
                   f'priority="{priority}" stopIfTrue="1"><{p}formula>{formula}</{p}formula></{p}cfRule>'
                   f"</{p}conditionalFormatting>")
    return "".join(out)


def _rel_target(pkg: Package, part: str, rtype: str) -> tuple[str | None, str | None]:
    for r in pkg.rels(part):
        if r.type == rtype and not r.external:
            return r.id, r.target
    return None, None


def _notes_parts(pkg: Package, part: str) -> list[str]:
    return [t for rtype in (RT_COMMENTS, RT_VML) for t in [_rel_target(pkg, part, rtype)[1]] if t and pkg.has(t)]


def _has_our_notes(pkg: Package, part: str) -> bool:
    _, target = _rel_target(pkg, part, RT_COMMENTS)
    if not target or not pkg.has(target):
        return False
    data = pkg.read(target)
    # cheap first look: neither the prefix nor the old author -> nothing of ours
    if marks.NOTE_PREFIX.encode("utf-8") not in data and f">{marks.NOTE_AUTHOR}<".encode() not in data:
        return False
    return Comments(data, target).has_ours()


class _VmlBlocks:
    """Shape-id blocks used by every VML part of the package (read only when a note needs one)."""

    def __init__(self, pkg: Package):
        self.pkg = pkg
        self._used: set[int] | None = None

    def used(self) -> set[int]:
        if self._used is None:
            self._used = set()
            for name in self.pkg.names():
                if name.lower().endswith(".vml"):
                    try:
                        text = self.pkg.read(name).decode("utf-8", "replace")
                    except Damaged:
                        continue
                    self._used |= Vml.blocks_and_ids(text)[0]
        return self._used


def _shape_ids(blocks: list[int], taken: set[int], used: set[int], vml: Vml):
    """Free shape ids: through the part's own id blocks in order (n*1024+1 ... n*1024+1023,
    skipping ids in use), then new blocks after every block the package uses. The sequence
    depends only on the part, so a re-run gives each note the id it had."""
    i = 0
    while True:
        if i == len(blocks):
            blocks.append(max(used) + 1)
            used.add(blocks[-1])
            vml.ensure_block(blocks[-1])
        base = blocks[i] * SHAPES_PER_BLOCK
        for sid in range(base + 1, base + SHAPES_PER_BLOCK):
            if sid not in taken:
                yield sid
        i += 1


def _notes(pkg: Package, part: str, todo: list, tail: SheetTail, blocks: _VmlBlocks) -> None:
    crid, cpart = _rel_target(pkg, part, RT_COMMENTS)
    vrid, vpart = _rel_target(pkg, part, RT_VML)
    comments = Comments(pkg.read(cpart) if cpart and pkg.has(cpart) else None, cpart or "comments")
    vml_text = pkg.read(vpart).decode("utf-8") if vpart and pkg.has(vpart) else None
    gone = comments.remove_ours()
    users = comments.refs()
    notes: dict[str, str] = {}
    for h in todo:
        ref = f"{letter(h.column)}{h.row}"
        if ref not in users:
            notes[ref] = (notes[ref] + "\n" + h.note) if ref in notes else h.note
    if not gone and not notes:
        return
    vml = Vml(vml_text, 0)
    vml.remove_notes({split_ref(ref) for ref in gone})
    vml.drop_unused_prefixes()
    if notes:
        mine, ids = Vml.blocks_and_ids(vml.text) if vml_text is not None else (set(), set())
        used = blocks.used()
        if not mine:
            mine = {max(used | {0}) + 1}
            if vml_text is None:
                vml = Vml(None, min(mine))
            else:
                vml.ensure_block(min(mine))
        used |= mine
        free = _shape_ids(sorted(mine), ids, used, vml)
        shapes = []
        for ref in sorted(notes, key=split_ref):
            comments.add(ref, notes[ref])
            r, c = split_ref(ref)
            shapes.append(vml.note_shape(r, c, next(free)))
        vml.add_shapes(shapes)
    folder = posixpath.dirname(posixpath.dirname(part)) or "xl"
    if comments.count():
        if cpart is None:
            cpart = pkg.free_name(posixpath.join(folder, "comments{}.xml"))
            pkg.add_rel(part, RT_COMMENTS, cpart)
        pkg.put(cpart, comments.to_xml())
        pkg.set_override(cpart, CT_COMMENTS)
        if vpart is None:
            vpart = pkg.free_name(posixpath.join(folder, "drawings", "vmlDrawing{}.vml"))
        pkg.put(vpart, vml.text.encode("utf-8"))
        pkg.ensure_content_type(vpart, "vml", CT_VML)
        if vrid is None:
            vrid = pkg.add_rel(part, RT_VML, vpart)
        if not any(c.attr(NS_R, "id") == vrid for c in tail.doc.root.kids(NS_MAIN, "legacyDrawing")):
            tail.insert(f'<{tail.main_prefix}legacyDrawing xmlns:r="{NS_R}" r:id="{vrid}"/>', _AFTER_LEGACY)
        return
    # No note left at all: drop the parts and the sheet's reference to them.
    if crid:
        pkg.remove_rel(part, crid)
        pkg.remove(cpart)
        pkg.remove_override(cpart)
    if vrid and vml.is_ours_and_empty():
        pkg.remove_rel(part, vrid)
        pkg.remove(vpart)
        pkg.remove_override(vpart)
        tail.remove_legacy_drawing(vrid)
    elif vpart:
        pkg.put(vpart, vml.text.encode("utf-8"))
