"""Highlights: salesbook's marks on input cells (a fill plus a comment), replaced every run.

The fill is a conditional format, not a change of the cell's style: the user's styles
are never touched, so clearing cannot lose a fill or a number format the user set.
salesbook's rules are recognised by their always-true formula `"salesbook"="salesbook"`,
so every earlier mark is found and removed on the next run, on every sheet. The
comments are legacy comments authored `salesbook` (comments.py keeps the user's own);
a cell that already has the user's comment gets the fill only.

A worksheet part is never parsed: the conditional formats and the legacyDrawing element
live after </sheetData>, so only that tail of a 60 MB sheet is edited.
"""
from __future__ import annotations

import re

from .cells import letter
from .comments import Comments, Vml
from .opc import CT_COMMENTS, CT_VML, NS_R, RT_COMMENTS, RT_VML, Package
from .styles import StyleBook
from .workbook import Workbook

MARK_FORMULA = '"salesbook"="salesbook"'
FILLS = {"错误": "FFFFC7CE", "警告": "FFFFEB9C"}   # Excel's own light red / light yellow
_CF_BLOCK = re.compile(r"<((?:\w+:)?)conditionalFormatting\b[^>]*>.*?</\1conditionalFormatting>", re.S)
# Elements that follow conditionalFormatting / legacyDrawing in CT_Worksheet order.
_AFTER_CF = ("dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter",
             "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags",
             "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
             "webPublishItems", "tableParts", "extLst")
_AFTER_LEGACY = ("legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems",
                 "tableParts", "extLst")
SHAPES_PER_BLOCK = 1024


def apply_highlights(pkg: Package, wb: Workbook, styles: StyleBook, highlights: list, written: set[str]) -> None:
    by_sheet: dict[str, list] = {}
    for h in highlights:
        by_sheet.setdefault(h.sheet.lower(), []).append(h)
    dxf = {level: _dxf(styles, rgb) for level, rgb in FILLS.items()}
    blocks = _used_vml_blocks(pkg)
    for sheet in wb.sheets:
        if sheet.name.lower() in written or sheet.part is None or not pkg.has(sheet.part):
            continue  # output sheets were just rewritten and carry no marks
        marks = by_sheet.pop(sheet.name.lower(), [])
        xml = pkg.read(sheet.part)  # read once: a big sheet costs ~0.2 s to inflate
        tail_at, tail = _sheet_tail(xml)
        if tail is None:
            continue
        if not marks and not _is_ours(tail) and not _has_our_comments(pkg, sheet.part):
            continue
        prefix = _prefix(xml)
        tail = _CF_BLOCK.sub(lambda m: "" if _is_ours(m.group(0)) else m.group(0), tail)
        if marks:
            tail = _insert_before(tail, _cf_xml(marks, dxf, prefix), _AFTER_CF, prefix)
        tail = _comments(pkg, sheet.part, marks, tail, prefix, blocks)
        _put_tail(pkg, sheet.part, xml[:tail_at], tail)
    if by_sheet:
        missing = ", ".join(sorted(by_sheet))
        raise ValueError(f"highlights name sheets the workbook does not have: {missing}")


def _dxf(styles: StyleBook, rgb: str) -> int:
    if "dxfs" not in styles.items:
        styles.items["dxfs"], styles._canon["dxfs"] = _existing_dxfs(styles)
    return styles._add("dxfs", f'<dxf><fill><patternFill patternType="solid"><fgColor rgb="{rgb}"/>'
                               f'<bgColor rgb="{rgb}"/></patternFill></fill></dxf>')


def _existing_dxfs(styles: StyleBook):
    from .styles import canonical, _parse_plain

    text = styles.pkg.text(styles.part)
    p = re.escape(styles.prefix)
    m = re.search(rf"<{p}dxfs\b[^>]*?(?:/>|>(.*?)</{p}dxfs>)", text, re.S)
    items = []
    if m and m.group(1):
        for d in re.finditer(rf"<{p}dxf\b[^>]*?(?:/>|>.*?</{p}dxf>)", m.group(1), re.S):
            xml = re.sub(rf"<(/?){p}", r"<\1", d.group(0)) if styles.prefix else d.group(0)
            try:
                items.append(_parse_plain(xml))
            except Exception:  # an unparsable dxf still occupies its index
                items.append(_parse_plain("<dxf/>"))
    return items, [canonical(e) for e in items]


def _is_ours(block: str) -> bool:
    return MARK_FORMULA in block or MARK_FORMULA.replace('"', "&quot;") in block


def _cf_xml(marks: list, dxf: dict, p: str) -> str:
    out = []
    for level in ("错误", "警告"):
        refs = sorted({(h.row, h.column) for h in marks if h.level == level})
        if not refs:
            continue
        sqref = " ".join(f"{letter(c)}{r}" for r, c in refs)
        out.append(f'<{p}conditionalFormatting sqref="{sqref}"><{p}cfRule type="expression" dxfId="{dxf[level]}" '
                   f'priority="{1 if level == "错误" else 2}" stopIfTrue="1"><{p}formula>'
                   f'{MARK_FORMULA.replace(chr(34), "&quot;")}</{p}formula></{p}cfRule></{p}conditionalFormatting>')
    return "".join(out)


def _sheet_tail(xml: bytes) -> tuple[int, str | None]:
    """(offset, text) of everything after </sheetData> (or after an empty <sheetData/>)."""
    m = None
    i = xml.rfind(b"sheetData>")
    if i > 0:
        m = re.compile(rb"</(?:\w+:)?sheetData>").search(xml, max(0, i - 16))
    if m is None:
        m = re.search(rb"<(?:\w+:)?sheetData\b[^>]*/>", xml)
    if m is None:
        return 0, None
    return m.end(), xml[m.end():].decode("utf-8")


def _put_tail(pkg: Package, part: str, head: bytes, tail: str) -> None:
    data = tail.encode("utf-8")
    pkg.put(part, lambda: iter((head, data)), len(head) + len(data))


def _prefix(xml: bytes) -> str:
    m = re.search(rb"<(\w+:)?worksheet\b", xml[:4096])
    return (m.group(1) or b"").decode() if m else ""


def _insert_before(tail: str, el: str, later: tuple[str, ...], p: str) -> str:
    pos = None
    for name in later:
        m = re.search(rf"<{re.escape(p)}{name}\b", tail)
        if m and (pos is None or m.start() < pos):
            pos = m.start()
    if pos is None:
        pos = tail.rindex("</")
    return tail[:pos] + el + tail[pos:]


def _rel_target(pkg: Package, part: str, rtype: str) -> tuple[str | None, str | None]:
    for r in pkg.rels(part):
        if r.type == rtype and not r.external:
            return r.id, r.target
    return None, None


def _has_our_comments(pkg: Package, part: str) -> bool:
    _, target = _rel_target(pkg, part, RT_COMMENTS)
    return bool(target and pkg.has(target) and b">salesbook<" in pkg.read(target))


def _used_vml_blocks(pkg: Package) -> set[int]:
    used: set[int] = set()
    for name in pkg.names():
        if name.lower().endswith(".vml"):
            blocks, _ = Vml.blocks_and_ids(pkg.read(name).decode("utf-8", "replace"))
            used |= blocks
    return used


def _comments(pkg: Package, part: str, marks: list, tail: str, p: str, blocks: set[int]) -> str:
    crid, cpart = _rel_target(pkg, part, RT_COMMENTS)
    vrid, vpart = _rel_target(pkg, part, RT_VML)
    comments = Comments(pkg.text(cpart) if cpart and pkg.has(cpart) else None)
    vml_text = pkg.read(vpart).decode("utf-8") if vpart and pkg.has(vpart) else None
    gone = comments.remove_ours()
    users = comments.refs()
    notes = {}
    for h in marks:
        ref = f"{letter(h.column)}{h.row}"
        if ref not in users:
            notes[ref] = (notes[ref] + "\n" + h.note) if ref in notes else h.note
    if not gone and not notes:
        return tail
    vml = Vml(vml_text, 0)
    mine, _ = Vml.blocks_and_ids(vml.text) if vml_text else (set(), set())
    vml.remove_notes({_rc(ref) for ref in gone})
    if notes:
        if not mine:
            mine = {max(blocks | {0}) + 1}
            vml = Vml(vml_text, min(mine)) if vml_text is None else vml
            vml.ensure_block(min(mine))
        blocks |= mine
        _, ids = Vml.blocks_and_ids(vml.text)
        next_id = max(ids | {min(mine) * SHAPES_PER_BLOCK}) + 1
        shapes = []
        for ref, note in notes.items():
            block = next_id // SHAPES_PER_BLOCK
            if block not in mine:
                block = max(blocks) + 1
                next_id = block * SHAPES_PER_BLOCK + 1
                mine.add(block)
                blocks.add(block)
                vml.ensure_block(block)
            comments.add(ref, note)
            r, c = _rc(ref)
            shapes.append(vml.note_shape(r, c, next_id))
            next_id += 1
        vml.add_shapes(shapes)
    if comments.items:
        cpart = cpart or pkg.free_name("xl/comments{}.xml")
        pkg.put_text(cpart, comments.to_xml())
        pkg.set_override(cpart, CT_COMMENTS)
        if crid is None:
            pkg.add_rel(part, RT_COMMENTS, cpart)
        vpart = vpart or pkg.free_name("xl/drawings/vmlDrawing{}.vml")
        pkg.put(vpart, vml.text.encode("utf-8"))
        pkg.ensure_default("vml", CT_VML)
        if vrid is None:
            vrid = pkg.add_rel(part, RT_VML, vpart)
            tail = _insert_before(tail, f'<{p}legacyDrawing xmlns:r="{NS_R}" r:id="{vrid}"/>', _AFTER_LEGACY, p)
        return tail
    # No comment left at all: drop the parts and the sheet's reference to them.
    if crid:
        pkg.remove_rel(part, crid)
        pkg.remove(cpart)
        pkg.remove_override(cpart)
    if vrid and vml.shape_count() == 0:
        pkg.remove_rel(part, vrid)
        pkg.remove(vpart)
        tail = re.sub(rf"<(\w+:)?legacyDrawing\b[^>]*\bid=\"{re.escape(vrid)}\"[^>]*/>", "", tail)
    elif vpart:
        pkg.put(vpart, vml.text.encode("utf-8"))
    return tail


def _rc(ref: str) -> tuple[int, int]:
    from .cells import split_ref

    return split_ref(ref)
