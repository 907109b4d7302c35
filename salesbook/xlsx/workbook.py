"""xl/workbook.xml and docProps/app.xml: the sheet list, kept consistent as sheets are added."""
from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass

from .opc import CT_WORKSHEET, RT_CALCCHAIN, RT_WORKSHEET, Package, attrs, esc

_BAD_NAME = re.compile(r"[\[\]:*?/\\]")


def check_sheet_name(name: str) -> None:
    """Excel's rules for a sheet name; breaking them is a programming error."""
    if not isinstance(name, str) or not name or len(name) > 31 or _BAD_NAME.search(name) \
            or name[0] == "'" or name[-1] == "'" or name.lower() == "history":
        raise ValueError(f"invalid sheet name {name!r}: 1-31 characters, none of []:*?/\\, "
                         "no leading/trailing apostrophe, not 'History'")


@dataclass
class Sheet:
    name: str
    sheet_id: int
    rid: str
    part: str | None      # zip member of the sheet part (None if the rel is missing)
    rtype: str


class Workbook:
    def __init__(self, pkg: Package):
        self.pkg = pkg
        self.part = pkg.office_document()
        text = pkg.text(self.part)
        root = re.search(r"<(\w+:)?workbook\b", text)
        self.p = (root.group(1) or "") if root else ""
        self.date1904 = bool(re.search(r"<(?:\w+:)?workbookPr\b[^>]*\bdate1904\s*=\s*[\"'](1|true)[\"']", text))
        self._load()

    @property
    def epoch(self) -> dt.datetime:
        return dt.datetime(1904, 1, 1) if self.date1904 else dt.datetime(1899, 12, 30)

    def _load(self) -> None:
        rels = {r.id: r for r in self.pkg.rels(self.part)}
        self.sheets: list[Sheet] = []
        text = self.pkg.text(self.part)
        for m in re.finditer(r"<(?:\w+:)?sheet\b[^>]*>", text):
            a = attrs(m.group(0))
            rid = next((v for k, v in a.items() if k.endswith(":id") or k == "id"), "")
            rel = rels.get(rid)
            self.sheets.append(Sheet(a.get("name", ""), int(a.get("sheetId", "0")), rid,
                                     rel.target if rel else None, rel.type if rel else ""))

    def find(self, name: str) -> Sheet | None:
        low = name.lower()   # Excel sheet names are unique case-insensitively
        return next((s for s in self.sheets if s.name.lower() == low), None)

    def by_id(self, sheet_id: int) -> Sheet | None:
        return next((s for s in self.sheets if s.sheet_id == sheet_id), None)

    def add_sheet(self, name: str) -> Sheet:
        """Append a worksheet entry; returns it (its part does not exist yet)."""
        part = self.pkg.free_name("xl/worksheets/sheet{}.xml")
        rid = self.pkg.add_rel(self.part, RT_WORKSHEET, part)
        sid = max([s.sheet_id for s in self.sheets] + [0]) + 1
        text = self.pkg.text(self.part)
        el = f'<{self.p}sheet name="{esc(name)}" sheetId="{sid}" r:id="{rid}"/>'
        if not re.search(r'xmlns:r\s*=\s*"' + re.escape("http://schemas.openxmlformats.org/officeDocument/2006/relationships"), text):
            el = el.replace("r:id", 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" r:id')
        m = re.search(rf"</{re.escape(self.p)}sheets\s*>", text)
        self.pkg.put_text(self.part, text[:m.start()] + el + text[m.start():])
        self.pkg.set_override(part, CT_WORKSHEET)
        sheet = Sheet(name, sid, rid, part, RT_WORKSHEET)
        self.sheets.append(sheet)
        _app_add_title(self.pkg, [s.name for s in self.sheets if s.rtype == RT_WORKSHEET][:-1], name)
        return sheet

    def hide(self, sheet: Sheet) -> None:
        """Mark the sheet's <sheet> entry state="hidden" (Excel keeps it; the user can unhide it)."""
        text = self.pkg.text(self.part)
        for m in re.finditer(r"<(?:\w+:)?sheet\b[^>]*>", text):
            a = attrs(m.group(0))
            if a.get("name") == sheet.name:
                el = re.sub(r'\s+state\s*=\s*"[^"]*"', "", m.group(0))
                el = re.sub(r"(\s*/?>)$", r' state="hidden"\1', el)
                self.pkg.put_text(self.part, text[:m.start()] + el + text[m.end():])
                return

    def set_filter_range(self, sheet: Sheet, ref: str | None) -> None:
        """Keep an existing _xlnm._FilterDatabase name in step with the sheet's autoFilter."""
        index = self.sheets.index(sheet)
        text = self.pkg.text(self.part)
        pat = re.compile(r"(<(?:\w+:)?definedName\b[^>]*\bname=\"_xlnm\._FilterDatabase\"[^>]*"
                         rf"\blocalSheetId=\"{index}\"[^>]*>)(.*?)(</(?:\w+:)?definedName>)", re.S)
        m = pat.search(text)
        if not m:
            return
        if ref is None:
            new = ""
        else:
            a, b = ref.split(":") if ":" in ref else (ref, ref)
            absref = lambda r: re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", r)
            quoted = "'" + sheet.name.replace("'", "''") + "'"
            new = m.group(1) + esc(f"{quoted}!{absref(a)}:{absref(b)}") + m.group(3)
        self.pkg.put_text(self.part, text[:m.start()] + new + text[m.end():])

    def forget_calc_chain(self, sheet: Sheet) -> None:
        """Drop xl/calcChain.xml if it lists cells of `sheet` (whose formulas we replace).

        A calc chain naming cells without formulas makes Excel report a damaged file; Excel
        rebuilds a missing chain silently.
        """
        rel = next((r for r in self.pkg.rels(self.part) if r.type == RT_CALCCHAIN), None)
        if rel is None or not self.pkg.has(rel.target):
            return
        current = 0
        for m in re.finditer(r"<(?:\w+:)?c\b([^>]*)>", self.pkg.text(rel.target)):
            i = re.search(r'\bi="(\d+)"', m.group(1))
            if i:
                current = int(i.group(1))
            if current == sheet.sheet_id:
                break
        else:
            return
        self.pkg.remove_rel(self.part, rel.id)
        self.pkg.remove(rel.target)
        self.pkg.remove_override(rel.target)


def _app_add_title(pkg: Package, worksheets_before: list[str], name: str) -> None:
    """docProps/app.xml lists sheet titles per group (HeadingPairs); add `name` to the worksheets group.

    The group is the one whose titles are the workbook's worksheets (its heading text is
    localised: Worksheets, 工作表, ...). If app.xml is absent or unusual it is left alone:
    Excel does not read it back.
    """
    part = "docProps/app.xml"
    if not pkg.has(part):
        return
    text = pkg.text(part)
    hp = re.search(r"(<(?:\w+:)?HeadingPairs>\s*<(\w+:)?vector\b[^>]*>)(.*?)(</\2vector>)", text, re.S)
    tp = re.search(r"(<(?:\w+:)?TitlesOfParts>\s*<(\w+:)?vector\b[^>]*>)(.*?)(</\2vector>)", text, re.S)
    if not hp or not tp:
        return
    vp = hp.group(2) or ""
    pairs = re.findall(rf"<{vp}variant>\s*<{vp}lpstr>(.*?)</{vp}lpstr>\s*</{vp}variant>\s*"
                       rf"<{vp}variant>\s*<{vp}i4>(\d+)</{vp}i4>\s*</{vp}variant>", hp.group(3), re.S)
    titles = [html.unescape(t) for t in re.findall(rf"<{vp}lpstr>(.*?)</{vp}lpstr>", tp.group(3), re.S)]
    if not pairs or sum(int(n) for _, n in pairs) != len(titles):
        return
    start, group = 0, None
    for gi, (_, n) in enumerate(pairs):
        chunk = titles[start:start + int(n)]
        if chunk == worksheets_before:
            group = gi
            break
        start += int(n)
    if group is None:
        return
    pos = start + int(pairs[group][1])
    titles.insert(pos, name)
    counts = [int(n) for _, n in pairs]
    counts[group] += 1
    # Rewrite the count of that group and the titles vector.
    k = [0]

    def bump(m: re.Match) -> str:
        k[0] += 1
        return f"{m.group(1)}{counts[group]}{m.group(2)}" if k[0] - 1 == group else m.group(0)

    new_hp = re.sub(rf"(<{vp}i4>)\d+(</{vp}i4>)", bump, hp.group(3))
    items = "".join(f"<{vp}lpstr>{esc(t)}</{vp}lpstr>" for t in titles)
    tp_start = re.sub(r'\bsize="\d+"', f'size="{len(titles)}"', tp.group(1))
    text = text[:tp.start()] + tp_start + items + tp.group(4) + text[tp.end():]
    hp = re.search(r"(<(?:\w+:)?HeadingPairs>\s*<(\w+:)?vector\b[^>]*>)(.*?)(</\2vector>)", text, re.S)
    text = text[:hp.start(3)] + new_hp + text[hp.end(3):]
    pkg.put_text(part, text)
